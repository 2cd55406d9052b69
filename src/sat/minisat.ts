/**
 * MiniSat through logic-solver's emscripten build, fed numeric clauses
 * directly (its Logic.* formula layer costs 10x the time and memory), behind
 * the SatSolver boundary. Every workaround the build's limits need is here:
 *
 * - The core takes a single assumption literal: several assumptions, and
 *   temporary clauses, go through a fresh activation variable per solve, of
 *   the adapter's own numbering, retired afterwards.
 * - Its heap is fixed (64 MB) and every retired activation stays in it: a
 *   solver that runs out is replaced by a fresh core loaded with every
 *   permanent clause, and the call made again; so is one past as many
 *   activations as variables (each costs time on every solve), numbering
 *   compactly.
 * - Its clause buffer holds 16,383 literals: a longer clause is split
 *   through auxiliary variables of the adapter's own.
 * - It reports running out of heap on console.log before it throws a string.
 * - It tries `false` first for every undecided variable: phase true stores
 *   every variable negated, which makes the same search lean towards "on";
 *   a phase hint stores its one variable so. Hints given after a variable
 *   reached the core take effect in a fresh core, loaded again.
 * - It blames a failed solve on its single assumption (the activation):
 *   failed() finds the assumptions to blame by deletion, one solve each.
 * - It creates, and decides on every solve, each variable up to the highest
 *   number it is given: a compact solver numbers variables in the order they
 *   first appear.
 *
 * Nothing is made on import: logic-solver's asm.js compiles (about 0.2 s) and
 * the first core is made when the first solver is, or at prepare() (with a spare).
 *
 * Making a core costs 3-8 ms and a full garbage collection (its 64 MB heap),
 * which many short-lived solvers (fix verifies each candidate edit on a tree
 * of its own) would pay each: a disposed solver's core is kept for the next
 * one, which gives it a new MiniSat solver object. The old objects stay in
 * the heap, so only cores that held small formulas are kept (an estimate of
 * what they left behind, bounded), and a solver that runs out is renewed on
 * a new core, never a kept one.
 */
import { createRequire } from 'node:module';
import type { Lit } from '../logic/cnf.js';
import { failedByDeletion, SolverMemoryError, SolverStopped, type SatSolver, type SolveResult, type SolverFactory, type SolverOptions } from './solver.js';

interface MiniSatCore {
  HEAP32: Int32Array;
  HEAP8: Int8Array;
  _malloc(bytes: number): number;
  _addClause(ptr: number): number;
  _solve(): number;
  _solveAssuming(lit: number): number;
  _ensureVar(v: number): void;
  _getSolution(): number;
  _getNumVars(): number;
  _createTheSolver(): void;
}

interface LogicModule {
  _MiniSat: new () => { _C: MiniSatCore };
}

const CLAUSE_BUFFER_INTS = 1 << 14;
/** identityBelow of a solver that keeps every caller number. */
const NO_COMPACT = 0x7fffffff;

/** Activations a core may collect before it is replaced, however small the formula. */
const MIN_ACTIVATIONS_BEFORE_RENEWAL = 2000;

let logic: LogicModule | undefined;

/** A core with the clause buffer the adapter allocated in its heap, and an estimate of the bytes its solvers took. */
interface Core {
  core: MiniSatCore;
  clausePtr: number;
  used: number;
}

/**
 * Where this build of MiniSat counts the variables _ensureVar made (an int of
 * its static data, HEAP32[962]): zeroed with the solver object replaced, so
 * the new solver makes its variables again.
 */
const ENSURED_VARS_INDEX = 962;
/**
 * A core is kept while the solver objects left in its heap take less than
 * this (of its 64 MB), by the estimate below: a small tree's take kilobytes,
 * a Linux formula's far more (its core is never kept).
 */
const MAX_CORE_USED_BYTES = 16 << 20;
/** Bytes a MiniSat solver takes per clause literal loaded (literal, clause header share, watches) and per variable. */
const BYTES_PER_INT = 12;
const BYTES_PER_VAR = 128;
/** Idle cores kept: each holds 64 MB. */
const MAX_IDLE_CORES = 2;
const idleCores: Core[] = [];

