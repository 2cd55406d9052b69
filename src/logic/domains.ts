/**
 * Finite value domains for int/hex/string symbols and free inputs.
 *
 * Their real domains are infinite, but only a few values can be told apart by
 * the tree: the constants they are compared with, defaulted to or bounded by.
 * Symbols whose values flow into each other (defaults, ranges, comparisons)
 * share one set of such constants; each also gets representatives of the
 * values between those constants (for int/hex) or of "any other string", so a
 * domain covers every value a real configuration can hold.
 */
import { initialValue } from '../parse/dialect.js';
import { forEachAtom } from '../model/expr.js';
import type { Input, KconfigModel, KSymbol, Leaf, ModelExpr } from '../model/types.js';
import { formatNumber, isValidValue, parseCNumber } from '../model/values.js';

/** A symbol or input that holds a string value. */
export type ValueNode = KSymbol | Input;

export interface Domain {
  /** Candidate values, each a concrete string. */
  values: string[];
  /**
   * The candidate that stands for every string none of the domain's
   * constants equals: itself such a string (no placeholder a tree could
   * spell), so a witness can hold it as it is.
   */
  unmentioned: string;
}

export function isValueSymbol(sym: KSymbol): boolean {
  return (sym.type === 'int' || sym.type === 'hex' || sym.type === 'string') && sym.definitions.length > 0;
}

class UnionFind<T> {
  private readonly parent = new Map<T, T>();

  find(x: T): T {
    let root = x;
    for (let p = this.parent.get(root); p !== undefined && p !== root; p = this.parent.get(root)) root = p;
    this.parent.set(x, root);
    return root;
  }

  union(a: T, b: T): void {
    const ra = this.find(a);
    const rb = this.find(b);
    if (ra !== rb) this.parent.set(ra, rb);
  }
}

export class Domains {
  private readonly domainOf = new Map<ValueNode, Domain>();

  /**
   * `extraComparisons` are expressions from outside the tree (queries, wishes)
   * whose comparisons must be told apart too: their constants join the
   * domains like the tree's own.
   */
  constructor(model: KconfigModel, extraComparisons: readonly ModelExpr[] = []) {
    const uf = new UnionFind<ValueNode>();
    const constants = new Map<ValueNode, Set<string>>();
    const nodes: ValueNode[] = [...model.symbols.filter(isValueSymbol), ...model.inputs];
    const addConstant = (node: ValueNode, text: string): void => {
      let set = constants.get(node);
      if (!set) constants.set(node, (set = new Set()));
      set.add(text);
    };
    const relate = (node: ValueNode, leaf: Leaf): void => {
      const other = valueNodeOf(leaf);
      if (other) uf.union(node, other);
      else for (const c of constantsOf(leaf)) addConstant(node, c);
    };
    const relateComparisons = (e: ModelExpr): void => {
      forEachCompare(e, (left, right) => {
        const l = valueNodeOf(left);
        const r = valueNodeOf(right);
        if (l) relate(l, right);
        if (r) relate(r, left);
      });
    };

    for (const e of extraComparisons) relateComparisons(e);
    for (const input of model.inputs) for (const c of ['n', 'm', 'y']) addConstant(input, c);
    // Index loops over every symbol's lists: for-of allocates an iterator result per step until V8
    // optimises the loop, and this runs once per encoding, mostly before it does.
    for (let i = 0; i < model.symbols.length; i++) {
      const sym = model.symbols[i]!;
      const valued = isValueSymbol(sym);
      // the value a symbol has without a default ("" is in every domain already)
      if (valued && initialValue(model.dialect, sym.type) !== '') addConstant(sym, initialValue(model.dialect, sym.type));
      for (let j = 0; j < sym.defaults.length; j++) {
        const d = sym.defaults[j]!;
        if (valued) {
          if (d.value.kind === 'leaf') relate(sym, d.value.leaf);
        } else relateComparisons(d.value);
        relateComparisons(d.condition);
      }
      for (let j = 0; j < sym.ranges.length; j++) {
        const r = sym.ranges[j]!;
        if (valued) {
          relate(sym, r.low);
          relate(sym, r.high);
        }
        relateComparisons(r.condition);
      }
      for (let j = 0; j < sym.prompts.length; j++) relateComparisons(sym.prompts[j]!.visibility);
      for (let j = 0; j < sym.definitions.length; j++) relateComparisons(sym.definitions[j]!.dependency);
      for (let j = 0; j < sym.selects.length; j++) relateComparisons(sym.selects[j]!.condition);
      for (let j = 0; j < sym.implies.length; j++) relateComparisons(sym.implies[j]!.condition);
    }

    const groups = new Map<ValueNode, ValueNode[]>();
    for (const node of nodes) {
      const root = uf.find(node);
      let members = groups.get(root);
      if (!members) groups.set(root, (members = []));
      members.push(node);
    }
    for (const members of groups.values()) {
      const shared = new Set<string>(['']);
      for (const m of members) for (const c of constants.get(m) ?? []) shared.add(c);
      let unmentioned = 'kconfsat-other';
      while (shared.has(unmentioned)) unmentioned += '-';
      const domain: Domain = { values: withRepresentatives(shared, unmentioned, members), unmentioned };
      for (const m of members) this.domainOf.set(m, domain);
    }
  }

