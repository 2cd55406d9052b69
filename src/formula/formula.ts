/**
 * The formula of one tree as the analyses see it: symbols, expressions and
 * values in, literals (opaque handles of conditions) out, and solvers that
 * answer under them. The one module src/analysis, src/cli, src/lsp, src/mcp
 * and scripts use; below it src/logic is the encoder and src/sat the engine,
 * both free to change without any caller noticing.
 *
 * Vocabulary: holds(e) (an expression is not n), tristate(e), is(sym, value)
 * and valueLiterals(sym, value) (a symbol has a value; absentValue(sym) is
 * what no value reads as), exceeds(term, dependency) (a select's term above
 * the target's dependencies), changedFrom(sym, base) (a user changed a symbol
 * from a .config's entry), groups (each symbol's constraints, to switch off
 * for explanations), and scratch scopes for a question's temporary clauses
 * and counters.
 */
import { FALSE, holdsIn, TRUE, type Cnf, type Lit } from '../logic/cnf.js';
import { atLeastOutputs } from '../logic/cardinality.js';
import { encodeModel, regroupedSymbols, type Encoding } from '../logic/encode.js';
import { pairConst, type Pair } from '../logic/tristate.js';
import type { Input, KconfigModel, KSymbol, ModelExpr } from '../model/types.js';
import { withDescent } from '../sat/descent.js';
import { createMiniSat } from '../sat/minisat.js';
import { Propagator } from '../sat/propagator.js';
import type { SatSolver, SolveResult } from '../sat/solver.js';

/** Literals: opaque handles of conditions; FALSE and TRUE never and always hold. */
export { FALSE, TRUE, type Lit } from '../logic/cnf.js';
export { SolverMemoryError, type SolveResult } from '../sat/solver.js';
export type { Propagator } from '../sat/propagator.js';

/** A tristate condition: `m` holds when it is at least m, `y` when it is y. */
export type Tristate = Pair;

/** Which way the solver leans for variables a question leaves open. */
export type Lean = 'off' | 'on';
/** The solvers a formula keeps: the leans, and the quickest one that answers by default. */
type Leaning = Lean | 'quick';

export interface SolveOptions {
  /** Clauses in force for this call only. */
  clauses?: readonly (readonly Lit[])[];
  /**
   * Which way the model leans where the question leaves variables open: 'on' (MiniSat alone, trying
   * "true" first: large configurations) or 'off' (a descent trying "false" first, then MiniSat trying
   * "false" first: small ones). By default the quickest answer: the descent, then MiniSat trying "true"
   * first (src/sat/descent.ts; its models mostly lean off).
   */
  lean?: Lean;
  /** A scratch scope whose clauses are in force for this call. */
  scratch?: Scratch;
}

/** One line of a .config: a symbol conf writes and its value. */
export interface ConfigEntry {
  name: string;
  type: KSymbol['type'];
  value: string;
}

/**
 * The solver of ordinary questions: a descent without search (trying false
 * first) answers most satisfiable ones in half MiniSat's time, and MiniSat
 * behind it tries true first, since on Linux its first model then comes
 * about four times sooner (far fewer conflicts before the defaults and
 * selects settle) and every later solve starts from the last model anyway.
 */
const DEFAULT_LEANING: Leaning = 'quick';
/** MiniSat behind a descent without search, which answers most satisfiable questions of a warm session. */
const createDescending = withDescent(createMiniSat);
/**
 * Released scratch clauses the solvers may still hold before they are made
 * again without them (at least this many, and a quarter of the formula): a
 * Linux formula takes about 0.1-0.2 s to load, a resolve scratch scope on it
 * about 24,000 clauses, and MiniSat's 64 MB heap holds a few of them.
 */
const MIN_RETIRED_BEFORE_RELOAD = 50_000;

/** Which of the formula's clauses a solver holds. */
interface Scope {
  /** Literals true for good: each is a unit clause of the solver's own, and every clause is loaded simplified by them. */
  facts?: readonly Lit[];
  /** Only the constraints of the owners `keep` accepts, with the gates they and `seeds` reach (Cnf.rawClausesFor). */
  owners?: { keep: (owner: number) => boolean; seeds: readonly Lit[] };
  /**
   * Clauses holding one of these literals (true facts) are left out, and
   * variables from `from` on are numbered as they appear: the solver holds
   * none of a released scratch scope's clauses or variables.
   */
  satisfied?: { lits: ReadonlySet<Lit>; from: number };
}

