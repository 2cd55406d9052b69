/**
 * MiniSat through logic-solver's emscripten build, fed numeric clauses
 * directly (its Logic.* formula layer costs 10x the time and memory).
 * Assumption sets go through one fresh activation variable per call because
 * the core takes a single assumption literal.
 *
 * MiniSat tries `false` first for every undecided variable, so its models lean
 * towards "off". `preferTrue` stores every variable negated, which makes the
 * same search lean towards "on": searches for symbols that can be enabled, and
 * samplers wanting variety, use both.
 *
 * MiniSat creates, and decides on every solve, each variable up to the highest
 * number it is given. A solver for a small part of a large formula is
 * `compact`: it numbers variables in the order they first appear.
 */
import { createRequire } from 'node:module';
import type { Lit } from '../logic/cnf.js';
import { SolverMemoryError, type SolveOptions, type SolveResult, type Solver } from './solver.js';

// Loaded with the module: V8 compiling logic-solver's asm.js takes about 0.2 s once per
// process, which belongs to starting up, not to whichever solver happens to be made first.
const Logic = createRequire(import.meta.url)('logic-solver') as LogicModule;

interface MiniSatCore {
  HEAP32: Int32Array;
  HEAP8: Int8Array;
  _malloc(bytes: number): number;
  _free(ptr: number): void;
  _addClause(ptr: number): number;
  _solve(): number;
  _solveAssuming(lit: number): number;
  _ensureVar(v: number): void;
  _getSolution(): number;
  _getNumVars(): number;
}

interface LogicModule {
  _MiniSat: new () => { _C: MiniSatCore };
}

const CLAUSE_BUFFER_INTS = 1 << 14;

/**
 * The first solver's core, made with the module. Each core's heap is a 64 MB
 * ArrayBuffer, and V8 answers the first one with a full garbage collection
 * (external memory): about 1 ms in a starting process, but 60-70 ms once a
 * Linux model and its encoding are on the heap.
 */
let spareCore: MiniSatCore | undefined = new Logic._MiniSat()._C;

function newCore(): MiniSatCore {
  const core = spareCore ?? new Logic._MiniSat()._C;
  spareCore = undefined;
  return core;
}

export class MiniSatSolver implements Solver {
  private readonly core: MiniSatCore;
  private readonly heap: Int32Array;
  private readonly coreAddClause: (ptr: number) => number;
  private readonly clausePtr: number;
  private vars = 0;
  private solution: Int8Array | undefined;
  /** assignment() of the current solution, made when first asked. */
  private assigned: Uint8Array | undefined;
  private dead: string | undefined;
  /** False once a clause made the formula unsatisfiable at the top level. */
  private consistent = true;

  /** 1, or -1 when variables are stored negated. */
  private readonly sign: 1 | -1;
  /** With `compact`: the solver's number for each caller's variable (0: not seen yet). */
  private numbering: Int32Array | undefined;
  /** Variables numbered so far (with `compact`). */
  private numbered = 0;

  constructor(options: { preferTrue?: boolean; compact?: boolean } = {}) {
    this.sign = options.preferTrue ? -1 : 1;
    if (options.compact) this.numbering = new Int32Array(1024);
    this.core = newCore();
    // The core's heap never grows (it fails instead), so its view and entry point can be kept:
    // the emscripten module is a dictionary, slow to look up in once per clause.
    this.heap = this.core.HEAP32;
    this.coreAddClause = this.core._addClause;
    this.clausePtr = this.guard(() => this.core._malloc(CLAUSE_BUFFER_INTS * 4));
  }

  /** How many variables the solver has (with `compact`, fewer than the highest number it was given). */
  get numVars(): number {
    return this.vars;
  }

  addRawClauses(given: Int32Array): void {
    this.loadOwn(this.numbering ? given.map((l) => this.renumber(l)) : given);
  }

  addClause(given: ArrayLike<Lit>): void {
    this.addOwnClause(this.numbering ? Array.from(given, (l) => this.renumber(l)) : given);
  }

  /** addClause for literals in the solver's own numbering. */
  private addOwnClause(lits: ArrayLike<Lit>): void {
    this.loadOwn([...Array.from(lits), 0]);
  }

