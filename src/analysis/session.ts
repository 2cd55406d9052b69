/**
 * A loaded tree for one architecture, encoded once into a live solver, that
 * many questions reuse. Everything in src/analysis works through it.
 */
import { cached, cacheSettings, restoredTree, savedTree } from '../cache/session-cache.js';
import { KconfsatError } from '../errors.js';
import type { DotConfig } from '../io/dotconfig.js';
import { FALSE, holdsIn, TRUE, type Cnf, type Lit } from '../logic/cnf.js';
import { isValidValue } from '../model/values.js';
import { encodeModel, type Encoding } from '../logic/encode.js';
import { loadKconfig, type LoadedTree, type LoadOptions } from '../model/load.js';
import { mentionsInput } from '../model/expr.js';
import type { KconfigModel, KSymbol, ModelExpr } from '../model/types.js';
import { MemorySourceFiles } from '../parse/files.js';
import { MiniSatSolver } from '../sat/minisat.js';
import { Propagator } from '../sat/propagator.js';
import { SolverMemoryError, type SolveResult, type Solver } from '../sat/solver.js';

export type SessionOptions = LoadOptions;

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

/** One line of a .config: a symbol conf writes and its value. */
export interface ConfigEntry {
  name: string;
  type: KSymbol['type'];
  value: string;
}

/** Which way the solver leans for variables a question leaves open. */
export type Lean = 'off' | 'on';

export interface SessionSolveOptions {
  /** Clauses in force for this call only. */
  clauses?: readonly (readonly Lit[])[];
  /** Which solver answers: the one trying "true" first (the default) or the one trying "false" first. */
  lean?: Lean;
}

/**
 * The solver that tries "true" first answers by default: on Linux its first
 * model comes about four times sooner (far fewer conflicts before the
 * defaults and selects settle), and every later solve starts from the last
 * model anyway. Models lean towards "on" as a result; callers wanting small
 * configurations ask for 'off'.
 */
const DEFAULT_LEAN: Lean = 'on';

/** Activation variables a solver may collect before it is reloaded, however small the formula. */
const MIN_ACTIVATIONS_BEFORE_RELOAD = 2000;

/** Which of the session's clauses a solver holds. */
interface Scope {
  /** Literals true for good: each is a unit clause of the solver's own, and every clause is loaded simplified by them. */
  facts?: readonly Lit[];
  /** Only the constraints of the owners `keep` accepts, with the gates they and `seeds` reach (Cnf.rawClausesFor). */
  owners?: { keep: (owner: number) => boolean; seeds: readonly Lit[] };
}

/**
 * A solver kept in step with the session's CNF. MiniSat's heap is fixed, and
 * every multi-literal solve leaves clauses behind, so a solver that runs out
 * of memory is replaced by a fresh one loaded from the CNF and the question
 * asked again; the dead instance never answers.
 */
class LiveSolver {
  private current: MiniSatSolver;
  private synced = 0;
  /** Activation variables handed to the current solver, and the CNF's variables when it was loaded. */
  private activations = 0;
  private loadedVars = 0;
  /** Clauses of this solver alone (addOwnClause), loaded again into a fresh solver. */
  private readonly own: Lit[][] = [];

  constructor(
    private readonly cnf: Cnf,
    private readonly lean: Lean,
    private readonly scope: Scope = {},
  ) {
    this.current = this.fresh();
  }

  get solver(): Solver {
    return this.current;
  }

  solve(assumptions: readonly Lit[], clauses: readonly (readonly Lit[])[]): SolveResult {
    // Each retired activation variable stays in the solver, and every solve costs time per variable:
    // past as many as the formula has, a fresh solver numbering only the variables it holds (compact)
    // keeps a long run of solves (sample -n) linear instead of quadratic.
    if (this.activations > Math.max(MIN_ACTIVATIONS_BEFORE_RELOAD, this.loadedVars)) this.current = this.fresh(true);
    const attempt = (): SolveResult => {
      this.sync();
      // Activation variables come from the CNF so later gates never reuse their numbers.
      return this.current.solve(assumptions, {
        clauses,
        activation: () => {
          this.activations++;
          return this.cnf.newVar();
        },
      });
    };
    try {
      return attempt();
    } catch (e) {
      if (!(e instanceof SolverMemoryError)) throw e;
      this.current = this.fresh();
      return attempt();
    }
  }

