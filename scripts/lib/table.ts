/**
 * The scripts' text tables: a header, a rule of dashes under it, and columns
 * as wide as their widest cell; the first `left` columns (names) are
 * left-aligned, the rest (numbers) right-aligned.
 */
export function formatTable(head: string[], rows: string[][], left = head.length): string {
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((row) => (row[i] ?? '').length)));
  const line = (cells: string[]): string =>
    widths
      .map((w, i) => (i < left ? (cells[i] ?? '').padEnd(w) : (cells[i] ?? '').padStart(w)))
      .join('  ')
      .trimEnd();
  return [line(head), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}
