/**
 * Minimal diagnoses for a wish: the smallest sets of changes a user must make
 * to an existing .config so that the wish holds in a valid configuration.
 *
 * Only values the user sets count as changes: a symbol whose prompt is
 * visible and whose value differs from what conf would compute from the
 * .config's entry for it (max(min(entry, visibility), selects)). Values that
 * follow (hidden symbols, visible ones clamped or raised by their
 * dependencies and selects) are free. Changes outside the wish's cone of
 * influence can never help, so there every visible symbol keeps its entry;
 * inside it a counter bounds the number of changes, which is raised one at a
 * time, so diagnoses come cardinality-minimal first. Each one found is blocked
 * (with all its supersets), so every later one is subset-minimal too.
 */
import { FALSE, type Lit } from '../formula/formula.js';
import { symbolsOf } from '../model/expr.js';
import type { KSymbol } from '../model/types.js';
import { cone } from './cone.js';
import type { Explanation } from './explain.js';
import { query, resolveExpression, toolchainLiterals } from './query.js';
import type { ConfigEntry, ConfigValues, Session } from './session.js';

export interface Change {
  name: string;
  /** The base .config's value ('n' for a bool/tristate it leaves out). */
  from: string;
  to: string;
}

export interface Diagnosis {
  changes: Change[];
  /** The resulting configuration as conf writes it. */
  config: ConfigEntry[];
}

export interface ResolveResult {
  wishes: string[];
  arch?: string;
  /** Some valid configuration satisfies the wishes at all. */
  satisfiable: boolean;
  /** Cardinality-minimal first, then further subset-minimal ones; [] changes: the base already fits. */
  diagnoses: Diagnosis[];
  /** Every minimal diagnosis with at most `maxChanges` changes is listed (false: `max` cut the list). */
  complete: boolean;
  /** Why no change can help. */
  explanation?: Explanation;
}

export interface ResolveOptions {
  /** Diagnoses to list (default 10). */
  max?: number;
  /** Largest diagnosis looked for (default 12). */
  maxChanges?: number;
  /**
   * A .config conf wrote with the toolchain to keep: the probe results
   * (compiler version, cc-option answers) it records hold in every diagnosis,
   * so conf with that toolchain accepts the result as it is. Default: none
   * (the probes are free).
   */
  toolchain?: ConfigValues;
}

/** One symbol whose value the user sets, and the literal "the user changed it". */
interface Settable {
  sym: KSymbol;
  changed: Lit;
}

export function resolve(session: Session, wishes: string[], base: ConfigValues, options: ResolveOptions = {}): ResolveResult {
  const max = options.max ?? 10;
  const maxChanges = options.maxChanges ?? 12;
  const exprs = wishes.map((text) => resolveExpression(session, text));
  session.formula.coverComparisons([...exprs, ...session.valueComparisons(base), ...(options.toolchain ? session.valueComparisons(options.toolchain) : [])]);
  const wish = [...(options.toolchain ? toolchainLiterals(session, options.toolchain) : []), ...exprs.map((e) => session.formula.holds(e))];
  const result: ResolveResult = { wishes, satisfiable: session.formula.solve(wish) === 'sat', diagnoses: [], complete: true };
  if (session.arch) result.arch = session.arch;
  if (!result.satisfiable) {
    result.explanation = query(session, wishes, options.toolchain ? { toolchain: options.toolchain } : {}).explanation;
    return result;
  }

  const roots = exprs.flatMap((e) => [...symbolsOf(e)]).filter((s) => s.definitions.length > 0);
  const near = new Set(cone(roots));
  const settable = session.model.symbols.flatMap((sym) => {
    const changed = session.formula.changedFrom(sym, base);
    return changed === FALSE ? [] : [{ sym, changed }];
  });
  const inCone = settable.filter((s) => near.has(s.sym));
  // Far from the wish every user value stays: one literal switches that on.
  // Only under keepFar, so they go into the CNF like gate definitions, not as session constraints.
  const keepFar = session.formula.scratch();
  try {
    for (const s of settable) if (!near.has(s.sym)) keepFar.clause([-s.changed]);
    const atLeast = keepFar.atLeast(inCone.map((s) => s.changed), maxChanges + 1);
    const atMost = (k: number): Lit[] => (k < atLeast.length ? [-atLeast[k]!] : []);

    const blocked: Lit[][] = [];
    for (let k = 0; k <= maxChanges && result.diagnoses.length < max; k++) {
      while (result.diagnoses.length < max) {
        if (session.formula.solve([...wish, ...atMost(k)], { clauses: blocked, scratch: keepFar }) !== 'sat') break;
        const made = inCone.filter((s) => session.formula.modelHolds(s.changed));
        result.diagnoses.push(diagnosis(session, made, base));
        if (made.length === 0) return result;
        blocked.push(made.map((s) => -s.changed));
      }
    }
    // A full list may still hide diagnoses beyond it: ask whether one more exists.
    if (result.diagnoses.length >= max) {
      result.complete = session.formula.solve([...wish, ...atMost(maxChanges)], { clauses: blocked, scratch: keepFar }) !== 'sat';
    }
    return result;
  } finally {
    keepFar.release();
  }
}

function diagnosis(session: Session, made: Settable[], base: ConfigValues): Diagnosis {
  const changes = made.map(({ sym }) => ({
    name: sym.name,
    from: base.get(sym.name) ?? session.formula.absentValue(sym),
    to: session.formula.valueOf(sym) ?? '',
  }));
  return { changes, config: session.formula.modelConfig() };
}
