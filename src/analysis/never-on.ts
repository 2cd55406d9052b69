/**
 * The bool and tristate symbols that no configuration turns on, read from
 * the model alone, without encoding it: a symbol on an arch whose tree never
 * enables what it depends on (Xen's options on alpha, say).
 *
 * conf bounds every source of a bool or tristate value by the symbol's
 * direct dependency (a prompt's visibility, a default's condition and an
 * imply all include it) except a select. So a symbol is never on when each
 * of its definitions' dependencies and each select of it is off whatever
 * the other symbols are: an expression is off when it is `n`, an undefined
 * symbol, a symbol never on, or a conjunction with such an operand, or a
 * disjunction of such. Negations and comparisons count as possibly on.
 * This is the least fixpoint from "everything off", which is what conf
 * computes when no dependency is recursive; a tree whose recursive
 * dependencies were only warned about gets no symbol (see {@link neverOn}).
 */
import { dependencyOrder } from '../model/cycles.js';
import type { KconfigModel, KSymbol, Leaf, ModelExpr, ReverseDependency } from '../model/types.js';

export interface NeverOn {
  /** The bool and tristate symbols that are n in every configuration. */
  readonly symbols: ReadonlySet<KSymbol>;
  /** Whether a select or imply can ever act: its selector and its condition can both be on. */
  acts(r: ReverseDependency): boolean;
}

/** `recursive`: the tree has recursive dependencies (loaded with them only warned about); then no symbol is claimed. */
export function neverOn(model: KconfigModel, recursive = false): NeverOn {
  const on = new Set<KSymbol>();
  const mayBeOn = (e: ModelExpr): boolean => {
    switch (e.kind) {
      case 'leaf':
        return leafMayBeOn(e.leaf, on);
      case 'and':
        return mayBeOn(e.left) && mayBeOn(e.right);
      case 'or':
        return mayBeOn(e.left) || mayBeOn(e.right);
      default:
        return true;
    }
  };
  const acts = (r: ReverseDependency): boolean => on.has(r.selector) && mayBeOn(r.condition);
  const candidate = (s: KSymbol): boolean => s.definitions.length > 0 && (s.type === 'bool' || s.type === 'tristate');
  // In dependency order (each symbol after what it reads, the recursive-dependency check's own order) one pass
  // settles nearly all; definition order took several on Linux. Any order reaches the same fixpoint.
  const candidates = (dependencyOrder(model) ?? model.symbols).filter(candidate);
  if (recursive) for (const s of candidates) on.add(s);
  const turnsOn = (s: KSymbol): boolean =>
    s.transitional === true || s.envVariable !== undefined || s.definitions.some((d) => mayBeOn(d.dependency)) || s.selectedBy.some(acts);
  // Passes until one turns no symbol on (a worklist over who names whom cost more on Linux).
  let off = recursive ? [] : candidates;
  for (let changed = true; changed; ) {
    changed = false;
    off = off.filter((s) => {
      if (!turnsOn(s)) return true;
      on.add(s);
      changed = true;
      return false;
    });
  }
  return { symbols: new Set(off), acts };
}

function leafMayBeOn(leaf: Leaf, on: ReadonlySet<KSymbol>): boolean {
  if (leaf.kind === 'const') return leaf.text === 'y' || leaf.text === 'm';
  // A macro's result can name any symbol.
  if (leaf.kind === 'input') return true;
  const s = leaf.symbol;
  if (s.definitions.length === 0) return false;
  return s.type === 'bool' || s.type === 'tristate' ? on.has(s) : true;
}
