/**
 * What conf's olddefconfig computes (scripts/kconfig/confdata.c, symbol.c,
 * expr.c), simulated on a KconfigModel: the values it reads from a .config
 * as user values, every symbol's final value, and which symbols it writes.
 * `check` answers with it, and tests use it as the oracle the SAT encoding is
 * compared with: a configuration is valid exactly when it is a fixpoint of
 * this evaluation. It shares nothing with the encoder on purpose.
 *
 * conf computes lazily, each symbol once per pass, recursing into what it
 * needs. For the acyclic dependency graphs conf accepts (sym_check_deps), that
 * is the unique solution of the per-symbol equations, which we reach instead
 * by sweeping all symbols until nothing changes.
 *
 * The input is a .config already split into name → value text (strings
 * unquoted), in the file's order (6.12's conf gives the last choice member
 * read the highest priority). An empty map still means "a .config exists":
 * 6.1's conf then gives every choice a user value of n (conf_read_simple),
 * which matters for choices.
 *
 * The model's dialect selects the conf: 6.12 reworked choices (a member's
 * value comes from sym_calc_choice over a priority list, the choice itself
 * has no value), starts int/hex values at 0 rather than empty, and keeps an
 * out-of-range user value to clamp it instead of dropping it after the pass.
 */
import type { Choice, Default, KconfigModel, KSymbol, Leaf, ModelExpr, Range, ReverseDependency, SymbolType, Tristate } from './types.js';
import { M, N, Y } from './types.js';
import { hasRules, initialValue } from '../parse/dialect.js';
import { compareValues, isValidValue, rangeNumber } from './values.js';
import { dependencyOrder } from './cycles.js';
const TRI_TEXT = ['n', 'm', 'y'] as const;
const minT = (a: Tristate, b: Tristate): Tristate => (a < b ? a : b);
const maxT = (a: Tristate, b: Tristate): Tristate => (a > b ? a : b);

export interface Evaluation {
  /** Final value of every defined bool/tristate/int/hex/string symbol, and each choice's mode (n/m/y). */
  values: Map<string, string>;
  /** Symbols conf writes to the .config (SYMBOL_WRITE); never choices. */
  written: Set<string>;
  /** User values conf rejects on reading (text invalid for the type, e.g. m for a bool). */
  rejected: string[];
  /**
   * int/hex user values conf drops after its pass as out of range
   * (conf_read's sym_string_within_range check). Only these symbols are
   * recomputed; symbols that already used the clamped value keep it, exactly
   * as in conf (olddefconfig is then not idempotent).
   */
  droppedOutOfRange: string[];
}

export interface FixpointDiff {
  symbol: string;
  given: string | undefined;
  computed: string;
}

/** Symbols conf computes a value for: defined, with a bool/tristate/int/hex/string type. */
export function computedSymbols(model: KconfigModel): KSymbol[] {
  return model.symbols.filter(isComputed);
}

const isComputed = (s: KSymbol): boolean => s.definitions.length > 0 && s.type !== 'unknown';

/**
 * computedSymbols in the order sweeps settle soonest: each after those its
 * value is read from, so one sweep computes nearly everything and a second
 * confirms it (Linux took eight in definition order). Any order reaches the
 * same values; a tree with a recursive dependency keeps definition order.
 */
function sweepOrder(model: KconfigModel): KSymbol[] {
  let order = sweepOrders.get(model);
  if (!order) sweepOrders.set(model, (order = dependencyOrder(model)?.filter(isComputed) ?? computedSymbols(model)));
  return order;
}

const sweepOrders = new WeakMap<KconfigModel, KSymbol[]>();

/** conf --olddefconfig on a .config holding `userValues`; returns every final value. */
export function evaluate(
  model: KconfigModel,
  userValues: Map<string, string>,
  inputs?: Map<number, string>,
): Map<string, string> {
  return evaluateDetailed(model, userValues, inputs).values;
}

export function evaluateDetailed(
  model: KconfigModel,
  userValues: Map<string, string>,
  inputs: Map<number, string> = new Map(),
): Evaluation {
  const { values, written, rejected, droppedOutOfRange } = simulate(model, userValues, inputs);
  return { values, written, rejected, droppedOutOfRange };
}

/**
 * Why a symbol ends with its value after a run: the terms conf combined, read
 * from the final state (so they agree with the value conf writes).
 */
