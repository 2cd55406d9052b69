/**
 * Model → CNF. The formula's models are exactly the fixpoints of conf's value
 * computation (sym_calc_value): for each symbol, the value it holds equals the
 * value conf computes from the others, with the .config's value as the user
 * value of every visible symbol. See docs/design.md.
 */
import type { Choice, CompareOp, KconfigModel, KSymbol, Leaf, ModelExpr } from '../model/types.js';
import { Cnf, FALSE, TRUE, type Lit, type VariableNamer } from './cnf.js';
import { Domains, isValueSymbol, type ValueNode } from './domains.js';
import { PAIR_N, PAIR_Y, pairConst, TristateLogic, type Pair } from './tristate.js';
import { ORDER_CHAIN_MIN_PAIRS, OrderChain } from './order.js';
import { compareValues, constantType, isValidValue, orderKey, rangeNumber, type OperandType } from '../model/values.js';
import { hasRules, initialValue } from '../parse/dialect.js';
import { sameConstraints } from '../model/signature.js';

export interface EncodeOptions {
  /**
   * Guard each symbol's constraints with a selector literal (clause ∨ ¬s), so
   * explanations can switch whole symbols off under assumptions.
   */
  groupSelectors?: boolean;
  /** Expressions from outside the tree whose comparisons the value domains must tell apart (Domains). */
  extraComparisons?: readonly ModelExpr[];
  /** Pairs above which comparisons and ranges go through order chains (ORDER_CHAIN_MIN_PAIRS; tests lower it). */
  orderChainMinPairs?: number;
}

/** Value of a leaf as a one-hot map: candidate string → literal. */
type ValueLits = Map<string, Lit>;

/** A tristate as lists of disjuncts: ≥m iff any of `m`, =y iff any of `y`. */
interface Terms {
  m: Lit[];
  y: Lit[];
}

/** A symbol replaced by a fixed pair while encoding (the choice at y). */
interface Substitution {
  symbol: KSymbol;
  pair: Pair;
}

/** Conditions taken in order, as conf takes the first default (range) whose condition holds. */
class FirstHolding {
  private earlier: Lit = FALSE;

  constructor(private readonly cnf: Cnf) {}

  /** "`cond` holds and no earlier condition did"; `cond` then counts as earlier. */
  next(cond: Lit): Lit {
    const first = this.cnf.and2(-this.earlier, cond);
    this.earlier = this.cnf.or2(this.earlier, cond);
    return first;
  }

  /** Whether some condition so far holds. */
  get any(): Lit {
    return this.earlier;
  }
}

export class Encoding implements VariableNamer {
  readonly cnf: Cnf;
  readonly logic: TristateLogic;
  readonly domains: Domains;
  /** Literal for "MODULES = y"; FALSE when the tree has no modules symbol. */
  readonly modulesOn: Lit;
  /** Per-symbol group selectors (with `groupSelectors`). */
  readonly selectors = new Map<KSymbol, Lit>();
  private readonly pairs = new Map<KSymbol, Pair>();
  /** 6.12's conf: reworked choices, user values clamped to ranges rather than dropped. */
  private readonly rework: boolean;
  private readonly values = new Map<ValueNode, ValueLits>();
  private readonly exprCache = new Map<ModelExpr, Pair>();
  /** Added to each clause of the symbol being constrained: its selector negated, FALSE (left out) without selectors. */
  private groupOff: Lit = FALSE;

