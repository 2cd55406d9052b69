/**
 * --timeout: the whole command (load, encode, solve, write) runs on a worker
 * thread with its output held (output.ts); the main thread only waits. In
 * time, the held output is delivered as if the command had run here; past
 * the deadline the worker is terminated (analysis/deadline.ts), however deep in
 * the solver it is, and the answer is "unknown (timeout)" with exit code 3.
 */
import { fileURLToPath } from 'node:url';
import { parentPort, Worker, workerData } from 'node:worker_threads';
import { InvalidArgumentError } from 'commander';
import { firstMessageWithin, MAX_TIMEOUT_MS } from '../analysis/deadline.js';
import { EXIT, print, printJson } from './context.js';
import { deliver, holdOutput, releaseOutput, type HeldOutput } from './output.js';

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

const WORKER_MARK = 'kconfsat-deadline-worker';

/** How long a terminated worker may take to stop before the process exits without it. */
const STRAGGLER_GRACE_MS = 500;

interface Finished {
  exitCode: number;
  output: HeldOutput;
}

/** Runs the command line `argv` on a worker; returns its exit code, or EXIT.timeout after `seconds`. */
export async function runWithDeadline(argv: string[], seconds: number, context: CommandContext): Promise<number> {
  const finished = await onWorker(argv, seconds);
  if (finished) {
    await deliver(finished.output);
    return finished.exitCode;
  }
  // A worker blocked in a system call cannot be terminated; it must not keep the process past its deadline.
  setTimeout(() => process.exit(EXIT.timeout), STRAGGLER_GRACE_MS).unref();
  const where = context.arch !== undefined ? ` on ${context.arch}` : '';
  if (context.json) printJson({ command: context.command, args: context.args, ...(context.arch !== undefined ? { arch: context.arch } : {}), result: 'unknown', reason: 'timeout', seconds });
  else print(`${[context.command, ...context.args].join(' ')}${where}: unknown (timeout after ${seconds}s)`);
  return EXIT.timeout;
}

function onWorker(argv: string[], seconds: number): Promise<Finished | undefined> {
  // The main thread's stack (V8's default, under 1 MB), so that how deep an input may nest does not depend on --timeout.
  const worker = new Worker(fileURLToPath(import.meta.url), { workerData: { mark: WORKER_MARK, argv }, stdout: true, resourceLimits: { stackSizeMb: 1 } });
  // The command's own output is held; what reaches the worker's stdout regardless (a library's
  // console.log, such as MiniSat's out-of-memory note) is a diagnostic: stderr, never mixed into the answer.
  worker.stdout.pipe(process.stderr, { end: false });
  return firstMessageWithin<Finished>(worker, seconds * 1000);
}

// Worker thread entry: the same command line, run here with its output held.
if (parentPort && (workerData as { mark?: string } | null)?.mark === WORKER_MARK) {
  const port = parentPort;
  holdOutput();
  // main.ts imports this module, so it is loaded once this one has finished loading, not awaited at its top level.
  void import('./main.js')
    .then(({ runCli }) => runCli((workerData as { argv: string[] }).argv))
    .then((exitCode) => port.postMessage({ exitCode, output: releaseOutput() } satisfies Finished));
}