export interface ValueReasons {
  /** Prompt visibility (n: no prompt can be shown, so a user value is ignored). */
  visibility: Tristate;
  /** The direct dependencies (y when the symbol has none). */
  dependencies: Tristate;
  /** The selects and implies that are active, with what each contributes. */
  selectedBy: { rev: ReverseDependency; value: Tristate }[];
  impliedBy: { rev: ReverseDependency; value: Tristate }[];
  /** The default conf took, if any, with its condition's value. */
  default?: { prop: Default; condition: Tristate };
  /** The active range of an int/hex symbol, with its bounds as conf reads them. */
  range?: { prop: Range; low: string; high: string };
  /** For a choice member: the member the choice selected. */
  choiceSelection?: KSymbol;
}

/** One olddefconfig run whose state can be asked why each value came out as it did. */
export interface Simulation extends Evaluation {
  reasons(sym: KSymbol): ValueReasons;
}

/** conf --olddefconfig on `userValues` under the given free-input values, kept for reasons(). */
/** `userValues` in file order; a symbol may come more than once (a choice remembers a member set to y before). */
export function simulate(model: KconfigModel, userValues: Iterable<readonly [string, string]>, inputs: Map<number, string> = new Map()): Simulation {
  const ev = new ConfEvaluator(model, inputs);
  const rejected = ev.readConfig(userValues);
  const all = computedSymbols(model);
  ev.settle(sweepOrder(model));
  const dropped = ev.dropOutOfRangeUserValues(all);
  return { ...ev.result(all), rejected, droppedOutOfRange: dropped.map((s) => s.name), reasons: (sym) => ev.reasons(sym) };
}

/** The selects conf would warn about in the configuration `values` (see ConfEvaluator.unmetSelects). */
export function unmetSelects(model: KconfigModel, values: Map<string, string>, inputs: Map<number, string> = new Map()): string[] {
  const ev = new ConfEvaluator(model, inputs);
  ev.readConfig(values);
  ev.settle(sweepOrder(model));
  return ev.unmetSelects();
}

/**
 * conf's state while it asks questions (conf.c oldaskconfig/oldconfig/
 * listnewconfig): the .config read as conf_read leaves it, then changed one
 * answer at a time as sym_set_tristate_value, sym_set_string_value and 6.12's
 * choice_set_value change it. Values are those of the olddefconfig
 * simulation above after each change; what this adds is conf's SYMBOL_DEF_USER
 * flag ("has a value": a symbol without one is NEW) and the questions' ranges.
 */
export class InteractiveConf {
  private readonly ev: ConfEvaluator;
  private readonly all: KSymbol[];
  /** `all` as settle sweeps them. */
  private readonly sweeps: KSymbol[];
  private readonly rework: boolean;
  /** def[S_DEF_USER].tri as stored, kept while the flag is cleared (6.1 sets the flag back on some symbols). */
  private readonly stored = new Map<KSymbol, Tristate>();
  /** def[S_DEF_USER].val of int/hex/string symbols as stored. */
  private readonly storedText = new Map<KSymbol, string>();
  /** 6.1 choices whose SYMBOL_DEF_USER sym_calc_choice cleared, their value not yet recomputed. */
  private readonly flagLost = new Set<Choice>();

  /** `userValues` undefined: there is no .config (conf_read fails, nothing has a value). */
  constructor(
    readonly model: KconfigModel,
    userValues: Iterable<readonly [string, string]> | undefined,
    inputs: Map<number, string> = new Map(),
  ) {
    this.ev = new ConfEvaluator(model, inputs);
    this.all = computedSymbols(model);
    this.sweeps = sweepOrder(model);
    this.rework = hasRules(model.dialect, '6.12');
    this.ev.readConfig(userValues ?? []);
    if (!userValues) for (const cu of this.ev.choiceUser.values()) cu.has = false;
    for (const [sym, t] of this.ev.userTri) this.stored.set(sym, t);
    for (const [sym, t] of this.ev.userStr) this.storedText.set(sym, t);
    this.settle();
    if (!this.rework && userValues) this.afterRead61();
  }

  /**
   * Recomputes every value. 6.1's sym_calc_choice also takes the user value
   * away from a choice at y while one of its visible members has none; conf
   * keeps the value it computed until a change makes it recompute
   * (sym_clear_all_valid), so the loss counts at the next change.
   */
  private settle(changed = true): void {
    if (changed) {
      for (const c of this.flagLost) this.ev.choiceUser.get(c)!.has = false;
      this.flagLost.clear();
      this.ev.settle(this.sweeps);
    }
    if (this.rework) return;
    for (const c of this.model.choices) {
      const cu = this.ev.choiceUser.get(c)!;
      if (cu.has && this.ev.tri[c.symbol.id] === Y && c.members.some((m) => this.ev.vis[m.id] !== N && !this.hasValue(m))) this.flagLost.add(c);
    }
  }