  /** A clause for this solver only, kept for its life (not in the session's CNF). */
  addOwnClause(lits: readonly Lit[]): void {
    this.own.push([...lits]);
    this.current.addClause(lits);
  }

  private fresh(compact = this.scope.owners !== undefined): MiniSatSolver {
    this.synced = 0;
    this.activations = 0;
    this.loadedVars = this.cnf.numVars;
    this.current = new MiniSatSolver({ preferTrue: this.lean === 'on', compact });
    // The facts go first, as unit clauses in one buffer: MiniSat then leaves out the clauses
    // they satisfy and the literals they falsify as it takes the CNF (a tenth of Linux's literals).
    const facts = this.scope.facts ?? [];
    const units = new Int32Array(2 * facts.length);
    facts.forEach((fact, i) => (units[2 * i] = fact));
    this.current.addRawClauses(units);
    this.sync();
    for (const c of this.own ?? []) this.current.addClause(c);
    return this.current;
  }

  /** Hands the solver the clauses added to the CNF since it was loaded (queries add gates). */
  private sync(): void {
    if (this.cnf.rawLength === this.synced) return;
    const owners = this.scope.owners;
    this.current.addRawClauses(owners && this.synced === 0 ? this.cnf.rawClausesFor(owners.keep, owners.seeds) : this.cnf.rawClauses(this.synced));
    this.synced = this.cnf.rawLength;
  }
}

export class Session {
  readonly model: KconfigModel;
  readonly timings: SessionTimings;
  private current!: Encoding;
  /**
   * Each symbol's constraints are guarded by a selector literal so that
   * explanations can switch them off; this literal switches them all on (a
   * fact for the solvers of ordinary questions, a unit clause in DIMACS).
   */
  private allConstraintsLit!: Lit;
  /**
   * By lean, the solvers that hold every constraint for good ('all': the
   * group selectors are facts, so a solve need not settle them and what they
   * imply again, about a fifth of a Linux query's time) and the one that
   * switches groups by assumption ('groups', loaded when first asked).
   */
  private solvers = new Map<`${Lean}/${'all' | 'groups'}`, LiveSolver>();
  /** The solver that answered last: its model is the one read. */
  private last!: LiveSolver;
  /** Questions' expressions whose comparisons the value domains were widened for. */
  private readonly extraComparisons: ModelExpr[] = [];
  /** Clauses added with addClause: widening the domains would lose them. */
  private addedClauses = 0;

  private constructor(
    readonly loaded: LoadedTree,
    readonly options: SessionOptions,
    saved?: SavedEncoding,
  ) {
    this.model = loaded.model;
    const t0 = performance.now();
    if (saved) {
      this.current = saved.encoding;
      this.allConstraintsLit = saved.allConstraints;
    } else this.encode();
    const t1 = performance.now();
    this.last = this.liveSolver(DEFAULT_LEAN, 'all');
    const t2 = performance.now();
    this.timings = { ...loaded.timings, encodeMs: t1 - t0, loadSolverMs: t2 - t1 };
  }

  get encoding(): Encoding {
    return this.current;
  }

  get allConstraints(): Lit {
    return this.allConstraintsLit;
  }

  private encode(): void {
    this.current = encodeModel(this.model, { groupSelectors: true, extraComparisons: this.extraComparisons });
    this.allConstraintsLit = this.current.cnf.newVar('all-constraints');
    const cnf = this.current.cnf;
    this.current.selectors.forEach((s, sym) => {
      cnf.owner = sym.id;
      cnf.implies(this.allConstraintsLit, s);
    });
    cnf.owner = -1;
    this.solvers = new Map();
    this.tables = undefined;
    this.propagation = undefined;
  }

