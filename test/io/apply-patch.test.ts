/**
 * Patches applied in memory against git itself: every diff is made by git
 * (git diff, git format-patch) from a scratch repository, and the files our
 * applyPatches gives must be byte for byte what the second commit holds.
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { KconfsatError } from '../../src/errors.js';
import { applyPatches, applyPatchesMarking, type FileChanges } from '../../src/io/apply-patch.js';
import { scratchDir } from '../helpers/scratch.js';

const git = (dir: string, ...args: string[]): string =>
  execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@t', '-c', 'core.autocrlf=false', ...args], { cwd: dir, encoding: 'utf8' });

/** Two commits of `before` and `after` (null: absent) and git's diff between them, in the given format. */
function gitDiff(dir: string, before: FileChanges, after: FileChanges, format: 'diff' | 'format-patch' | 'U0'): string {
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  git(dir, 'init', '-q');
  const write = (files: FileChanges): void => {
    for (const [name, text] of Object.entries(files)) {
      const file = path.join(dir, name);
      if (text === null) fs.rmSync(file, { force: true });
      else {
        fs.mkdirSync(path.dirname(file), { recursive: true });
        fs.writeFileSync(file, text);
      }
    }
    git(dir, 'add', '-A');
    git(dir, 'commit', '-q', '--allow-empty', '-m', 'x');
  };
  write(before);
  write(after);
  if (format === 'format-patch') return git(dir, 'format-patch', '--stdout', '-M', 'HEAD~1');
  return git(dir, 'diff', '-M', ...(format === 'U0' ? ['-U0'] : []), 'HEAD~1', 'HEAD');
}

function applied(before: FileChanges, diff: string): FileChanges {
  return applyPatches([{ name: 'x.patch', text: diff }], (f) => before[f] ?? undefined);
}

/** What `after` says about each file the diff touched (files it leaves alone may be left out). */
function expectedChanges(before: FileChanges, after: FileChanges): FileChanges {
  const out: FileChanges = {};
  for (const name of new Set([...Object.keys(before), ...Object.keys(after)])) {
    const was = before[name] ?? null;
    const now = name in after ? after[name]! : was;
    if (was !== now) out[name] = now;
  }
  return out;
}

const KCONFIG = 'config A\n\tbool "a"\n\tselect B\n\tdefault y\n\nconfig B\n\tbool\n\tdepends on C\n';

