/**
 * Reading `gcc -E` output: which lines of one input file survive preprocessing. Shared by
 * scripts/kbuild-oracle and the cpp tests, which both take gcc as the oracle for #if blocks.
 */

/** The line numbers of `file` that gcc -E keeps non-blank, followed through its `# N "file"` markers. */
export function keptLines(preprocessed: string, file: string): Set<number> {
  const kept = new Set<number>();
  let line = 1;
  let inFile = false;
  for (const l of preprocessed.split('\n')) {
    const marker = /^# (\d+) "([^"]*)"/.exec(l);
    if (marker) {
      line = Number(marker[1]);
      inFile = marker[2] === file;
      continue;
    }
    if (inFile && l.trim() !== '') kept.add(line);
    line++;
  }
  return kept;
}