/** A solver kept in step with the CNF: questions add gates, handed over before each solve. */
class LiveSolver {
  readonly solver: SatSolver;
  private synced = 0;

  constructor(
    private readonly cnf: Cnf,
    leaning: Leaning,
    private readonly scope: Scope = {},
  ) {
    // Leaning on is MiniSat's alone: a descent's models lean off.
    const create = leaning === 'on' ? createMiniSat : createDescending;
    this.solver = create({ phase: leaning !== 'off', compact: scope.owners !== undefined, ...(scope.satisfied ? { compactFrom: scope.satisfied.from } : {}) });
    // The facts go first, as unit clauses in one buffer: MiniSat then leaves out the clauses
    // they satisfy and the literals they falsify as it takes the CNF (a tenth of Linux's literals).
    const facts = scope.facts ?? [];
    const units = new Int32Array(2 * facts.length);
    facts.forEach((fact, i) => (units[2 * i] = fact));
    this.solver.addClauses(units);
    this.sync();
  }

  solve(assumptions: readonly Lit[], clauses: readonly (readonly Lit[])[]): SolveResult {
    this.sync();
    return this.solver.solve(assumptions, clauses);
  }

  /** Hands the solver the clauses added to the CNF since it was loaded (queries add gates). */
  private sync(): void {
    if (this.cnf.rawLength === this.synced) return;
    const owners = this.scope.owners;
    const raw = owners && this.synced === 0 ? this.cnf.rawClausesFor(owners.keep, owners.seeds) : this.cnf.rawClauses(this.synced);
    this.solver.addClauses(this.scope.satisfied ? withoutSatisfied(raw, this.scope.satisfied.lits) : raw);
    this.synced = this.cnf.rawLength;
  }
}

/** The clauses of a 0-terminated buffer that hold none of `lits`. */
function withoutSatisfied(raw: Int32Array, lits: ReadonlySet<Lit>): Int32Array {
  const kept = new Int32Array(raw.length);
  let length = 0;
  for (let start = 0; start < raw.length; ) {
    let end = start;
    let satisfied = false;
    for (; raw[end] !== 0; end++) if (lits.has(raw[end]!)) satisfied = true;
    if (!satisfied) {
      kept.set(raw.subarray(start, end + 1), length);
      length += end + 1 - start;
    }
    start = end + 1;
  }
  return kept.subarray(0, length);
}

/** Formula.groupSolver: one solver for many questions over subsets of some groups under fixed assumptions. */
export interface GroupSolver {
  /** With exactly these groups' constraints in force. */
  solve(subset: readonly KSymbol[]): SolveResult;
  /** With the literals assumed (e.g. of clauses added with addClause that switch groups on). */
  solveUnder(lits: readonly Lit[]): SolveResult;
  /** A clause of this solver alone, for its life. */
  addClause(lits: readonly Lit[]): void;
  /** A variable no part of the formula will use. */
  newVar(): Lit;
}

/**
 * A question's own clauses and counters, in force only for the solves given
 * it. Re-encoding (coverComparisons) drops every scratch scope: using one
 * made before is an error, never a silent answer about the old formula.
 * release() when done: solvers made afterwards leave its clauses out, so a
 * long-lived session (a language server, cover over many patches) does not
 * fill the SAT engine's fixed heap with questions it answered long ago.
 */
export class Scratch {
  private clauses = 0;
  private done = false;

  constructor(
    private readonly formula: Formula,
    /** The literal switching the scope's clauses on. */
    readonly guard: Lit,
    readonly generation: number,
  ) {}

  /** A clause in force while the scope is. */
  clause(lits: readonly Lit[]): void {
    this.formula.cnfOf(this).clause([-this.guard, ...lits]);
    this.clauses++;
  }

  /** Outputs of a counter over `lits`: outputs[j] is forced by j+1 true literals, for j < size (assume ¬outputs[k] for at most k). */
  atLeast(lits: readonly Lit[], size: number): Lit[] {
    const cnf = this.formula.cnfOf(this);
    return atLeastOutputs({ newVar: () => cnf.newVar(), clause: (c) => this.clause(c) }, lits, size);
  }

  /** Clauses written so far (counters' included): what release() frees. */
  get written(): number {
    return this.clauses;
  }

  get released(): boolean {
    return this.done;
  }

  /** The question is answered: its clauses are never in force again. */
  release(): void {
    if (!this.done) this.formula.release(this);
    this.done = true;
  }
}