/**
 * Cores made ahead by prepare(). Each core's heap is a 64 MB ArrayBuffer,
 * and V8 answers each new one with a full garbage collection (external
 * memory): a few ms in a starting process, but 40-70 ms once a Linux model
 * and its encoding are on the heap. Two: a session's ordinary solver and its
 * explanation's. Sessions no longer call it (the descent in front of MiniSat
 * makes its engine only when a question needs one, and most never do); a
 * process that knows it will solve with MiniSat may, and the bench times it.
 */
const SPARE_CORES = 2;
const spareCores: MiniSatCore[] = [];

function newCore(): MiniSatCore {
  return spareCores.pop() ?? freshCore();
}

function freshCore(): MiniSatCore {
  logic ??= createRequire(import.meta.url)('logic-solver') as LogicModule;
  return new logic._MiniSat()._C;
}

/** An idle core with a fresh solver object (unless `fresh`), or a new core. */
function takeCore(fresh: boolean, guard: <T>(call: () => T) => T): Core {
  const idle = fresh ? undefined : idleCores.pop();
  if (idle) {
    idle.core.HEAP32[ENSURED_VARS_INDEX] = 0;
    guard(() => idle.core._createTheSolver());
    return idle;
  }
  const core = newCore();
  return { core, clausePtr: guard(() => core._malloc(CLAUSE_BUFFER_INTS * 4)), used: 0 };
}

/** Keeps the core for the next solver when what its solvers left behind is small. */
function releaseCore(core: Core, bytes: number): void {
  core.used += bytes;
  if (core.used < MAX_CORE_USED_BYTES && idleCores.length < MAX_IDLE_CORES) idleCores.push(core);
}

export const createMiniSat: SolverFactory = Object.assign((options: SolverOptions = {}): SatSolver => new MiniSatSolver(options), {
  prepare: (): void => {
    if (!logic) for (let i = 0; i < SPARE_CORES; i++) spareCores.push(freshCore());
  },
});

/** The SatSolver: one Engine at a time, replaced when it runs out (see the module comment). */
class MiniSatSolver implements SatSolver {
  private engine: Engine;
  /** Every permanent clause buffer given, in the caller's numbering: what a fresh engine is loaded with. */
  private readonly given: Int32Array[] = [];
  private dead: string | undefined;
  private stopped = false;
  private disposed = false;
  /** Phase hints by caller variable: 1 true first, -1 false first, 0 none; undefined until the first. */
  private phases: Int8Array | undefined;
  /** A hint changed a variable the engine already stores: it must be loaded again before the next solve. */
  private phasesStale = false;
  /** The last solve, while its answer is unsat: what failed() works from. */
  private lastUnsat: { assumptions: readonly Lit[]; temporary: readonly (readonly Lit[])[]; failed?: Lit[] } | undefined;

  constructor(private readonly options: SolverOptions) {
    this.engine = this.newEngine(options.compact === true, false);
  }

  /** `fresh`: on a new core, not a kept one (a kept core may hold too little room for a formula that filled another). */
  private newEngine(compact: boolean, fresh: boolean): Engine {
    return new Engine(this.options.phase === true, compact ? 1 : (this.options.compactFrom ?? NO_COMPACT), fresh, () => this.phases);
  }

  get numVars(): number {
    return this.engine.callerVars;
  }

  addClauses(buffer: Int32Array): void {
    this.given.push(buffer);
    this.renewing(() => this.engine.load(buffer));
  }

  addClause(lits: readonly Lit[]): void {
    this.addClauses(Int32Array.from([...lits, 0]));
  }

  solve(assumptions: readonly Lit[] = [], temporary: readonly (readonly Lit[])[] = []): SolveResult {
    this.lastUnsat = undefined;
    const result = this.solveOnce(assumptions, temporary);
    if (result === 'unsat') this.lastUnsat = { assumptions, temporary };
    return result;
  }

  private solveOnce(assumptions: readonly Lit[], temporary: readonly (readonly Lit[])[]): SolveResult {
    if (this.stopped) throw new SolverStopped();
    this.checkAlive();
    if (this.phasesStale || this.engine.activations > Math.max(MIN_ACTIVATIONS_BEFORE_RENEWAL, this.engine.callerVars)) {
      this.renew(this.phasesStale ? this.options.compact === true : true);
    }
    return this.renewing(() => this.engine.solve(assumptions, temporary));
  }

  /** By deletion over the assumptions (failedByDeletion), one solve each. */
  failed(): Lit[] {
    const last = this.lastUnsat;
    if (!last) throw new Error('failed() asks about a solve that answered unsat');
    last.failed ??= failedByDeletion(last.assumptions, (lits) => this.solveOnce(lits, last.temporary) === 'sat');
    return [...last.failed];
  }