  get(node: ValueNode): Domain {
    const d = this.domainOf.get(node);
    if (!d) throw new Error(`no value domain for ${'name' in node ? node.name : node.origin}`);
    return d;
  }

  /**
   * Whether the domains already tell apart everything the expression's
   * comparisons can: each constant compared with a value symbol is one of
   * its candidates, and two value symbols compared share one domain.
   */
  covers(e: ModelExpr): boolean {
    let covered = true;
    forEachCompare(e, (left, right) => {
      const l = valueNodeOf(left);
      const r = valueNodeOf(right);
      if (l && r) covered &&= this.get(l) === this.get(r);
      else if (l || r) {
        // The unmentioned candidate stands for all other strings, so a constant equal to it is not told apart yet.
        const domain = this.get((l ?? r)!);
        covered &&= constantsOf(l ? right : left).every((c) => c !== domain.unmentioned && domain.values.includes(c));
      }
    });
    return covered;
  }

  /** The candidate that stands for a concrete value (itself, or its class representative). */
  classify(node: ValueNode, text: string): string {
    const { values, unmentioned } = this.get(node);
    if (values.includes(text)) return text;
    const type = 'type' in node ? node.type : 'string';
    if (type === 'int' || type === 'hex') {
      const base = type === 'int' ? 10 : 16;
      if (isValidValue(type, text)) return nearestRepresentative(values, parseCNumber(text, base).value, base) ?? unmentioned;
    }
    return unmentioned;
  }
}

function valueNodeOf(leaf: Leaf): ValueNode | undefined {
  return leaf.kind === 'input' ? leaf.input : leaf.kind === 'symbol' && isValueSymbol(leaf.symbol) ? leaf.symbol : undefined;
}

/** The constant strings a leaf that is not a value node can stand for. */
function constantsOf(leaf: Leaf): string[] {
  if (leaf.kind === 'const') return [leaf.text];
  if (leaf.kind === 'symbol') {
    const s = leaf.symbol;
    if (s.type === 'bool' || s.type === 'tristate') return ['n', 'm', 'y'];
    if (s.definitions.length === 0 || s.type === 'unknown') return [s.name];
  }
  return [];
}


/** Every number a constant can be read as, by any of conf's parsers. */
function numericReadings(text: string): bigint[] {
  const out: bigint[] = [];
  for (const base of [0, 10, 16] as const) {
    const n = parseCNumber(text, base);
    if (n.end === text.length && n.end > 0 && !n.overflow) out.push(n.value);
  }
  return out;
}

function withRepresentatives(constants: Set<string>, unmentioned: string, members: ValueNode[]): string[] {
  const values = new Set(constants);
  const types = new Set(members.map((m) => ('type' in m ? m.type : 'string')));
  values.add(unmentioned);
  const bases: (10 | 16)[] = [];
  if (types.has('int')) bases.push(10);
  if (types.has('hex')) bases.push(16);
  if (bases.length > 0) {
    const points = new Set<bigint>([0n]);
    for (const c of constants) for (const n of numericReadings(c)) points.add(n);
    const sorted = [...points].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    const reps = new Set<bigint>(sorted);
    reps.add(sorted[0]! - 1n);
    reps.add(sorted[sorted.length - 1]! + 1n);
    for (let i = 0; i + 1 < sorted.length; i++) if (sorted[i]! + 1n < sorted[i + 1]!) reps.add(sorted[i]! + 1n);
    for (const base of bases) {
      for (const r of reps) if (base === 10 || r >= 0n) values.add(formatNumber(r, base));
    }
  }
  return [...values];
}

/** The representative of the interval between constants that holds `value`. */
function nearestRepresentative(values: string[], value: bigint, base: 10 | 16): string | undefined {
  // Representatives sit just above each constant (and one below the least), so the
  // greatest one at or below the value is in the same interval.
  let below: { v: string; n: bigint } | undefined;
  let least: { v: string; n: bigint } | undefined;
  for (const v of values) {
    if (!isValidValue(base === 10 ? 'int' : 'hex', v)) continue;
    const n = parseCNumber(v, base).value;
    if (n <= value && (!below || n > below.n)) below = { v, n };
    if (!least || n < least.n) least = { v, n };
  }
  return (below ?? least)?.v;
}

function forEachCompare(e: ModelExpr, visit: (left: Leaf, right: Leaf) => void): void {
  forEachAtom(e, (atom) => {
    if (atom.kind === 'compare') visit(atom.left, atom.right);
  });
}
