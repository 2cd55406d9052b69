/**
 * The sweep report on a real sweep: the project's XEN/ZONE_DEVICE example,
 * buggy and fixed, on i386 and x86_64 (the whole pipeline, in this thread).
 * The page leads with the findings (linked to their select line and
 * witnesses), then compares the two versions per arch; every number of
 * sweep.csv must be in the right bar of the right chart; timings are an
 * appendix; and, where Debian's chromium is installed, the page must render
 * in headless Chromium with the bars drawn.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { inflateSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fetchCorpus, fetchedVersion, readManifest } from '../../src/workflow/reference.js';
import { chartSpecs, escapeXml, families, mergeSweeps, renderReport, versionStatus } from '../../scripts/report-html.js';
import { corpusTargets } from '../../scripts/lib/targets.js';
import { STAGE_COLUMNS, sweep, sweepCsv, SWEEP_COLUMNS, type SweepResult } from '../../scripts/sweep-run.js';
import { requireFile } from '../helpers/requires.js';

const CORPORA = ['xen-zone-device-buggy', 'xen-zone-device-fixed'];
const CHROMIUM = '/usr/bin/chromium';

let result: SweepResult;
let html: string;
let outDir: string;

beforeAll(async () => {
  const manifest = readManifest();
  outDir = fs.mkdtempSync(path.join(os.tmpdir(), 'kconfsat-sweep-'));
  const targets = [];
  for (const name of CORPORA) {
    const corpus = manifest.find((c) => c.name === name)!;
    const tree = await fetchCorpus(corpus);
    targets.push(...corpusTargets(corpus, tree, fetchedVersion(corpus, tree), ['i386', 'x86_64'], false).map((t) => ({ ...t, outDir })));
  }
  result = { started: new Date().toISOString(), wallMs: 0, jobs: 1, confirm: false, rows: await sweep(targets, 1) };
  html = renderReport(result);
});
afterAll(() => fs.rmSync(outDir, { recursive: true, force: true }));

/** The rows of sweep.csv as column → text (no field of this fixture is quoted). */
function csvRows(): Record<string, string>[] {
  const [header, ...lines] = sweepCsv(result.rows).trimEnd().split('\r\n');
  return lines.map((line) => Object.fromEntries(line.split(',').map((v, i) => [header!.split(',')[i]!, v])));
}

function chart(id: string): string {
  const svg = new RegExp(`<svg[^>]*data-chart="${id}"[^>]*>.*?</svg>`, 's').exec(html)?.[0];
  expect(svg, `chart ${id}`).toBeDefined();
  return svg!;
}