  /** With `previous`, the encoding Encoding.update makes: see there. */
  constructor(
    readonly model: KconfigModel,
    readonly options: EncodeOptions = {},
    previous?: { encoding: Encoding; domains: Domains; changed: readonly KSymbol[] },
  ) {
    if (previous) {
      const was = previous.encoding;
      this.rework = was.rework;
      this.cnf = was.cnf;
      this.logic = was.logic;
      this.domains = previous.domains;
      this.modulesOn = was.modulesOn;
      // The CNF names its variables through this encoding now: the old one, and its model, can go.
      this.cnf.nameLater(this, was);
      const changed = new Set(previous.changed);
      // The same variables by symbol id: update() checked that the ids name the same symbols, of the same types and domains.
      model.symbols.forEach((sym, i) => {
        const old = was.model.symbols[i]!;
        const pair = was.pairs.get(old);
        if (pair) this.pairs.set(sym, pair);
        const values = was.values.get(old);
        if (values) this.values.set(sym, values);
        const selector = was.selectors.get(old);
        if (selector !== undefined && !changed.has(sym)) this.selectors.set(sym, selector);
      });
      model.inputs.forEach((input, i) => this.values.set(input, was.values.get(was.model.inputs[i]!)!));
      for (const sym of previous.changed) this.constrain(sym);
      return;
    }
    // Linux needs about 52 literals, 13.5 clauses, 5 variables and 2 two-input gates per symbol.
    const n = model.symbols.length;
    this.rework = hasRules(model.dialect, '6.12');
    this.cnf = new Cnf({ literals: 64 * n, clauses: 16 * n, vars: 6 * n, gates2: 2.5 * n });
    this.logic = new TristateLogic(this.cnf);
    this.domains = new Domains(model, options.extraComparisons);
    this.cnf.nameLater(this);
    // forEach over the symbols: for-of would allocate an iterator result per symbol in code not yet optimised.
    model.symbols.forEach((sym) => {
      // A symbol's own variables' clauses (y → m, one value) are its own: a question about other symbols can leave them out.
      this.cnf.owner = sym.id;
      this.declare(sym);
    });
    this.cnf.owner = -1;
    for (const input of model.inputs) this.declareValues(input);
    const modules = model.modules;
    this.modulesOn = modules && this.pairs.has(modules) ? this.pairs.get(modules)!.y : FALSE;
    model.symbols.forEach((sym) => {
      const pair = this.pairs.get(sym);
      // A tristate can only be m while MODULES is y.
      this.cnf.owner = sym.id;
      if (pair && pair.m !== pair.y) this.cnf.clauseOf(-pair.m, pair.y, this.modulesOn);
    });
    this.cnf.owner = -1;
    model.symbols.forEach((sym) => this.constrain(sym));
  }

  /**
   * The encoding of `model`, a later version of this encoding's model, in the
   * same CNF: every symbol keeps its variables, and the symbols whose
   * constraints changed (model/signature.ts; a choice too when one of its
   * members changed, since its group reads their prompts) are constrained
   * again under new group selectors. `replaced` holds their old selectors:
   * the old groups are in force until those are false. Undefined when the
   * models differ in more than constraints (a symbol added, removed or
   * retyped, another MODULES, dialect, input or value domain) or questions
   * widened the domains.
   */
  update(model: KconfigModel): { encoding: Encoding; changed: KSymbol[]; replaced: Lit[] } | undefined {
    const was = this.model;
    if (!this.options.groupSelectors || (this.options.extraComparisons?.length ?? 0) > 0) return undefined;
    const list = regroupedSymbols(was, model);
    if (!list) return undefined;
    const domains = new Domains(model);
    const sameDomain = (a: ValueNode, b: ValueNode): boolean => {
      const x = this.domains.get(a);
      const y = domains.get(b);
      return x.unmentioned === y.unmentioned && x.values.length === y.values.length && x.values.every((v, i) => v === y.values[i]);
    };
    for (let i = 0; i < model.symbols.length; i++) if (isValueSymbol(model.symbols[i]!) && !sameDomain(was.symbols[i]!, model.symbols[i]!)) return undefined;
    if (model.inputs.some((input, i) => !sameDomain(was.inputs[i]!, input))) return undefined;
    const encoding = new Encoding(model, this.options, { encoding: this, domains, changed: list });
    return { encoding, changed: list, replaced: list.flatMap((sym) => this.selectors.get(was.symbols[sym.id]!) ?? []) };
  }

  /** The (≥m, =y) pair of a bool, tristate or choice symbol; undefined for other symbols. */
  pairOf(sym: KSymbol): Pair | undefined {
    return this.pairs.get(sym);
  }

  /** One-hot value literals of an int/hex/string symbol or an input. */
  valuesOf(node: ValueNode): ValueLits | undefined {
    return this.values.get(node);
  }

  /** Prompt visibility as conf's sym_calc_visibility computes it (m promoted where m counts as y). */
  promptVisibility(sym: KSymbol): Pair {
    return this.visibility(sym);
  }

  /**
   * The value conf gives a visible bool/tristate symbol (not a choice member)
   * whose .config entry reads `input`: max(min(input, vis), rev), with m
   * promoted where m counts as y. Diagnoses compare it with a model's value to
   * tell a change the user must make from one that follows from others.
   */
  userValue(sym: KSymbol, input: Pair): Pair {
    const rev = this.sum(this.reverseTerms(sym, 'selectedBy'));
    return this.logic.promote(this.logic.max(this.logic.min(input, this.visibility(sym)), rev), this.boolLike(sym));
  }

