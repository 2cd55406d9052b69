/**
 * A loaded tree for one architecture, its formula (encoded once, with live
 * solvers that many questions reuse), and what a configuration means in it.
 * Everything in src/analysis works through it.
 */
import { cached, cachedOnly, cacheSettings, restoredTree, savedTree, type CachedBuild, type SavedTree } from '../cache/session-cache.js';
import { KconfsatError } from '../errors.js';
import type { DotConfig } from '../io/dotconfig.js';
import { Formula, type FormulaSnapshot, type Lit } from '../formula/formula.js';
import { isValidValue } from '../model/values.js';
import { loadKconfig, type LoadedTree, type LoadOptions } from '../model/load.js';
import { mentionsInput } from '../model/expr.js';
import type { KconfigModel, KSymbol, ModelExpr } from '../model/types.js';
import { MemorySourceFiles } from '../parse/files.js';
import type { ParseMemo } from '../parse/memo.js';

export type { ConfigEntry, Lean, SolveOptions } from '../formula/formula.js';

export type SessionOptions = LoadOptions;

/** The symbols of a model whose constraints an edit may change (FormulaOptions.editable). */
export type Editable = (model: KconfigModel) => ReadonlySet<string>;

/**
 * A tree with one of each construct: its formula's objects are of every class
 * a saved session can hold (a class missing here makes every entry unreadable,
 * which the cache notes when writing).
 */
const EVERY_CONSTRUCT = `mainmenu "m"
config B
\tbool "b"
\tselect T
\timply S
config T
\ttristate "t"
\tdepends on MODULES
config MODULES
\tbool "modules"
\tmodules
config S
\tstring "s"
\tdefault "x"
config I
\tint "i"
\trange 0 9
\tdefault 3
config H
\thex "h"
\tdefault 0x10
menuconfig MC
\tbool "mc"
if MC
menu "sub"
\tvisible if B
comment "c"
\tdepends on T
endmenu
endif
choice
\tprompt "pick"
\tdefault C1
config C1
\tbool "c1"
config C2
\ttristate "c2"
endchoice
`;

/** `options` for `arch` (none: the tree has no arches): what runs over several arches opens each with. */
export function withArch(options: SessionOptions, arch: string | undefined): SessionOptions {
  const out: SessionOptions = { ...options };
  delete out.arch;
  if (arch !== undefined) out.arch = arch;
  return out;
}

export interface SessionTimings {
  parseMs: number;
  buildMs: number;
  encodeMs: number;
  loadSolverMs: number;
  /** Set when the tree and its encoding came from the session cache (parse, build and encode are then 0). */
  cacheMs?: number;
}

/** A configuration as symbol name → value text (y/m/n, or the string/number). */
export type ConfigValues = Map<string, string>;

export class Session {
  readonly model: KconfigModel;
  readonly timings: SessionTimings;
  readonly formula: Formula;

  private constructor(
    readonly loaded: LoadedTree,
    readonly options: SessionOptions,
    formula: { saved?: FormulaSnapshot; from?: Session; editable?: Editable } = {},
  ) {
    this.model = loaded.model;
    const t0 = performance.now();
    const editable = { editable: formula.editable?.(this.model) };
    this.formula = (formula.from && Formula.updated(formula.from.formula, this.model, editable)) || new Formula(this.model, formula.saved, editable);
    const t1 = performance.now();
    this.formula.load();
    const t2 = performance.now();
    this.timings = { ...loaded.timings, encodeMs: t1 - t0, loadSolverMs: t2 - t1 };
  }

  /**
   * With `options.cache`, from the persisted session cache when nothing
   * changed (src/cache); with a `memo`, parsed reusing the files an earlier
   * load with it parsed the same way (parse/memo.ts).
   */
  static open(options: SessionOptions, memo?: ParseMemo, editable?: Editable): Session {
    if (!options.cache) return new Session(loadKconfig(options, memo), options, { editable });
    return cached(options, cacheSettings(), Session.entry(options, memo, editable));
  }

  /**
   * The tree as `options` has it now, when `previous` is a session of an
   * earlier version of it (an editor's documents changed): the formula is
   * made from the previous one when only symbols' constraints changed
   * (Formula.updated), which then answers nothing more; else as open() does.
   * `editable`: see FormulaOptions.
   */
  static reopen(previous: Session, options: SessionOptions, memo?: ParseMemo, editable?: Editable): Session {
    return Session.fromLoaded(loadKconfig(options, memo), options, { from: previous, editable });
  }

  /** How a session is kept in the session cache, and made again from it. */
  private static entry(options: SessionOptions, memo?: ParseMemo, editable?: Editable): CachedBuild<Session, { loaded: SavedTree; formula: FormulaSnapshot }> {
    return {
      build: (files) => {
        const session = new Session(loadKconfig(files ? { ...options, tree: files } : options, memo), options, { editable });
        // Taken before any question adds gates to the formula.
        return { value: session, saved: { loaded: savedTree(session.loaded), formula: session.formula.snapshot() } };
      },
      restore: (saved, files, cacheMs) => new Session(restoredTree(saved.loaded, files, options, cacheMs), options, { saved: saved.formula, editable }),
      // The classes of a saved session's objects: those of a formula of every construct.
      sample: () => new Formula(loadKconfig({ tree: new MemorySourceFiles({ Kconfig: EVERY_CONSTRUCT }) }).model).snapshot(),
    };
  }