  /**
   * 6.1's conf_read after its pass: when the file and the computed values
   * agree, invisible symbols lose their user values (to show as NEW once
   * visible); int/hex values out of range are dropped, in symbol-hash order.
   */
  private afterRead61(): void {
    const ev = this.ev;
    let unsaved = 0;
    for (const s of this.all) {
      if (s.ownChoice) continue;
      const has = this.hasValue(s);
      const written = ev.write[s.id]!;
      if (has && written) {
        const same = s.type === 'bool' || s.type === 'tristate' ? ev.userTri.get(s) === ev.tri[s.id] : ev.userStr.get(s) === ev.str[s.id];
        if (same) continue;
      } else if (!has && !written) continue;
      unsaved++;
    }
    for (const s of inHashOrder(this.all)) {
      if (s.memberOf || !this.hasValue(s)) continue;
      if (ev.vis[s.id] === N && unsaved === 0) this.clear(s);
      const text = ev.userStr.get(s);
      if ((s.type === 'int' || s.type === 'hex') && text !== undefined && !ev.withinRange(s, text)) {
        this.clear(s);
        unsaved++;
        this.settle();
      }
    }
  }

  private clear(sym: KSymbol): void {
    if (sym.ownChoice) this.ev.choiceUser.get(sym.ownChoice)!.has = false;
    this.ev.userTri.delete(sym);
    this.ev.userStr.delete(sym);
  }

  /** sym_has_value: the symbol has a user value (SYMBOL_DEF_USER); without one conf marks it NEW. */
  hasValue(sym: KSymbol): boolean {
    if (sym.ownChoice) return !this.rework && this.ev.choiceUser.get(sym.ownChoice)!.has && !this.flagLost.has(sym.ownChoice);
    return this.ev.userTri.has(sym) || this.ev.userStr.has(sym);
  }

  /** menu_is_visible's side effect in 6.1: a hidden symbol that shows visible children gets a user value. */
  markHasValue(sym: KSymbol): void {
    if (sym.ownChoice) {
      this.ev.choiceUser.get(sym.ownChoice)!.has = true;
      this.flagLost.delete(sym.ownChoice);
    } else if (sym.type === 'bool' || sym.type === 'tristate') this.ev.userTri.set(sym, this.stored.get(sym) ?? N);
  }

  visibility(sym: KSymbol): Tristate {
    return this.ev.vis[sym.id]!;
  }

  /** rev_dep.tri as sym_calc_visibility leaves it (never computed for choice members). */
  private reverse(sym: KSymbol): Tristate {
    return sym.memberOf ? N : this.ev.promote(sym, this.ev.revDep(sym));
  }

  /** sym_is_changeable: the prompt is visible above what selects force (6.12: never a choice). */
  isChangeable(sym: KSymbol): boolean {
    if (this.rework && sym.ownChoice) return false;
    return this.visibility(sym) > this.reverse(sym);
  }

  /** sym_tristate_within_range. */
  tristateWithinRange(sym: KSymbol, val: Tristate): boolean {
    const vis = this.visibility(sym);
    const type = this.ev.effectiveType(sym);
    if (vis === N || (type !== 'bool' && type !== 'tristate') || (type === 'bool' && val === M)) return false;
    const rev = this.reverse(sym);
    if (vis <= rev) return false;
    if (!this.rework && sym.memberOf && vis === Y) return val === Y;
    return val >= rev && val <= vis;
  }

  /** sym_get_tristate_value. */
  tristate(sym: KSymbol): Tristate {
    return this.ev.tri[sym.id]!;
  }

  /** sym_get_string_value. */
  stringValue(sym: KSymbol): string {
    return sym.type === 'bool' || sym.type === 'tristate' ? TRI_TEXT[this.ev.tri[sym.id]!] : this.ev.str[sym.id]!;
  }

  /** expr_calc_value. */
  exprValue(e: ModelExpr): Tristate {
    return this.ev.expr(e);
  }

  /** A prompt's visible.tri (6.1: a tristate choice member visible as m is hidden while its choice is y). */
  promptVisibility(sym: KSymbol, prompt: { visibility: ModelExpr }): Tristate {
    const v = this.ev.expr(prompt.visibility);
    const choice = sym.memberOf?.symbol;
    if (!this.rework && choice && sym.type === 'tristate' && v === M && this.ev.tri[choice.id] === Y) return N;
    return v;
  }

  /** The member the choice selects now (6.1 sym_get_choice_value, 6.12 sym_calc_choice). */
  choiceValue(choice: Choice): KSymbol | undefined {
    return this.ev.selection.get(choice);
  }

