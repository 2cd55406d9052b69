/**
 * Unified diffs (what `git diff` and `git format-patch` write, or `diff -u`)
 * applied in memory as `git apply` applies them: paths one component deep
 * (`a/`, `b/`), new, deleted and renamed files, every context line matching
 * exactly, a hunk found at its line or the nearest offset where it matches.
 * Nothing is written: the result is the new text of every file touched
 * (null for a file the patches delete). A hunk that does not apply is an
 * error at the patch's line that starts it.
 */
import * as path from 'node:path';
import { KconfsatError } from '../errors.js';

export interface PatchText {
  /** Shown in errors (the patch file's name, or `-` for stdin). */
  name: string;
  text: string;
}

/** File name → new text; null: the file is deleted. */
export type FileChanges = Record<string, string | null>;

export interface AppliedPatches {
  changes: FileChanges;
  /** File name → the 1-based lines of its new text that the patches add (a changed line is removed and added). */
  added: Record<string, number[]>;
}

interface Hunk {
  /** The patch's line of the `@@` header. */
  line: number;
  oldStart: number;
  newStart: number;
  oldLines: string[];
  newLines: string[];
  /** newFrom[k]: the index in oldLines of context line newLines[k]; -1 for a `+` line. */
  newFrom: number[];
  /** `\ No newline at end of file` after the hunk's last old (new) line. */
  oldNoEol: boolean;
  newNoEol: boolean;
}

interface FilePatch {
  line: number;
  /** undefined: a new file. */
  from: string | undefined;
  /** undefined: the file is deleted. */
  to: string | undefined;
  hunks: Hunk[];
}

/** A file as its lines (without their \n) and whether the last one ends with \n; added[k]: a patch added line k. */
interface Lines {
  lines: string[];
  finalEol: boolean;
  added: boolean[];
}

/**
 * Apply the patches in order, each to the result of those before it.
 * `read` gives a file of the tree (undefined when it does not exist).
 * `reverse` undoes each patch instead (git apply -R): the tree is the one
 * the patch leads to.
 */
export function applyPatches(patches: readonly PatchText[], read: (file: string) => string | undefined, options: { reverse?: boolean } = {}): FileChanges {
  return applyPatchesMarking(patches, read, options).changes;
}

/** applyPatches, and which lines of each new text the patches added. */
export function applyPatchesMarking(patches: readonly PatchText[], read: (file: string) => string | undefined, options: { reverse?: boolean } = {}): AppliedPatches {
  const changes: FileChanges = {};
  // The added-line marks of each file patched so far, kept across patches as their lines move.
  const marks = new Map<string, boolean[]>();
  const current = (file: string): string | undefined => (file in changes ? (changes[file] ?? undefined) : read(file));
  for (const patch of patches) {
    const files = options.reverse ? parsePatch(patch).map(reversed) : parsePatch(patch);
    if (files.length === 0) throw new KconfsatError('io', 'no unified diff in the patch', { file: patch.name, line: 1, column: 0 });
    for (const fp of files) {
      const where = { file: patch.name, line: fp.line, column: 0 };
      let before: Lines = { lines: [], finalEol: true, added: [] };
      if (fp.from !== undefined) {
        const text = current(fp.from);
        if (text === undefined) throw new KconfsatError('io', `${fp.from}: no such file in the tree`, where);
        before = splitLines(text);
        before.added = marks.get(fp.from) ?? before.added;
      } else if (fp.to !== undefined && current(fp.to) !== undefined) {
        throw new KconfsatError('io', `${fp.to}: already exists in the tree`, where);
      }
      const after = applyHunks(patch.name, fp, before);
      if (fp.from !== undefined && fp.from !== fp.to) {
        changes[fp.from] = null;
        marks.delete(fp.from);
      }
      if (fp.to !== undefined) {
        changes[fp.to] = joinLines(after);
        marks.set(fp.to, after.added);
      } else if (after.lines.length > 0) throw new KconfsatError('io', `${fp.from}: the deletion leaves lines in the file`, where);
    }
  }
  const added: Record<string, number[]> = {};
  for (const [file, m] of marks) added[file] = m.flatMap((a, k) => (a ? [k + 1] : []));
  return { changes, added };
}

