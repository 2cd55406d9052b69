/**
 * Whether a symbol's constraints are the same in two versions of a tree:
 * everything its value is computed from (type, dependencies, prompts,
 * defaults, ranges, the selects and implies of it, its choice), without line
 * numbers. Review and upgrade compare trees with it; the formula re-encodes
 * only the symbols it finds changed (Formula.updated).
 */
import { exprToString, leafToString, sameExpr } from './expr.js';
import type { KconfigModel, KSymbol, Leaf, ModelExpr, ReverseDependency } from './types.js';

/** Which selects and implies of a symbol count (review leaves out those that can never act). */
export type Acts = (r: ReverseDependency) => boolean;

const ALL: Acts = () => true;

/** Two trees give the same text exactly when the symbol's constraints are the same. */
export function symbolSignature(model: KconfigModel, sym: KSymbol, acts: Acts = ALL): string {
  return signatureOf(constraintsOf(model, sym, acts));
}

/** symbolSignature(a) === symbolSignature(b), most often decided without writing either text. */
export function sameConstraints(a: readonly [KconfigModel, KSymbol], b: readonly [KconfigModel, KSymbol], acts: { a: Acts; b: Acts } = { a: ALL, b: ALL }): boolean {
  const was = constraintsOf(a[0], a[1], acts.a);
  const now = constraintsOf(b[0], b[1], acts.b);
  // Equal part by part in writing order is equal text; otherwise the text decides (selects may be listed in another order).
  return samePart(was, now) || signatureOf(was) === signatureOf(now);
}

/** A symbol's constraints: values, expressions, and lists; an `unordered` list is the same in any order. */
type Part = string | boolean | ModelExpr | Leaf | readonly Part[] | { readonly unordered: readonly Part[] };

function constraintsOf(model: KconfigModel, sym: KSymbol, acts: Acts): Part[] {
  const reverse = (list: readonly ReverseDependency[]): Part => ({ unordered: list.filter(acts).map((r) => [r.selector.name, r.condition]) });
  return [
    sym.type,
    sym.definitions.map((d) => [d.kind, d.dependency]),
    sym.prompts.map((p) => p.visibility),
    sym.defaults.map((d) => [d.value, d.condition]),
    sym.ranges.map((r) => [r.low, r.high, r.condition]),
    reverse(sym.selectedBy),
    reverse(sym.impliedBy),
    sym.memberOf?.symbol.name ?? '',
    sym.ownChoice ? [sym.ownChoice.optional, sym.ownChoice.members.map((m) => m.name)] : '',
    model.modules === sym,
    sym.transitional ?? false,
    sym.envVariable ?? '',
  ];
}

function signatureOf(parts: Part[]): string {
  const text = (part: Part): unknown => {
    if (typeof part !== 'object') return part;
    if (isList(part)) return part.map(text);
    if ('unordered' in part) return part.unordered.map((p) => JSON.stringify(text(p))).sort();
    return isLeaf(part) ? leafToString(part) : exprToString(part);
  };
  return JSON.stringify(text(parts));
}

function samePart(a: Part, b: Part): boolean {
  if (typeof a !== 'object' || typeof b !== 'object') return a === b;
  if (isList(a) || isList(b)) return isList(a) && isList(b) && a.length === b.length && a.every((x, i) => samePart(x, b[i]!));
  if ('unordered' in a || 'unordered' in b) return 'unordered' in a && 'unordered' in b && samePart(a.unordered, b.unordered);
  if (isLeaf(a) || isLeaf(b)) return isLeaf(a) && isLeaf(b) && leafToString(a) === leafToString(b);
  return sameExpr(a, b);
}

function isList(part: Part): part is readonly Part[] {
  return Array.isArray(part);
}

function isLeaf(part: Leaf | ModelExpr): part is Leaf {
  return part.kind === 'symbol' || part.kind === 'const' || part.kind === 'input';
}