  /** sym_set_tristate_value; false when conf refuses the value. */
  setTristate(sym: KSymbol, val: Tristate): boolean {
    const old = this.tristate(sym);
    if ((this.rework || old !== val) && !this.tristateWithinRange(sym, val)) return false;
    if (sym.ownChoice) {
      const cu = this.ev.choiceUser.get(sym.ownChoice)!;
      cu.tri = val;
      cu.has = true;
      this.flagLost.delete(sym.ownChoice);
    } else {
      this.ev.userTri.set(sym, val);
      this.stored.set(sym, val);
    }
    if (!this.rework && sym.memberOf && val === Y) {
      // setting a member also gives the choice and its visible members a value
      const cu = this.ev.choiceUser.get(sym.memberOf)!;
      cu.selection = sym;
      cu.has = true;
      this.flagLost.delete(sym.memberOf);
      for (const m of sym.memberOf.members) if (m !== sym && this.visibility(m) !== N && !this.ev.userTri.has(m)) this.ev.userTri.set(m, this.stored.get(m) ?? N);
    }
    this.settle(this.rework || old !== val);
    return true;
  }

  /** sym_set_string_value for int/hex/string; false when out of range or malformed. */
  setString(sym: KSymbol, text: string): boolean {
    if (sym.type === 'bool' || sym.type === 'tristate') {
      const t = 'yY'.includes(text[0] ?? '-') ? Y : 'mM'.includes(text[0] ?? '-') ? M : 'nN'.includes(text[0] ?? '-') ? N : undefined;
      return t !== undefined && this.setTristate(sym, t);
    }
    if ((sym.type === 'int' || sym.type === 'hex') && !(isValidValue(sym.type, text) && this.ev.withinRange(sym, text))) return false;
    const value = sym.type === 'hex' && !/^0[xX]/.test(text) ? `0x${text}` : text;
    // conf recomputes only when the stored text changes
    const changed = this.storedText.get(sym) !== value;
    this.ev.userStr.set(sym, value);
    this.storedText.set(sym, value);
    this.settle(changed);
    return true;
  }

  /** 6.12's choice_set_value: each visible member gets y or n and the highest priority, in menu order. */
  setChoice(choice: Choice, members: KSymbol[], chosen: KSymbol): void {
    const order = this.ev.priority.get(choice)!;
    for (const m of members) {
      if (this.visibility(m) === N) continue;
      this.ev.userTri.set(m, m === chosen ? Y : N);
      order.splice(order.indexOf(m), 1);
      order.unshift(m);
    }
    this.settle();
  }
}

/**
 * conf's for_all_symbols order: buckets of an FNV-1a hash modulo 9973
 * (symbol.c strhash, expr.h SYMBOL_HASHSIZE), newest symbol first within a bucket.
 */
function inHashOrder(syms: KSymbol[]): KSymbol[] {
  const bucket = (name: string): number => {
    let h = 2166136261;
    for (const byte of Buffer.from(name)) h = Math.imul(h ^ byte, 0x01000193) >>> 0;
    return h % 9973;
  };
  return syms
    .map((s, i) => ({ s, i, b: bucket(s.name) }))
    .sort((x, y) => x.b - y.b || y.i - x.i)
    .map((x) => x.s);
}

// ---------------------------------------------------------------------------

interface ChoiceUserValue {
  /** OR of the members' user values (conf_read_simple). */
  tri: Tristate;
  /** The last member set to y. */
  selection: KSymbol | undefined;
  /** Cleared when a member set to m follows one set to y ("inconsistent choice state"). */
  has: boolean;
}

class ConfEvaluator {
  readonly tri: Tristate[];
  /** curr.val of int/hex/string symbols. */
  readonly str: string[];
  readonly vis: Tristate[];
  readonly write: boolean[];
  readonly selection = new Map<Choice, KSymbol | undefined>();
  readonly userTri = new Map<KSymbol, Tristate>();
  readonly userStr = new Map<KSymbol, string>();
  readonly choiceUser = new Map<Choice, ChoiceUserValue>();
  /** 6.12: each choice's members, highest priority first (choice->choice_members). */
  readonly priority = new Map<Choice, KSymbol[]>();
  private readonly choiceRework: boolean;

  constructor(
    private readonly model: KconfigModel,
    private readonly inputs: Map<number, string>,
  ) {
    this.choiceRework = hasRules(model.dialect, '6.12');
    // A loop, not Math.max(...ids): a spread of 150,000 arguments overflows the call stack.
    let n = 0;
    for (const s of model.symbols) n = Math.max(n, s.id + 1);
    this.tri = new Array<Tristate>(n).fill(N);
    this.str = new Array<string>(n).fill('');
    this.vis = new Array<Tristate>(n).fill(N);
    this.write = new Array<boolean>(n).fill(false);
  }

