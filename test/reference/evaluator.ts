/**
 * Test-only helpers over the conf simulation of src/model/evaluate.ts: whether
 * an assignment is a fixpoint, and every fixpoint of a tiny tree by brute force.
 */
import type { KconfigModel, KSymbol, Leaf, ModelExpr } from '../../src/model/types.js';
import { computedSymbols, evaluateDetailed, type FixpointDiff } from '../../src/model/evaluate.js';
import { isValidValue } from '../../src/model/values.js';

export { computedSymbols, evaluate, evaluateDetailed, unmetSelects, type Evaluation, type FixpointDiff } from '../../src/model/evaluate.js';

/**
 * Whether conf, reading `values` as a .config, writes the same values back.
 * Only symbols conf writes are compared (bool/tristate as n/m/y, others as
 * text); choices are never written, so their modes are not compared.
 */
export function isFixpoint(
  model: KconfigModel,
  values: Map<string, string>,
  inputs?: Map<number, string>,
): { ok: boolean; diffs: FixpointDiff[] } {
  const result = evaluateDetailed(model, asDotConfig(model, values), inputs);
  const diffs: FixpointDiff[] = [];
  for (const name of result.written) {
    const computed = result.values.get(name)!;
    const given = values.get(name);
    if (given !== computed) diffs.push({ symbol: name, given, computed });
  }
  return { ok: diffs.length === 0, diffs };
}

/**
 * Every assignment of the model's (non-choice) symbols, drawn from each
 * symbol's relevant values, that conf leaves unchanged. A symbol conf does
 * not take from the .config (invisible, so its user value is ignored) must
 * hold exactly its computed value, so each valid .config appears once.
 * int/hex/string symbols range only over their relevant texts (empty,
 * defaults, range bounds, constants they are compared with, neighbours of
 * numeric ones); other in-range values of a visible symbol are fixpoints too
 * but are not listed. `limit` bounds the number of assignments tried.
 */
export function enumerateFixpoints(
  model: KconfigModel,
  limit = 1_000_000,
  inputs?: Map<number, string>,
): Map<string, string>[] {
  const syms = computedSymbols(model).filter((s) => !s.ownChoice);
  if (syms.length > 12) throw new Error(`enumerateFixpoints: ${syms.length} symbols, at most 12 supported`);
  const domains = syms.map((s) => candidateValues(model, s, inputs));
  const size = domains.reduce((n, d) => n * d.length, 1);
  if (size > limit) throw new Error(`enumerateFixpoints: ${size} assignments exceed the limit ${limit}`);
  const out: Map<string, string>[] = [];
  const index = syms.map(() => 0);
  for (let k = 0; k < size; k++) {
    const assignment = new Map(syms.map((s, i) => [s.name, domains[i]![index[i]!]!]));
    const result = evaluateDetailed(model, assignment, inputs);
    if (syms.every((s) => result.values.get(s.name) === assignment.get(s.name))) out.push(result.values);
    for (let i = 0; i < index.length; i++) {
      if (++index[i]! < domains[i]!.length) break;
      index[i] = 0;
    }
  }
  return out;
}

