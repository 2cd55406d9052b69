/**
 * Review as a command asks for it: the arches of a change reviewed one after
 * another, or with `jobs` > 1 each on a worker thread of its own (a fresh
 * worker per arch, so its two sessions' memory goes when the arch is done).
 * The CLI's `review` comes here; analysis/review.ts does the comparing.
 */
import { review, reviewArch, type ArchPair, type ArchReview, type ReviewOptions, type ReviewReport } from '../analysis/review.js';
import { mapConcurrent } from './pool.js';
import { runOnWorker, type Post } from './worker.js';

/** What {@link reviewTree} compares, and how many arches at once. */
export interface TreeReviewOptions extends Omit<ReviewOptions, 'reviewAll'> {
  /** Arches reviewed at once, on worker threads (trees read from disk: a git revision's files stay in this thread). */
  jobs?: number;
}

/**
 *   const report = await reviewTree({ old: { tree }, new: { tree: next }, arches: ['i386', 'x86_64'], jobs: 2 });
 */
export async function reviewTree(options: TreeReviewOptions): Promise<ReviewReport> {
  const { jobs = 1, ...rest } = options;
  const threaded = jobs > 1 && options.arches.length > 1 && typeof options.old.tree === 'string' && typeof options.new.tree === 'string';
  if (!threaded) return review(rest);
  return review({
    ...rest,
    reviewAll: (pairs) =>
      mapConcurrent(pairs, jobs, (pair) =>
        runOnWorker<ArchPair, ArchReview, string>({ module: import.meta.url, name: reviewArchJob.name, data: pair }, { onMessage: options.onProgress ?? (() => undefined) }),
      ),
  });
}

/** reviewArch as a worker job, its progress posted. */
export function reviewArchJob(pair: ArchPair, post: Post<string>): ArchReview {
  return reviewArch(pair, post);
}