  /** conf_read_simple: which values become user values. Returns the rejected names. */
  readConfig(userValues: Iterable<readonly [string, string]>): string[] {
    const rejected: string[] = [];
    for (const c of this.model.choices) {
      this.choiceUser.set(c, { tri: N, selection: undefined, has: true });
      this.priority.set(c, [...c.members]);
    }
    for (const [name, text] of userValues) {
      const sym = this.model.byName.get(name);
      if (!sym || sym.definitions.length === 0 || sym.ownChoice) continue;
      let t: Tristate | undefined;
      switch (sym.type) {
        case 'bool':
        case 'tristate':
          // conf_set_sym_val looks at the first character only; m is only for tristates
          t = text[0] === 'y' ? Y : text[0] === 'n' ? N : text[0] === 'm' && sym.type === 'tristate' ? M : undefined;
          if (t === undefined) rejected.push(name);
          else this.userTri.set(sym, t);
          break;
        case 'string':
          this.userStr.set(sym, text);
          break;
        case 'int':
        case 'hex':
          if (isValidValue(sym.type, text)) this.userStr.set(sym, text);
          else rejected.push(name);
          break;
        default:
          break;
      }
      if (t !== undefined && sym.memberOf && this.choiceRework) {
        // each member read moves to the front: the last one read wins
        const order = this.priority.get(sym.memberOf)!;
        order.splice(order.indexOf(sym), 1);
        order.unshift(sym);
      } else if (t !== undefined && sym.memberOf) {
        const cu = this.choiceUser.get(sym.memberOf)!;
        if (t === M && cu.tri === Y) cu.has = false;
        if (t === Y) cu.selection = sym;
        cu.tri = maxT(cu.tri, t);
      }
    }
    return rejected;
  }

  settle(syms: KSymbol[]): void {
    const maxSweeps = 4 * syms.length + 20;
    for (let sweep = 0; sweep < maxSweeps; sweep++) {
      let changed = false;
      for (const s of syms) if (this.update(s)) changed = true;
      if (!changed) return;
    }
    throw new Error('evaluation does not settle: a dependency loop conf would reject?');
  }

  /**
   * conf_read's second loop: out-of-range int/hex user values are forgotten
   * and only those symbols are recomputed (their VALID flag is cleared).
   * The loop runs in symbol-hash order and later checks already see the
   * recomputed values, so we follow that order.
   */
  dropOutOfRangeUserValues(syms: KSymbol[]): KSymbol[] {
    const dropped: KSymbol[] = [];
    if (this.choiceRework) return dropped; // 6.12's conf_read no longer has this loop
    const numbers = syms.filter((s) => this.userStr.has(s) && !s.memberOf && (s.type === 'int' || s.type === 'hex'));
    for (const s of inHashOrder(numbers)) {
      if (this.withinRange(s, this.userStr.get(s)!)) continue;
      this.userStr.delete(s);
      dropped.push(s);
      this.settle(dropped);
    }
    return dropped;
  }

  /**
   * The selects whose term (selector ∧ condition) is above the target's
   * direct dependencies in the current state, conf's "unmet direct
   * dependencies" condition seen per select: `SELECTOR->TARGET@LINE`.
   * Choice members are skipped (conf never computes their dependencies).
   */
  unmetSelects(): string[] {
    const out: string[] = [];
    for (const target of this.model.symbols) {
      if (target.definitions.length === 0 || target.memberOf || target.ownChoice) continue;
      if (target.type !== 'bool' && target.type !== 'tristate') continue;
      const dir = this.promote(target, this.dirDep(target));
      for (const r of target.selectedBy) {
        const term = this.promote(target, minT(this.tri[r.selector.id]!, this.expr(r.condition)));
        if (term > dir) out.push(`${r.selector.name}->${target.name}@${r.loc.line}`);
      }
    }
    return out;
  }

  reasons(sym: KSymbol): ValueReasons {
    const active = (revs: readonly ReverseDependency[]) =>
      revs.map((rev) => ({ rev, value: minT(this.tri[rev.selector.id]!, this.expr(rev.condition)) })).filter((r) => r.value !== N);
    const out: ValueReasons = {
      visibility: this.visibility(sym),
      dependencies: this.dirDep(sym),
      selectedBy: active(sym.selectedBy),
      impliedBy: active(sym.impliedBy),
    };
    const def = this.firstDefault(sym);
    if (def) out.default = def;
    const range = sym.type === 'int' || sym.type === 'hex' ? sym.ranges.find((r) => this.expr(r.condition) !== N) : undefined;
    if (range) out.range = { prop: range, low: this.currVal(range.low), high: this.currVal(range.high) };
    if (sym.memberOf) out.choiceSelection = this.selection.get(sym.memberOf);
    return out;
  }