export interface FormulaOptions {
  /**
   * Symbols whose constraints an edit may change (an editor's open files):
   * their groups are assumed at each solve instead of held as facts, so that
   * Formula.updated can switch them off and keep the solvers.
   */
  editable?: ReadonlySet<string>;
}

/** A formula as the session cache stores it (opaque to everyone else). */
export interface FormulaSnapshot {
  readonly encoding: Encoding;
  readonly allConstraints: Lit;
}

export class Formula {
  private current!: Encoding;
  /**
   * Each symbol's constraints are guarded by a group selector so that
   * explanations can switch them off; this literal switches them all on (a
   * fact for the solvers of ordinary questions, a unit clause in DIMACS).
   */
  private allConstraints!: Lit;
  /**
   * By lean, the solvers that hold every constraint for good ('all': the
   * group selectors are facts, so a solve need not settle them and what they
   * imply again, about a fifth of a Linux query's time) and the one that
   * switches groups by assumption ('groups', loaded when first asked).
   */
  private solvers = new Map<`${Leaning}/${'all' | 'groups'}`, LiveSolver>();
  /** The solver that answered last: its model is the one read. */
  private last!: LiveSolver;
  /** The caller's assumptions of the last solve, for failed(). */
  private lastAssumptions: readonly Lit[] = [];
  /** Questions' expressions whose comparisons the value domains were widened for. */
  private readonly extraComparisons: ModelExpr[] = [];
  /** Clauses added with addClause: re-encoding would lose them. */
  private addedClauses = 0;
  /** The released scratch scopes' guards, negated: facts for every solver made since. */
  private retired: Lit[] = [];
  /** Clauses of scopes released since the solvers were made: past a bound (see MIN_RETIRED_BEFORE_RELOAD) they are made again without them. */
  private retiredInSolvers = 0;
  /** Clauses of every released scope of this encoding. */
  private retiredClauses = 0;
  /** Variables of the encoding before any question added to it. */
  private encodedVars = 0;
  /** Encodings made so far: a scratch scope belongs to one. */
  private generation = 0;
  private propagation?: { rawLength: number; propagator: Propagator };
  private tables?: ReadingTables;
  /** FormulaOptions.editable: their groups' selectors, assumed at each solve of the 'all' solvers. */
  private editable: ReadonlySet<string>;
  private assumedGroups: Lit[] = [];
  /** The selectors of groups Formula.updated replaced, negated: facts for every solver. */
  private replaced: Lit[] = [];
  /** Set once Formula.updated made the next formula from this one, which took its solvers. */
  private superseded = false;
  private keptSolvers = false;
  /** Clauses of the CNF as first encoded: updates stop at twice as many (an editor's session is long). */
  private encodedClauses = 0;

  /** From `snapshot` (the session cache's) when given, else encoded now. */
  constructor(
    readonly model: KconfigModel,
    snapshot?: FormulaSnapshot,
    options: FormulaOptions = {},
  ) {
    this.editable = options.editable ?? new Set();
    if (!snapshot) {
      this.encode();
      return;
    }
    this.current = snapshot.encoding;
    this.encodedVars = snapshot.encoding.cnf.numVars;
    this.encodedClauses = snapshot.encoding.cnf.numClauses;
    this.allConstraints = snapshot.allConstraints;
    this.generation++;
    this.findAssumedGroups();
  }

  /**
   * The formula of `model`, a later version of this formula's tree (a file
   * edited), made from this one: the symbols whose constraints changed are
   * encoded again under new group selectors over the same variables
   * (Encoding.update), and their old groups are switched off for good. When
   * every changed symbol was editable, the solvers come along with what
   * they learnt and their saved phases; else new ones are loaded (from the
   * same CNF: nothing is encoded twice). Undefined when the models differ in
   * more than constraints, or when questions widened the value domains or
   * added clauses, or when updates and questions have doubled the CNF. This
   * formula answers nothing afterwards.
   */
  static updated(previous: Formula, model: KconfigModel, options: FormulaOptions = {}): Formula | undefined {
    if (previous.superseded || previous.extraComparisons.length > 0 || previous.addedClauses > 0) return undefined;
    // Every update leaves the replaced groups in the CNF: past twice its first size, a fresh encoding is smaller.
    if (previous.current.cnf.numClauses > 2 * previous.encodedClauses) return undefined;
    const update = previous.current.update(model);
    if (!update) return undefined;
    const keepSolvers = update.changed.every((sym) => previous.editable.has(sym.name));
    const next = new Formula(model, { encoding: update.encoding, allConstraints: previous.allConstraints }, { editable: keepSolvers ? previous.editable : (options.editable ?? previous.editable) });
    next.generation = previous.generation + 1;
    next.encodedClauses = previous.encodedClauses;
    next.retired = previous.retired;
    next.retiredClauses = previous.retiredClauses;
    next.replaced = [...previous.replaced, ...update.replaced.map((s) => -s)];
    if (previous.tables) next.tables = previous.tables.updated(update.changed.map((sym) => [sym.id, next.current.writtenReasons(sym)]));
    if (keepSolvers) {
      for (const live of previous.solvers.values()) for (const s of update.replaced) live.solver.addClause([-s]);
      next.solvers = previous.solvers;
      next.retiredInSolvers = previous.retiredInSolvers;
      next.last = previous.last;
      next.keptSolvers = true;
    } else previous.dropSolvers();
    previous.solvers = new Map();
    previous.superseded = true;
    return next;
  }