  /** The tristate value of an expression as a pair of literals. */
  expr(e: ModelExpr, subst?: Substitution): Pair {
    // A leaf's pair is a lookup already: caching it would only grow the cache.
    if (e.kind === 'leaf') return this.leafPair(e.leaf, subst);
    if (!subst) {
      const cached = this.exprCache.get(e);
      if (cached) return cached;
    }
    let result: Pair;
    switch (e.kind) {
      case 'not':
        result = this.logic.not(this.expr(e.operand, subst));
        break;
      case 'and':
        result = this.logic.min(this.expr(e.left, subst), this.expr(e.right, subst));
        break;
      case 'or':
        result = this.logic.max(this.expr(e.left, subst), this.expr(e.right, subst));
        break;
      case 'compare':
        result = this.logic.fromBool(this.compare(e.op, e.left, e.right, subst));
        break;
    }
    if (!subst) this.exprCache.set(e, result);
    return result;
  }

  private declare(sym: KSymbol): void {
    if (sym.definitions.length === 0) return;
    if (sym.type === 'bool') {
      const v = this.cnf.newVar();
      this.pairs.set(sym, { m: v, y: v });
    } else if (sym.type === 'tristate') {
      const m = this.cnf.newVar();
      const y = this.cnf.newVar();
      this.cnf.implies(y, m);
      this.pairs.set(sym, { m, y });
    } else if (isValueSymbol(sym)) {
      this.declareValues(sym);
    }
  }

  private declareValues(node: ValueNode): void {
    const lits: ValueLits = new Map();
    for (const value of this.domains.get(node).values) lits.set(value, this.cnf.newVar());
    this.cnf.exactlyOne([...lits.values()]);
    this.values.set(node, lits);
  }

  /** The names of the variables declare() and constrain() make, for DIMACS export (through Cnf.nameLater). */
  *variableNames(): Generator<[number, string]> {
    const valueNames = function* (lits: ValueLits, name: string): Generator<[number, string]> {
      for (const [value, lit] of lits) yield [lit, `${name}=${JSON.stringify(value)}`];
    };
    for (const sym of this.model.symbols) {
      const pair = this.pairs.get(sym);
      if (pair && pair.m !== pair.y) yield [pair.m, `${sym.name}>=m`];
      if (pair) yield [pair.y, `${sym.name}=y`];
      const values = this.values.get(sym);
      if (values) yield* valueNames(values, sym.name);
      const selector = this.selectors.get(sym);
      if (selector !== undefined) yield [selector, `group:${sym.name}`];
    }
    for (const input of this.model.inputs) yield* valueNames(this.values.get(input)!, `$input${input.id}`);
  }

  private leafPair(leaf: Leaf, subst?: Substitution): Pair {
    switch (leaf.kind) {
      case 'const':
        return pairConst(leaf.text);
      case 'symbol':
        if (subst && leaf.symbol === subst.symbol) return subst.pair;
        return this.pairs.get(leaf.symbol) ?? PAIR_N;
      case 'input': {
        // A macro result used as a symbol: the constants y and m, anything else n.
        const lits = this.values.get(leaf.input)!;
        const y = lits.get('y')!;
        return { m: this.cnf.or2(y, lits.get('m')!), y };
      }
    }
  }

  /** What string value a leaf holds, one-hot, as conf's sym_get_string_value gives it. */
  private leafValues(leaf: Leaf, subst?: Substitution): ValueLits {
    if (leaf.kind === 'const') return new Map([[leaf.text, TRUE]]);
    if (leaf.kind === 'input') return this.values.get(leaf.input)!;
    const sym = leaf.symbol;
    const lits = this.values.get(sym);
    if (lits) return lits;
    const pair = subst && subst.symbol === sym ? subst.pair : this.pairs.get(sym);
    if (!pair) return new Map([[sym.name, TRUE]]);
    return new Map([
      ['n', -pair.m],
      ['m', this.cnf.and2(pair.m, -pair.y)],
      ['y', pair.y],
    ]);
  }

  private leafType(leaf: Leaf): OperandType {
    if (leaf.kind === 'const') return constantType(leaf.text);
    if (leaf.kind === 'input') return 'unknown';
    return leaf.symbol.definitions.length > 0 ? leaf.symbol.type : 'unknown';
  }

  private compare(op: CompareOp, left: Leaf, right: Leaf, subst?: Substitution): Lit {
    const lv = this.leafValues(left, subst);
    const rv = this.leafValues(right, subst);
    const lt = this.leafType(left);
    const rt = this.leafType(right);
    if (op !== '=' && op !== '!=' && lv.size * rv.size > this.chainPairs) return this.compareOrdered(op, lv, lt, rv, rt);
    // Exactly one of each side's literals holds, so for each left value the right side matches
    // when one of the matching literals holds, or none of the others: whichever list is shorter
    // (`=` and `!=` are then linear in the domain, not quadratic).
    const cases: Lit[] = [];
    for (const [a, la] of lv) {
      const matching: Lit[] = [];
      const others: Lit[] = [];
      for (const [b, lb] of rv) (compareValues(op, a, lt, b, rt) ? matching : others).push(lb);
      cases.push(this.cnf.and2(la, matching.length <= others.length ? this.cnf.or(matching) : -this.cnf.or(others)));
    }
    return this.cnf.or(cases);
  }

