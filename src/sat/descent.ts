/**
 * A SatSolver that answers by unit propagation and a descent without search
 * before it asks the engine it wraps. A Kconfig formula is nearly all
 * definitions: once a few variables are set, unit propagation settles most of
 * the rest, so setting every open variable in turn to its preferred value
 * (the other when that one propagates to a conflict) ends in a model for most
 * satisfiable questions. On Linux that descent takes half of MiniSat's time
 * for the same answer (MiniSat still sets every variable, and pays its
 * bookkeeping per decision), which is what a warm session's query spends. A
 * variable a descent got stuck on is set first from then on (the descent is
 * tried again at once): on Linux a handful of such variables unstick nearly
 * every question. And most Kconfig questions answered no are so by
 * propagation alone (a dependency chain that ends in a symbol that is n):
 * the conflict proves it.
 *
 * The failed assumptions of such an answer come by deletion, as the engine
 * finds them, each test proven by a conflict or a model. The rest is the
 * engine's: an unsat answer propagation does not prove, a solve with
 * temporary clauses, a descent that stays stuck on a variable it can set
 * neither way.
 *
 * The engine is made, and given every clause, only when first needed: a
 * process whose questions the descent answers never pays for it (MiniSat's
 * asm.js compiles in about 0.2 s, and takes a Linux formula in 0.1 s more).
 *
 * A descent that stays stuck costs a few passes over the variables for
 * nothing, and questions that are mostly no (an audit's) get stuck often:
 * after each such solve in a row, twice as many solves go straight to the
 * engine. The propagator is made at the first solve: on Linux that and the
 * descent take 40-80 ms where MiniSat's first model takes 100-180 ms.
 */
import type { Lit } from '../logic/cnf.js';
import { Propagator } from './propagator.js';
import { failedByDeletion, SolverStopped, type SatSolver, type SolveResult, type SolverFactory, type SolverOptions } from './solver.js';

/** `factory`'s solvers, each answering what propagation and a descent find before its engine is made and asked. */
export function withDescent(factory: SolverFactory): SolverFactory {
  return Object.assign((options: SolverOptions = {}): SatSolver => new DescentSolver(factory, options), {
    // Nothing to ready: the engine is made when a question first needs it.
    prepare: (): void => {},
  });
}

/** At most 2^MAX_BACKOFF - 1 solves pass the descent by after it stayed stuck. */
const MAX_BACKOFF = 6;
/** Descents a solve tries again, each with the variable the last one got stuck on set first. */
const MAX_RETRIES = 2;
/** Variables set first at most (each a descent got stuck on). */
const MAX_FIRST = 256;

/** Who answered the last solve: a model of the descent's, a conflict of propagation's, or the engine. */
type Answer = { by: 'descent'; model: Uint8Array } | { by: 'propagation'; assumptions: readonly Lit[]; failed?: Lit[] } | { by: 'engine' };

class DescentSolver implements SatSolver {
  private propagator: Propagator | undefined;
  /** The engine, once a question needed it. */
  private made: SatSolver | undefined;
  /** Every clause buffer given: what the propagator and the engine are made from. */
  private readonly given: Int32Array[] = [];
  /** Phase hints by variable: 1 true first, -1 false first, 0 the solver's phase. */
  private preferred: Int8Array | undefined;
  private answer: Answer | undefined;
  /** The variables descents got stuck on, set first by every later descent. */
  private readonly first: number[] = [];
  /** Solves in a row whose descents stayed stuck, and the solves still to pass to the engine for them. */
  private stuck = 0;
  private skip = 0;
  private stopped = false;
  private disposed = false;

  constructor(
    private readonly factory: SolverFactory,
    private readonly options: SolverOptions,
  ) {}

  addClauses(buffer: Int32Array): void {
    this.given.push(buffer);
    this.made?.addClauses(buffer);
    this.propagator?.add(buffer);
  }

  addClause(lits: readonly Lit[]): void {
    this.addClauses(Int32Array.from([...lits, 0]));
  }

  solve(assumptions: readonly Lit[] = [], temporary: readonly (readonly Lit[])[] = []): SolveResult {
    if (this.stopped) throw new SolverStopped();
    if (this.disposed) throw new Error('the SAT solver was disposed');
    this.answer = undefined;
    if (temporary.length === 0 && this.skip-- <= 0) {
      const found = this.descend(assumptions);
      if (found instanceof Uint8Array) {
        this.answer = { by: 'descent', model: found };
        return 'sat';
      }
      if (found === 'unsat') {
        this.answer = { by: 'propagation', assumptions };
        return 'unsat';
      }
    }
    this.answer = { by: 'engine' };
    return this.engine().solve(assumptions, temporary);
  }