  /**
   * The names of the symbols Formula.updated from a formula of `was` to
   * `now` encodes again: as `editable`, they keep the solvers. Undefined
   * when no update is possible.
   */
  static regrouped(was: KconfigModel, now: KconfigModel): string[] | undefined {
    return regroupedSymbols(was, now)?.map((sym) => sym.name);
  }

  /** The selectors of the editable symbols' groups. */
  private findAssumedGroups(): void {
    this.assumedGroups = [];
    this.current.selectors.forEach((s, sym) => {
      if (this.editable.has(sym.name)) this.assumedGroups.push(s);
    });
  }

  /** What the session cache keeps: the encoding, taken before any question adds to it. */
  snapshot(): FormulaSnapshot {
    return { encoding: this.current, allConstraints: this.allConstraints };
  }

  /** Makes the solver of ordinary questions now (Session times it apart from encoding). */
  load(): void {
    this.last = this.liveSolver(DEFAULT_LEANING, 'all');
  }

  /** Frees the solvers (their engines go to the next formula's); the formula answers nothing afterwards. */
  dispose(): void {
    for (const live of this.solvers.values()) live.solver.dispose();
  }

  /** Made by Formula.updated with the previous formula's solvers, and what they learnt. */
  get kept(): boolean {
    return this.keptSolvers;
  }

  private encode(): void {
    this.current = encodeModel(this.model, { groupSelectors: true, extraComparisons: this.extraComparisons });
    this.allConstraints = this.current.cnf.newVar('all-constraints');
    this.replaced = [];
    this.findAssumedGroups();
    const cnf = this.current.cnf;
    this.current.selectors.forEach((s, sym) => {
      cnf.owner = sym.id;
      cnf.implies(this.allConstraints, s);
    });
    cnf.owner = -1;
    this.encodedVars = cnf.numVars;
    this.encodedClauses = cnf.numClauses;
    this.dropSolvers();
    this.retired = [];
    this.retiredClauses = 0;
    this.tables = undefined;
    this.propagation = undefined;
    this.generation++;
  }

  /**
   * Makes the value domains tell apart what these expressions compare: a
   * string, int or hex value the tree never mentions (LOCALVERSION="-test")
   * gets its own candidate. The formula is then built again, so literals
   * and scratch scopes taken before this call are void; call it before
   * taking any for a question.
   */
  coverComparisons(exprs: readonly ModelExpr[]): void {
    if (exprs.every((e) => this.current.domains.covers(e))) return;
    if (this.addedClauses > 0) throw new Error('coverComparisons after addClause: the added clauses would be lost');
    this.extraComparisons.push(...exprs);
    this.encode();
    this.load();
  }

  /** Whether an int/hex/string symbol's value domain lacks `text` (coverComparisons gives it one). */
  uncovered(sym: KSymbol, text: string): boolean {
    return this.hasValues(sym) && !this.current.domains.get(sym).values.includes(text);
  }

  /** Variables and clauses (statistics). */
  get size(): { variables: number; clauses: number } {
    return { variables: this.current.cnf.numVars, clauses: this.current.cnf.numClauses };
  }

