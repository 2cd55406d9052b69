/**
 * Answers under a deadline. A SAT query can take longer than anyone will
 * wait, and MiniSat cannot be interrupted from inside: the work runs on a
 * worker thread that is terminated when time is up, so the caller gets the
 * answer or "timed out", never a guess.
 */
import { fileURLToPath } from 'node:url';
import { parentPort, Worker, workerData } from 'node:worker_threads';
import { KconfsatError, type ErrorKind, type SourceLocation } from '../errors.js';
import { query, type QueryAnswer, type QueryOptions } from './query.js';
import { Session, type SessionOptions } from './session.js';

/** The first message `worker` posts, or undefined when `ms` pass first (the worker is then terminated). */
export function firstMessageWithin<T>(worker: Worker, ms: number): Promise<T | undefined> {
  return new Promise((resolve, reject) => {
    // The first of these settles the promise; what follows (the exit after a message or a termination) is ignored.
    const timer = setTimeout(() => {
      resolve(undefined);
      // A worker blocked in a system call does not stop: unref'd, it cannot hold the process open.
      worker.unref();
      void worker.terminate();
    }, ms);
    worker.once('message', (m: T) => {
      clearTimeout(timer);
      resolve(m);
    });
    worker.once('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    worker.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`worker exited with code ${code} before answering`));
    });
  });
}

export interface TimedOut {
  timedOut: true;
  timeoutMs: number;
}

export interface QueryWithTimeoutOptions extends QueryOptions {
  timeoutMs: number;
}

/**
 * `query(Session.open(session), expressions)` on a worker thread, given up
 * after `timeoutMs` (loading the tree included). The tree must be a path:
 * in-memory files do not cross to the worker.
 */
export async function queryWithTimeout(session: SessionOptions, expressions: string[], options: QueryWithTimeoutOptions): Promise<QueryAnswer | TimedOut> {
  if (typeof session !== 'object' || session === null || typeof session.tree !== 'string') {
    throw new KconfsatError('usage', 'queryWithTimeout needs the tree as a path (session.tree, a string)');
  }
  if (!Array.isArray(expressions) || !expressions.every((e) => typeof e === 'string')) {
    throw new KconfsatError('usage', 'queryWithTimeout expects the expressions as an array of strings');
  }
  if (typeof options !== 'object' || options === null) throw new KconfsatError('usage', 'queryWithTimeout expects options with timeoutMs');
  const { timeoutMs, ...queryOptions } = options;
  if (typeof timeoutMs !== 'number' || !Number.isFinite(timeoutMs) || timeoutMs <= 0 || timeoutMs > MAX_TIMEOUT_MS) {
    throw new KconfsatError('usage', `timeoutMs must be a number of milliseconds above 0 and at most ${MAX_TIMEOUT_MS}, got ${String(timeoutMs)}`);
  }
  const task: QueryTask = { mark: WORKER_MARK, session, expressions, options: queryOptions };
  const reply = await firstMessageWithin<QueryReply>(new Worker(fileURLToPath(import.meta.url), { workerData: task }), timeoutMs);
  if (!reply) return { timedOut: true, timeoutMs };
  if ('answer' in reply) return reply.answer;
  throw reply.kind ? new KconfsatError(reply.kind, reply.message, reply.location) : new Error(reply.message);
}

const WORKER_MARK = 'kconfsat-query-deadline-worker';

/** setTimeout's limit (2^31 - 1 ms): a longer delay fires at once. */
export const MAX_TIMEOUT_MS = 2 ** 31 - 1;

interface QueryTask {
  mark: typeof WORKER_MARK;
  session: SessionOptions;
  expressions: string[];
  options: QueryOptions;
}

type QueryReply = { answer: QueryAnswer } | { message: string; kind?: ErrorKind; location?: SourceLocation };

// Worker thread entry: the same module, started by queryWithTimeout.
if (parentPort && (workerData as { mark?: string } | null)?.mark === WORKER_MARK) {
  const task = workerData as QueryTask;
  let reply: QueryReply;
  try {
    reply = { answer: query(Session.open(task.session), task.expressions, task.options) };
  } catch (e) {
    // A user error keeps its kind and location, so the caller can print it as one line.
    if (e instanceof KconfsatError) reply = { message: e.message, kind: e.kind, ...(e.location ? { location: e.location } : {}) };
    else reply = { message: e instanceof Error ? e.message : String(e) };
  }
  parentPort.postMessage(reply);
}
