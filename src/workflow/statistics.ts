/**
 * Tree statistics: what one loaded arch of a tree holds (files, symbols by
 * type, choices, undefined references, toolchain inputs), the size of its
 * formula and how long each stage took. The CLI's `info` and scripts/sweep
 * print these.
 */
import type { Session } from '../analysis/session.js';

/** One arch's statistics, as `info --json` prints them. */
export interface TreeStatistics {
  /** null for a tree without arches. */
  arch: string | null;
  files: number;
  /** Defined symbols (choices not counted). */
  symbols: number;
  /** Defined symbols by type. */
  byType: Record<string, number>;
  choices: number;
  /** Symbols referenced but defined nowhere. */
  undefinedReferences: number;
  /** $(shell,...) toolchain probes left free. */
  inputs: number;
  /** The formula's size before any question adds to it. */
  variables: number;
  clauses: number;
  /** The session's stage timings (SessionTimings), rounded. */
  timingsMs: Record<string, number>;
}

/**
 * The statistics of an open session; take them before any analysis, which
 * adds its own gates to the formula.
 *
 *   const { symbols, variables, clauses } = treeStatistics(Session.open({ tree, arch: 'i386' }));
 */
export function treeStatistics(session: Session): TreeStatistics {
  const { model } = session;
  const defined = model.symbols.filter((x) => x.definitions.length > 0 && !x.ownChoice);
  const byType: Record<string, number> = {};
  for (const x of defined) byType[x.type] = (byType[x.type] ?? 0) + 1;
  return {
    arch: session.arch ?? null,
    files: model.files.length,
    symbols: defined.length,
    byType,
    choices: model.choices.length,
    undefinedReferences: model.symbols.filter((x) => x.definitions.length === 0).length,
    inputs: model.inputs.length,
    variables: session.formula.size.variables,
    clauses: session.formula.size.clauses,
    timingsMs: Object.fromEntries(Object.entries(session.timings).map(([k, v]) => [k, Math.round(v)])),
  };
}