  /**
   * The formula as DIMACS gives it: every constraint in force (one more unit
   * clause), named by symbol values; the group selectors stay unnamed.
   */
  dimacs(): { numVars: number; clauses: Iterable<Lit[]>; names: Map<number, string> } {
    // An updated formula still holds the replaced groups: the model's own encoding is written instead.
    if (this.replaced.length > 0) return new Formula(this.model).dimacs();
    const cnf = this.current.cnf;
    const all = this.allConstraints;
    const selectors = new Set(this.current.selectors.values());
    const names = new Map([...cnf.names].filter(([v]) => v !== all && !selectors.has(v)));
    return {
      numVars: cnf.numVars,
      clauses: (function* () {
        yield* cnf.clauses();
        yield [all];
      })(),
      names,
    };
  }

  // --- Vocabulary -------------------------------------------------------

  /** The literal "this expression is not n" (how `depends on` and `if` read an expression). */
  holds(e: ModelExpr): Lit {
    return this.current.expr(e).m;
  }

  /** The expression's value as a tristate condition. */
  tristate(e: ModelExpr): Tristate {
    return this.current.expr(e);
  }

  /**
   * The term's value above the dependency's: conf's unmet-dependency warning
   * for a select whose term is `term` on a target with `dependency` (for a
   * bool target m reads as y).
   */
  exceeds(term: ModelExpr, dependency: ModelExpr, asBool: boolean): Lit {
    return this.current.logic.above(this.current.expr(term), this.current.expr(dependency), asBool);
  }

  /** Whether the symbol is bool, tristate or a choice: a tristate value of its own (n/m/y). */
  isTristate(sym: KSymbol): boolean {
    return this.current.pairOf(sym) !== undefined;
  }

  /** Whether the symbol (int/hex/string) or input holds one of a domain of values. */
  hasValues(node: KSymbol | Input): boolean {
    return this.current.valuesOf(node) !== undefined;
  }

  /** "The symbol is at least m" (bool/tristate/choice symbols only). */
  enabled(sym: KSymbol): Lit {
    const pair = this.current.pairOf(sym);
    if (!pair) throw new Error(`${sym.name} has no tristate value`);
    return pair.m;
  }

  /** "The symbol is y" (bool/tristate/choice symbols only). */
  isY(sym: KSymbol): Lit {
    const pair = this.current.pairOf(sym);
    if (!pair) throw new Error(`${sym.name} has no tristate value`);
    return pair.y;
  }

  /** What a symbol no .config line names reads as: n, or "" for int/hex/string symbols. */
  absentValue(sym: KSymbol): string {
    return this.isTristate(sym) ? 'n' : '';
  }

  /** Literals saying `sym` has the value `text` (absent: absentValue). */
  valueLiterals(sym: KSymbol, text: string | undefined): Lit[] {
    const v = text ?? this.absentValue(sym);
    const pair = this.current.pairOf(sym);
    if (pair) {
      if (v === 'y') return [pair.m, pair.y];
      if (v === 'm') return [pair.m, -pair.y];
      return [-pair.m, -pair.y];
    }
    const values = this.current.valuesOf(sym);
    if (!values) return [];
    return [values.get(this.current.domains.classify(sym, v))!];
  }

  /** One literal for valueLiterals (a gate). */
  is(sym: KSymbol, text: string | undefined): Lit {
    return this.current.cnf.and(this.valueLiterals(sym, text));
  }

  /** The values a symbol can hold: n/m/y (n/y for bool), or its value domain's (empty for other symbols). */
  candidates(sym: KSymbol): string[] {
    if (this.isTristate(sym)) return sym.type === 'tristate' ? ['n', 'm', 'y'] : ['n', 'y'];
    return this.hasValues(sym) ? this.current.domains.get(sym).values : [];
  }

  /** The candidate standing for every value the tree never mentions, of an int/hex/string symbol. */
  unmentioned(sym: KSymbol): string | undefined {
    return this.hasValues(sym) ? this.current.domains.get(sym).unmentioned : undefined;
  }

  /** "A value the tree never mentions" for a string symbol (FALSE for other symbols). */
  madeUp(sym: KSymbol): Lit {
    const text = sym.type === 'string' ? this.unmentioned(sym) : undefined;
    return (text !== undefined && this.current.valuesOf(sym)?.get(text)) || FALSE;
  }

  /** The literal "the free input has this value", or undefined when it is no candidate. */
  inputIs(input: Input, value: string): Lit | undefined {
    return this.current.valuesOf(input)?.get(value);
  }

  /** Literals of which one holds when conf writes the symbol to .config. */
  written(sym: KSymbol): Lit[] {
    return this.current.writtenReasons(sym);
  }

