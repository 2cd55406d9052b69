/**
 * The cone of influence of some symbols: every symbol whose constraint can
 * affect their values, nearest first (breadth-first over the dependency graph).
 */
import { symbolsOf } from '../model/expr.js';
import type { KconfigModel, KSymbol } from '../model/types.js';

/** The symbols one constraint step away from `sym`: what its value is computed from. */
export function influences(sym: KSymbol): KSymbol[] {
  // One set for every expression: the reverse graph asks this of every symbol of the tree.
  const out = new Set<KSymbol>();
  for (const d of sym.definitions) symbolsOf(d.dependency, out);
  for (const p of sym.prompts) symbolsOf(p.visibility, out);
  for (const d of sym.defaults) symbolsOf(d.value, symbolsOf(d.condition, out));
  for (const r of sym.ranges) symbolsOf(r.condition, out);
  for (const list of [sym.selectedBy, sym.impliedBy]) {
    for (const r of list) {
      out.add(r.selector);
      symbolsOf(r.condition, out);
    }
  }
  for (const r of sym.ranges) {
    if (r.low.kind === 'symbol') out.add(r.low.symbol);
    if (r.high.kind === 'symbol') out.add(r.high.symbol);
  }
  // A member's value depends on its choice's selection, and the choice on all its members.
  if (sym.memberOf) out.add(sym.memberOf.symbol);
  if (sym.ownChoice) for (const m of sym.ownChoice.members) out.add(m);
  out.delete(sym);
  return [...out];
}

export function cone(roots: Iterable<KSymbol>, limit = Infinity): KSymbol[] {
  return breadthFirst(roots, influences, limit);
}

/** The symbols whose values can depend on the roots' (the cone read backwards), nearest first. */
export function dependents(model: KconfigModel, roots: Iterable<KSymbol>, limit = Infinity): KSymbol[] {
  let reverse = reverseInfluences.get(model);
  if (!reverse) {
    reverse = new Map();
    for (const sym of model.symbols) {
      for (const from of influences(sym)) {
        let list = reverse.get(from);
        if (!list) reverse.set(from, (list = []));
        list.push(sym);
      }
    }
    reverseInfluences.set(model, reverse);
  }
  const edges = reverse;
  return breadthFirst(roots, (sym) => edges.get(sym) ?? [], limit);
}

const reverseInfluences = new WeakMap<KconfigModel, Map<KSymbol, KSymbol[]>>();

function breadthFirst(roots: Iterable<KSymbol>, neighbours: (sym: KSymbol) => KSymbol[], limit: number): KSymbol[] {
  const seen = new Set<KSymbol>(roots);
  const order = [...seen];
  for (let i = 0; i < order.length && order.length < limit; i++) {
    for (const next of neighbours(order[i]!)) {
      if (!seen.has(next)) {
        seen.add(next);
        order.push(next);
      }
    }
  }
  return order;
}
