/**
 * Small constructors and walkers for model expressions. The constructors fold
 * constants (y ∧ e = e, n ∨ e = e) so inherited dependencies stay readable.
 */
import type { KSymbol, Leaf, ModelExpr } from './types.js';

export type LeafExpr = Extract<ModelExpr, { kind: 'leaf' }>;

export const TRUE: ModelExpr = { kind: 'leaf', leaf: { kind: 'const', text: 'y' } };
export const FALSE: ModelExpr = { kind: 'leaf', leaf: { kind: 'const', text: 'n' } };
export const MOD: ModelExpr = { kind: 'leaf', leaf: { kind: 'const', text: 'm' } };

export function leafExpr(leaf: Leaf): ModelExpr {
  return { kind: 'leaf', leaf };
}

export function symbolExpr(symbol: KSymbol): LeafExpr {
  return { kind: 'leaf', leaf: { kind: 'symbol', symbol } };
}

export function isConst(e: ModelExpr, text: string): boolean {
  return e.kind === 'leaf' && e.leaf.kind === 'const' && e.leaf.text === text;
}

export function and(left: ModelExpr, right: ModelExpr): ModelExpr {
  if (isConst(left, 'y')) return right;
  if (isConst(right, 'y')) return left;
  if (isConst(left, 'n') || isConst(right, 'n')) return FALSE;
  return { kind: 'and', left, right };
}

export function or(left: ModelExpr, right: ModelExpr): ModelExpr {
  if (isConst(left, 'n')) return right;
  if (isConst(right, 'n')) return left;
  if (isConst(left, 'y') || isConst(right, 'y')) return TRUE;
  return { kind: 'or', left, right };
}

export function not(operand: ModelExpr): ModelExpr {
  return { kind: 'not', operand };
}

export function andAll(exprs: ModelExpr[]): ModelExpr {
  return pairwise(exprs, and, TRUE);
}

export function orAll(exprs: ModelExpr[]): ModelExpr {
  return pairwise(exprs, or, FALSE);
}

/**
 * Combines neighbours level by level: a list of thousands (10,000 `depends on`
 * lines, 10,000 selects) becomes a tree a few dozen levels deep, which the
 * recursive walks over expressions can afford; up to three operands it is the
 * left fold.
 */
function pairwise(exprs: ModelExpr[], combine: (l: ModelExpr, r: ModelExpr) => ModelExpr, empty: ModelExpr): ModelExpr {
  if (exprs.length === 0) return empty;
  let level = exprs;
  while (level.length > 1) {
    const next: ModelExpr[] = [];
    for (let i = 0; i < level.length; i += 2) next.push(i + 1 < level.length ? combine(level[i]!, level[i + 1]!) : level[i]!);
    level = next;
  }
  return level[0]!;
}

/** The operands of a chain of `&&`, constant y left out. */
export function conjuncts(e: ModelExpr): ModelExpr[] {
  if (e.kind === 'and') return [...conjuncts(e.left), ...conjuncts(e.right)];
  return isConst(e, 'y') ? [] : [e];
}

/** The nodes of an expression that hold no subexpression: leaves and comparisons. */
export type Atom = Extract<ModelExpr, { kind: 'leaf' | 'compare' }>;

/** Calls `visit` on every leaf and comparison, left to right. */
export function forEachAtom(e: ModelExpr, visit: (atom: Atom) => void): void {
  switch (e.kind) {
    case 'not':
      forEachAtom(e.operand, visit);
      return;
    case 'and':
    case 'or':
      forEachAtom(e.left, visit);
      forEachAtom(e.right, visit);
      return;
    default:
      visit(e);
  }
}

/** Calls `visit` on every leaf, comparison operands included. */
export function forEachLeaf(e: ModelExpr, visit: (leaf: Leaf) => void): void {
  forEachAtom(e, (atom) => {
    if (atom.kind === 'leaf') visit(atom.leaf);
    else {
      visit(atom.left);
      visit(atom.right);
    }
  });
}

/** Whether the expression reads a toolchain probe or other macro input. */
export function mentionsInput(e: ModelExpr): boolean {
  let found = false;
  forEachLeaf(e, (leaf) => {
    if (leaf.kind === 'input') found = true;
  });
  return found;
}

/** The symbols an expression reads, added to `out` when given. */
export function symbolsOf(e: ModelExpr, out = new Set<KSymbol>()): Set<KSymbol> {
  forEachLeaf(e, (leaf) => {
    if (leaf.kind === 'symbol') out.add(leaf.symbol);
  });
  return out;
}

export function leafToString(leaf: Leaf): string {
  switch (leaf.kind) {
    case 'symbol':
      return leaf.symbol.name;
    case 'const':
      return leaf.text === 'y' || leaf.text === 'm' || leaf.text === 'n' ? leaf.text : JSON.stringify(leaf.text);
    case 'input':
      return leaf.input.origin;
  }
}

/** The same expression, operand by operand (then exprToString gives both the same text). */
export function sameExpr(a: ModelExpr, b: ModelExpr): boolean {
  if (a === b) return true;
  switch (a.kind) {
    case 'leaf':
      return b.kind === 'leaf' && leafToString(a.leaf) === leafToString(b.leaf);
    case 'compare':
      return b.kind === 'compare' && a.op === b.op && leafToString(a.left) === leafToString(b.left) && leafToString(a.right) === leafToString(b.right);
    case 'not':
      return b.kind === 'not' && sameExpr(a.operand, b.operand);
    case 'and':
    case 'or':
      return b.kind === a.kind && sameExpr(a.left, b.left) && sameExpr(a.right, b.right);
  }
}

const PRECEDENCE = { or: 1, and: 2, not: 3, compare: 4, leaf: 5 } as const;

/** Kconfig syntax for an expression, parenthesised only where needed. */
export function exprToString(e: ModelExpr): string {
  const wrap = (inner: ModelExpr, min: number): string => {
    const s = exprToString(inner);
    return PRECEDENCE[inner.kind] < min ? `(${s})` : s;
  };
  switch (e.kind) {
    case 'leaf':
      return leafToString(e.leaf);
    case 'not':
      return `!${wrap(e.operand, PRECEDENCE.not)}`;
    case 'and':
      return `${wrap(e.left, PRECEDENCE.and)} && ${wrap(e.right, PRECEDENCE.and)}`;
    case 'or':
      return `${wrap(e.left, PRECEDENCE.or)} || ${wrap(e.right, PRECEDENCE.or)}`;
    case 'compare':
      return `${leafToString(e.left)} ${e.op} ${leafToString(e.right)}`;
  }
}