  /**
   * Makes the value domains tell apart what these expressions compare: a
   * string, int or hex value the tree never mentions (LOCALVERSION="-test")
   * gets its own candidate. The formula is then built again, so literals
   * taken from the encoding before this call are void; call it before taking
   * any for a question.
   */
  coverComparisons(exprs: readonly ModelExpr[]): void {
    if (exprs.every((e) => this.current.domains.covers(e))) return;
    if (this.addedClauses > 0) throw new Error('coverComparisons after addClause: the added clauses would be lost');
    this.extraComparisons.push(...exprs);
    this.encode();
    this.last = this.liveSolver(DEFAULT_LEAN, 'all');
  }

  /** With `options.cache`, from the persisted session cache when nothing changed (src/cache). */
  static open(options: SessionOptions): Session {
    if (!options.cache) return new Session(loadKconfig(options), options);
    return cached(options, cacheSettings(), {
      build: (files) => {
        const session = new Session(loadKconfig(files ? { ...options, tree: files } : options), options);
        // Taken before any question adds gates to the formula.
        return { value: session, saved: { loaded: savedTree(session.loaded), encoding: session.current, allConstraints: session.allConstraintsLit } };
      },
      restore: (saved, files, cacheMs) => new Session(restoredTree(saved.loaded, files, options, cacheMs), options, saved),
      // The classes of a saved session's objects: those of any encoding.
      sample: () => encodeModel(loadKconfig({ tree: new MemorySourceFiles({ Kconfig: '' }) }).model, { groupSelectors: true }),
    });
  }

  /** A session of a tree loaded before (to look at its model first and encode only when needed). */
  static fromLoaded(loaded: LoadedTree, options: SessionOptions): Session {
    return new Session(loaded, options);
  }

  get arch(): string | undefined {
    return this.loaded.arch;
  }

  /** The solver whose model the value readers see. */
  get solver(): Solver {
    return this.last.solver;
  }

  /** A defined symbol by name; a user error naming the symbol otherwise. */
  symbol(name: string): KSymbol {
    const sym = this.model.byName.get(name);
    if (!sym || sym.definitions.length === 0) {
      throw new KconfsatError('symbol', `unknown symbol '${name}'${this.arch ? ` for ${this.arch}` : ''}`);
    }
    return sym;
  }

  /** Solves with every constraint of the tree in force. */
  solve(assumptions: readonly Lit[] = [], options: SessionSolveOptions = {}): SolveResult {
    this.last = this.liveSolver(options.lean ?? DEFAULT_LEAN, 'all');
    return this.last.solve(assumptions, options.clauses ?? []);
  }

  /** Solves with only the constraints of the given groups (selectors) in force. */
  solveWithGroups(assumptions: readonly Lit[], selectors: readonly Lit[], options: SessionSolveOptions = {}): SolveResult {
    this.last = this.liveSolver(options.lean ?? DEFAULT_LEAN, 'groups');
    return this.last.solve([...selectors, ...assumptions], options.clauses ?? []);
  }

  /**
   * A solver for many questions over subsets of `groups` under the same
   * assumptions, holding only what those groups and assumptions reach: each
   * answer is solveWithGroups' when the groups hold every symbol their own
   * constraints and the assumptions mention (a cone). The clauses left out
   * are then other groups' constraints, which solveWithGroups switches off
   * too, clauses on a left-out symbol's own variables (y → m, one value,
   * m only with MODULES), which some value of that symbol satisfies, and definitions
   * of gates nothing kept uses. An explanation loads a few thousand clauses
   * instead of the whole tree.
   */
  groupSolver(groups: readonly KSymbol[], assumptions: readonly Lit[]): GroupSolver {
    const ids = new Set(groups.map((g) => g.id));
    const live = new LiveSolver(this.encoding.cnf, DEFAULT_LEAN, { owners: { keep: (owner) => ids.has(owner), seeds: assumptions } });
    const selectors = (subset: readonly KSymbol[]): Lit[] => subset.map((g) => this.encoding.selectors.get(g)!);
    return {
      solve: (subset) => live.solve([...selectors(subset), ...assumptions], []),
      solveUnder: (lits) => live.solve([...lits, ...assumptions], []),
      addClause: (lits) => live.addOwnClause(lits),
      newVar: () => this.encoding.cnf.newVar(),
    };
  }