  setPhases(lits: readonly Lit[]): void {
    let highest = 0;
    for (const l of lits) highest = Math.max(highest, l < 0 ? -l : l);
    if (!this.phases || this.phases.length <= highest) {
      const grown = new Int8Array(Math.max(highest + 1, 2 * (this.phases?.length ?? 0)));
      if (this.phases) grown.set(this.phases);
      this.phases = grown;
    }
    for (const l of lits) {
      const v = l < 0 ? -l : l;
      const phase = l < 0 ? -1 : 1;
      if (this.phases[v] !== phase && v <= this.engine.callerVars) this.phasesStale = true;
      this.phases[v] = phase;
    }
  }

  value(lit: Lit): boolean {
    return this.engine.value(lit);
  }

  assignment(): Uint8Array {
    return this.engine.assignment();
  }

  stop(): void {
    this.stopped = true;
  }

  dispose(): void {
    if (!this.disposed && !this.dead) this.engine.release();
    this.disposed = true;
    this.given.length = 0;
  }

  /** Runs a call into the engine; when the engine runs out of memory, once more in a fresh one (loaded with `given`). */
  private renewing<T>(call: () => T): T {
    this.checkAlive();
    try {
      return call();
    } catch (e) {
      if (!(e instanceof SolverMemoryError)) throw e;
      this.renew(this.options.compact === true);
      return call();
    }
  }

  private renew(compact: boolean): void {
    try {
      this.engine = this.newEngine(compact, true);
      this.phasesStale = false;
      for (const buffer of this.given) this.engine.load(buffer);
    } catch (e) {
      // The permanent clauses alone are more than a core holds: no answer can come from this solver.
      if (e instanceof SolverMemoryError) this.dead = e.message;
      throw e;
    }
  }

  private checkAlive(): void {
    if (this.disposed) throw new Error('the SAT solver was disposed');
    if (this.dead) throw new SolverMemoryError(this.dead);
  }
}

/**
 * One MiniSat core. Variables are the caller's numbers (identity) until the
 * core's first variable of its own (activation or auxiliary); the caller's
 * variables numbered from there on, or all of them when compact, get the
 * core's next number when first seen.
 */
class Engine {
  private readonly pooled: Core;
  private readonly core: MiniSatCore;
  private readonly heap: Int32Array;
  private readonly coreAddClause: (ptr: number) => number;
  private readonly clausePtr: number;
  /** 1, or -1 when variables are stored negated. */
  private readonly sign: 1 | -1;
  /** Per core variable, a hinted variable's sign (0: `sign`); undefined while no variable met has a hint. */
  private flips: Int8Array | undefined;
  /** Caller's variables below this are the core's variables of the same number. */
  private identityBelow: number;
  /** The core's number for each caller variable from identityBelow on (0: not seen yet). */
  private renumbered = new Int32Array(0);
  /** The highest variable number of the core's. */
  private top = 0;
  /** The highest caller variable seen. */
  callerVars = 0;
  /** Activation variables made so far. */
  activations = 0;
  /** Clause literals (and terminators) handed to MiniSat: what its solver object's size grows with. */
  private loadedInts = 0;
  private solution: Int8Array | undefined;
  /** assignment() of the current solution, made when first asked. */
  private assigned: Uint8Array | undefined;
  /** False once a clause made the formula unsatisfiable at the top level. */
  private consistent = true;

  constructor(
    phase: boolean,
    /** Caller's variables below this keep their number (1: every variable renumbered). */
    identityBelow: number,
    /** On a new core, not a kept one. */
    fresh: boolean,
    /** The solver's phase hints by caller variable (1 true first, -1 false first), read as variables are met. */
    private readonly phases: () => Int8Array | undefined,
  ) {
    this.sign = phase ? -1 : 1;
    this.identityBelow = identityBelow;
    this.pooled = takeCore(fresh, (call) => this.guard(call));
    this.core = this.pooled.core;
    // The core's heap never grows (it fails instead), so its view and entry point can be kept:
    // the emscripten module is a dictionary, slow to look up in once per clause.
    this.heap = this.core.HEAP32;
    this.coreAddClause = this.core._addClause;
    this.clausePtr = this.pooled.clausePtr;
  }

