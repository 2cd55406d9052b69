/**
 * Output files from the command line: an existing file is never replaced
 * without --force (one-line error, exit 2, the old file byte-identical), a
 * command's several files are refused together, and --force replaces; the
 * same under --timeout, where the files are written once the command is done.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { scratchDir } from '../helpers/scratch.js';
import { ensureBuilt, expectOneLineError, run } from './run.js';

const FIXED = 'corpora/examples/xen-zone-device/fixed';
const QUERY = ['query', '--tree', FIXED, '--arch', 'x86_64'];
const OLD = Buffer.from('# an older witness, kept\nCONFIG_OLD=y\n\xff\n', 'latin1');

beforeAll(ensureBuilt);
const tmp = scratchDir('output');

function existing(name: string): string {
  const file = path.join(tmp(), name);
  fs.writeFileSync(file, OLD);
  return file;
}

describe.each([[[]], [['--timeout', '60']]])('with %j', (deadline: string[]) => {
  const tag = deadline.length ? 'deadline-' : '';

  it('query --out onto an existing file: exit 2, one line, the file untouched', () => {
    const out = existing(`${tag}witness.config`);
    expectOneLineError(run(...deadline, ...QUERY, '--out', out, 'XEN_UNPOPULATED_ALLOC=y'), `kconfsat: ${out} exists (use --force to overwrite)`);
    expect(fs.readFileSync(out).equals(OLD)).toBe(true);
    expect(fs.readdirSync(tmp()).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('query --out --force replaces it', () => {
    const out = existing(`${tag}forced.config`);
    const r = run(...deadline, '--force', ...QUERY, '--out', out, 'XEN_UNPOPULATED_ALLOC=y');
    expect(r.status).toBe(0);
    expect(fs.readFileSync(out, 'utf8')).toContain('CONFIG_XEN_UNPOPULATED_ALLOC=y\n');
  });

  it('dimacs --out onto an existing file is refused', () => {
    const out = existing(`${tag}formula.cnf`);
    expectOneLineError(run(...deadline, 'dimacs', '--tree', FIXED, '--arch', 'i386', '--out', out), `kconfsat: ${out} exists (use --force to overwrite)`);
    expect(fs.readFileSync(out).equals(OLD)).toBe(true);
  });

  it('sample --out-dir with one config already there writes none of them; --force writes all', () => {
    const dir = path.join(tmp(), `${tag}samples`);
    fs.mkdirSync(dir);
    const second = path.join(dir, 'config-2');
    fs.writeFileSync(second, OLD);
    const args = ['sample', '--tree', FIXED, '--arch', 'x86_64', '-n', '3', '--out-dir', dir];
    expectOneLineError(run(...deadline, ...args), `kconfsat: ${second} exists (use --force to overwrite)`);
    expect(fs.readdirSync(dir)).toEqual(['config-2']);
    expect(fs.readFileSync(second).equals(OLD)).toBe(true);
    expect(run(...deadline, '--force', ...args).status).toBe(0);
    expect(fs.readdirSync(dir)).toEqual(['config-1', 'config-2', 'config-3']);
    expect(fs.readFileSync(second, 'utf8')).toMatch(/^CONFIG_/m);
  });
});
