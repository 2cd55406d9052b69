/**
 * Review as a command asks for it: the arches of a change reviewed one after
 * another, or with `jobs` > 1 on that many worker threads, each reviewing
 * one arch after another. The CLI's `review` comes here; analysis/review.ts
 * does the comparing.
 */
import { review, reviewArch, type ArchPair, type ArchReview, type ReviewOptions, type ReviewReport } from '../analysis/review.js';
import { ParseMemo } from '../parse/memo.js';
import { mapOnWorkers, type Post } from './worker.js';

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
    reviewAll: (pairs) => mapOnWorkers<ArchPair, ArchReview, string>(import.meta.url, reviewArchJob.name, pairs, jobs, options.onProgress),
  });
}

/** The parses a worker's reviews share: a worker reviews one arch after another of one change. */
const laneMemo = new ParseMemo();

/** reviewArch as a worker job, its progress posted. */
export function reviewArchJob(pair: ArchPair, post: Post<string>): ArchReview {
  return reviewArch(pair, post, laneMemo);
}
