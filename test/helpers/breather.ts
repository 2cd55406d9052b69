/**
 * Long property tests as async properties that let the event loop run every
 * few cases: minutes of synchronous work keep vitest's worker from answering
 * its runner, which then fails the run on a loaded machine although every
 * test passed (issue 18).
 */
export function breather(every = 5): () => Promise<void> {
  let calls = 0;
  return async () => {
    if (++calls % every === 0) await new Promise((resolve) => setImmediate(resolve));
  };
}
