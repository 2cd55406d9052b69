/**
 * Running independent tasks a few at a time (arches on worker threads, conf
 * runs as child processes): results in input order.
 */
export async function mapConcurrent<T, R>(items: T[], limit: number, task: (item: T, index: number, lane: number) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  // After a failure (which rejects the whole) no lane starts another task: the rest would be wasted.
  let failed = false;
  // `lane`: which of the `limit` runs in turn the task is on (mapOnWorkers keeps a worker per lane).
  const lane = async (laneIndex: number): Promise<void> => {
    while (next < items.length && !failed) {
      const i = next++;
      try {
        results[i] = await task(items[i]!, i, laneIndex);
      } catch (e) {
        failed = true;
        throw e;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, (_, laneIndex) => lane(laneIndex)));
  return results;
}
