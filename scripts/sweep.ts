/**
 * sweep: corpora × arches in one run (see scripts/sweep-run.ts for what each
 * row holds), written to DIR/sweep.csv (the counts) and DIR/sweep.json (the
 * counts, the findings and the dead and always-on symbols' names), each
 * finding's witness to DIR/witnesses/, and printed as a table; scripts/report renders the JSON as an HTML page. A corpus that
 * cannot be fetched or loaded is a row with its reason, not a failed run.
 * Exit status 0 when every target was analysed, 1 otherwise, 2 on bad usage.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { KconfsatError } from '../src/errors.js';
import { fetchCorpus, fetchedVersion, readManifest } from '../src/workflow/reference.js';
import { scriptOptions } from './lib/options.js';
import { corpusTargets, sweep, sweepCsv, SWEEP_COLUMNS, type SweepResult, type SweepRow, type SweepTarget } from './sweep-run.js';
import { formatTable } from './lib/table.js';

const USAGE = `usage: scripts/sweep --corpus LIST|all [options]
  --corpus LIST   comma-separated names from corpora/manifest.json, or all (every tree in it)
  --arch LIST     comma-separated ARCH values, or all (default); corpora without arches have one row
  --confirm       run each finding's witness through conf (Linux trees; builds conf with scripts/build-conf)
  --jobs N        targets analysed at once, each on a worker thread (default 2)
  --out-dir DIR   where sweep.csv, sweep.json and witnesses/ go (default sweep-results)
`;

function fail(message: string): never {
  process.stderr.write(`sweep: error: ${message}\n${USAGE}`);
  process.exit(2);
}

const list = (text: string): string[] => text.split(',').filter(Boolean);

async function main(): Promise<void> {
  const values = scriptOptions('sweep', USAGE, {
    corpus: { type: 'string' },
    arch: { type: 'string', default: 'all' },
    confirm: { type: 'boolean', default: false },
    jobs: { type: 'string', default: '2' },
    'out-dir': { type: 'string', default: 'sweep-results' },
  });
  if (!values.corpus) fail('--corpus is required');
  const jobs = Number(values.jobs);
  if (!Number.isInteger(jobs) || jobs < 1) fail(`--jobs needs a positive integer, got '${values.jobs}'`);
  const manifest = readManifest().filter((c) => c.rootKconfig !== null);
  const names = values.corpus === 'all' ? manifest.filter((c) => c.kind !== 'bundled').map((c) => c.name) : list(values.corpus);
  const unknown = names.filter((n) => !manifest.some((c) => c.name === n));
  if (unknown.length) fail(`unknown corpus ${unknown.join(', ')} (known: ${manifest.map((c) => c.name).join(', ')})`);
  const arches = values.arch === 'all' ? 'all' : list(values.arch);
  const outDir = path.resolve(values['out-dir']);

  const started = new Date();
  const t0 = performance.now();
  const skipped: SweepRow[] = [];
  const targets: SweepTarget[] = [];
  for (const name of names) {
    const corpus = manifest.find((c) => c.name === name)!;
    try {
      const tree = await fetchCorpus(corpus);
      const found = corpusTargets(corpus, tree, fetchedVersion(corpus, tree), arches, values.confirm, outDir);
      if (found.length === 0) skipped.push({ corpus: name, version: '-', arch: '-', error: `none of the arches ${arches} (it has ${corpus.arches.join(', ')})` });
      targets.push(...found);
    } catch (e) {
      if (!(e instanceof KconfsatError)) throw e;
      skipped.push({ corpus: name, version: '-', arch: '-', error: e.format() });
    }
  }
  const result: SweepResult = { started: started.toISOString(), wallMs: 0, jobs, confirm: values.confirm, planned: targets.length + skipped.length, rows: [...skipped] };
  // Written after every target, so a sweep stopped early still leaves what it measured.
  const write = (): void => {
    result.wallMs = Math.round(performance.now() - t0);
    fs.writeFileSync(path.join(outDir, 'sweep.csv'), sweepCsv(result.rows));
    fs.writeFileSync(path.join(outDir, 'sweep.json'), `${JSON.stringify(result, null, 2)}\n`);
  };
  fs.mkdirSync(outDir, { recursive: true });
  write();
  const rows = await sweep(targets, jobs, (row) => {
    result.rows.push(row);
    write();
    const what = row.error ? `error: ${row.error}` : `${row.findings} findings, ${row.variables} variables`;
    process.stderr.write(`sweep: [${result.rows.length - skipped.length}/${targets.length}] ${row.corpus} ${row.arch}: ${what}\n`);
  });
  // In the end, the targets' order rather than the order they finished in.
  result.rows = [...rows, ...skipped];
  write();
  printTable(result);
  process.stderr.write(`sweep: wrote ${path.join(outDir, 'sweep.csv')} and sweep.json (${(result.wallMs / 1000).toFixed(1)} s wall)\n`);
  process.exitCode = result.rows.some((r) => r.error) ? 1 : 0;
}

function printTable(result: SweepResult): void {
  const columns = SWEEP_COLUMNS.filter((c) => c !== 'error' && result.rows.some((r) => r[c] !== undefined));
  const cells = result.rows.map((r) => columns.map((c) => String(r[c] ?? '-')));
  const out = [formatTable(columns, cells, 3)];
  for (const r of result.rows) if (r.error) out.push(`${r.corpus} ${r.arch}: ${r.error}`);
  process.stdout.write(`${out.join('\n')}\n`);
}

await main();