  /**
   * Unit propagation over every constraint of the tree (as `solve` has them
   * in force), in its base state: made once per formula and shared, so a
   * caller resets it when done.
   */
  propagator(): Propagator {
    const cnf = this.encoding.cnf;
    if (this.propagation?.rawLength !== cnf.rawLength) {
      const facts = [this.allConstraints, ...this.encoding.selectors.values()];
      this.propagation = { rawLength: cnf.rawLength, propagator: new Propagator(cnf.numVars, cnf.rawClauses(), facts) };
    }
    this.propagation.propagator.reset();
    return this.propagation.propagator;
  }

  private propagation?: { rawLength: number; propagator: Propagator };

  /** A clause kept for the rest of the session (it survives solver renewal). */
  addClause(lits: readonly Lit[]): void {
    this.addedClauses++;
    this.encoding.cnf.clause(lits);
  }

  private liveSolver(lean: Lean, scope: 'all' | 'groups'): LiveSolver {
    const key = `${lean}/${scope}` as const;
    let live = this.solvers.get(key);
    if (!live) {
      const facts = scope === 'all' ? [this.allConstraints, ...this.encoding.selectors.values()] : undefined;
      live = new LiveSolver(this.encoding.cnf, lean, facts ? { facts } : {});
      this.solvers.set(key, live);
    }
    return live;
  }

  /** Literals fixing every symbol the values mention (choices and free inputs stay open). */
  assumptionsFor(values: ConfigValues, options: { absentAsDefault?: boolean } = {}): Lit[] {
    const lits: Lit[] = [];
    for (const sym of this.model.symbols) {
      if (sym.definitions.length === 0 || sym.choiceInfo) continue;
      const given = values.get(sym.name);
      // conf leaves out bool/tristate symbols that are n and strings/numbers no default reached.
      if (given === undefined && (options.absentAsDefault || this.encoding.valuesOf(sym))) continue;
      lits.push(...this.valueLiterals(sym, given));
    }
    return lits;
  }

  /** `S = "text"` for each int/hex/string value of the configuration that the value domains do not hold. */
  valueComparisons(values: ConfigValues): ModelExpr[] {
    const out: ModelExpr[] = [];
    for (const [name, text] of values) {
      const sym = this.model.byName.get(name);
      const domain = sym && this.encoding.valuesOf(sym) && this.encoding.domains.get(sym);
      // A number of the wrong form is no value of an int/hex symbol: nothing to tell apart.
      if (!domain || !isValidValue(sym.type, text)) continue;
      if (!domain.values.includes(text)) out.push({ kind: 'compare', op: '=', left: { kind: 'symbol', symbol: sym }, right: { kind: 'const', text } });
    }
    return out;
  }

  /** Literals saying `sym` has the value `text` (absent: n, or "" for strings and numbers). */
  valueLiterals(sym: KSymbol, text: string | undefined): Lit[] {
    const pair = this.encoding.pairOf(sym);
    if (pair) {
      const v = text ?? 'n';
      if (v === 'y') return [pair.m, pair.y];
      if (v === 'm') return [pair.m, -pair.y];
      return [-pair.m, -pair.y];
    }
    const values = this.encoding.valuesOf(sym);
    if (!values) return [];
    return [values.get(this.encoding.domains.classify(sym, text ?? ''))!];
  }

