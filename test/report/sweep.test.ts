/**
 * scripts/sweep as a user runs it (dist/, built here if missing): a corpus
 * that cannot be fetched is a row with fetch-corpus's reason and exit 1,
 * the others are analysed, and the CSV and JSON agree.
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
      ['gone', '-', undefined, expect.stringMatching(/^gone: bundled corpus directory missing: .*no-such-tree$/)],
    ]);
    const csv = fs.readFileSync(path.join(out, 'sweep.csv'), 'utf8').split('\r\n');
    expect(csv[1]).toMatch(/^fixed,bundled,i386,24,/);
    expect(csv[2]).toMatch(/^gone,-,-,(,)+gone: bundled corpus directory missing/);
    expect(r.stdout).toContain('gone -: gone: bundled corpus directory missing');
  });

  it('rejects an unknown corpus with the known ones, exit 2', () => {
    const r = sweep(['--corpus', 'nope', '--out-dir', path.join(tmp(), 'x')], [example]);
    expect(r.status).toBe(2);
    expect(r.stderr.split('\n')[0]).toBe('sweep: error: unknown corpus nope (known: fixed)');
  });
});