  /**
   * A model from a descent (false first whatever the engine's phase: a
   * descent trying true first sets gates before their inputs and gets stuck
   * on nearly every Linux question), 'unsat' when the assumptions propagate
   * to a conflict, 'stuck' when neither came of it.
   */
  private descend(assumptions: readonly Lit[]): Uint8Array | 'unsat' | 'stuck' {
    const propagator = this.ready();
    for (let attempt = 0; ; attempt++) {
      const found = propagator.descend(assumptions, false, this.preferred, this.first);
      if (found instanceof Uint8Array) {
        this.stuck = 0;
        return found;
      }
      if (found === 'unsat') return found;
      if (attempt < MAX_RETRIES && this.first.length < MAX_FIRST && !this.first.includes(found.stuck)) {
        this.first.push(found.stuck);
        continue;
      }
      this.skip = 2 ** Math.min(++this.stuck, MAX_BACKOFF) - 1;
      return 'stuck';
    }
  }

  private ready(): Propagator {
    if (!this.propagator) {
      // Buffer by buffer: Propagator.add takes each as it comes, with no copy of the whole formula.
      this.propagator = new Propagator(0, new Int32Array(0));
      for (const buffer of this.given) this.propagator.add(buffer);
    }
    return this.propagator;
  }

  /** The engine, made and given every phase hint and clause so far when first asked for. */
  private engine(): SatSolver {
    if (!this.made) {
      const engine = this.factory(this.options);
      // Hints first: MiniSat takes a hint on a variable it already holds only in a fresh core, loaded again.
      const hints: Lit[] = [];
      this.preferred?.forEach((hint, v) => hint !== 0 && hints.push(hint * v));
      if (hints.length > 0) engine.setPhases(hints);
      for (const buffer of this.given) engine.addClauses(buffer);
      this.made = engine;
    }
    return this.made;
  }

  /** Whether clauses and these assumptions can hold, proven by a conflict or a model, else by the engine. */
  private satisfiable(assumptions: readonly Lit[]): boolean {
    if (this.stopped) throw new SolverStopped();
    const found = this.descend(assumptions);
    if (found === 'stuck') return this.engine().solve(assumptions) === 'sat';
    return found !== 'unsat';
  }

  value(lit: Lit): boolean {
    const answer = this.answer;
    if (answer?.by !== 'descent') return this.answered().value(lit);
    const v = lit < 0 ? -lit : lit;
    return (answer.model[v] === 1) === lit > 0;
  }

  assignment(): Uint8Array {
    const answer = this.answer;
    return answer?.by === 'descent' ? answer.model : this.answered().assignment();
  }

  /** The engine when it gave the last answer (its model is read); an error otherwise. */
  private answered(): SatSolver {
    if (this.answer?.by !== 'engine') throw new Error('no satisfying assignment to read');
    return this.engine();
  }

  /** The engine's failed assumptions, or by deletion as the engine finds them (failedByDeletion) when propagation answered. */
  failed(): Lit[] {
    const answer = this.answer;
    // No engine is made to say so: after a sat answer, before any solve, or once disposed.
    if (answer === undefined || answer.by === 'descent') throw new Error('failed() asks about a solve that answered unsat');
    if (answer.by === 'engine') return this.engine().failed();
    answer.failed ??= failedByDeletion(answer.assumptions, (lits) => this.satisfiable(lits));
    return [...answer.failed];
  }

  setPhases(lits: readonly Lit[]): void {
    this.made?.setPhases(lits);
    const highest = lits.reduce((h, l) => Math.max(h, Math.abs(l)), 0);
    if (!this.preferred || this.preferred.length <= highest) {
      const grown = new Int8Array(Math.max(highest + 1, 2 * (this.preferred?.length ?? 0)));
      if (this.preferred) grown.set(this.preferred);
      this.preferred = grown;
    }
    for (const l of lits) this.preferred[Math.abs(l)] = l < 0 ? -1 : 1;
  }

  get numVars(): number {
    return Math.max(this.made?.numVars ?? 0, this.ready().numVars);
  }

  stop(): void {
    this.stopped = true;
    this.made?.stop();
  }

  dispose(): void {
    this.disposed = true;
    this.made?.dispose();
    this.propagator = undefined;
    this.given.length = 0;
    this.answer = undefined;
  }
}