describe('applyPatches', () => {
  const dir = scratchDir('apply-patch');

  it('applies a git format-patch mail: commit message and signature around the diff', () => {
    const before = { 'drivers/xen/Kconfig': KCONFIG };
    const after = { 'drivers/xen/Kconfig': KCONFIG.replace('\tselect B', '\tdepends on B') };
    const mail = gitDiff(path.join(dir(), 'r'), before, after, 'format-patch');
    expect(mail).toMatch(/^From [0-9a-f]{40}/);
    expect(applied(before, mail)).toEqual(after);
  });

  it('adds, deletes and renames files', () => {
    const before = { Kconfig: 'source "a/Kconfig"\n', 'a/Kconfig': KCONFIG, 'old/Kconfig': KCONFIG + 'config Z\n\tbool\n' };
    const after = { 'a/Kconfig': null, 'b/Kconfig': 'config NEW\n\tbool\n', 'old/Kconfig': null, 'new/Kconfig': KCONFIG + 'config Z\n\tbool\n\n' };
    const diff = gitDiff(path.join(dir(), 'r'), before, after, 'diff');
    expect(diff).toContain('rename from old/Kconfig');
    expect(applied(before, diff)).toEqual(expectedChanges(before, after));
  });

  it('keeps a missing final newline and CRLF line endings as git does', () => {
    const before = { K: 'config A\r\n\tbool\r\n', L: 'config B\n\tbool' };
    const after = { K: 'config A\r\n\tbool\r\n\tdefault y\r\n', L: 'config B\n\ttristate' };
    expect(applied(before, gitDiff(path.join(dir(), 'r'), before, after, 'diff'))).toEqual(after);
  });

  it('finds a hunk moved by lines the patch does not know about, as git apply does', () => {
    const before = { K: KCONFIG };
    const diff = gitDiff(path.join(dir(), 'r'), before, { K: KCONFIG.replace('\tdepends on C', '\tdepends on D') }, 'diff');
    const moved = 'config X\n\tbool\n\n' + KCONFIG;
    expect(applied({ K: moved }, diff)).toEqual({ K: moved.replace('\tdepends on C', '\tdepends on D') });
  });

  it('a hunk stated far past the end of the file is looked for from the end, at once', () => {
    // 10^20 is past 2^53, where one less is the same number: a walk down from it one line at a time never ended.
    const hunk = (at: string, old: string): string => `--- a/K\n+++ b/K\n@@ -${at},2 +${at},2 @@\n config B\n-\t${old}\n+\ttristate\n`;
    expect(applied({ K: KCONFIG }, hunk('99999999999999999999', 'bool'))).toEqual({ K: KCONFIG.replace('config B\n\tbool', 'config B\n\ttristate') });
    expect(() => applied({ K: KCONFIG }, hunk('1000000000000', 'int'))).toThrow('hunk #1 does not apply to K (at its line 1000000000000)');
  });

  it('marks the lines the patches add in the final text, across two patches whose second moves the first one\'s lines', () => {
    const base = 'a\nb\nc\nd\ne\nf\ng\nh\n';
    const one = gitDiff(path.join(dir(), 'r'), { F: base }, { F: base.replace('b\n', 'B\n').replace('g\n', 'g\nG1\nG2\n') }, 'U0');
    const two = gitDiff(path.join(dir(), 'r'), { F: base.replace('b\n', 'B\n').replace('g\n', 'g\nG1\nG2\n') }, { F: 'top\n' + base.replace('b\n', 'B\n').replace('g\n', 'g\nG1\nG2\n').replace('e\n', '') }, 'diff');
    const r = applyPatchesMarking([{ name: '1.patch', text: one }, { name: '2.patch', text: two }], (f) => (f === 'F' ? base : undefined));
    expect(r.changes.F).toBe('top\na\nB\nc\nd\nf\ng\nG1\nG2\nh\n');
    // top (line 1), B (3), G1 and G2 (8, 9): the removed e moves G1 and G2 up by one, top down by one.
    expect(r.added).toEqual({ F: [1, 3, 8, 9] });
  });

  it('says which patch line and hunk does not apply, and to which file', () => {
    const before = { 'drivers/xen/Kconfig': KCONFIG };
    const diff = gitDiff(path.join(dir(), 'r'), before, { 'drivers/xen/Kconfig': KCONFIG.replace('\tselect B', '\tdepends on B') }, 'diff');
    const changed = { 'drivers/xen/Kconfig': KCONFIG.replace('\tselect B', '\tselect Q') };
    let error: unknown;
    try {
      applied(changed, diff);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(KconfsatError);
    expect((error as KconfsatError).format()).toBe('x.patch:5: hunk #1 does not apply to drivers/xen/Kconfig (at its line 1)');
    expect(() => applied({}, diff)).toThrow('drivers/xen/Kconfig: no such file in the tree');
    expect(() => applied(before, 'just some text\n')).toThrow('no unified diff in the patch');
    expect(() => applied(before, '--- a/../x\n+++ b/../x\n@@ -1 +1 @@\n-a\n+b\n')).toThrow('path leads outside the tree');
  });

  it('gives what git commits for random edits of random files, in every diff format, and undoes them reversed', async () => {
    const line = fc.constantFrom('config A', '\tbool', '\tdepends on B', '\tselect C', '', 'endif', '\tdefault y');
    const text = fc.tuple(fc.array(line, { maxLength: 30 }), fc.boolean()).map(([ls, eol]) => ls.join('\n') + (eol && ls.length ? '\n' : ''));
    await fc.assert(
      fc.asyncProperty(text, text, fc.constantFrom('diff' as const, 'format-patch' as const, 'U0' as const), async (a, b, format) => {
        await new Promise((r) => setImmediate(r));
        const before = { 'x/Kconfig': a };
        const after = { 'x/Kconfig': b };
        const diff = gitDiff(path.join(dir(), 'p'), before, after, format);
        if (a === b) return;
        expect(applied(before, diff)).toEqual(after);
        expect(applyPatches([{ name: 'x.patch', text: diff }], (f) => after[f as 'x/Kconfig'], { reverse: true })).toEqual(before);
      }),
      { numRuns: 40, seed: 21 },
    );
  }, 120_000);
});