  /**
   * Symbols whose constraint a complete configuration breaks, by evaluating
   * the formula directly (no solver): exact when the tree has no free inputs.
   * Values a .config does not hold (choice modes; int/hex/string symbols conf
   * did not write) are settled to whatever satisfies their own constraint.
   */
  violatedSymbols(values: ConfigValues, inputs: Map<number, string> = new Map()): KSymbol[] {
    const truth = new Map<number, boolean>();
    const set = (lits: Lit[]): void => {
      for (const l of lits) truth.set(Math.abs(l), l > 0);
    };
    const setValue = (sym: KSymbol, text: string | undefined): void => {
      // One-hot: clear the other candidates first.
      for (const lit of this.encoding.valuesOf(sym)?.values() ?? []) truth.set(lit, false);
      set(this.valueLiterals(sym, text));
    };
    truth.set(this.allConstraints, true);
    for (const selector of this.encoding.selectors.values()) truth.set(selector, true);
    const unwritten: { sym: KSymbol; candidates: string[] }[] = [];
    for (const sym of this.model.symbols) {
      if (sym.definitions.length === 0) continue;
      const given = values.get(sym.name);
      if (sym.choiceInfo) {
        const members = sym.choiceInfo.members.map((m) => values.get(m.name));
        const guess = members.includes('y') ? 'y' : members.includes('m') ? 'm' : 'n';
        unwritten.push({ sym, candidates: [guess, 'y', 'm', 'n'] });
      } else if (given === undefined && this.encoding.valuesOf(sym)) {
        unwritten.push({ sym, candidates: ['', ...this.encoding.domains.get(sym).values] });
      } else {
        setValue(sym, given);
      }
    }
    for (const input of this.model.inputs) {
      const value = inputs.get(input.id) ?? 'n';
      for (const [text, lit] of this.encoding.valuesOf(input)!) truth.set(lit, text === value);
    }
    const evaluate = (): Set<KSymbol> =>
      new Set(
        this.encoding.cnf
          .violatedOwners((v) => truth.get(v) ?? false)
          .filter((id) => id >= 0)
          .map((id) => this.model.symbols[id]!),
      );
    for (const u of unwritten) setValue(u.sym, u.candidates[0]);
    let broken = evaluate();
    for (const u of unwritten) {
      for (const candidate of u.candidates) {
        if (!broken.has(u.sym)) break;
        setValue(u.sym, candidate);
        broken = evaluate();
      }
    }
    return [...broken];
  }

  /** The symbols computed straight from free inputs (toolchain probes): what a .config records of the toolchain. */
  probeSymbols(): KSymbol[] {
    return this.model.symbols.filter((s) => s.definitions.length > 0 && !s.choiceInfo && readsInput(s));
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
    for (const sym of this.model.symbols) {
      if (sym.definitions.length === 0 || sym.choiceInfo || sym.type === 'unknown' || !options.only(sym)) continue;
      const given = values.get(sym.name);
      if (given !== undefined) lits.push(...this.valueLiterals(sym, given));
      if (!options.complete) continue;
      const written = this.encoding.writtenReasons(sym);
      if (given === undefined) {
        for (const l of written) lits.push(-l);
        if (this.encoding.pairOf(sym)) lits.push(...this.valueLiterals(sym, 'n'));
      } else clauses.push(written);
    }
    if (this.solve(lits, { clauses }) !== 'sat') return undefined;
    const out = new Map<number, string>();
    for (const input of this.model.inputs) {
      for (const [text, lit] of this.encoding.valuesOf(input)!) if (this.solver.value(lit)) out.set(input.id, text);
    }
    return out;
  }

  /** The value of every bool/tristate/int/hex/string symbol in the last satisfying assignment. */
  modelValues(): ConfigValues {
    const out: ConfigValues = new Map();
    for (const sym of this.model.symbols) {
      const v = this.valueOf(sym);
      if (v !== undefined) out.set(sym.name, v);
    }
    return out;
  }

  /**
   * The last satisfying assignment as conf would write it: the symbols it
   * writes, with their values; of `symbols` only (in their order) when given.
   */
  modelConfig(symbols: readonly KSymbol[] = this.model.symbols): ConfigEntry[] {
    const tables = (this.tables ??= this.readingTables());
    const { reasonStart, reasons } = tables;
    const model = this.solver.assignment();
    // A gate made after the solver was loaded has its value computed from the model instead of read from it.
    const written = tables.highestVar <= this.solver.numVars ? model : this.encoding.cnf.evaluate((v) => model[v] === 1);
    const out: ConfigEntry[] = [];
    for (const sym of symbols) {
      let reason = reasonStart[sym.id]!;
      const end = reasonStart[sym.id + 1]!;
      while (reason < end && !holdsIn(written, reasons[reason]!)) reason++;
      if (reason === end) continue;
      const value = this.candidateAt(sym.id, model);
      if (value !== undefined) out.push({ name: sym.name, type: sym.type, value });
    }
    return out;
  }