  /**
   * A session of a tree loaded before (to look at its model first and encode
   * only when needed); with `from`, a session of an earlier version of the
   * tree, made from its formula as reopen() does.
   */
  static fromLoaded(loaded: LoadedTree, options: SessionOptions, formula: { from?: Session; editable?: Editable } = {}): Session {
    return new Session(loaded, options, formula);
  }

  /**
   * The tree loaded, for a caller that compares models first and may never
   * solve (review, upgrade): when the session cache holds it, with its
   * session (restoring costs a fraction of parsing); else parsed and resolved
   * but neither encoded nor kept (Session.fromLoaded encodes when needed).
   */
  static loadTree(options: SessionOptions, memo?: ParseMemo): { loaded: LoadedTree; session?: Session } {
    const session = options.cache ? cachedOnly(options, cacheSettings(), Session.entry(options)) : undefined;
    return session ? { loaded: session.loaded, session } : { loaded: loadKconfig(options, memo) };
  }

  /** Frees the solvers (see Formula.dispose): for a caller opening many short-lived sessions. */
  dispose(): void {
    this.formula.dispose();
  }

  get arch(): string | undefined {
    return this.loaded.arch;
  }

  /** A defined symbol by name; a user error naming the symbol otherwise. */
  symbol(name: string): KSymbol {
    const sym = this.model.byName.get(name);
    if (!sym || sym.definitions.length === 0) {
      throw new KconfsatError('symbol', `unknown symbol '${name}'${this.arch ? ` for ${this.arch}` : ''}`);
    }
    return sym;
  }

  /** Literals fixing every symbol the values mention (choices and free inputs stay open). */
  assumptionsFor(values: ConfigValues, options: { absentAsDefault?: boolean } = {}): Lit[] {
    const lits: Lit[] = [];
    for (const sym of this.model.symbols) {
      if (sym.definitions.length === 0 || sym.ownChoice) continue;
      const given = values.get(sym.name);
      // conf leaves out bool/tristate symbols that are n and strings/numbers no default reached.
      if (given === undefined && (options.absentAsDefault || this.formula.hasValues(sym))) continue;
      lits.push(...this.formula.valueLiterals(sym, given));
    }
    return lits;
  }

  /** `S = "text"` for each int/hex/string value of the configuration that the value domains do not hold. */
  valueComparisons(values: ConfigValues): ModelExpr[] {
    const out: ModelExpr[] = [];
    for (const [name, text] of values) {
      const sym = this.model.byName.get(name);
      // A number of the wrong form is no value of an int/hex symbol: nothing to tell apart.
      if (!sym || !isValidValue(sym.type, text) || !this.formula.uncovered(sym, text)) continue;
      out.push({ kind: 'compare', op: '=', left: { kind: 'symbol', symbol: sym }, right: { kind: 'const', text } });
    }
    return out;
  }

  /** The symbols computed straight from free inputs (toolchain probes): what a .config records of the toolchain. */
  probeSymbols(): KSymbol[] {
    return this.model.symbols.filter((s) => s.definitions.length > 0 && !s.ownChoice && readsInput(s));
  }

  /**
   * The free inputs' values in a model of the formula where every symbol
   * `only` accepts has the configuration's value, or undefined when there is
   * none. With `complete`, a symbol the configuration leaves out is also not
   * written (conf writes every symbol it can) and one it holds is written.
   */
  inputsOfModelWhere(values: ConfigValues, options: { complete: boolean; only: (sym: KSymbol) => boolean }): Map<number, string> | undefined {
    const lits: Lit[] = [];
    const clauses: Lit[][] = [];
    const formula = this.formula;
    for (const sym of this.model.symbols) {
      if (sym.definitions.length === 0 || sym.ownChoice || sym.type === 'unknown' || !options.only(sym)) continue;
      const given = values.get(sym.name);
      if (given !== undefined) lits.push(...formula.valueLiterals(sym, given));
      if (!options.complete) continue;
      const written = formula.written(sym);
      if (given === undefined) {
        for (const l of written) lits.push(-l);
        if (formula.isTristate(sym)) lits.push(...formula.valueLiterals(sym, undefined));
      } else clauses.push(written);
    }
    if (formula.solve(lits, { clauses }) !== 'sat') return undefined;
    return formula.modelInputs();
  }
}

function readsInput(sym: KSymbol): boolean {
  return [
    ...sym.defaults.flatMap((d) => [d.value, d.condition]),
    ...sym.prompts.map((p) => p.visibility),
    ...sym.definitions.map((d) => d.dependency),
  ].some(mentionsInput);
}

/** The values a parsed .config gives, later assignments winning as in conf. */
export function configValues(config: DotConfig): ConfigValues {
  const out: ConfigValues = new Map();
  for (const e of config.entries) out.set(e.name, e.value);
  return out;
}