  result(syms: KSymbol[]): { values: Map<string, string>; written: Set<string> } {
    const values = new Map<string, string>();
    const written = new Set<string>();
    for (const s of syms) {
      values.set(s.name, s.type === 'bool' || s.type === 'tristate' ? TRI_TEXT[this.tri[s.id]!] : this.str[s.id]!);
      if (this.write[s.id] && !s.ownChoice) written.add(s.name);
    }
    return { values, written };
  }

  // --- sym_calc_value --------------------------------------------------------

  /** Recomputes one symbol from the current state; true when anything changed. */
  private update(sym: KSymbol): boolean {
    const id = sym.id;
    const tri = this.tri[id];
    const str = this.str[id];
    const vis = this.vis[id];
    const write = this.write[id];
    const selection = sym.ownChoice ? this.selection.get(sym.ownChoice) : undefined;
    if (sym.type === 'bool' || sym.type === 'tristate') this.updateLogic(sym);
    else this.updateString(sym);
    return (
      tri !== this.tri[id] ||
      str !== this.str[id] ||
      vis !== this.vis[id] ||
      write !== this.write[id] ||
      (sym.ownChoice !== undefined && selection !== this.selection.get(sym.ownChoice))
    );
  }

  private updateLogic(sym: KSymbol): void {
    if (sym.transitional) return this.updateTransitional(sym);
    const vis = this.visibility(sym);
    this.vis[sym.id] = vis;
    const choice = sym.ownChoice;
    let write = vis !== N;
    let v: Tristate;
    if (this.choiceRework && (choice || sym.memberOf)) {
      this.updateChoice612(sym);
      return;
    }
    if (sym.memberOf && vis === Y) {
      v = this.selection.get(sym.memberOf) === sym ? Y : N;
    } else {
      // conf never computes dir_dep/rev_dep/implied of choice values
      // (sym_calc_visibility returns early), so select/imply do not reach them
      const member = sym.memberOf !== undefined;
      const dir = member ? N : this.promote(sym, this.dirDep(sym));
      const rev = member ? N : this.promote(sym, this.revDep(sym));
      const imp = member ? N : this.promote(sym, this.implied(sym));
      const user = this.userTriOf(sym);
      if (vis !== N && user !== undefined) {
        v = minT(user, vis);
      } else {
        v = N;
        if (rev !== N) write = true;
        if (!choice) {
          const def = this.firstDefault(sym);
          if (def) {
            v = minT(this.expr(def.prop.value), def.condition);
            if (v !== N) write = true;
          }
          // 6.1: the implied value is capped by the direct dependencies, and a
          // tristate gets no m→y promotion from it
          if (imp !== N) {
            write = true;
            v = minT(maxT(v, imp), dir);
          }
        }
      }
      v = maxT(v, rev);
    }
    if (v === M && this.effectiveType(sym) === 'bool') v = Y;
    if (choice) {
      this.tri[sym.id] = v; // the members' visibility below sees the new mode, as in conf
      let selected: KSymbol | undefined;
      if (v === Y) {
        selected = this.chooseMember(choice);
        if (!selected) v = N;
      }
      this.selection.set(choice, selected);
      write = false; // SYMBOL_NO_WRITE
    }
    this.tri[sym.id] = v;
    this.write[sym.id] = write;
  }

  /**
   * 6.12: a choice has no value of its own (n, never written); a visible
   * member is y exactly when sym_calc_choice picks it, an invisible one n.
   */
  private updateChoice612(sym: KSymbol): void {
    if (sym.ownChoice) {
      this.selection.set(sym.ownChoice, this.chooseMember612(sym.ownChoice));
      this.tri[sym.id] = N;
      this.write[sym.id] = false;
      return;
    }
    const visible = this.vis[sym.id] !== N;
    this.tri[sym.id] = visible && this.selection.get(sym.memberOf!) === sym ? Y : N;
    this.write[sym.id] = visible;
  }

  /** 6.12's sym_calc_choice: user y by priority, else the default unless set to n, else one not set, else the last n. */
  private chooseMember612(choice: Choice): KSymbol | undefined {
    for (const m of choice.members) this.vis[m.id] = this.visibility(m);
    const visible = (s: KSymbol): boolean => this.vis[s.id] !== N;
    const order = this.priority.get(choice)!;
    const chosen = order.find((m) => visible(m) && this.userTri.get(m) === Y);
    if (chosen) return chosen;
    let fallback: KSymbol | undefined;
    for (const d of choice.defaults) {
      if (this.expr(d.condition) === N) continue;
      if (d.value.kind === 'leaf' && d.value.leaf.kind === 'symbol' && visible(d.value.leaf.symbol)) {
        fallback = d.value.leaf.symbol;
        break;
      }
    }
    fallback ??= choice.members.find(visible);
    if (fallback && this.userTri.get(fallback) !== N) return fallback;
    return choice.members.find((m) => visible(m) && !this.userTri.has(m)) ?? [...order].reverse().find(visible);
  }