  /** compare() for `<`, `<=`, `>`, `>=` through an OrderChain over the right side's numbers: linear in both sides. */
  private compareOrdered(op: CompareOp, lv: ValueLits, lt: OperandType, rv: ValueLits, rt: OperandType): Lit {
    const numbered: { key: bigint; lit: Lit }[] = [];
    const strings: [string, Lit][] = [];
    for (const [b, lb] of rv) {
      const key = orderKey(b, rt, lt);
      if (key === undefined) strings.push([b, lb]);
      else numbered.push({ key, lit: lb });
    }
    const chain = new OrderChain(this.cnf, numbered);
    const cases: Lit[] = [];
    for (const [a, la] of lv) {
      const key = orderKey(a, lt, rt);
      // A pair with an operand read as a string compares as strings: those pairs are listed.
      const matching = (key === undefined ? [...rv] : strings).filter(([b]) => compareValues(op, a, lt, b, rt)).map(([, lb]) => lb);
      if (key !== undefined) matching.push(op === '<' || op === '<=' ? chain.above(key, op === '<=') : chain.below(key, op === '>='));
      cases.push(this.cnf.and2(la, this.cnf.or(matching)));
    }
    return this.cnf.or(cases);
  }

  /**
   * Why conf would write the symbol to .config (its SYMBOL_WRITE flag), as
   * literals of which one holds if it is written: visible, selected or
   * implied, or given a value by a default. They are the encoding's own
   * gates, so reading them adds nothing to the solver; a symbol the encoding
   * has no gates for gets new ones (read them with Cnf.evaluator).
   */
  writtenReasons(sym: KSymbol): Lit[] {
    if (sym.definitions.length === 0 || sym.ownChoice) return [];
    const visible = this.rawVisibility(sym).m;
    // Array literals, not push(...): a symbol may be selected by more symbols than a call takes arguments.
    if (!this.pairs.has(sym)) return [visible, ...sym.defaults.map((d) => this.expr(d.condition).m)];
    const defaults = this.defaultTerms(sym).m;
    if (sym.memberOf) return [visible, ...defaults];
    return [visible, ...defaults, ...this.reverseTerms(sym, 'selectedBy').m, ...this.reverseTerms(sym, 'impliedBy').m];
  }

  // ---- per-symbol constraints ----

  private constrain(sym: KSymbol): void {
    if (sym.definitions.length === 0) return;
    this.cnf.owner = sym.id;
    this.groupOff = FALSE;
    if (this.options.groupSelectors) {
      const s = this.cnf.newVar();
      this.selectors.set(sym, s);
      this.groupOff = -s;
    }
    // 6.18: a transitional symbol's value is whatever an old .config gave: a free input, no clauses
    if (sym.transitional) {
      // nothing to constrain
    } else if (sym.ownChoice && this.rework) this.constrainChoice612(sym.ownChoice);
    else if (sym.ownChoice) this.constrainChoice(sym.ownChoice);
    else if (sym.type === 'bool' || sym.type === 'tristate') this.constrainTristate(sym);
    else if (isValueSymbol(sym)) this.constrainValue(sym);
    this.cnf.owner = -1;
  }

  /** Adds the clause `lits` (a fresh array, extended in place) under the current group. */
  private guarded(lits: Lit[]): void {
    lits.push(this.groupOff);
    this.cnf.clause(lits);
  }

  /** guarded([a, b, c]) without the array. */
  private guarded3(a: Lit, b: Lit, c: Lit): void {
    this.cnf.clauseOf(a, b, c, this.groupOff);
  }

  /**
   * guarded3(a, -x, b) for each term x: a term that holds forces a ∨ b.
   * (An index loop: for-of allocates an iterator result per step until V8
   * optimises the loop, and most of an encoding runs before it does.)
   */
  private termsImply(terms: readonly Lit[], a: Lit, b: Lit): void {
    for (let i = 0; i < terms.length; i++) this.guarded3(a, -terms[i]!, b);
  }

  /** m counts as y: for bool symbols always, for tristates while MODULES is n. */
  private boolLike(sym: KSymbol): Lit {
    return sym.type === 'bool' ? TRUE : -this.modulesOn;
  }

