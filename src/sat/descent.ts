/**
 * A SatSolver that looks for a model without search before it asks the
 * engine it wraps. A Kconfig formula is nearly all definitions: once a few
 * variables are set, unit propagation settles most of the rest, so setting
 * every open variable in turn to its preferred value (the other when that
 * one propagates to a conflict) ends in a model for most satisfiable
 * questions. On Linux that descent takes half of MiniSat's time for the same
 * answer (MiniSat still sets every variable, and pays its bookkeeping per
 * decision), which is what a warm session's query spends. A variable a
 * descent got stuck on is set first from then on (the descent is tried
 * again at once): on Linux a handful of such variables unstick nearly every
 * question.
 *
 * Everything else is the engine's: every unsat answer (the engine proves it
 * and knows its failed assumptions), a solve with temporary clauses, and a
 * descent that stays stuck on a variable it can set neither way.
 *
 * A descent that stays stuck costs a few passes over the variables for
 * nothing, and questions that are mostly no (an audit's) get stuck often:
 * after each such solve in a row, twice as many solves go straight to the
 * engine. The propagator is made at the first solve: on Linux that and the
 * descent take 40-80 ms where MiniSat's first model takes 100-180 ms.
 */
import type { Lit } from '../logic/cnf.js';
import { Propagator } from './propagator.js';
import { SolverStopped, type SatSolver, type SolveResult, type SolverFactory, type SolverOptions } from './solver.js';

/**
 * `factory`'s solvers, each answering what a descent finds before its engine
 * is asked; a compact one (a small part of a large numbering: an
 * explanation's or an audit's cone) is the engine's alone, since a descent
 * passes over every variable up to the highest and the engine's solves of a
 * small formula are quick.
 */
export function withDescent(factory: SolverFactory): SolverFactory {
  return Object.assign((options: SolverOptions = {}): SatSolver => (options.compact ? factory(options) : new DescentSolver(factory(options))), {
    prepare: (): void => factory.prepare(),
  });
}

/** At most 2^MAX_BACKOFF - 1 solves pass the descent by after it stayed stuck. */
const MAX_BACKOFF = 6;
/** Descents a solve tries again, each with the variable the last one got stuck on set first. */
const MAX_RETRIES = 2;
/** Variables set first at most (each a descent got stuck on). */
const MAX_FIRST = 256;

class DescentSolver implements SatSolver {
  private propagator: Propagator | undefined;
  /** Clause buffers given before the propagator was made. */
  private pending: Int32Array[] = [];
  /** Phase hints by variable: 1 true first, -1 false first, 0 the solver's phase. */
  private preferred: Int8Array | undefined;
  /** The last solve's model when the descent found it; undefined when the engine answered. */
  private model: Uint8Array | undefined;
  /** The variables descents got stuck on, set first by every later descent. */
  private readonly first: number[] = [];
  /** Solves in a row whose descents stayed stuck, and the solves still to pass to the engine for them. */
  private stuck = 0;
  private skip = 0;
  private stopped = false;
  private disposed = false;

  constructor(private readonly engine: SatSolver) {}

  addClauses(buffer: Int32Array): void {
    this.engine.addClauses(buffer);
    if (this.propagator) this.propagator.add(buffer);
    else this.pending.push(buffer);
  }

  addClause(lits: readonly Lit[]): void {
    this.addClauses(Int32Array.from([...lits, 0]));
  }

  solve(assumptions: readonly Lit[] = [], temporary: readonly (readonly Lit[])[] = []): SolveResult {
    if (this.stopped) throw new SolverStopped();
    if (this.disposed) throw new Error('the SAT solver was disposed');
    this.model = undefined;
    if (temporary.length === 0 && this.skip-- <= 0) {
      // False first whatever the engine's phase: a descent trying true first sets gates before their
      // inputs and gets stuck on nearly every Linux question.
      const propagator = this.ready();
      for (let attempt = 0; ; attempt++) {
        const found = propagator.descend(assumptions, false, this.preferred, this.first);
        if (found instanceof Uint8Array) {
          this.model = found;
          this.stuck = 0;
          return 'sat';
        }
        if (found === 'unsat') break;
        if (attempt < MAX_RETRIES && this.first.length < MAX_FIRST && !this.first.includes(found.stuck)) {
          this.first.push(found.stuck);
          continue;
        }
        this.skip = 2 ** Math.min(++this.stuck, MAX_BACKOFF) - 1;
        break;
      }
    }
    return this.engine.solve(assumptions, temporary);
  }

  private ready(): Propagator {
    if (!this.propagator) {
      // Buffer by buffer: Propagator.add takes each as it comes, with no copy of the whole formula.
      this.propagator = new Propagator(0, new Int32Array(0));
      for (const buffer of this.pending) this.propagator.add(buffer);
      this.pending = [];
    }
    return this.propagator;
  }

  value(lit: Lit): boolean {
    if (!this.model) return this.engine.value(lit);
    const v = lit < 0 ? -lit : lit;
    return (this.model[v] === 1) === lit > 0;
  }

  assignment(): Uint8Array {
    return this.model ?? this.engine.assignment();
  }

  failed(): Lit[] {
    if (this.model) throw new Error('failed() asks about a solve that answered unsat');
    return this.engine.failed();
  }

  setPhases(lits: readonly Lit[]): void {
    this.engine.setPhases(lits);
    const highest = lits.reduce((h, l) => Math.max(h, Math.abs(l)), 0);
    if (!this.preferred || this.preferred.length <= highest) {
      const grown = new Int8Array(Math.max(highest + 1, 2 * (this.preferred?.length ?? 0)));
      if (this.preferred) grown.set(this.preferred);
      this.preferred = grown;
    }
    for (const l of lits) this.preferred[Math.abs(l)] = l < 0 ? -1 : 1;
  }

  get numVars(): number {
    return Math.max(this.engine.numVars, this.propagator?.numVars ?? 0);
  }

  stop(): void {
    this.stopped = true;
    this.engine.stop();
  }

  dispose(): void {
    this.disposed = true;
    this.engine.dispose();
    this.propagator = undefined;
    this.pending = [];
    this.model = undefined;
  }
}