  /** 6.18: a transitional symbol holds what the .config says (or nothing) and is never written. */
  private updateTransitional(sym: KSymbol): void {
    if (sym.type === 'bool' || sym.type === 'tristate') {
      const user = this.userTri.get(sym) ?? N;
      this.tri[sym.id] = user === M && this.effectiveType(sym) === 'bool' ? Y : user;
    } else {
      this.str[sym.id] = this.userStr.get(sym) ?? initialValue(this.model.dialect, sym.type);
    }
    this.write[sym.id] = false;
  }

  private updateString(sym: KSymbol): void {
    if (sym.transitional) return this.updateTransitional(sym);
    const vis = this.visibility(sym);
    this.vis[sym.id] = vis;
    let write = vis !== N;
    let val = initialValue(this.model.dialect, sym.type);
    const user = this.userStr.get(sym);
    if (vis !== N && user !== undefined) {
      val = user;
    } else {
      const def = this.firstDefault(sym);
      // only a single-symbol default gives a value (prop_get_symbol); any other
      // expression still wins as the first default but leaves the value empty
      if (def && def.prop.value.kind === 'leaf') {
        write = true;
        val = this.currVal(def.prop.value.leaf);
      }
    }
    this.str[sym.id] = this.clampToRange(sym, val);
    this.tri[sym.id] = N;
    this.write[sym.id] = write;
  }

  /** sym_calc_choice + sym_choice_default. */
  private chooseMember(choice: Choice): KSymbol | undefined {
    for (const m of choice.members) this.vis[m.id] = this.visibility(m);
    const visible = (s: KSymbol): boolean => this.vis[s.id] !== N;
    const cu = this.choiceUser.get(choice);
    if (cu?.selection && visible(cu.selection)) return cu.selection;
    for (const d of choice.defaults) {
      if (this.expr(d.condition) === N) continue;
      if (d.value.kind === 'leaf' && d.value.leaf.kind === 'symbol' && visible(d.value.leaf.symbol)) {
        return d.value.leaf.symbol;
      }
    }
    return choice.members.find(visible);
  }

  private userTriOf(sym: KSymbol): Tristate | undefined {
    if (sym.ownChoice) {
      const cu = this.choiceUser.get(sym.ownChoice);
      return cu?.has ? cu.tri : undefined;
    }
    return this.userTri.get(sym);
  }

  /** sym_calc_visibility's prompt part. */
  private visibility(sym: KSymbol): Tristate {
    let v: Tristate = N;
    const choiceSym = sym.memberOf?.symbol;
    for (const p of sym.prompts) {
      let pv = this.expr(p.visibility);
      // a tristate choice value visible only as m is hidden while its choice is y
      if (choiceSym && sym.type === 'tristate' && pv === M && this.tri[choiceSym.id] === Y) pv = N;
      v = maxT(v, pv);
    }
    if (v === M && (sym.type !== 'tristate' || this.modulesValue() === N)) v = Y;
    return v;
  }

  /** sym_get_type: a tristate acts as bool without modules, or as a choice value visible as y. */
  effectiveType(sym: KSymbol): SymbolType {
    if (sym.type === 'tristate' && ((sym.memberOf && this.vis[sym.id] === Y) || this.modulesValue() === N)) return 'bool';
    return sym.type;
  }

  promote(sym: KSymbol, v: Tristate): Tristate {
    return v === M && this.effectiveType(sym) === 'bool' ? Y : v;
  }

  private modulesValue(): Tristate {
    return this.model.modules ? this.tri[this.model.modules.id]! : N;
  }

  /**
   * dir_dep: conf ORs the definitions' dependencies with expr_alloc_or, which
   * treats a definition without dependencies as absent rather than as y.
   */
  private dirDep(sym: KSymbol): Tristate {
    const deps = sym.definitions.map((d) => d.dependency).filter((d) => !(d.kind === 'leaf' && d.leaf.kind === 'const' && d.leaf.text === 'y'));
    if (deps.length === 0) return Y;
    return deps.reduce<Tristate>((acc, d) => maxT(acc, this.expr(d)), N);
  }

  revDep(sym: KSymbol): Tristate {
    let v: Tristate = N;
    for (const r of sym.selectedBy) v = maxT(v, minT(this.tri[r.selector.id]!, this.expr(r.condition)));
    // 6.1's menu_finalize: a non-optional choice is "selected" by `<prompt visibility> && m`
    const choice = sym.ownChoice;
    if (choice && !choice.optional && !this.choiceRework && sym.prompts[0]) v = maxT(v, minT(this.expr(sym.prompts[0].visibility), M));
    return v;
  }

