/**
 * --shard I/N: a deterministic split of a run's targets over N processes
 * (GNU parallel, a Slurm array, a Kubernetes Indexed Job: I is 0-based, as
 * $SLURM_ARRAY_TASK_ID with --array=0-(N-1) and $JOB_COMPLETION_INDEX are),
 * and the check that the shards handed to a merge are one whole run.
 *
 * Target k of the full list goes to shard k mod N. Neighbours in a list are
 * alike in cost (one commit's arches, a series of commits in one subsystem,
 * one corpus's arches), so striding spreads a costly stretch over every
 * shard, where contiguous blocks would hand it all to one.
 */
import { KconfsatError } from '../errors.js';

export interface Shard {
  index: number;
  count: number;
}

/** `I/N` with 0 <= I < N; `option` names the flag in the one-line error. */
export function parseShard(text: string, option = '--shard'): Shard {
  const m = /^([0-9]+)\/([0-9]+)$/.exec(text);
  const index = Number(m?.[1]);
  const count = Number(m?.[2]);
  if (!m || count < 1 || index >= count) throw new KconfsatError('usage', `${option} ${text}: expected I/N with 0 <= I < N (I counts from 0)`);
  return { index, count };
}

/** The targets of one shard, in the full list's order. */
export function shardTargets<T>(targets: readonly T[], shard: Shard | undefined): T[] {
  return shard === undefined ? [...targets] : targets.filter((_, k) => k % shard.count === shard.index);
}

/** One input of a merge: its file, its shard, and the full target list it was cut from, as text. */
export interface ShardPart {
  file: string;
  shard?: Shard;
  targets: string;
}

/**
 * The parts in shard order, after checking that they are the N shards of one
 * run, each once: a part of another run, a missing or a repeated shard is a
 * one-line error naming the file.
 */
export function checkShards<P extends ShardPart>(parts: P[]): P[] {
  const first = parts[0];
  if (first === undefined) throw new KconfsatError('usage', 'merge needs at least one file');
  const count = first.shard?.count ?? 1;
  const byIndex = new Map<number, P>();
  for (const part of parts) {
    if (part.targets !== first.targets) throw new KconfsatError('usage', `${part.file}: not a shard of the run ${first.file} is from (their target lists differ)`);
    if ((part.shard?.count ?? 1) !== count) throw new KconfsatError('usage', `${part.file}: ${describe(part.shard)}, but ${first.file} is ${describe(first.shard)}`);
    const index = part.shard?.index ?? 0;
    const seen = byIndex.get(index);
    if (seen) throw new KconfsatError('usage', `${part.file}: ${describe(part.shard)} again (${seen.file} is that shard too)`);
    byIndex.set(index, part);
  }
  const missing = [...Array(count).keys()].filter((i) => !byIndex.has(i));
  if (missing.length > 0) throw new KconfsatError('usage', `shard${missing.length > 1 ? 's' : ''} ${missing.map((i) => `${i}/${count}`).join(', ')} missing: merge needs all ${count}`);
  return [...byIndex.entries()].sort(([a], [b]) => a - b).map(([, p]) => p);
}

const describe = (shard: Shard | undefined): string => (shard ? `shard ${shard.index}/${shard.count}` : 'a whole run');

/**
 * The shards' results back in the full list's order: shard i's j-th result
 * is target i + j*N. `parts` come from checkShards (in shard order); one
 * holding more or fewer results than its targets (a run cut short) is an error.
 */
export function interleave<R>(parts: { file: string; results: R[] }[], total: number): R[] {
  const count = parts.length;
  parts.forEach((part, i) => {
    const expected = shardTargets([...Array(total).keys()], { index: i, count }).length;
    if (part.results.length !== expected) throw new KconfsatError('usage', `${part.file}: ${part.results.length} result(s) for ${expected} target(s): an unfinished run?`);
  });
  return [...Array(total).keys()].map((k) => parts[k % count]!.results[Math.floor(k / count)]!);
}
