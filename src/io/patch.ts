/**
 * Line edits of a source file and their unified diffs. A diff carries the
 * `a/` and `b/` prefixes, so `git apply` and `patch -p1` take it from the
 * tree's root; every byte outside the edited lines (line endings, a missing
 * final newline) stays as it was.
 */

/** Replace `deleteCount` lines from 1-based `line` by `insert` (lines without their ending). */
export interface SourceEdit {
  file: string;
  line: number;
  deleteCount: number;
  insert: string[];
}

const CONTEXT = 3;

interface SplitText {
  /** Lines split at \n only: a CRLF line keeps its \r, so every line comes back byte for byte. */
  lines: string[];
  /** The text ends with a line ending (the usual case). */
  finalEol: boolean;
}

function split(text: string): SplitText {
  const finalEol = text.endsWith('\n');
  const body = finalEol ? text.slice(0, -1) : text;
  return { lines: body === '' && !finalEol ? [] : body.split('\n'), finalEol };
}

function join(s: SplitText, lines: string[]): string {
  return lines.join('\n') + (s.finalEol && lines.length > 0 ? '\n' : '');
}

/** The edit's new lines, with \r added where the file uses CRLF endings. */
function insertedLines(s: SplitText, edit: SourceEdit): string[] {
  const crlf = s.lines.some((l) => l.endsWith('\r'));
  return crlf ? edit.insert.map((l) => `${l}\r`) : edit.insert;
}

export function applyEdit(text: string, edit: SourceEdit): string {
  const s = split(text);
  const lines = [...s.lines];
  lines.splice(edit.line - 1, edit.deleteCount, ...insertedLines(s, edit));
  return join(s, lines);
}

/** Characters removed plus characters added: the size of an edit, for ranking. */
export function editSize(text: string, edit: SourceEdit): number {
  const removed = split(text).lines.slice(edit.line - 1, edit.line - 1 + edit.deleteCount);
  return [...removed.map((l) => l.replace(/\r$/, '')), ...edit.insert].reduce((n, l) => n + l.length, 0);
}

/** A unified diff of one edit (one hunk with three lines of context). */
export function unifiedDiff(text: string, original: SourceEdit): string {
  const s = split(text);
  const edit = endsWithoutNewline(s, original) ? absorbLastLine(s, original) : original;
  const first = Math.max(0, edit.line - 1 - CONTEXT);
  const afterEnd = Math.min(s.lines.length, edit.line - 1 + edit.deleteCount + CONTEXT);
  const before = s.lines.slice(first, edit.line - 1);
  const removed = s.lines.slice(edit.line - 1, edit.line - 1 + edit.deleteCount);
  const after = s.lines.slice(edit.line - 1 + edit.deleteCount, afterEnd);
  const oldCount = before.length + removed.length + after.length;
  const inserted = insertedLines(s, edit);
  const newCount = before.length + inserted.length + after.length;
  // The hunk touches the file's last line: a missing final newline must be said.
  const reachesEnd = afterEnd === s.lines.length && !s.finalEol;
  const out = [
    `diff --git a/${edit.file} b/${edit.file}`,
    `--- a/${edit.file}`,
    `+++ b/${edit.file}`,
    `@@ -${range(first + 1, oldCount)} +${range(first + 1, newCount)} @@`,
  ];
  const noEol = '\\ No newline at end of file';
  const emit = (prefix: string, lines: string[], lastOfSide: boolean): void => {
    lines.forEach((l, i) => {
      out.push(`${prefix}${l}`);
      if (reachesEnd && lastOfSide && i === lines.length - 1) out.push(noEol);
    });
  };
  emit(' ', before, false);
  emit('-', removed, after.length === 0);
  emit('+', inserted, after.length === 0);
  emit(' ', after, true);
  return `${out.join('\n')}\n`;
}

function range(start: number, count: number): string {
  // diff numbers an empty range by the line before it.
  return count === 1 ? `${start}` : `${count === 0 ? start - 1 : start},${count}`;
}

/** Lines added after the last line of a file without a final newline give that line one. */
function endsWithoutNewline(s: SplitText, edit: SourceEdit): boolean {
  return !s.finalEol && edit.deleteCount === 0 && edit.line - 1 === s.lines.length && s.lines.length > 0;
}

/** The same edit, written as a change of the last line, so the diff shows its new line ending. */
function absorbLastLine(s: SplitText, edit: SourceEdit): SourceEdit {
  const last = s.lines[s.lines.length - 1]!;
  return { ...edit, line: edit.line - 1, deleteCount: 1, insert: [last.replace(/\r$/, ''), ...edit.insert] };
}