  /** The solver is done with the core: the next engine may take it. */
  release(): void {
    releaseCore(this.pooled, this.loadedInts * BYTES_PER_INT + this.top * BYTES_PER_VAR);
  }

  /** Loads a 0-terminated clause buffer in the caller's numbering. */
  load(given: Int32Array): void {
    let maxVar = 0;
    for (let i = 0; i < given.length; i++) {
      const v = given[i]! < 0 ? -given[i]! : given[i]!;
      if (v > maxVar) maxVar = v;
    }
    if (maxVar > this.callerVars) this.callerVars = maxVar;
    if (maxVar < this.identityBelow) {
      this.reserve(maxVar);
      this.loadOwn(given);
    } else {
      this.loadOwn(given.map((l) => this.own(l)));
    }
  }

  /**
   * The core's literal for a caller's literal, numbering its variable on first
   * sight (0 stays 0); an assumption on a variable no clause holds yet needs the variable to exist.
   */
  private own(lit: Lit): Lit {
    const v = lit < 0 ? -lit : lit;
    if (v < this.identityBelow) {
      if (v > this.callerVars) this.callerVars = v;
      this.reserve(v);
      return lit;
    }
    if (v >= this.renumbered.length) {
      const grown = new Int32Array(Math.max(v + 1, this.renumbered.length * 2, 1024));
      grown.set(this.renumbered);
      this.renumbered = grown;
    }
    if (this.renumbered[v] === 0) {
      const own = this.fresh();
      this.renumbered[v] = own;
      this.hint(own, v);
      if (v > this.callerVars) this.callerVars = v;
    }
    return lit < 0 ? -this.renumbered[v]! : this.renumbered[v]!;
  }

  /** A variable of the core's own: caller's variables not yet seen no longer keep their number. */
  private fresh(): number {
    if (this.identityBelow > this.top) this.identityBelow = this.top + 1;
    this.reserve(this.top + 1);
    return this.top;
  }

  private reserve(v: number): void {
    if (v <= this.top) return;
    const from = this.top + 1;
    this.top = v;
    this.guard(() => this.core._ensureVar(v));
    // Variables numbered as the caller's take their hints; a fresh one (the caller's numbering left) none.
    if (this.phases() !== undefined) for (let u = from; u <= v && u < this.identityBelow; u++) this.hint(u, u);
  }

  /** Stores core variable `own` with the sign caller variable `v`'s hint asks for. */
  private hint(own: number, v: number): void {
    const phase = this.phases()?.[v] ?? 0;
    if (phase === 0 && !this.flips) return;
    if (!this.flips || this.flips.length <= own) {
      const grown = new Int8Array(Math.max(own + 1, 2 * (this.flips?.length ?? 0), 1024));
      if (this.flips) grown.set(this.flips);
      this.flips = grown;
    }
    // MiniSat tries false first: a variable wanted true first is stored negated.
    this.flips[own] = phase === 0 ? 0 : -phase;
  }

  /** The sign core variable `v` is stored with. */
  private signOf(v: number): number {
    return this.flips?.[v] || this.sign;
  }

  /** Hands MiniSat a 0-terminated clause buffer in the core's numbering. */
  private loadOwn(buffer: ArrayLike<Lit>): void {
    this.loadedInts += buffer.length;
    const long: Lit[][] = [];
    // One guard for the whole buffer: a closure per clause costs more than MiniSat's own work.
    // Each clause is written straight into MiniSat's clause buffer as the scan meets its literals.
    this.guard(() => {
      const { heap, coreAddClause, clausePtr, sign, flips } = this;
      const base = clausePtr >> 2;
      let n = 0;
      for (let i = 0; i < buffer.length; i++) {
        const l = buffer[i]!;
        if (l !== 0) {
          if (n + 1 < CLAUSE_BUFFER_INTS) {
            heap[base + n++] = (flips === undefined ? sign : flips[l < 0 ? -l : l] || sign) * l;
            continue;
          }
          // Too long for the buffer: kept whole for splitting, scanning on to its end.
          const clause = Array.from(heap.subarray(base, base + n), (x) => this.signOf(x < 0 ? -x : x) * x);
          for (; buffer[i] !== 0; i++) clause.push(buffer[i]!);
          long.push(clause);
          n = 0;
          continue;
        }
        heap[base + n] = 0;
        if (!coreAddClause(clausePtr)) this.consistent = false;
        n = 0;
      }
    });
    for (const clause of long) this.addLong(clause);
  }

