/**
 * The one place work runs on a worker thread: --timeout, --jobs, audits of
 * every arch and sweeps all come here. A job is a function exported by a
 * module, started in a fresh worker (its memory goes with it), or, for many
 * jobs a few at a time, on a few workers that each run one job after
 * another (mapOnWorkers: a worker's start, imports and solver compile are
 * paid once per lane, and its compiled code stays warm). A job may post
 * messages on the way (progress), and its result or error comes back as
 * data. A user error keeps its kind and location, so the caller can print it
 * as one line. With a deadline the worker is terminated when time is up,
 * however deep in the solver it is: MiniSat cannot be interrupted from inside.
 */
import { parentPort, Worker, workerData } from 'node:worker_threads';
import { KconfsatError, type ErrorKind, type SourceLocation } from '../errors.js';
import { SolverMemoryError } from '../formula/formula.js';
import { mapConcurrent } from './pool.js';

/** `name`, exported by `module` (a file URL), called with `data` on the worker; data and result cross by structured clone. */
export interface Job<D> {
  module: string;
  name: string;
  data: D;
}

/** What a job function receives besides its data: a way to send messages before its result. */
export type Post<M> = (message: M) => void;

export interface WorkerRunOptions<M> {
  /** Messages the job posts before its result. */
  onMessage?: (message: M) => void;
  /** What the job writes to stdout goes to stderr instead (a library's console.log is a diagnostic, never part of an answer). */
  stdoutToStderr?: boolean;
  /** The worker's stack in MB (V8's default otherwise). */
  stackSizeMb?: number;
}

/** setTimeout's limit (2^31 - 1 ms): a longer delay fires at once. */
export const MAX_TIMEOUT_MS = 2 ** 31 - 1;

interface SentError {
  message: string;
  kind?: ErrorKind;
  location?: SourceLocation;
  /** The class of an error the CLI reports as an input too large, made again as it (SolverMemoryError's message: its detail). */
  limitClass?: 'SolverMemoryError' | 'RangeError';
}

type Reply<M, R> = { type: 'message'; message: M } | { type: 'done'; result: R } | { type: 'error'; error: SentError };

const WORKER_MARK = 'kconfsat-worker';

/** The job's result, or undefined when `ms` pass first: the worker is then terminated. */
export async function runOnWorkerWithin<D, R, M = never>(job: Job<D>, ms: number, options: WorkerRunOptions<M> = {}): Promise<R | undefined> {
  return (await reply<R, M>(start({ job }, options), options, ms))?.result;
}

/**
 * `fn` (the name of a function `module` exports) called with each of
 * `items`, `jobs` at a time, each lane one worker thread running its items
 * one after another; results in input order. `onMessage` gets what a job
 * posts, with its item's index.
 *
 *   const rows = await mapOnWorkers(import.meta.url, analyse.name, targets, 2);
 */
export async function mapOnWorkers<D, R, M = never>(
  module: string,
  fn: string,
  items: D[],
  jobs: number,
  onMessage: (message: M, index: number) => void = () => undefined,
): Promise<R[]> {
  const lanes: Worker[] = [];
  try {
    return await mapConcurrent(items, jobs, async (data, index, lane) => {
      const worker = (lanes[lane] ??= start({}, {}));
      worker.postMessage({ module, name: fn, data } satisfies Job<D>);
      return (await reply<R, M>(worker, { onMessage: (m) => onMessage(m, index) }))!.result;
    });
  } finally {
    await Promise.all(lanes.map((w) => w.terminate()));
  }
}

/** A worker running `job`, or (without one) waiting for jobs posted to it. */
function start<D, M>(data: { job?: Job<D> }, options: WorkerRunOptions<M>): Worker {
  const worker = new Worker(new URL(import.meta.url), {
    workerData: { mark: WORKER_MARK, ...data },
    stdout: options.stdoutToStderr === true,
    ...(options.stackSizeMb !== undefined ? { resourceLimits: { stackSizeMb: options.stackSizeMb } } : {}),
  });
  if (options.stdoutToStderr) worker.stdout.pipe(process.stderr, { end: false });
  return worker;
}

/** The worker's answer to its current job, or undefined when `ms` pass first: the worker is then terminated. */
function reply<R, M>(worker: Worker, options: WorkerRunOptions<M>, ms?: number): Promise<{ result: R } | undefined> {
  return new Promise((resolve, reject) => {
    // The first settlement wins; what follows (the exit after a result or a termination) changes nothing.
    const done = (): void => {
      clearTimeout(timer);
      worker.off('message', onReply).off('error', onError).off('exit', onExit);
    };
    const timer =
      ms === undefined
        ? undefined
        : setTimeout(() => {
            done();
            resolve(undefined);
            // A worker blocked in a system call does not stop: unref'd, it cannot hold the process open.
            worker.unref();
            void worker.terminate();
          }, ms);
    const onReply = (r: Reply<M, R>): void => {
      if (r.type === 'message') return options.onMessage?.(r.message);
      done();
      if (r.type === 'done') resolve({ result: r.result });
      else reject(received(r.error));
    };
    const onError = (e: Error): void => {
      done();
      reject(e);
    };
    const onExit = (code: number): void => {
      done();
      reject(new Error(`worker exited with code ${code} before answering`));
    };
    worker.on('message', onReply).on('error', onError).on('exit', onExit);
  });
}

function sent(e: unknown): SentError {
  if (e instanceof KconfsatError) return { message: e.message, kind: e.kind, ...(e.location ? { location: e.location } : {}) };
  // The process's limits: the CLI reports them as an input too large, as it does in its own thread.
  if (e instanceof SolverMemoryError) return { message: e.detail, limitClass: 'SolverMemoryError' };
  if (e instanceof RangeError) return { message: e.message, limitClass: 'RangeError' };
  return { message: e instanceof Error ? e.message : String(e) };
}

function received(e: SentError): Error {
  if (e.limitClass === 'SolverMemoryError') return new SolverMemoryError(e.message);
  if (e.limitClass === 'RangeError') return new RangeError(e.message);
  return e.kind ? new KconfsatError(e.kind, e.message, e.location) : new Error(e.message);
}

// Worker thread entry: this module, started by start(), with its one job or waiting for them.
if (parentPort && (workerData as { mark?: string } | null)?.mark === WORKER_MARK) {
  const port = parentPort;
  const post = (r: Reply<unknown, unknown>): void => port.postMessage(r);
  const run = async (job: Job<unknown>): Promise<void> => {
    try {
      const fn = ((await import(job.module)) as Record<string, (data: unknown, post: Post<unknown>) => unknown>)[job.name];
      if (typeof fn !== 'function') throw new Error(`${job.module} exports no job ${job.name}`);
      post({ type: 'done', result: await fn(job.data, (message) => post({ type: 'message', message })) });
    } catch (e) {
      post({ type: 'error', error: sent(e) });
    }
  };
  const { job } = workerData as { job?: Job<unknown> };
  if (job) void run(job);
  else port.on('message', (next: Job<unknown>) => void run(next));
}