  /** Hands MiniSat a 0-terminated clause buffer in the solver's own numbering. */
  private loadOwn(buffer: ArrayLike<Lit>): void {
    let maxVar = 0;
    for (let i = 0; i < buffer.length; i++) {
      const v = buffer[i]! < 0 ? -buffer[i]! : buffer[i]!;
      if (v > maxVar) maxVar = v;
    }
    this.reserveVars(maxVar);
    // One guard for the whole buffer: a closure per clause costs more than MiniSat's own work.
    // Each clause is written straight into MiniSat's clause buffer as the scan meets its literals.
    this.guard(() => {
      const { heap, coreAddClause, clausePtr, sign } = this;
      const base = clausePtr >> 2;
      let n = 0;
      for (let i = 0; i < buffer.length; i++) {
        const l = buffer[i]!;
        if (l !== 0) {
          if (n + 1 === CLAUSE_BUFFER_INTS) throw new Error(`clause of over ${n} literals is too long`);
          heap[base + n++] = sign * l;
          continue;
        }
        heap[base + n] = 0;
        if (!coreAddClause(clausePtr)) this.consistent = false;
        n = 0;
      }
    });
  }

  /** The solver's literal for a caller's literal, numbering a new variable on first sight (0 stays 0). */
  private renumber(lit: Lit): Lit {
    const v = lit < 0 ? -lit : lit;
    if (v >= this.numbering!.length) {
      const grown = new Int32Array(Math.max(v + 1, this.numbering!.length * 2));
      grown.set(this.numbering!);
      this.numbering = grown;
    }
    if (v !== 0 && this.numbering![v] === 0) this.numbering![v] = ++this.numbered;
    return lit < 0 ? -this.numbering![v]! : this.numbering![v]!;
  }

  private reserveVars(maxVar: number): void {
    this.checkAlive();
    if (maxVar <= this.vars) return;
    this.vars = maxVar;
    this.guard(() => this.core._ensureVar(maxVar));
  }

  solve(given: readonly Lit[] = [], options: SolveOptions = {}): SolveResult {
    this.checkAlive();
    this.solution = undefined;
    this.assigned = undefined;
    if (!this.consistent) return 'unsat';
    const own = (l: Lit): Lit => (this.numbering ? this.renumber(l) : l);
    const assumptions = given.map(own);
    const temporary = (options.clauses ?? []).map((c) => c.map(own));
    // An assumption on a variable no clause holds yet needs the variable to exist.
    this.reserveVars(assumptions.reduce((max, l) => Math.max(max, Math.abs(l)), 0));
    const single = assumptions.length === 1 && temporary.length === 0 ? this.sign * assumptions[0]! : 0;
    let sat: number;
    if (assumptions.length === 0 && temporary.length === 0) {
      sat = this.guard(() => this.core._solve());
    } else if (single > 0) {
      sat = this.guard(() => this.core._solveAssuming(single));
    } else {
      // The core assumes a stored variable true (it takes no negative literal),
      // so the activation literal is whichever sign stores positive.
      if (!options.activation) throw new Error('several assumptions need an activation variable source');
      const v = own(options.activation());
      const a = this.sign * v;
      for (const l of assumptions) this.addOwnClause([-a, l]);
      for (const c of temporary) this.addOwnClause([-a, ...c]);
      sat = this.guard(() => this.core._solveAssuming(v));
      this.addOwnClause([-a]); // retired for good
    }
    if (sat) this.readSolution();
    return sat ? 'sat' : 'unsat';
  }

  value(given: Lit): boolean {
    if (!this.solution) throw new Error('no satisfying assignment to read');
    if (this.numbering && !this.numbering[Math.abs(given)]) throw new Error(`variable ${Math.abs(given)} is in no clause of this solver`);
    const lit = this.numbering ? this.renumber(given) : given;
    const v = lit < 0 ? -lit : lit;
    const stored = this.solution[v - 1] === 0; // MiniSat's l_True is 0
    const truth = this.sign > 0 ? stored : !stored;
    return lit < 0 ? !truth : truth;
  }

  assignment(): Uint8Array {
    if (!this.solution) throw new Error('no satisfying assignment to read');
    if (this.assigned) return this.assigned;
    const solution = this.solution;
    const numbering = this.numbering;
    const n = numbering ? numbering.length - 1 : solution.length;
    const out = new Uint8Array(n + 1);
    const positive = this.sign > 0;
    for (let v = 1; v <= n; v++) {
      const own = numbering ? numbering[v]! : v;
      // As value() reads it: MiniSat's l_True is 0, and a variable stored negated is true when it is not.
      if (own !== 0 && (solution[own - 1] === 0) === positive) out[v] = 1;
    }
    return (this.assigned = out);
  }

  private readSolution(): void {
    const ptr = this.guard(() => this.core._getSolution());
    const n = this.core._getNumVars();
    this.solution = this.core.HEAP8.slice(ptr, ptr + n);
  }

  private checkAlive(): void {
    if (this.dead) throw new SolverMemoryError(this.dead);
  }

  /** emscripten signals heap exhaustion by throwing a string; the instance is unusable after it. */
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
      this.dead = [String(e), ...notes].join('; ');
      throw new SolverMemoryError(this.dead);
    } finally {
      console.log = log;
    }
  }
}