  /** Prompt visibility as conf's sym_calc_visibility computes it, before promotion. */
  private rawVisibility(sym: KSymbol, subst?: Substitution): Pair {
    const choice = sym.memberOf;
    const prompts = sym.prompts.map((p) => {
      const vis = this.expr(p.visibility, subst);
      if (!choice || sym.type !== 'tristate') return vis;
      // A tristate member visible only as m is hidden while its choice is y.
      const choiceY = subst && subst.symbol === choice.symbol ? subst.pair.y : this.pairs.get(choice.symbol)!.y;
      return { m: this.cnf.and2(vis.m, this.cnf.or2(-choiceY, vis.y)), y: vis.y };
    });
    return prompts.length ? this.logic.maxAll(prompts) : PAIR_N;
  }

  private visibility(sym: KSymbol, subst?: Substitution): Pair {
    return this.logic.promote(this.rawVisibility(sym, subst), this.boolLike(sym));
  }

  /**
   * A tristate value kept as the disjuncts of its two components: the value is
   * ≥m iff some `m` literal holds, =y iff some `y` literal holds. Constraints
   * over such sums need no OR gates.
   */
  private reverseTerms(sym: KSymbol, kind: 'selectedBy' | 'impliedBy'): Terms {
    const terms: Terms = { m: [], y: [] };
    for (const r of sym[kind]) {
      const selector = this.pairs.get(r.selector);
      if (!selector) continue;
      const t = this.logic.min(selector, this.expr(r.condition));
      terms.m.push(t.m);
      terms.y.push(t.y);
    }
    return terms;
  }

  /** The first default whose condition is not n, as min(value, condition); n if none. */
  private defaultTerms(sym: KSymbol): Terms {
    let earlier: Lit = FALSE;
    const terms: Terms = { m: [], y: [] };
    for (const d of sym.defaults) {
      const cond = this.expr(d.condition);
      const value = this.expr(d.value);
      const first = this.cnf.and2(-earlier, cond.m);
      terms.m.push(this.cnf.and2(first, value.m));
      terms.y.push(this.cnf.and([first, value.y, cond.y]));
      earlier = this.cnf.or2(earlier, cond.m);
    }
    return terms;
  }

  private sum(t: Terms): Pair {
    return { m: this.cnf.or(t.m), y: this.cnf.or(t.y) };
  }

  /**
   * conf's value for a bool/tristate symbol, as clauses on its pair v (with
   * m → MODULES already global, so promotion of m to y needs no gates):
   *   visible:  rev ≤ v ≤ max(vis, rev)
   *   hidden:   v = max(first default (or imply), rev)
   */
  private constrainTristate(sym: KSymbol): void {
    const v = this.pairs.get(sym)!;
    const member = sym.memberOf !== undefined;
    const tristate = sym.type === 'tristate';
    const raw = this.rawVisibility(sym);
    // conf never computes reverse dependencies of choice members: selects and implies do not reach them.
    const rev = member ? { m: [], y: [] } : this.reverseTerms(sym, 'selectedBy');
    let dflt = this.defaultTerms(sym);
    if (!member && sym.impliedBy.length > 0) {
      const boolLike = this.boolLike(sym);
      const imp = this.logic.promote(this.sum(this.reverseTerms(sym, 'impliedBy')), boolLike);
      const dir = this.logic.promote(this.logic.maxAll(sym.definitions.map((d) => this.expr(d.dependency))), boolLike);
      const d = this.sum(dflt);
      const implied = this.logic.select(imp.m, this.logic.min(this.logic.max(d, imp), dir), d);
      dflt = { m: [implied.m], y: [implied.y] };
    }
    const visible = raw.m;
    // "m counts as y" for tristates means MODULES is n (-this.modulesOn below); for bools it is always so.

    // Visible: the user's value stands if rev ≤ v ≤ max(vis, rev).
    this.termsImply(rev.m, -visible, v.m);
    this.termsImply(rev.y, -visible, v.y);
    if (tristate) {
      this.guarded([-visible, -v.y, raw.y, -this.modulesOn, ...rev.y]);
      // A member visible as y takes the choice's selection: y or n (see constrainChoice).
      if (member) this.guarded3(-raw.y, -v.m, v.y);
    }

    // Hidden: v is the default (or implied value) raised to rev.
    this.termsImply(dflt.m, visible, v.m);
    this.termsImply(rev.m, visible, v.m);
    this.termsImply(dflt.y, visible, v.y);
    this.termsImply(rev.y, visible, v.y);
    this.guarded([visible, -v.m, ...dflt.m, ...rev.m]);
    if (tristate) this.guarded([visible, -v.y, ...dflt.y, ...rev.y, -this.modulesOn]);
  }

