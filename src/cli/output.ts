/**
 * Where a command's results go: straight to stdout, stderr and the files, or,
 * on a --timeout worker that may be stopped at any moment, held until the
 * command has finished, so that a stopped run prints nothing and writes
 * nothing but its timeout line. The Output is a parameter of every command
 * (GlobalOptions.output), never a setting of this module.
 */
import { checkTargets, makeOutputDirectory, writeOutputFile, type OutputFile } from '../io/files.js';

/** Where a command's stdout, stderr and output files go; every command gets one in its options. */
export interface Output {
  stdout(text: string): void;
  stderr(text: string): void;
  /** Output files of one command, refused together if one exists and `force` is off. */
  writeFiles(batch: OutputBatch): Promise<void>;
}

/** A command's output files, refused together; `directory` is made first when given. */
export interface OutputBatch {
  files: OutputFile[];
  force: boolean;
  directory?: string;
}

/** Straight to this process's stdout, stderr and the files. */
export const directOutput: Output = {
  stdout: (text) => void process.stdout.write(text),
  stderr: (text) => void process.stderr.write(text),
  writeFiles: (batch) => writeBatch(batch),
};

/** What a held run produced, as plain data (it crosses from the worker). */
export interface HeldOutput {
  stdout: string;
  stderr: string;
  /** One entry per writeFiles call: each batch is refused or written as a whole. */
  writes: OutputBatch[];
}

/** Output kept until the command has finished (a --timeout worker may be stopped at any moment). */
export class HoldingOutput implements Output {
  readonly held: HeldOutput = { stdout: '', stderr: '', writes: [] };

  stdout(text: string): void {
    this.held.stdout += text;
  }

  stderr(text: string): void {
    this.held.stderr += text;
  }

  writeFiles(batch: OutputBatch): Promise<void> {
    this.held.writes.push(batch);
    return Promise.resolve();
  }
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
        directOutput.stderr(`kconfsat: interrupted by ${stoppedBy}: ${i + 1} of ${files.length} files written${where}\n`);
        process.exit(128 + STOP_SIGNALS[stoppedBy]);
      }
    }
  } finally {
    for (const signal of Object.keys(STOP_SIGNALS)) process.off(signal, stop);
  }
}

/** Held output, in the order a direct run would have produced it: files first (commands write, then report). */
export async function deliver(held: HeldOutput, to: Output): Promise<void> {
  for (const batch of held.writes) await to.writeFiles(batch);
  to.stdout(held.stdout);
  to.stderr(held.stderr);
}