/** The file patch that undoes `fp`. */
function reversed(fp: FilePatch): FilePatch {
  return {
    line: fp.line,
    from: fp.to,
    to: fp.from,
    hunks: fp.hunks.map((h) => ({
      line: h.line,
      oldStart: h.newStart,
      newStart: h.oldStart,
      oldLines: h.newLines,
      newLines: h.oldLines,
      newFrom: undoneFrom(h),
      oldNoEol: h.newNoEol,
      newNoEol: h.oldNoEol,
    })),
  };
}

/** newFrom of the hunk that undoes `h`: where each of its old lines stands among its new ones. */
function undoneFrom(h: Hunk): number[] {
  const from = h.oldLines.map(() => -1);
  h.newFrom.forEach((j, k) => {
    if (j >= 0) from[j] = k;
  });
  return from;
}

function splitLines(text: string): Lines {
  if (text === '') return { lines: [], finalEol: true, added: [] };
  const finalEol = text.endsWith('\n');
  const lines = (finalEol ? text.slice(0, -1) : text).split('\n');
  return { lines, finalEol, added: lines.map(() => false) };
}

function joinLines(l: Lines): string {
  return l.lines.length === 0 ? '' : l.lines.join('\n') + (l.finalEol ? '\n' : '');
}

function applyHunks(patchName: string, fp: FilePatch, before: Lines): Lines {
  const lines = [...before.lines];
  const added = [...before.added];
  let finalEol = before.finalEol;
  // Where the next hunk may start: hunks apply in order and do not overlap.
  let floor = 0;
  // Lines added minus removed by the hunks so far: the next hunk's stated line moved by as much.
  let shift = 0;
  fp.hunks.forEach((h, i) => {
    const stated = Math.max(0, h.oldStart - 1 + shift);
    const at = findHunk(lines, h, stated, floor);
    if (at === undefined) {
      const file = fp.from ?? fp.to!;
      throw new KconfsatError('io', `hunk #${i + 1} does not apply to ${file} (at its line ${h.oldStart})`, {
        file: patchName,
        line: h.line,
        column: 0,
      });
    }
    const reachesEnd = at + h.oldLines.length === lines.length;
    lines.splice(at, h.oldLines.length, ...h.newLines);
    // A context line keeps its mark: a later patch's context may be an earlier one's addition.
    added.splice(at, h.oldLines.length, ...h.newFrom.map((j) => j < 0 || added[at + j]!));
    if (reachesEnd) finalEol = !h.newNoEol;
    floor = at + h.newLines.length;
    shift += h.newLines.length - h.oldLines.length;
  });
  return { lines, finalEol, added };
}

/** The hunk's position: the stated one if its old lines are there, else the nearest one above `floor` where they are. */
function findHunk(lines: string[], h: Hunk, stated: number, floor: number): number | undefined {
  const fits = (at: number): boolean => {
    if (at < floor || at + h.oldLines.length > lines.length) return false;
    // A hunk whose old side ends without a newline must end the file.
    if (h.oldNoEol && at + h.oldLines.length !== lines.length) return false;
    return h.oldLines.every((l, k) => lines[at + k] === l);
  };
  // A hunk without old lines inserts at its stated place (a new file, or an addition without context).
  if (h.oldLines.length === 0) return Math.min(Math.max(stated + (h.oldStart === 0 ? 0 : 1), floor), lines.length);
  // Only places inside the file can fit: a stated line far past its end (a header may say 10^20) starts the
  // search at the last of them, which is the nearest, instead of walking down to it one line at a time.
  const last = lines.length - h.oldLines.length;
  if (last < floor) return undefined;
  const start = Math.min(Math.max(stated, floor), last);
  for (let d = 0; start - d >= floor || start + d <= last; d++) {
    if (fits(start - d)) return start - d;
    if (d > 0 && fits(start + d)) return start + d;
  }
  return undefined;
}

const HUNK_HEADER = /^@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@/;