  /**
   * "The user changed sym" from its .config entry in `base`: its prompt is
   * visible and its value is not what conf computes from that entry. FALSE
   * for symbols no user sets.
   */
  changedFrom(sym: KSymbol, base: ReadonlyMap<string, string>): Lit {
    const entry = base.get(sym.name);
    const encoding = this.current;
    const cnf = encoding.cnf;
    if (sym.definitions.length === 0 || sym.prompts.length === 0 || sym.ownChoice) return FALSE;
    const visible = encoding.promptVisibility(sym).m;
    if (visible === FALSE) return FALSE;
    const pair = encoding.pairOf(sym);
    if (pair && sym.memberOf) {
      // Picking another member is one change (the old member follows). A choice
      // the base made no pick in (it was hidden) gets conf's default pick: no change.
      const picked = sym.memberOf.members.some((m) => base.get(m.name) === 'y');
      return entry === 'y' || !picked ? FALSE : cnf.and2(visible, pair.y);
    }
    if (pair) {
      const follows = encoding.userValue(sym, pairConst(entry ?? 'n'));
      return cnf.and2(visible, cnf.or2(-cnf.iff(pair.m, follows.m), -cnf.iff(pair.y, follows.y)));
    }
    // int/hex/string: a value conf did not write is the default's business.
    if (entry === undefined || !encoding.valuesOf(sym)) return FALSE;
    const same = this.valueLiterals(sym, entry)[0] ?? TRUE;
    return cnf.and2(visible, -same);
  }

  /** Whether the symbol's constraints form a group (explanations switch groups off). */
  isGroup(sym: KSymbol): boolean {
    return this.current.selectors.has(sym);
  }

  /** The literal switching a group's constraints on. */
  group(sym: KSymbol): Lit {
    const selector = this.current.selectors.get(sym);
    if (selector === undefined) throw new Error(`${sym.name} has no constraints of its own`);
    return selector;
  }

  /** A scratch scope for one question's clauses and counters. */
  scratch(): Scratch {
    return new Scratch(this, this.current.cnf.newVar(), this.generation);
  }

  /** The CNF a scratch scope writes to; an error for a scope of an earlier encoding. */
  cnfOf(scratch: Scratch): Cnf {
    if (scratch.generation !== this.generation) throw new Error('a scratch scope of a formula encoded again since');
    if (scratch.released) throw new Error('a scratch scope used after its release');
    return this.current.cnf;
  }

  // --- Solving ----------------------------------------------------------

  /** Solves with every constraint of the tree in force. */
  solve(assumptions: readonly Lit[] = [], options: SolveOptions = {}): SolveResult {
    this.last = this.liveSolver(options.lean ?? DEFAULT_LEANING, 'all');
    this.lastAssumptions = assumptions;
    const scratch = options.scratch;
    if (scratch) this.cnfOf(scratch);
    const own = scratch ? [scratch.guard, ...this.assumedGroups] : this.assumedGroups;
    return this.last.solve(own.length > 0 ? [...own, ...assumptions] : assumptions, options.clauses ?? []);
  }

  /**
   * After solve or solveWithGroups answered unsat: the call's assumptions to
   * blame, each needed (the solver's failed assumptions, less the formula's
   * own: a scratch scope's guard, the groups switched on).
   */
  failed(): Lit[] {
    const given = new Set(this.lastAssumptions);
    return this.last.solver.failed().filter((l) => given.has(l));
  }

  /** Solves with only the constraints of the given groups in force. */
  solveWithGroups(assumptions: readonly Lit[], groups: readonly KSymbol[], options: SolveOptions = {}): SolveResult {
    this.last = this.liveSolver(options.lean ?? DEFAULT_LEANING, 'groups');
    this.lastAssumptions = assumptions;
    return this.last.solve([...groups.map((g) => this.group(g)), ...assumptions], options.clauses ?? []);
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
    const cnf = this.current.cnf;
    const live = new LiveSolver(cnf, DEFAULT_LEANING, { facts: this.replaced, owners: { keep: (owner) => ids.has(owner), seeds: assumptions } });
    return {
      solve: (subset) => live.solve([...subset.map((g) => this.group(g)), ...assumptions], []),
      solveUnder: (lits) => live.solve([...lits, ...assumptions], []),
      addClause: (lits) => live.solver.addClause(lits),
      newVar: () => cnf.newVar(),
    };
  }

