/**
 * Where a command's results go: straight to stdout, stderr and the files, or,
 * on a --timeout worker that may be stopped at any moment, held until the
 * command has finished, so that a stopped run prints nothing and writes
 * nothing but its timeout line.
 */
import { writeFilesAtomic, type OutputFile } from '../io/files.js';

export interface HeldOutput {
  stdout: string;
  stderr: string;
  /** One entry per writeOutputFiles call: each batch is refused or written as a whole. */
  writes: { files: OutputFile[]; force: boolean }[];
}

let held: HeldOutput | undefined;

export function holdOutput(): void {
  held = { stdout: '', stderr: '', writes: [] };
}

/** What was held since holdOutput(); from then on output goes straight out again. */
export function releaseOutput(): HeldOutput {
  const out = held ?? { stdout: '', stderr: '', writes: [] };
  held = undefined;
  return out;
}

export function writeStdout(text: string): void {
  if (held) held.stdout += text;
  else process.stdout.write(text);
}

export function writeStderr(text: string): void {
  if (held) held.stderr += text;
  else process.stderr.write(text);
}

/** Output files of one command, refused together if one exists and `force` is off. */
export function writeOutputFiles(files: OutputFile[], force: boolean): void {
  if (held) held.writes.push({ files, force });
  else writeFilesAtomic(files, { force });
}

/** Held output, in the order a direct run would have produced it: files first (commands write, then report). */
export function deliver(out: HeldOutput): void {
  for (const w of out.writes) writeFilesAtomic(w.files, { force: w.force });
  writeStdout(out.stdout);
  writeStderr(out.stderr);
}