  private constrainChoice(choice: Choice): void {
    const sym = choice.symbol;
    const v = this.pairs.get(sym);
    if (!v) return;
    const boolLike = this.boolLike(sym);
    const raw = sym.prompts.map((p) => this.expr(p.visibility));
    const vis = this.logic.promote(raw.length ? this.logic.maxAll(raw) : PAIR_N, boolLike);
    // A non-optional choice is at least m wherever its prompt is visible.
    const revTerms = choice.optional ? [] : raw.map((p) => ({ m: p.m, y: FALSE }));
    const rev = this.logic.promote(revTerms.length ? this.logic.maxAll(revTerms) : PAIR_N, boolLike);
    // The choice's own value as read from a .config is the highest of its members'.
    const memberPairs = choice.members.map((m) => this.pairs.get(m)).filter((p): p is Pair => p !== undefined);
    const user = memberPairs.length ? this.logic.maxAll(memberPairs) : PAIR_N;
    const computed = this.logic.select(
      vis.m,
      this.logic.promote(this.logic.max(this.logic.min(user, vis), rev), boolLike),
      rev,
    );
    // At y, a choice with no member visible falls back to n (sym_calc_choice).
    const anyVisibleAtY = this.cnf.or(
      choice.members.map((m) => this.visibility(m, { symbol: sym, pair: PAIR_Y }).m),
    );
    const result: Pair = {
      m: this.cnf.and2(computed.m, this.cnf.or2(-computed.y, anyVisibleAtY)),
      y: this.cnf.and2(computed.y, anyVisibleAtY),
    };
    this.logic.equalUnder([], v, result, [this.groupOff]);
    // At y exactly one member visible as y is selected.
    const selected = choice.members
      .filter((m) => this.pairs.has(m))
      .map((m) => this.cnf.and2(this.visibility(m).y, this.pairs.get(m)!.y));
    this.guarded([-v.y, ...selected]);
    // Linear in the members: each excludes the OR of those before it (pairwise clauses for 2,000 members
    // exhaust MiniSat's heap). The ORs are gates, functions of the members, so evaluating the formula
    // under a configuration still finds two members selected.
    let before: Lit = FALSE;
    for (const s of selected) {
      this.cnf.clauseOf(-before, -s, this.groupOff);
      before = this.cnf.or2(before, s);
    }
  }

  /**
   * 6.12: the choice itself stays n; members are bool and, visible, take
   * the user's value (hidden ones are n, see constrainTristate), so conf
   * keeps exactly the states with one visible member at y, if any is visible.
   */
  private constrainChoice612(choice: Choice): void {
    const v = this.pairs.get(choice.symbol);
    if (!v) return;
    this.guarded([-v.m]);
    const members = choice.members.filter((m) => this.pairs.has(m));
    const anyVisible = this.cnf.or(members.map((m) => this.visibility(m).m));
    const selected = members.map((m) => this.pairs.get(m)!.y);
    this.guarded([-anyVisible, ...selected]);
    for (let i = 0; i < selected.length; i++) {
      for (let j = i + 1; j < selected.length; j++) this.cnf.clauseOf(-selected[i]!, -selected[j]!, this.groupOff);
    }
  }

  private constrainValue(sym: KSymbol): void {
    const x = this.values.get(sym)!;
    const vis = this.visibility(sym);
    const hidden = this.hiddenValue(sym);
    for (const [value, lit] of x) {
      // Visible: a value of the right type is kept if within range; one of the
      // wrong type is replaced by the default, which the range clamps once.
      // 6.1 also replaces an out-of-range value by the default: only an empty
      // range (low > high) clamps the default to a value outside it, and conf
      // writes that value back unchanged. 6.12 clamps the value itself, which
      // changes it.
      const computed = hidden.get(value) ?? FALSE;
      if (!isValidValue(sym.type, value)) this.guarded3(-vis.m, -lit, computed);
      else if (this.rework) this.guarded3(-vis.m, -lit, this.inRange(sym, value));
      else this.guarded([-vis.m, -lit, computed, this.inRange(sym, value)]);
      this.guarded3(vis.m, -lit, hidden.get(value) ?? FALSE);
    }
  }