  /** A clause past the buffer, as one auxiliary variable per chunk: each implies its chunk, and one of them holds. */
  private addLong(clause: Lit[]): void {
    const chunk = CLAUSE_BUFFER_INTS >> 1;
    const auxiliaries: Lit[] = [];
    for (let i = 0; i < clause.length; i += chunk) {
      const t = this.fresh();
      auxiliaries.push(t);
      this.loadOwn([-t, ...clause.slice(i, i + chunk), 0]);
    }
    this.loadOwn([...auxiliaries, 0]);
  }

  solve(given: readonly Lit[], temporary: readonly (readonly Lit[])[]): SolveResult {
    this.solution = undefined;
    this.assigned = undefined;
    if (!this.consistent) return 'unsat';
    const assumptions = given.map((l) => this.own(l));
    let sat: number;
    if (assumptions.length === 0 && temporary.length === 0) {
      sat = this.guard(() => this.core._solve());
    } else if (assumptions.length === 1 && temporary.length === 0 && this.signOf(Math.abs(assumptions[0]!)) * assumptions[0]! > 0) {
      const single = this.signOf(Math.abs(assumptions[0]!)) * assumptions[0]!;
      sat = this.guard(() => this.core._solveAssuming(single));
    } else {
      // The core assumes a stored variable true (it takes no negative literal),
      // so the activation literal is whichever sign stores positive.
      const v = this.fresh();
      this.activations++;
      const a = this.sign * v;
      const clauses: Lit[] = [];
      for (const l of assumptions) clauses.push(-a, l, 0);
      for (const c of temporary) clauses.push(-a, ...c.map((l) => this.own(l)), 0);
      this.loadOwn(clauses);
      sat = this.guard(() => this.core._solveAssuming(v));
      this.loadOwn([-a, 0]); // retired for good
    }
    if (sat) this.readSolution();
    return sat ? 'sat' : 'unsat';
  }

  /** The core's variable for a caller's, or 0 when it is in no clause of this core (free: it reads false). */
  private known(v: number): number {
    if (v < this.identityBelow) return v <= this.top ? v : 0;
    return this.renumbered[v] ?? 0;
  }

  value(given: Lit): boolean {
    if (!this.solution) throw new Error('no satisfying assignment to read');
    const v = this.known(given < 0 ? -given : given);
    if (v === 0) return given < 0;
    const stored = this.solution[v - 1] === 0; // MiniSat's l_True is 0
    const truth = this.signOf(v) > 0 ? stored : !stored;
    return given < 0 ? !truth : truth;
  }

  assignment(): Uint8Array {
    if (!this.solution) throw new Error('no satisfying assignment to read');
    if (this.assigned) return this.assigned;
    const solution = this.solution;
    const out = new Uint8Array(this.callerVars + 1);
    const positive = this.sign > 0;
    const flips = this.flips;
    for (let v = 1; v <= this.callerVars; v++) {
      const own = this.known(v);
      // As value() reads it: MiniSat's l_True is 0, and a variable stored negated is true when it is not.
      if (own !== 0 && (solution[own - 1] === 0) === (flips?.[own] ? flips[own]! > 0 : positive)) out[v] = 1;
    }
    return (this.assigned = out);
  }

  private readSolution(): void {
    const ptr = this.guard(() => this.core._getSolution());
    const n = this.core._getNumVars();
    this.solution = this.core.HEAP8.slice(ptr, ptr + n);
  }

  /**
   * Runs a call into MiniSat. The emscripten build reports running out of its
   * heap with console.log before it throws a string; that note belongs in the
   * error, never on a caller's stdout (it would corrupt --json output).
   */
  private guard<T>(call: () => T): T {
    const log = console.log;
    const notes: string[] = [];
    console.log = (...args: unknown[]) => void notes.push(args.map(String).join(' '));
    try {
      return call();
    } catch (e) {
      if (e instanceof Error) throw e;
      // What it throws is a JavaScript stack and advice on its compiler flags, many lines a user's one-line
      // error must not carry: the first sentence of its note says what ran out.
      const note = notes[0]?.replace(/^MINISAT-\w+: /, '').split('. ')[0];
      throw new SolverMemoryError(note || String(e).split('\n')[0]!);
    } finally {
      console.log = log;
    }
  }
}
