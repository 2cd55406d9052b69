import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { applyEdit, editSize, unifiedDiff, type SourceEdit } from '../../src/io/patch.js';

const KCONFIG = ['config A', '\tbool "a"', '\tselect B', '\tdefault y', '', 'config B', '\tbool', '\tdepends on C', ''].join('\n');

/** Applies the diff with both tools in a scratch tree and returns the file each produced. */
function applyWithTools(file: string, before: string, diff: string): { git: string; patch: string } {
  const out = { git: '', patch: '' };
  for (const tool of ['git', 'patch'] as const) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kconfsat-patch-'));
    fs.mkdirSync(path.join(dir, path.dirname(file)), { recursive: true });
    fs.writeFileSync(path.join(dir, file), before);
    fs.writeFileSync(path.join(dir, 'fix.patch'), diff);
    if (tool === 'git') execFileSync('git', ['apply', 'fix.patch'], { cwd: dir });
    else execFileSync('patch', ['-p1', '-s', '-i', 'fix.patch'], { cwd: dir });
    out[tool] = fs.readFileSync(path.join(dir, file), 'utf8');
    fs.rmSync(dir, { recursive: true });
  }
  return out;
}

describe('source edits and their patches', () => {
  const replace: SourceEdit = { file: 'drivers/xen/Kconfig', line: 3, deleteCount: 1, insert: ['\tdepends on B'] };
  const insert: SourceEdit = { file: 'drivers/xen/Kconfig', line: 4, deleteCount: 0, insert: ['\tdepends on C'] };

  it('replaces and inserts lines, leaving every other byte alone', () => {
    expect(applyEdit(KCONFIG, replace)).toBe(KCONFIG.replace('\tselect B', '\tdepends on B'));
    expect(applyEdit(KCONFIG, insert)).toBe(KCONFIG.replace('\tselect B\n', '\tselect B\n\tdepends on C\n'));
  });

  it('writes a hunk with three lines of context and exact ranges', () => {
    expect(unifiedDiff(KCONFIG, replace)).toBe(
      [
        'diff --git a/drivers/xen/Kconfig b/drivers/xen/Kconfig',
        '--- a/drivers/xen/Kconfig',
        '+++ b/drivers/xen/Kconfig',
        '@@ -1,6 +1,6 @@',
        ' config A',
        ' \tbool "a"',
        '-\tselect B',
        '+\tdepends on B',
        ' \tdefault y',
        ' ',
        ' config B',
        '',
      ].join('\n'),
    );
  });

  const variants: [string, string][] = [
    ['LF', KCONFIG],
    ['CRLF', KCONFIG.replace(/\n/g, '\r\n')],
    ['no final newline', KCONFIG.slice(0, -1)],
    ['mixed endings', KCONFIG.replace('\tbool "a"\n', '\tbool "a"\r\n')],
  ];
  for (const [name, text] of variants) {
    for (const edit of [replace, insert, { ...insert, line: text.split('\n').length + (text.endsWith('\n') ? 0 : 1) }]) {
      it(`git apply and patch -p1 both produce applyEdit's result (${name}, line ${edit.line})`, () => {
        const expected = applyEdit(text, edit);
        expect(expected).not.toBe(text);
        const got = applyWithTools(edit.file, text, unifiedDiff(text, edit));
        expect(got.git).toBe(expected);
        expect(got.patch).toBe(expected);
      });
    }
  }

  it('keeps CRLF endings on inserted lines', () => {
    const crlf = KCONFIG.replace(/\n/g, '\r\n');
    expect(applyEdit(crlf, insert)).toContain('\tselect B\r\n\tdepends on C\r\n\tdefault y\r\n');
  });

  it('measures an edit by the characters it removes and adds', () => {
    expect(editSize(KCONFIG, replace)).toBe('\tselect B'.length + '\tdepends on B'.length);
    expect(editSize(KCONFIG, insert)).toBe('\tdepends on C'.length);
  });
});
