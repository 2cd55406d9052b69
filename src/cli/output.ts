/**
 * Where a command's results go: straight to stdout, stderr and the files, or,
 * on a --timeout worker that may be stopped at any moment, held until the
 * command has finished, so that a stopped run prints nothing and writes
 * nothing but its timeout line.
 */
import { checkTargets, makeOutputDirectory, writeOutputFile, type OutputFile } from '../io/files.js';

export interface HeldOutput {
  stdout: string;
  stderr: string;
  /** One entry per writeOutputFiles call: each batch is refused or written as a whole. */
  writes: OutputBatch[];
}

/** A command's output files, refused together; `directory` is made first when given. */
export interface OutputBatch {
  files: OutputFile[];
  force: boolean;
  directory?: string;
}

let held: HeldOutput | undefined;

/** Where output that is not held goes. */
export interface OutputSink {
  stdout(text: string): void;
  stderr(text: string): void;
}

const PROCESS_SINK: OutputSink = {
  stdout: (text) => void process.stdout.write(text),
  stderr: (text) => void process.stderr.write(text),
};
let sink = PROCESS_SINK;

/** Sends output to `to` instead of the process's stdout and stderr; returns the undoing. */
export function redirectOutput(to: OutputSink): () => void {
  sink = to;
  return () => {
    sink = PROCESS_SINK;
  };
}

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
  else sink.stdout(text);
}

export function writeStderr(text: string): void {
  if (held) held.stderr += text;
  else sink.stderr(text);
}

/** Output files of one command, refused together if one exists and `force` is off. */
export async function writeOutputFiles(batch: OutputBatch): Promise<void> {
  if (held) held.writes.push(batch);
  else await writeBatch(batch);
}

const STOP_SIGNALS = { SIGINT: 2, SIGTERM: 15 } as const;

/**
 * Writes a batch file by file, yielding to the event loop between files so
 * that SIGINT or SIGTERM stop it between two files: never with a temporary
 * file left, and with a line saying how many files are on disk.
 */
async function writeBatch({ files, force, directory }: OutputBatch): Promise<void> {
  if (directory !== undefined) makeOutputDirectory(directory);
  checkTargets(files, force);
  let stoppedBy: keyof typeof STOP_SIGNALS | undefined;
  const stop = (signal: keyof typeof STOP_SIGNALS): void => {
    stoppedBy = signal;
  };
  for (const signal of Object.keys(STOP_SIGNALS) as (keyof typeof STOP_SIGNALS)[]) process.on(signal, stop);
  try {
    for (let i = 0; i < files.length; i++) {
      writeOutputFile(files[i]!, force, { written: i, total: files.length });
      await new Promise((resolve) => setImmediate(resolve));
      if (stoppedBy) {
        const where = directory !== undefined ? ` to ${directory}` : '';
        writeStderr(`kconfsat: interrupted by ${stoppedBy}: ${i + 1} of ${files.length} files written${where}\n`);
        process.exit(128 + STOP_SIGNALS[stoppedBy]);
      }
    }
  } finally {
    for (const signal of Object.keys(STOP_SIGNALS)) process.off(signal, stop);
  }
}

/** Held output, in the order a direct run would have produced it: files first (commands write, then report). */
export async function deliver(out: HeldOutput): Promise<void> {
  for (const batch of out.writes) await writeBatch(batch);
  writeStdout(out.stdout);
  writeStderr(out.stderr);
}