  private implied(sym: KSymbol): Tristate {
    let v: Tristate = N;
    for (const r of sym.impliedBy) v = maxT(v, minT(this.tri[r.selector.id]!, this.expr(r.condition)));
    return v;
  }

  /** sym_get_default_prop: the first default whose condition is not n. */
  private firstDefault(sym: KSymbol): { prop: Default; condition: Tristate } | undefined {
    for (const prop of sym.defaults) {
      const condition = this.expr(prop.condition);
      if (condition !== N) return { prop, condition };
    }
    return undefined;
  }

  /** sym_validate_range: a value outside the first active range becomes the bound's text. */
  private clampToRange(sym: KSymbol, val: string): string {
    if (sym.type !== 'int' && sym.type !== 'hex') return val;
    const base = sym.type === 'int' ? 10 : 16;
    const range = sym.ranges.find((r) => this.expr(r.condition) !== N);
    if (!range) return val;
    const v = rangeNumber(val, sym.type, base);
    if (v < this.rangeBound(range.low, base)) return this.currVal(range.low);
    if (v > this.rangeBound(range.high, base)) return this.currVal(range.high);
    return val;
  }

  /** sym_string_within_range for int/hex. */
  withinRange(sym: KSymbol, text: string): boolean {
    const base = sym.type === 'int' ? 10 : 16;
    const range = sym.ranges.find((r) => this.expr(r.condition) !== N);
    if (!range) return true;
    const v = rangeNumber(text, sym.type, base);
    return v >= this.rangeBound(range.low, base) && v <= this.rangeBound(range.high, base);
  }

  /** sym_get_range_val: an int/hex bound symbol is read in its own base. */
  private rangeBound(leaf: Leaf, base: 10 | 16): bigint {
    const r = this.resolve(leaf);
    return rangeNumber(this.currVal(r), r.kind === 'symbol' ? r.symbol.type : 'unknown', base);
  }

  // --- expressions -----------------------------------------------------------

  /** An input leaf reads as the word it stands for. */
  private resolve(leaf: Leaf): Leaf {
    if (leaf.kind !== 'input') return leaf;
    const text = this.inputs.get(leaf.input.id) ?? 'n';
    const sym = this.model.byName.get(text);
    if (sym && sym.definitions.length > 0 && text !== 'y' && text !== 'm' && text !== 'n') return { kind: 'symbol', symbol: sym };
    return { kind: 'const', text };
  }

  /** A leaf's curr.tri. */
  private leafTri(leaf: Leaf): Tristate {
    const r = this.resolve(leaf);
    if (r.kind === 'symbol') return this.tri[r.symbol.id]!;
    if (r.kind === 'const') return r.text === 'y' ? Y : r.text === 'm' ? M : N;
    return N;
  }

  /**
   * A leaf's curr.val: the text of int/hex/string symbols, the name of
   * undefined symbols and constants. A bool/tristate keeps the "n" of
   * symbol_no there whatever its value, so e.g. a string `default BOOLSYM` is "n".
   */
  currVal(leaf: Leaf): string {
    const r = this.resolve(leaf);
    if (r.kind === 'const') return r.text;
    if (r.kind === 'input') return 'n';
    const s = r.symbol;
    if (s.definitions.length === 0 || s.type === 'unknown') return s.name;
    if (s.type === 'bool' || s.type === 'tristate') return 'n';
    return this.str[s.id]!;
  }

  /** sym_get_string_value. */
  private leafString(leaf: Leaf): string {
    const r = this.resolve(leaf);
    if (r.kind === 'symbol' && (r.symbol.type === 'bool' || r.symbol.type === 'tristate') && r.symbol.definitions.length > 0) {
      return TRI_TEXT[this.tri[r.symbol.id]!];
    }
    return this.currVal(r);
  }

  private leafType(leaf: Leaf): SymbolType {
    const r = this.resolve(leaf);
    if (r.kind === 'symbol') return r.symbol.definitions.length > 0 ? r.symbol.type : 'unknown';
    return r.kind === 'const' && (r.text === 'y' || r.text === 'm' || r.text === 'n') ? 'tristate' : 'unknown';
  }

  /** expr_calc_value. */
  expr(e: ModelExpr): Tristate {
    switch (e.kind) {
      case 'leaf':
        return this.leafTri(e.leaf);
      case 'not':
        return (2 - this.expr(e.operand)) as Tristate;
      case 'and':
        return minT(this.expr(e.left), this.expr(e.right));
      case 'or':
        return maxT(this.expr(e.left), this.expr(e.right));
      case 'compare':
        return compareValues(e.op, this.leafString(e.left), this.leafType(e.left), this.leafString(e.right), this.leafType(e.right)) ? Y : N;
    }
  }
}