  /**
   * Unit propagation over every constraint of the tree (as `solve` has them
   * in force), in its base state: made once per formula and shared, so a
   * caller resets it when done.
   */
  propagator(): Propagator {
    const cnf = this.current.cnf;
    if (this.propagation?.rawLength !== cnf.rawLength) {
      const facts = [...this.current.selectors.values(), ...this.replaced];
      this.propagation = { rawLength: cnf.rawLength, propagator: new Propagator(cnf.numVars, cnf.rawClauses(), facts) };
    }
    this.propagation.propagator.reset();
    return this.propagation.propagator;
  }

  /** A clause kept for the formula's life (re-encoding refuses to drop it). */
  addClause(lits: readonly Lit[]): void {
    this.addedClauses++;
    this.current.cnf.clause(lits);
  }

  private liveSolver(lean: Leaning, scope: 'all' | 'groups'): LiveSolver {
    if (this.superseded) throw new Error('a formula Formula.updated replaced');
    const live = this.current.cnf.numClauses - this.retiredClauses;
    if (this.retiredInSolvers > Math.max(MIN_RETIRED_BEFORE_RELOAD, live / 4)) this.dropSolvers();
    const key = `${lean}/${scope}` as const;
    let solver = this.solvers.get(key);
    if (!solver) {
      // Facts first: MiniSat does not store a clause a fact satisfies, so released scopes cost nothing.
      const groups = scope === 'all' ? [...this.current.selectors].filter(([sym]) => !this.editable.has(sym.name)).map(([, s]) => s) : [];
      const facts = [...groups, ...this.retired, ...this.replaced];
      // Once scopes were released, their clauses stay out and their variables unmade (MiniSat's memory grows with both).
      const satisfied = this.retired.length > 0 ? { satisfied: { lits: new Set(this.retired), from: this.encodedVars + 1 } } : {};
      solver = new LiveSolver(this.current.cnf, lean, { facts, ...satisfied });
      this.solvers.set(key, solver);
    }
    return solver;
  }

  /** Scratch.release: its guard is false for every solver made from now on. */
  release(scratch: Scratch): void {
    if (scratch.generation !== this.generation) return;
    this.retired.push(-scratch.guard);
    this.retiredInSolvers += scratch.written;
    this.retiredClauses += scratch.written;
  }

  private dropSolvers(): void {
    for (const live of this.solvers.values()) live.solver.dispose();
    this.solvers = new Map();
    this.retiredInSolvers = 0;
  }

  // --- The last model ---------------------------------------------------

  /** A literal's truth in the last satisfying assignment; the constants need no solver. */
  modelHolds(lit: Lit): boolean {
    return lit === TRUE || (lit !== FALSE && this.last.solver.value(lit));
  }

  /** modelHolds for reading many literals of one model (the same answers, faster). */
  modelReader(): (lit: Lit) => boolean {
    const model = this.last.solver.assignment();
    return (lit) => holdsIn(model, lit);
  }

  /** The free inputs' values in the last satisfying assignment, by input id. */
  modelInputs(): Map<number, string> {
    const out = new Map<number, string>();
    for (const input of this.model.inputs) {
      for (const [text, lit] of this.current.valuesOf(input)!) if (this.last.solver.value(lit)) out.set(input.id, text);
    }
    return out;
  }

