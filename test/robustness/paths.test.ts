/**
 * `source` stays inside the tree root: `..`, absolute paths, `rsource` from a
 * subdirectory, globs and symlinks (to a directory or a file) that lead out
 * are each a one-line error at the `source` line (file:line:col, exit 2)
 * unless --allow-outside-tree; a symlink that stays inside is fine.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MemorySourceFiles, OUTSIDE_ROOT } from '../../src/parse/files.js';
import { ensureBuilt, expectOneLineError, run } from '../cli/run.js';

// Made when the file loads: the cases below name these paths.
const base = fs.mkdtempSync(path.join(os.tmpdir(), 'kconfsat-paths-'));
const tree = path.join(base, 'tree');
const outside = path.join(base, 'outside');

beforeAll(() => {
  ensureBuilt();
  fs.mkdirSync(path.join(tree, 'sub'), { recursive: true });
  fs.mkdirSync(path.join(tree, 'inside'));
  fs.mkdirSync(outside);
  fs.writeFileSync(path.join(outside, 'Kconfig'), 'config SECRET\n\tbool "secret"\n');
  fs.writeFileSync(path.join(tree, 'inside', 'Kconfig'), 'config INSIDE\n\tbool "inside"\n');
  fs.writeFileSync(path.join(tree, '..dots.Kconfig'), 'config DOTS\n\tbool "dots"\n');
  fs.symlinkSync(outside, path.join(tree, 'dirlink'));
  fs.symlinkSync(path.join(outside, 'Kconfig'), path.join(tree, 'filelink.Kconfig'));
  fs.symlinkSync(path.join(tree, 'inside'), path.join(tree, 'goodlink'));
});

afterAll(() => {
  fs.rmSync(base, { recursive: true, force: true });
});

/** A tree whose top-level Kconfig is `text` (and sub/Kconfig `sub`). */
function withKconfig(text: string, sub = ''): void {
  fs.writeFileSync(path.join(tree, 'Kconfig'), text);
  fs.writeFileSync(path.join(tree, 'sub', 'Kconfig'), sub);
}

const PREFIX = 'config A\n\tbool "a"\n\n';

describe('a source that leads out of the tree', () => {
  it.each([
    ['..', `${PREFIX}source "../outside/Kconfig"\n`, '', 'Kconfig:4:1: "../outside/Kconfig"'],
    ['.. inside a block, indented', `${PREFIX}if A\n\tsource "inside/../../outside/Kconfig"\nendif\n`, '', 'Kconfig:5:2: "inside/../../outside/Kconfig"'],
    ['an absolute path', `source "${path.join(outside, 'Kconfig')}"\n`, '', `Kconfig:1:1: "${path.join(outside, 'Kconfig')}"`],
    ['rsource from a subdirectory', 'source "sub/Kconfig"\n', '\nrsource "../../outside/Kconfig"\n', 'sub/Kconfig:2:1: "../outside/Kconfig"'],
    // The pattern is named, never what it matches outside the tree.
    ['a glob', 'source "../outsid?/Kconfig"\n', '', 'Kconfig:1:1: "../outsid?/Kconfig"'],
    ['a symlinked directory', `${PREFIX}source "dirlink/Kconfig"\n`, '', 'Kconfig:4:1: "dirlink/Kconfig"'],
    ['a symlinked file', 'source "filelink.Kconfig"\n', '', 'Kconfig:1:1: "filelink.Kconfig"'],
  ])('%s: one line at the source, exit 2; read with --allow-outside-tree', (_, text, sub, where) => {
    withKconfig(text, sub);
    expectOneLineError(run('--tree', tree, 'query', 'SECRET=y'), `kconfsat: ${where} is outside the tree root`);
    const allowed = run('--allow-outside-tree', '--tree', tree, 'query', 'SECRET=y');
    expect([allowed.status, allowed.stdout.split('\n')[0]]).toEqual([0, 'SECRET=y: yes']);
  });

  it('is refused under --timeout too', () => {
    withKconfig(`${PREFIX}source "dirlink/Kconfig"\n`);
    expectOneLineError(run('--timeout', '60', '--tree', tree, 'query', 'SECRET=y'), 'kconfsat: Kconfig:4:1: "dirlink/Kconfig" is outside the tree root');
  });
});

describe('a source that stays inside', () => {
  it('follows a symlink within the tree without the opt-in', () => {
    withKconfig('source "goodlink/Kconfig"\nsource "sub/../inside/Kconfig"\n');
    const r = run('--tree', tree, 'query', 'INSIDE=y');
    expect([r.status, r.stderr, r.stdout.split('\n')[0]]).toEqual([0, '', 'INSIDE=y: yes']);
  });
});

describe('a name that starts with two dots is not a parent directory', () => {
  it('on disk', () => {
    withKconfig('source "..dots.Kconfig"\n');
    const r = run('--tree', tree, 'query', 'DOTS=y');
    expect([r.status, r.stderr, r.stdout.split('\n')[0]]).toEqual([0, '', 'DOTS=y: yes']);
  });

  it('in memory', () => {
    const files = new MemorySourceFiles({});
    expect(['..dots', 'a/..b', '..', '../x', 'a/../../x', '/etc/x'].map((n) => files.readConfined(n) === OUTSIDE_ROOT)).toEqual([false, false, true, true, true, true]);
  });
});
