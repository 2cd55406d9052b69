/**
 * Fix verification as a command asks for it: the findings of every arch
 * fixed (audited on worker threads with `jobs` > 1), each candidate repair
 * verified on every arch of the tree unless told otherwise (a repair must
 * hold everywhere). The CLI's `fix` comes here; analysis/fix.ts does the
 * verifying.
 */
import { fix, type FixOptions, type FixReport } from '../analysis/fix.js';
import { listArchitectures } from '../model/arch.js';
import { openTree } from '../model/load.js';
import { auditArches } from './arches.js';

/** What {@link fixTree} repairs and where it verifies. */
export interface TreeFixOptions extends Omit<FixOptions, 'auditAll'> {
  /** Arches audited at once for findings (worker threads). */
  jobs?: number;
}

/**
 * Verified repairs for the findings of `options.arches`, checked on
 * `options.verifyArches`, by default every arch of the tree (the arches
 * fixed when it has none).
 *
 *   const report = await fixTree({ load: { tree }, arches: ['i386'], jobs: 2 });
 */
export async function fixTree(options: TreeFixOptions): Promise<FixReport> {
  const { jobs, ...rest } = options;
  const all = options.verifyArches === undefined ? listArchitectures(openTree(options.load.tree)) : [];
  return fix({
    ...rest,
    verifyArches: options.verifyArches ?? (all.length ? all : options.arches),
    ...(jobs !== undefined ? { auditAll: (sessions) => auditArches(sessions, { jobs }) } : {}),
  });
}