  /**
   * Per symbol id, flat: the literals of which one holds when conf writes the
   * symbol (with the highest variable among them), its (≥m, =y) variables,
   * and its value literals with their candidates. Reading a whole model
   * through these takes a fraction of the time Map lookups per symbol do.
   */
  private readingTables(): ReadingTables {
    const symbols = this.model.symbols;
    const reasonStart = new Int32Array(symbols.length + 1);
    const reasons: Lit[] = [];
    const pairM = new Int32Array(symbols.length);
    const pairY = new Int32Array(symbols.length);
    const valueStart = new Int32Array(symbols.length + 1);
    const valueLits: Lit[] = [];
    const valueTexts: string[] = [];
    let highestVar = 0;
    for (const sym of symbols) {
      for (const l of this.encoding.writtenReasons(sym)) {
        reasons.push(l);
        highestVar = Math.max(highestVar, Math.abs(l));
      }
      reasonStart[sym.id + 1] = reasons.length;
      const pair = this.encoding.pairOf(sym);
      if (pair) {
        pairM[sym.id] = pair.m;
        pairY[sym.id] = pair.y;
      }
      for (const [text, lit] of this.encoding.valuesOf(sym) ?? []) {
        valueLits.push(lit);
        valueTexts.push(text);
      }
      valueStart[sym.id + 1] = valueLits.length;
    }
    return { reasonStart, reasons: Int32Array.from(reasons), highestVar, pairM, pairY, valueStart, valueLits: Int32Array.from(valueLits), valueTexts };
  }

  private tables?: ReadingTables;

  /** A literal's truth in the last satisfying assignment; the constants need no solver. */
  modelHolds(lit: Lit): boolean {
    return lit === TRUE || (lit !== FALSE && this.solver.value(lit));
  }

  /** The symbol's value in the last satisfying assignment, as a .config would hold it (each candidate is a real value). */
  valueOf(sym: KSymbol): string | undefined {
    return this.candidateOf(sym);
  }

  /** Which of its candidate values (n/m/y, or its value domain's) the symbol holds in the last satisfying assignment. */
  candidateOf(sym: KSymbol): string | undefined {
    // Symbols from outside the tree (a query's undefined constants) have no variables.
    return sym.id >= 0 && sym.id < this.model.symbols.length ? this.candidateAt(sym.id, this.solver.assignment()) : undefined;
  }

  /** candidateOf by symbol id, under the solver's assignment(). */
  private candidateAt(id: number, model: Uint8Array): string | undefined {
    const { pairM, pairY, valueStart, valueLits, valueTexts } = (this.tables ??= this.readingTables());
    if (pairM[id] !== 0) return model[pairY[id]!] === 1 ? 'y' : model[pairM[id]!] === 1 ? 'm' : 'n';
    for (let i = valueStart[id]!; i < valueStart[id + 1]!; i++) if (model[valueLits[i]!] === 1) return valueTexts[i];
    return undefined;
  }
}

/** What the session cache keeps of a session besides its loaded tree. */
interface SavedEncoding {
  encoding: Encoding;
  allConstraints: Lit;
}

/** Session.groupSolver: one solver for many questions over subsets of some groups under fixed assumptions. */
export interface GroupSolver {
  /** With exactly these groups' constraints in force. */
  solve(subset: readonly KSymbol[]): SolveResult;
  /** With the literals assumed (e.g. of clauses added with addClause that switch groups on). */
  solveUnder(lits: readonly Lit[]): SolveResult;
  /** A clause of this solver alone, for its life. */
  addClause(lits: readonly Lit[]): void;
  /** A variable no part of the session will use. */
  newVar(): Lit;
}

/** What Session reads a model through (Session.readingTables). */
interface ReadingTables {
  reasonStart: Int32Array;
  reasons: Int32Array;
  highestVar: number;
  pairM: Int32Array;
  pairY: Int32Array;
  valueStart: Int32Array;
  valueLits: Int32Array;
  valueTexts: string[];
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
