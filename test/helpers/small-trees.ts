/**
 * Random small trees with every fixpoint of the reference evaluator, for
 * properties that compare an analysis with brute force. Trees too large to
 * enumerate are skipped (fc.pre).
 */
import fc from 'fast-check';
import { Session } from '../../src/analysis/session.js';
import { MemorySourceFiles } from '../../src/parse/files.js';
import { enumerateFixpoints } from '../reference/evaluator.js';
import { arbKconfig } from '../reference/random-kconfig.js';
import { breather } from './breather.js';

export function smallTree(text: string, maxSymbols = 8): { session: Session; fixpoints: Map<string, string>[] } {
  const session = Session.open({ tree: new MemorySourceFiles({ Kconfig: text }) });
  fc.pre(session.model.symbols.filter((x) => x.definitions.length > 0 && !x.ownChoice).length <= maxSymbols);
  let fixpoints: Map<string, string>[] = [];
  try {
    fixpoints = enumerateFixpoints(session.model);
  } catch {
    fc.pre(false);
  }
  return { session, fixpoints };
}

/** `property` on numRuns random small trees with their fixpoints, yielding to the test runner between trees. */
export async function forSmallTrees(property: (tree: ReturnType<typeof smallTree>) => void, numRuns: number): Promise<void> {
  const breathe = breather();
  await fc.assert(
    fc.asyncProperty(arbKconfig(), async (text) => {
      await breathe();
      property(smallTree(text));
    }),
    { numRuns },
  );
}
