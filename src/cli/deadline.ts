/**
 * --timeout: the whole command (load, encode, solve, write) runs on a worker
 * thread with its output held (output.ts); the main thread only waits. In
 * time, the held output is delivered as if the command had run here; past
 * the deadline the worker is terminated (workflow/worker.ts), however deep in
 * the solver it is, and the answer is "unknown (timeout)" with exit code 3.
 */
import { InvalidArgumentError } from 'commander';
import { MAX_TIMEOUT_MS, runOnWorkerWithin } from '../workflow/worker.js';
import { EXIT } from './context.js';
import { deliver, HoldingOutput, type HeldOutput, type Output } from './output.js';

const MAX_SECONDS = Math.floor(MAX_TIMEOUT_MS / 1000);

/** The --timeout value: seconds, fractions allowed. */
export function parseSeconds(text: string): number {
  const seconds = Number(text);
  if (!/^[0-9.]+$/.test(text) || !(seconds > 0) || seconds > MAX_SECONDS) {
    throw new InvalidArgumentError(`expected seconds, a number above 0 and at most ${MAX_SECONDS}`);
  }
  return seconds;
}

/** What the timeout line names: the command as typed, and the arch. */
export interface CommandContext {
  command: string;
  args: string[];
  arch?: string;
  json: boolean;
}

/** How long a terminated worker may take to stop before the process exits without it. */
const STRAGGLER_GRACE_MS = 500;

interface Finished {
  exitCode: number;
  output: HeldOutput;
}

/** Runs the command line `argv` on a worker; returns its exit code, or EXIT.timeout after `seconds`. */
export async function runWithDeadline(argv: string[], seconds: number, context: CommandContext, output: Output): Promise<number> {
  const finished = await onWorker(argv, seconds);
  if (finished) {
    await deliver(finished.output, output);
    return finished.exitCode;
  }
  // A worker blocked in a system call cannot be terminated; it must not keep the process past its deadline.
  setTimeout(() => process.exit(EXIT.timeout), STRAGGLER_GRACE_MS).unref();
  const where = context.arch !== undefined ? ` on ${context.arch}` : '';
  const answer = { command: context.command, args: context.args, ...(context.arch !== undefined ? { arch: context.arch } : {}), result: 'unknown', reason: 'timeout', seconds };
  output.stdout(context.json ? `${JSON.stringify(answer, null, 2)}\n` : `${[context.command, ...context.args].join(' ')}${where}: unknown (timeout after ${seconds}s)\n`);
  return EXIT.timeout;
}

function onWorker(argv: string[], seconds: number): Promise<Finished | undefined> {
  // The main thread's stack (V8's default, under 1 MB), so that how deep an input may nest does not depend on --timeout.
  return runOnWorkerWithin<string[], Finished>({ module: import.meta.url, name: commandJob.name, data: argv }, seconds * 1000, { stdoutToStderr: true, stackSizeMb: 1 });
}

/** The worker's job: the same command line, run there with its output held. */
export async function commandJob(argv: string[]): Promise<Finished> {
  const output = new HoldingOutput();
  // main.ts imports this module: loaded on demand, not at this one's top level.
  const { runCli } = await import('./main.js');
  const exitCode = await runCli(argv, { output, onWorker: true });
  return { exitCode, output: output.held };
}
