/**
 * Random small trees with every fixpoint of the reference evaluator, for
 * properties that compare an analysis with brute force. Trees too large to
 * enumerate are skipped (fc.pre).
 */
import fc from 'fast-check';
import { Session } from '../../src/analysis/session.js';
import type { KconfigDialect } from '../../src/parse/dialect.js';
import { MemorySourceFiles } from '../../src/parse/files.js';
import { enumerateFixpoints } from '../reference/evaluator.js';
import { arbKconfig } from '../reference/random-kconfig.js';
import { breather } from './breather.js';

const MAX_ASSIGNMENTS = 200_000;

export function smallTree(text: string, maxSymbols = 8): { session: Session; fixpoints: Map<string, string>[] } {
  const session = Session.open({ tree: new MemorySourceFiles({ Kconfig: text }) });
  fc.pre(session.model.symbols.filter((x) => x.definitions.length > 0 && !x.ownChoice).length <= maxSymbols);
  let fixpoints: Map<string, string>[] = [];
  try {
    // A fifth of the evaluator's own limit: a tree of 200,000 assignments takes seconds to enumerate,
    // one of a million nearly a minute, past a test's timeout on a loaded machine.
    fixpoints = enumerateFixpoints(session.model, MAX_ASSIGNMENTS);
  } catch {
    fc.pre(false);
  }
  return { session, fixpoints };
}

/**
 * `property` on numRuns random small trees with their fixpoints, yielding to
 * the test runner between trees. `batch` > 0 draws another set of trees (the
 * global seed moved by it): a long property split over several tests, each
 * well inside the test timeout on a loaded machine.
 */
export async function forSmallTrees(property: (tree: ReturnType<typeof smallTree>) => void, numRuns: number, batch = 0): Promise<void> {
  const breathe = breather();
  const seed = fc.readConfigureGlobal().seed;
  await fc.assert(
    fc.asyncProperty(arbKconfig(), async (text) => {
      await breathe();
      property(smallTree(text));
    }),
    { numRuns, ...(batch > 0 && seed !== undefined ? { seed: seed + batch } : {}) },
  );
}

/**
 * A session of several random trees joined in one file (more symbols, and
 * each tree's symbols seen from the others), or undefined when they do not
 * load together: joined trees redefine each other's symbols, now and then
 * with another type.
 */
export function joinedTrees(texts: string[], dialect: KconfigDialect): Session | undefined {
  try {
    return Session.open({ tree: new MemorySourceFiles({ Kconfig: texts.join('\n') }), dialect });
  } catch {
    return undefined;
  }
}
