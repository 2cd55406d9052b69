/**
 * Answers under a deadline. A SAT query can take longer than anyone will
 * wait, and MiniSat cannot be interrupted from inside: the work runs on a
 * worker thread that is terminated when time is up, so the caller gets the
 * answer or "timed out", never a guess.
 */
import { query, type QueryAnswer, type QueryOptions } from '../analysis/query.js';
import { Session, type SessionOptions } from '../analysis/session.js';
import { KconfsatError } from '../errors.js';
import { MAX_TIMEOUT_MS, runOnWorkerWithin } from './worker.js';

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
  const task: QueryTask = { session, expressions, options: queryOptions };
  const answer = await runOnWorkerWithin<QueryTask, QueryAnswer>({ module: import.meta.url, name: queryJob.name, data: task }, timeoutMs);
  return answer ?? { timedOut: true, timeoutMs };
}

interface QueryTask {
  session: SessionOptions;
  expressions: string[];
  options: QueryOptions;
}

/** queryWithTimeout's worker job. */
export function queryJob(task: QueryTask): QueryAnswer {
  return query(Session.open(task.session), task.expressions, task.options);
}