  /** Value of an int/hex/string symbol without a user value: its first default, clamped to its range. */
  private hiddenValue(sym: KSymbol): ValueLits {
    const domain = this.domains.get(sym).values;
    const raw = new Map<string, Lit[]>(domain.map((d) => [d, []]));
    const defaults = new FirstHolding(this.cnf);
    for (const d of sym.defaults) {
      const first = defaults.next(this.expr(d.condition).m);
      for (const [value, lit] of this.defaultSource(sym, d.value)) raw.get(value)?.push(this.cnf.and2(first, lit));
    }
    raw.get(initialValue(this.model.dialect, sym.type))!.push(-defaults.any);
    const rawLits = new Map([...raw].map(([value, lits]) => [value, this.cnf.or(lits)]));
    if (sym.ranges.length === 0 || (sym.type !== 'int' && sym.type !== 'hex')) return rawLits;
    if (this.rangesChained(sym)) return this.clampChained(sym, rawLits);

    const clamped = new Map<string, Lit[]>(domain.map((d) => [d, []]));
    const ranges = new FirstHolding(this.cnf);
    for (const r of sym.ranges) {
      const active = ranges.next(this.expr(r.condition).m);
      const low = this.leafValues(r.low);
      const high = this.leafValues(r.high);
      for (const [value, rawLit] of rawLits) {
        const below = this.boundTest(sym, value, r.low, low, 'below');
        const above = this.cnf.and2(-below, this.boundTest(sym, value, r.high, high, 'above'));
        const base = this.cnf.and2(active, rawLit);
        clamped.get(value)?.push(this.cnf.and([base, -below, -above]));
        for (const [bound, l] of low) clamped.get(bound)?.push(this.cnf.and([base, below, l]));
        for (const [bound, l] of high) clamped.get(bound)?.push(this.cnf.and([base, above, l]));
      }
    }
    for (const [value, rawLit] of rawLits) clamped.get(value)!.push(this.cnf.and2(-ranges.any, rawLit));
    return new Map([...clamped].map(([value, lits]) => [value, this.cnf.or(lits)]));
  }

  /** Whether the symbol's ranges test more (value, bound) pairs than ORDER_CHAIN_MIN_PAIRS: then they go through chains. */
  private rangesChained(sym: KSymbol): boolean {
    let chained = this.chainedRanges.get(sym);
    if (chained === undefined) {
      const values = this.domains.get(sym).values.length;
      let pairs = 0;
      for (const r of sym.ranges) pairs += values * (this.leafValues(r.low).size + this.leafValues(r.high).size);
      this.chainedRanges.set(sym, (chained = pairs > this.chainPairs));
    }
    return chained;
  }

  private readonly chainedRanges = new Map<KSymbol, boolean>();

  private get chainPairs(): number {
    return this.options.orderChainMinPairs ?? ORDER_CHAIN_MIN_PAIRS;
  }

  /**
   * Per range of the symbol: whether it is the active one (the first whose
   * condition holds), and whether a one-hot value of the symbol lies below
   * its low bound, or else above its high bound, through one chain over the
   * value.
   */
  private rangeTests(sym: KSymbol, value: ValueLits): { active: Lit; below: Lit; above: Lit; low: ValueLits; high: ValueLits }[] {
    const base = sym.type === 'hex' ? 16 : 10;
    const chain = new OrderChain(this.cnf, [...value].map(([text, lit]) => ({ key: rangeNumber(text, sym.type, base), lit })));
    const past = (bound: Leaf, bounds: ValueLits, side: 'below' | 'above'): Lit => {
      const boundType = bound.kind === 'symbol' ? bound.symbol.type : 'unknown';
      return this.cnf.or([...bounds].map(([b, lit]) => this.cnf.and2(lit, (side === 'below' ? chain.below : chain.above).call(chain, rangeNumber(b, boundType, base)))));
    };
    const ranges = new FirstHolding(this.cnf);
    return sym.ranges.map((r) => {
      const active = ranges.next(this.expr(r.condition).m);
      const low = this.leafValues(r.low);
      const high = this.leafValues(r.high);
      const below = past(r.low, low, 'below');
      return { active, below, above: this.cnf.and2(-below, past(r.high, high, 'above')), low, high };
    });
  }

  /** One literal: the active range's bounds exclude the one-hot value. */
  private outsideRange(tests: ReturnType<Encoding['rangeTests']>): Lit {
    return this.cnf.or(tests.map((t) => this.cnf.and2(t.active, this.cnf.or2(t.below, t.above))));
  }

  /** hiddenValue's clamp through rangeTests: the raw value where no active range excludes it, else the bound it passed. */
  private clampChained(sym: KSymbol, raw: ValueLits): ValueLits {
    const tests = this.rangeTests(sym, raw);
    const clamped = new Map<string, Lit[]>([...raw.keys()].map((d) => [d, []]));
    for (const t of tests) {
      for (const [bound, l] of t.low) clamped.get(bound)?.push(this.cnf.and([t.active, t.below, l]));
      for (const [bound, l] of t.high) clamped.get(bound)?.push(this.cnf.and([t.active, t.above, l]));
    }
    const outside = this.outsideRange(tests);
    for (const [value, rawLit] of raw) clamped.get(value)!.push(this.cnf.and2(rawLit, -outside));
    return new Map([...clamped].map(([value, lits]) => [value, this.cnf.or(lits)]));
  }

