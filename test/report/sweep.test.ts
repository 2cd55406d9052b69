/**
 * scripts/sweep as a user runs it (dist/, built here if missing): a corpus
 * that cannot be fetched is a row with fetch-corpus's reason and exit 1,
 * the others are analysed, and the CSV and JSON agree; shards merge into
 * the unsharded sweep's rows.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { SweepResult } from '../../scripts/sweep-run.js';
import { ensureBuilt, REPO } from '../cli/run.js';
import { scratchDir } from '../helpers/scratch.js';

const SWEEP = path.join(REPO, 'dist/scripts/sweep.js');

beforeAll(ensureBuilt);
const tmp = scratchDir('sweep');

function sweep(args: string[], manifest: unknown[]) {
  const file = path.join(tmp(), 'manifest.json');
  fs.writeFileSync(file, JSON.stringify(manifest));
  return spawnSync(process.execPath, [SWEEP, ...args], { cwd: REPO, encoding: 'utf8', env: { ...process.env, KCONFSAT_MANIFEST: file }, timeout: 120_000 });
}

const example = {
  name: 'fixed',
  kind: 'bundled',
  path: 'corpora/examples/xen-zone-device/fixed',
  srctree: '.',
  rootKconfig: 'Kconfig',
  arches: ['i386', 'x86_64'],
  srcarch: { i386: 'x86', x86_64: 'x86' },
  env: { srctree: '.', ARCH: '${ARCH}', SRCARCH: '${SRCARCH}' },
  notes: [],
};

describe('scripts/sweep', () => {
  it('analyses what it can, records why the rest could not be, and exits 1', () => {
    const missing = { ...example, name: 'gone', path: 'corpora/examples/no-such-tree' };
    const out = path.join(tmp(), 'out');
    const r = sweep(['--corpus', 'fixed,gone', '--arch', 'i386', '--jobs', '1', '--out-dir', out], [example, missing]);
    expect(r.status).toBe(1);
    const result = JSON.parse(fs.readFileSync(path.join(out, 'sweep.json'), 'utf8')) as SweepResult;
    expect(result.planned).toBe(2);
    expect(result.rows.map((row) => [row.corpus, row.arch, row.findings, row.error])).toEqual([
      ['fixed', 'i386', 0, undefined],
      ['gone', 'i386', undefined, expect.stringMatching(/^gone: bundled corpus directory missing: .*no-such-tree$/)],
    ]);
    const csv = fs.readFileSync(path.join(out, 'sweep.csv'), 'utf8').split('\r\n');
    expect(csv[1]).toMatch(/^fixed,bundled,i386,24,/);
    expect(csv[2]).toMatch(/^gone,-,i386,(,)+gone: bundled corpus directory missing/);
    expect(r.stdout).toContain('gone i386: gone: bundled corpus directory missing');
  });

  it('splits its targets with --shard I/N, and --merge gives the rows of the unsharded sweep, as --jobs 2 does', () => {
    const missing = { ...example, name: 'gone', path: 'corpora/examples/no-such-tree' };
    const args = ['--corpus', 'fixed,gone', '--arch', 'all', '--jobs', '1'];
    // The times are measured, so they differ from run to run; everything else must not.
    const rows = (dir: string) =>
      (JSON.parse(fs.readFileSync(path.join(dir, 'sweep.json'), 'utf8')) as SweepResult).rows.map((row) =>
        Object.fromEntries(Object.entries(row).filter(([k]) => !k.endsWith('Ms'))),
      );
    const whole = path.join(tmp(), 'whole');
    expect(sweep([...args, '--out-dir', whole], [example, missing]).status).toBe(1);
    const shards = [0, 1, 2].map((i) => path.join(tmp(), `shard-${i}`));
    shards.forEach((dir, i) => sweep([...args, '--shard', `${i}/3`, '--out-dir', dir], [example, missing]));
    // Targets fixed i386, fixed x86_64, gone i386, gone x86_64: shard 0 has the first and the last.
    expect(rows(shards[0]!).map((r) => `${r.corpus} ${r.arch}`)).toEqual(['fixed i386', 'gone x86_64']);
    const merged = path.join(tmp(), 'merged');
    const r = sweep(['--merge', '--out-dir', merged, shards[2]!, shards[0]!, shards[1]!], [example]);
    expect(r.status).toBe(1);
    expect(rows(merged)).toEqual(rows(whole));
    expect(rows(whole).map((row) => `${row.corpus} ${row.arch}`)).toEqual(['fixed i386', 'fixed x86_64', 'gone i386', 'gone x86_64']);
    // On two worker threads taking the targets in turn: the same rows.
    const threaded = path.join(tmp(), 'threaded');
    expect(sweep([...args.slice(0, -1), '2', '--out-dir', threaded], [example, missing]).status).toBe(1);
    expect(rows(threaded)).toEqual(rows(whole));
    const missingShard = sweep(['--merge', '--out-dir', path.join(tmp(), 'm2'), shards[0]!, shards[2]!], [example]);
    expect(missingShard.status).toBe(2);
    expect(missingShard.stderr.split('\n')[0]).toBe('sweep: error: shard 1/3 missing: merge needs all 3');
   }, 600_000);

  it('rejects an unknown corpus with the known ones, exit 2', () => {
    const r = sweep(['--corpus', 'nope', '--out-dir', path.join(tmp(), 'x')], [example]);
    expect(r.status).toBe(2);
    expect(r.stderr.split('\n')[0]).toBe('sweep: error: unknown corpus nope (known: fixed)');
  });
});