  /** The value of every bool/tristate/int/hex/string symbol in the last satisfying assignment. */
  modelValues(): Map<string, string> {
    const out = new Map<string, string>();
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
    const solver = this.last.solver;
    const model = solver.assignment();
    // A gate made after the solver was loaded has its value computed from the model instead of read from it.
    const written = tables.highestVar <= solver.numVars ? model : this.current.cnf.evaluate((v) => model[v] === 1);
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
   * Which of its candidate values (n/m/y, or its value domain's) the symbol
   * holds in the last satisfying assignment, as a .config would hold it.
   */
  valueOf(sym: KSymbol): string | undefined {
    // Symbols from outside the tree (a query's undefined constants) have no variables.
    return sym.id >= 0 && sym.id < this.model.symbols.length ? this.candidateAt(sym.id, this.last.solver.assignment()) : undefined;
  }

  /** valueOf by symbol id, under the solver's assignment(). */
  private candidateAt(id: number, model: Uint8Array): string | undefined {
    const { pairM, pairY, valueStart, valueLits, valueTexts } = (this.tables ??= this.readingTables());
    if (pairM[id] !== 0) return model[pairY[id]!] === 1 ? 'y' : model[pairM[id]!] === 1 ? 'm' : 'n';
    for (let i = valueStart[id]!; i < valueStart[id + 1]!; i++) if (model[valueLits[i]!] === 1) return valueTexts[i];
    return undefined;
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
      for (const l of this.current.writtenReasons(sym)) {
        reasons.push(l);
        highestVar = Math.max(highestVar, Math.abs(l));
      }
      reasonStart[sym.id + 1] = reasons.length;
      const pair = this.current.pairOf(sym);
      if (pair) {
        pairM[sym.id] = pair.m;
        pairY[sym.id] = pair.y;
      }
      for (const [text, lit] of this.current.valuesOf(sym) ?? []) {
        valueLits.push(lit);
        valueTexts.push(text);
      }
      valueStart[sym.id + 1] = valueLits.length;
    }
    return new ReadingTables(reasonStart, Int32Array.from(reasons), highestVar, pairM, pairY, valueStart, Int32Array.from(valueLits), valueTexts);
  }

  // --- Evaluation without a solver ----------------------------------------

  /**
   * Symbols whose constraint a complete configuration breaks, by evaluating
   * the formula directly (no solver): exact when the tree has no free inputs.
   * Values a .config does not hold (choice modes; int/hex/string symbols conf
   * did not write) are settled to whatever satisfies their own constraint.
   */
  violatedSymbols(values: ReadonlyMap<string, string>, inputs: Map<number, string> = new Map()): KSymbol[] {
    const encoding = this.current;
    const truth = new Map<number, boolean>();
    const setValue = (sym: KSymbol, text: string | undefined): void => {
      // One-hot: clear the other candidates first.
      for (const lit of encoding.valuesOf(sym)?.values() ?? []) truth.set(lit, false);
      for (const l of this.valueLiterals(sym, text)) truth.set(Math.abs(l), l > 0);
    };
    for (const selector of encoding.selectors.values()) truth.set(selector, true);
    const unwritten: { sym: KSymbol; candidates: string[] }[] = [];
    for (const sym of this.model.symbols) {
      if (sym.definitions.length === 0) continue;
      const given = values.get(sym.name);
      if (sym.ownChoice) {
        const members = sym.ownChoice.members.map((m) => values.get(m.name));
        const guess = members.includes('y') ? 'y' : members.includes('m') ? 'm' : 'n';
        unwritten.push({ sym, candidates: [guess, 'y', 'm', 'n'] });
      } else if (given === undefined && encoding.valuesOf(sym)) {
        unwritten.push({ sym, candidates: ['', ...encoding.domains.get(sym).values] });
      } else {
        setValue(sym, given);
      }
    }
    for (const input of this.model.inputs) {
      const value = inputs.get(input.id) ?? 'n';
      for (const [text, lit] of encoding.valuesOf(input)!) truth.set(lit, text === value);
    }
    const evaluate = (): Set<KSymbol> =>
      new Set(
        encoding.cnf
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
}

/** What Formula reads a model through (Formula.readingTables). */
class ReadingTables {
  constructor(
    readonly reasonStart: Int32Array,
    readonly reasons: Int32Array,
    readonly highestVar: number,
    readonly pairM: Int32Array,
    readonly pairY: Int32Array,
    readonly valueStart: Int32Array,
    readonly valueLits: Int32Array,
    readonly valueTexts: string[],
  ) {}

  /**
   * The tables of an updated formula (Formula.updated): the same variables,
   * and the same reasons but for the changed symbols' (a symbol's reasons
   * are gates over its own lines, which structural hashing names alike).
   */
  updated(changed: readonly (readonly [number, readonly Lit[]])[]): ReadingTables {
    const byId = new Map(changed);
    const count = this.reasonStart.length - 1;
    const reasonStart = new Int32Array(count + 1);
    const reasons: Lit[] = [];
    let highestVar = this.highestVar;
    for (let id = 0; id < count; id++) {
      const own = byId.get(id);
      if (own) {
        for (const l of own) {
          reasons.push(l);
          highestVar = Math.max(highestVar, Math.abs(l));
        }
      } else for (let i = this.reasonStart[id]!; i < this.reasonStart[id + 1]!; i++) reasons.push(this.reasons[i]!);
      reasonStart[id + 1] = reasons.length;
    }
    return new ReadingTables(reasonStart, Int32Array.from(reasons), highestVar, this.pairM, this.pairY, this.valueStart, this.valueLits, this.valueTexts);
  }
}