describe('sweep report', () => {
  it('analyses every target of the example: the buggy select is a finding on both arches, the fixed one on none', () => {
    expect(result.rows.map((r) => [r.corpus, r.arch, r.findings, r.error])).toEqual([
      ['xen-zone-device-buggy', 'i386', 1, undefined],
      ['xen-zone-device-buggy', 'x86_64', 1, undefined],
      ['xen-zone-device-fixed', 'i386', 0, undefined],
      ['xen-zone-device-fixed', 'x86_64', 0, undefined],
    ]);
  });

  it('keeps what the counts count: each finding with its select line and witness, the dead and always-on names', () => {
    const buggy = result.rows.find((r) => r.corpus === 'xen-zone-device-buggy' && r.arch === 'i386')!;
    const witness = 'witnesses/xen-zone-device-buggy-i386-XEN_UNPOPULATED_ALLOC-ZONE_DEVICE-13.config';
    expect(buggy.findingList).toEqual([
      {
        selector: 'XEN_UNPOPULATED_ALLOC',
        selectee: 'ZONE_DEVICE',
        file: 'drivers/xen/Kconfig',
        line: 13,
        dependsOn: 'MEMORY_HOTPLUG && MEMORY_HOTREMOVE && SPARSEMEM_VMEMMAP && ARCH_HAS_PTE_DEVMAP',
        witness,
      },
    ]);
    // The witness is the configuration conf warns on: the selector on, the selectee forced on without its dependency.
    const text = fs.readFileSync(path.join(outDir, witness), 'utf8');
    expect(text).toContain('CONFIG_XEN_UNPOPULATED_ALLOC=y\n');
    expect(text).toContain('CONFIG_ZONE_DEVICE=y\n');
    expect(text).not.toContain('CONFIG_ARCH_HAS_PTE_DEVMAP=y');
    // i386 cannot have 64BIT, so everything only x86_64 selects is dead there.
    expect(buggy.deadList).toEqual(['64BIT', 'X86_64', 'GENERIC_CPU', 'ARCH_HAS_PTE_DEVMAP', 'SPARSEMEM_VMEMMAP_ENABLE', 'SPARSEMEM_VMEMMAP']);
    expect(buggy.alwaysOnList).toEqual(['X86_32', 'X86', 'SPARSEMEM']);
    for (const row of result.rows) {
      expect(row.deadList).toHaveLength(row.dead!);
      expect(row.alwaysOnList).toHaveLength(row.alwaysOn!);
      expect(row.findingList).toHaveLength(row.findings!);
    }
  });

  it('leads with the findings, then the versions compared, and leaves timings to an appendix', () => {
    const headings = [...html.matchAll(/<h2>([^<]*)<\/h2>/g)].map((m) => m[1]);
    expect(headings).toEqual(['Findings', 'Versions compared', 'Appendix: timings', 'Appendix: all numbers']);
    // Before the first chart: the findings table, its select line linked into the tree and its witnesses by arch.
    const findings = html.slice(html.indexOf('<h2>Findings</h2>'), html.indexOf('<h2>Versions compared</h2>'));
    expect(findings).not.toContain('<svg');
    const row = /<tr data-finding="XEN_UNPOPULATED_ALLOC-&#62;ZONE_DEVICE">(.*?)<\/tr>/s.exec(findings)?.[1];
    const tree = result.rows[0]!.tree!;
    expect(row).toContain(`<a href="file://${tree}/drivers/xen/Kconfig">drivers/xen/Kconfig:13</a>`);
    expect(row).toContain('data-witness="xen-zone-device-buggy i386"');
    expect(row).toContain('data-witness="xen-zone-device-buggy x86_64"');
    // The fixed version has no such finding: gone in it.
    expect(row).toMatch(/<td class="text same">—<\/td><td class="text gone">gone in xen-zone-device-fixed<\/td>$/);
  });

  it('compares the versions per arch: findings, dead and always-on with what is new and gone, symbols, clauses', () => {
    const compared = html.slice(html.indexOf('<h2>Versions compared</h2>'), html.indexOf('<h2>Appendix: timings</h2>'));
    const cell = (arch: string, measure: string): string | undefined =>
      new RegExp(`<tr data-arch="${arch}">.*?<td data-measure="${measure}">([^<]*)</td>`, 's').exec(compared)?.[1];
    const row = (corpus: string, arch: string) => result.rows.find((r) => r.corpus === corpus && r.arch === arch)!;
    for (const arch of ['i386', 'x86_64']) {
      const [buggy, fixed] = [row(CORPORA[0]!, arch), row(CORPORA[1]!, arch)];
      expect(cell(arch, 'findings')).toBe('1 → 0 (+0 / −1)');
      expect(cell(arch, 'clauses')).toBe(`${buggy.clauses} → ${fixed.clauses} (${fixed.clauses! >= buggy.clauses! ? '+' : '−'}${Math.abs(fixed.clauses! - buggy.clauses!)})`);
      const added = fixed.deadList!.filter((n) => !buggy.deadList!.includes(n)).length;
      const removed = buggy.deadList!.filter((n) => !fixed.deadList!.includes(n)).length;
      expect(cell(arch, 'dead')).toBe(`${buggy.dead} → ${fixed.dead} (+${added} / −${removed})`);
    }
    expect(versionStatus({ name: 'l', corpora: ['a', 'b', 'c'] }, ['b', 'c'])).toEqual({ kind: 'new', text: 'new in b' });
    expect(versionStatus({ name: 'l', corpora: ['a', 'b', 'c'] }, ['a'])).toEqual({ kind: 'gone', text: 'gone in b' });
    expect(versionStatus({ name: 'l', corpora: ['a', 'b', 'c'] }, ['a', 'c'])).toEqual({ kind: 'same', text: 'only in a, c' });
  });

  it('puts the two versions side by side in the comparison charts, every number of the CSV in its bar', () => {
    const [family, ...others] = families(result.rows);
    expect(others).toEqual([]);
    expect(family).toEqual({ name: 'xen-zone-device', corpora: CORPORA });
    const specs = chartSpecs(family!);
    expect(specs.map((s) => s.column)).toEqual(['findings', 'dead', 'alwaysOn', 'symbols', 'variables', 'clauses']);
    const rows = csvRows();
    expect(rows).toHaveLength(4);
    for (const row of rows) {
      for (const spec of specs) {
        const value = row[spec.column];
        expect(value, `${spec.column} in the CSV`).toMatch(/^\d+$/);
        const bar = `<text[^>]*data-series="${row.corpus}" data-category="${row.arch}">${value}</text>`;
        expect(chart(spec.id), `${row.corpus} ${row.arch} ${spec.column}=${value}`).toMatch(new RegExp(bar));
      }
      // The appendix: one stacked bar per row, a segment per stage holding its milliseconds.
      for (const [column] of STAGE_COLUMNS.filter(([c]) => row[c] !== '')) {
        const segment = `<rect[^>]*data-series="${row.corpus}" data-category="${row.arch}" data-stage="${column}" data-ms="${row[column]}"`;
        expect(chart('timings-xen-zone-device'), `${row.corpus} ${row.arch} ${column}`).toMatch(new RegExp(segment));
      }
    }
    expect(html.indexOf('data-chart="timings-xen-zone-device"')).toBeGreaterThan(html.indexOf('<h2>Appendix: timings</h2>'));
  });

  it('is self-contained: no script, no external URL, and the table holds every column that has values', () => {
    expect(html).not.toMatch(/<script|<link|src=|url\(/i);
    // The SVG namespace is a name, not something fetched.
    expect(new Set(html.match(/https?:\/\/[^"]*/g))).toEqual(new Set(['http://www.w3.org/2000/svg']));
    for (const column of SWEEP_COLUMNS.filter((c) => result.rows.some((r) => r[c] !== undefined))) expect(html).toContain(`<th>${column}</th>`);
  });

  it('lists targets that could not be analysed, with the reason escaped', () => {
    const page = renderReport({ ...result, rows: [...result.rows, { corpus: 'u-boot', version: '-', arch: '-', error: 'cannot reach <archive>' }] });
    expect(page).toContain('<h2>Not analysed</h2>');
    expect(page).toContain('u-boot -: cannot reach &#60;archive&#62;');
    expect(escapeXml(`a&"b'`)).toBe('a&#38;&#34;b&#39;');
  });

  it('merges sweeps run apart into one page: rows in order, wall times summed', () => {
    const other: SweepResult = { started: '2026-01-01T00:00:00.000Z', wallMs: 1500, jobs: 2, confirm: false, rows: [{ corpus: 'toybox', version: '0.8.9', arch: '-', findings: 7 }] };
    const merged = mergeSweeps([{ ...result, wallMs: 2500 }, other]);
    expect(merged).toMatchObject({ started: other.started, wallMs: 4000, jobs: 2, sweeps: 2 });
    expect(merged.rows.map((r) => r.corpus)).toEqual([...result.rows.map((r) => r.corpus), 'toybox']);
    expect(renderReport(merged)).toContain('4.0 s wall (sum of 2 sweeps)');
  });

  it.skipIf(!requireFile(CHROMIUM, 'the report in headless Chromium', 'apt-get install chromium'))('renders in headless Chromium with the bars drawn', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kconfsat-report-'));
    try {
      const page = path.join(dir, 'report.html');
      const png = path.join(dir, 'report.png');
      fs.writeFileSync(page, html);
      const run = spawnSync(
        CHROMIUM,
        ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update',
          '--disable-sync', `--user-data-dir=${path.join(dir, 'profile')}`, `--screenshot=${png}`, '--window-size=1200,1600', `file://${page}`],
        { encoding: 'utf8', timeout: 90_000 },
      );
      expect(fs.existsSync(png), `chromium wrote no screenshot: ${run.stderr}`).toBe(true);
      const image = decodePng(fs.readFileSync(png));
      expect([image.width, image.height]).toEqual([1200, 1600]);
      // The two series colours of the bars (#2f6db5, #e0802b), and plenty of non-white pixels overall.
      expect(image.count((r, g, b) => r === 0x2f && g === 0x6d && b === 0xb5)).toBeGreaterThan(5000);
      expect(image.count((r, g, b) => r === 0xe0 && g === 0x80 && b === 0x2b)).toBeGreaterThan(5000);
      expect(image.count((r, g, b) => r + g + b < 600)).toBeGreaterThan(50_000);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

/** Enough of PNG for Chromium's screenshots: 8-bit RGB or RGBA, not interlaced. */
function decodePng(data: Buffer): { width: number; height: number; count: (test: (r: number, g: number, b: number) => boolean) => number } {
  expect(data.subarray(0, 8).toString('hex')).toBe('89504e470d0a1a0a');
  let width = 0;
  let height = 0;
  let channels = 0;
  const idat: Buffer[] = [];
  for (let at = 8; at < data.length; ) {
    const length = data.readUInt32BE(at);
    const type = data.toString('latin1', at + 4, at + 8);
    const body = data.subarray(at + 8, at + 8 + length);
    if (type === 'IHDR') {
      width = body.readUInt32BE(0);
      height = body.readUInt32BE(4);
      expect([body[8], body[12]], 'bit depth 8, not interlaced').toEqual([8, 0]);
      channels = ({ 2: 3, 6: 4 } as Record<number, number>)[body[9]!]!;
      expect(channels, 'RGB or RGBA').toBeDefined();
    }
    if (type === 'IDAT') idat.push(body);
    at += 12 + length;
  }
  const raw = inflateSync(Buffer.concat(idat));
  const stride = width * channels;
  const pixels = Buffer.alloc(stride * height);
  // Undo each row's filter (PNG spec section 9): a = left, b = up, c = up-left.
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)]!;
    for (let x = 0; x < stride; x++) {
      const a = x >= channels ? pixels[y * stride + x - channels]! : 0;
      const b = y > 0 ? pixels[(y - 1) * stride + x]! : 0;
      const c = x >= channels && y > 0 ? pixels[(y - 1) * stride + x - channels]! : 0;
      const p = a + b - c;
      const paeth = Math.abs(p - a) <= Math.abs(p - b) && Math.abs(p - a) <= Math.abs(p - c) ? a : Math.abs(p - b) <= Math.abs(p - c) ? b : c;
      const predictor = [0, a, b, (a + b) >> 1, paeth][filter]!;
      pixels[y * stride + x] = (raw[y * (stride + 1) + 1 + x]! + predictor) & 0xff;
    }
  }
  const count = (test: (r: number, g: number, b: number) => boolean): number => {
    let n = 0;
    for (let i = 0; i < pixels.length; i += channels) if (test(pixels[i]!, pixels[i + 1]!, pixels[i + 2]!)) n++;
    return n;
  };
  return { width, height, count };
}