/** The file patches of one patch text, in order. */
export function parsePatch(patch: PatchText): FilePatch[] {
  // Bytes as they are, as git apply reads them: a CRLF file's lines keep their \r.
  const lines = patch.text.split('\n');
  const out: FilePatch[] = [];
  let i = 0;
  const err = (line: number, message: string): KconfsatError =>
    new KconfsatError('io', message, { file: patch.name, line: line + 1, column: 0 });
  while (i < lines.length) {
    const gitHeader = /^diff --git /.test(lines[i]!);
    const plainHeader = lines[i]!.startsWith('--- ') && lines[i + 1]?.startsWith('+++ ');
    if (!gitHeader && !plainHeader) {
      i++;
      continue;
    }
    const start = i;
    let from: string | undefined;
    let to: string | undefined;
    let created = false;
    let deleted = false;
    if (gitHeader) {
      const names = /^diff --git a\/(.+) b\/(.+)$/.exec(lines[i]!);
      if (names) [from, to] = [names[1]!, names[2]!];
      i++;
      // git's extended header lines, up to the first ---/+++ or hunk or the next file.
      for (; i < lines.length && !/^(--- |@@ |diff --git )/.test(lines[i]!); i++) {
        const l = lines[i]!;
        if (l.startsWith('new file mode')) created = true;
        else if (l.startsWith('deleted file mode')) deleted = true;
        else if (l.startsWith('rename from ')) from = l.slice('rename from '.length);
        else if (l.startsWith('rename to ')) to = l.slice('rename to '.length);
        else if (l.startsWith('Binary files ') || l === 'GIT binary patch') throw err(i, 'binary patches are not supported');
      }
    }
    if (lines[i]?.startsWith('--- ') && lines[i + 1]?.startsWith('+++ ')) {
      const a = diffName(lines[i]!.slice(4));
      const b = diffName(lines[i + 1]!.slice(4));
      if (a === undefined) created = true;
      else from = a;
      if (b === undefined) deleted = true;
      else to = b;
      i += 2;
    }
    if (created) from = undefined;
    if (deleted) to = undefined;
    if (from === undefined && to === undefined) throw err(start, 'a file patch names no file');
    for (const name of [from, to]) if (name !== undefined && !safeName(name)) throw err(start, `${name}: path leads outside the tree`);
    const fp: FilePatch = { line: start + 1, from: from && path.posix.normalize(from), to: to && path.posix.normalize(to), hunks: [] };
    while (i < lines.length && lines[i]!.startsWith('@@ ')) {
      const m = HUNK_HEADER.exec(lines[i]!);
      if (!m) throw err(i, `malformed hunk header: ${lines[i]}`);
      const hunk: Hunk = { line: i + 1, oldStart: Number(m[1]), newStart: Number(m[3]), oldLines: [], newLines: [], newFrom: [], oldNoEol: false, newNoEol: false };
      let oldLeft = m[2] === undefined ? 1 : Number(m[2]);
      let newLeft = m[4] === undefined ? 1 : Number(m[4]);
      let last: 'old' | 'new' | 'both' = 'both';
      for (i++; oldLeft > 0 || newLeft > 0 || lines[i]?.startsWith('\\'); i++) {
        if (i >= lines.length) throw err(hunk.line - 1, 'the patch ends inside a hunk');
        const l = lines[i]!;
        // git apply reads an empty line inside a hunk as an empty context line.
        const tag = l === '' ? ' ' : l[0];
        const body = l.slice(1);
        if (tag === '\\') {
          if (last !== 'new') hunk.oldNoEol = true;
          if (last !== 'old') hunk.newNoEol = true;
        } else if (tag === ' ' && oldLeft > 0 && newLeft > 0) {
          hunk.newFrom.push(hunk.oldLines.length);
          hunk.oldLines.push(body);
          hunk.newLines.push(body);
          oldLeft--;
          newLeft--;
          last = 'both';
        } else if (tag === '-' && oldLeft > 0) {
          hunk.oldLines.push(body);
          oldLeft--;
          last = 'old';
        } else if (tag === '+' && newLeft > 0) {
          hunk.newLines.push(body);
          hunk.newFrom.push(-1);
          newLeft--;
          last = 'new';
        } else throw err(i, 'the hunk has more or fewer lines than its header says');
      }
      fp.hunks.push(hunk);
    }
    out.push(fp);
  }
  return out;
}

/** The name on a ---/+++ line without its prefix (`a/`) and timestamp; undefined for /dev/null. */
function diffName(field: string): string | undefined {
  const name = field.split('\t')[0]!.trim();
  if (name === '/dev/null') return undefined;
  const slash = name.indexOf('/');
  return slash < 0 ? name : name.slice(slash + 1);
}

function safeName(name: string): boolean {
  const n = path.posix.normalize(name);
  return n !== '' && !n.startsWith('/') && n !== '..' && !n.startsWith('../') && !n.includes('\0');
}