  /** Whether a value lies below the low bound / above the high bound, as sym_validate_range reads numbers. */
  private boundTest(sym: KSymbol, value: string, bound: Leaf, boundValues: ValueLits, side: 'below' | 'above'): Lit {
    const base = sym.type === 'hex' ? 16 : 10;
    const n = rangeNumber(value, sym.type, base);
    const boundType = bound.kind === 'symbol' ? bound.symbol.type : 'unknown';
    const hits: Lit[] = [];
    for (const [b, lit] of boundValues) {
      const limit = rangeNumber(b, boundType, base);
      if (side === 'below' ? n < limit : n > limit) hits.push(lit);
    }
    return this.cnf.or(hits);
  }

  /** A value within the active range (or no range applies). */
  private inRange(sym: KSymbol, value: string): Lit {
    if (sym.ranges.length === 0 || (sym.type !== 'int' && sym.type !== 'hex')) return TRUE;
    // Through chains: one literal about the symbol's own value, which is `value` wherever this is used (constrainValue).
    if (this.rangesChained(sym)) return -this.ownOutside(sym);
    const ranges = new FirstHolding(this.cnf);
    const ok: Lit[] = [];
    for (const r of sym.ranges) {
      const active = ranges.next(this.expr(r.condition).m);
      const below = this.boundTest(sym, value, r.low, this.leafValues(r.low), 'below');
      const above = this.boundTest(sym, value, r.high, this.leafValues(r.high), 'above');
      ok.push(this.cnf.and([active, -below, -above]));
    }
    ok.push(-ranges.any);
    return this.cnf.or(ok);
  }

  /** outsideRange of the symbol's own value, made once. */
  private ownOutside(sym: KSymbol): Lit {
    let lit = this.outsideOwn.get(sym);
    if (lit === undefined) this.outsideOwn.set(sym, (lit = this.outsideRange(this.rangeTests(sym, this.values.get(sym)!))));
    return lit;
  }

  private readonly outsideOwn = new Map<KSymbol, Lit>();

  /** The string a default's value gives (conf copies the default symbol's current string). */
  private defaultSource(sym: KSymbol, value: ModelExpr): ValueLits {
    if (value.kind !== 'leaf') return new Map([[initialValue(this.model.dialect, sym.type), TRUE]]);
    const leaf = value.leaf;
    // conf copies curr.val, which for bool/tristate symbols stays "n".
    if (leaf.kind === 'symbol' && this.pairs.has(leaf.symbol)) return new Map([['n', TRUE]]);
    return this.leafValues(leaf);
  }
}

/**
 * The symbols of `now` whose groups an encoding of `was` updated to it
 * encodes again (Encoding.update): those whose constraints changed, and the
 * choices of changed members (a choice's group reads their prompts).
 * Undefined when the models differ in more than constraints: a symbol
 * added, removed or retyped, another MODULES, dialect or input.
 */
export function regroupedSymbols(was: KconfigModel, now: KconfigModel): KSymbol[] | undefined {
  // Review asks before encoding the old tree and Encoding.update again: a comparison of every symbol, made once.
  let answers = regroupedAnswers.get(was);
  if (!answers) regroupedAnswers.set(was, (answers = new WeakMap()));
  const known = answers.get(now);
  if (known) return known.ids?.map((id) => now.symbols[id]!);
  const symbols = compareSymbols(was, now);
  answers.set(now, { ids: symbols?.map((sym) => sym.id) });
  return symbols;
}

/**
 * The answers by older and newer model, weakly held on both sides and
 * holding neither: an editor's models, each made from the one before, must
 * not keep the earlier ones alive.
 */
const regroupedAnswers = new WeakMap<KconfigModel, WeakMap<KconfigModel, { ids: number[] | undefined }>>();

function compareSymbols(was: KconfigModel, now: KconfigModel): KSymbol[] | undefined {
  if (now.dialect !== was.dialect || now.symbols.length !== was.symbols.length || now.inputs.length !== was.inputs.length) return undefined;
  if (now.modules?.id !== was.modules?.id) return undefined;
  const changed = new Set<KSymbol>();
  for (let i = 0; i < now.symbols.length; i++) {
    const a = was.symbols[i]!;
    const b = now.symbols[i]!;
    if (a.name !== b.name || a.type !== b.type || (a.definitions.length > 0) !== (b.definitions.length > 0)) return undefined;
    if (b.definitions.length > 0 && !sameConstraints([was, a], [now, b])) changed.add(b);
  }
  if (now.inputs.some((input, i) => input.origin !== was.inputs[i]!.origin)) return undefined;
  for (const sym of [...changed]) if (sym.memberOf) changed.add(sym.memberOf.symbol);
  return [...changed];
}

export function encodeModel(model: KconfigModel, options: EncodeOptions = {}): Encoding {
  return new Encoding(model, options);
}