/** The relevant texts for an int/hex/string symbol (n/y or n/m/y for bool/tristate). */
export function candidateValues(model: KconfigModel, sym: KSymbol, inputs?: Map<number, string>): string[] {
  if (sym.type === 'bool') return ['n', 'y'];
  if (sym.type === 'tristate') return ['n', 'm', 'y'];
  const compared = comparedConstants(model);
  const out = new Set<string>(['']);
  const inputText = (leaf: Leaf & { kind: 'input' }): string => inputs?.get(leaf.input.id) ?? 'n';
  const visit = (s: KSymbol, seen: Set<KSymbol>): void => {
    if (seen.has(s)) return;
    seen.add(s);
    for (const d of s.defaults) {
      if (d.value.kind !== 'leaf') continue;
      const leaf = d.value.leaf;
      if (leaf.kind === 'const') out.add(leaf.text);
      else if (leaf.kind === 'input') out.add(inputText(leaf));
      else if (leaf.symbol.type === 'bool' || leaf.symbol.type === 'tristate') out.add('n'); // conf's curr.val of a bool
      else if (leaf.symbol.definitions.length === 0 || leaf.symbol.type === 'unknown') out.add(leaf.symbol.name);
      else visit(leaf.symbol, seen);
    }
    for (const r of s.ranges) {
      for (const b of [r.low, r.high]) {
        if (b.kind === 'const') out.add(b.text);
        else if (b.kind === 'symbol' && (b.symbol.definitions.length === 0 || b.symbol.type === 'unknown')) out.add(b.symbol.name);
      }
    }
    for (const c of compared.get(s) ?? []) out.add(c);
  };
  visit(sym, new Set());
  if (sym.type === 'int') {
    for (const t of [...out]) {
      if (/^-?\d+$/.test(t)) for (const d of [-1n, 1n]) out.add((BigInt(t) + d).toString());
    }
    out.add(unmentionedNumber(out, 10));
    return [...out].filter((t) => t === '' || isValidValue('int', t));
  }
  if (sym.type === 'hex') {
    out.add(unmentionedNumber(out, 16));
    return [...out].filter((t) => t === '' || isValidValue('hex', t));
  }
  // A user may type any string: one the tree never mentions stands for them all.
  out.add('reference:unmentioned');
  return [...out];
}

/** A number above every numeric text in `texts` and not next to one, so a user value no constant pins down is tried too. */
function unmentionedNumber(texts: Set<string>, base: 10 | 16): string {
  let top = 0n;
  for (const t of texts) {
    const digits = base === 16 ? t.replace(/^0x/i, '') : t;
    if (!(base === 16 ? /^[0-9a-f]+$/i : /^-?\d+$/).test(digits)) continue;
    const value = BigInt(base === 16 ? `0x${digits}` : digits);
    if (value > top) top = value;
  }
  const fresh = top + 7n;
  return base === 16 ? `0x${fresh.toString(16)}` : fresh.toString();
}

/** For each symbol, the constant texts it is compared with anywhere in the model. */
function comparedConstants(model: KconfigModel): Map<KSymbol, Set<string>> {
  const out = new Map<KSymbol, Set<string>>();
  const constText = (l: Leaf): string | undefined =>
    l.kind === 'const' ? l.text : l.kind === 'symbol' && l.symbol.definitions.length === 0 ? l.symbol.name : undefined;
  const note = (a: Leaf, b: Leaf): void => {
    const t = constText(b);
    if (a.kind !== 'symbol' || t === undefined) return;
    let set = out.get(a.symbol);
    if (!set) out.set(a.symbol, (set = new Set()));
    set.add(t);
  };
  const walk = (e: ModelExpr): void => {
    switch (e.kind) {
      case 'leaf':
        return;
      case 'not':
        return walk(e.operand);
      case 'and':
      case 'or':
        walk(e.left);
        return walk(e.right);
      case 'compare':
        note(e.left, e.right);
        return note(e.right, e.left);
    }
  };
  for (const s of model.symbols) {
    for (const d of s.definitions) walk(d.dependency);
    for (const p of s.prompts) walk(p.visibility);
    for (const d of s.defaults) {
      walk(d.value);
      walk(d.condition);
    }
    for (const r of s.ranges) walk(r.condition);
    for (const r of [...s.selects, ...s.implies]) walk(r.condition);
  }
  return out;
}

/** A full assignment as the .config conf would read: no choices, in model order. */
function asDotConfig(model: KconfigModel, values: Map<string, string>): Map<string, string> {
  const out = new Map<string, string>();
  for (const s of computedSymbols(model)) {
    const v = values.get(s.name);
    if (v !== undefined && !s.ownChoice) out.set(s.name, v);
  }
  return out;
}
