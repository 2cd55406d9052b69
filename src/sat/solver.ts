/**
 * The SAT engine's boundary, shaped like IPASIR and PySAT: clauses over the
 * caller's variable numbers, solves under any number of assumptions, the
 * model, the failed assumptions of an unsatisfiable solve, phase (for all
 * variables and per variable) and a stop flag. Nothing above src/sat knows which engine
 * answers or what its limits are; the adapter works around them (see
 * minisat.ts) and nothing else does.
 */
import type { Lit } from '../logic/cnf.js';

export type SolveResult = 'sat' | 'unsat';

export interface SolverOptions {
  /**
   * The value tried first for every undecided variable (default false):
   * models lean towards it, which searches for what can be enabled, and
   * samplers wanting variety, use.
   */
  phase?: boolean;
  /**
   * The solver will see a small part of a large numbering: it costs per
   * variable it holds, not per the highest number it is given.
   */
  compact?: boolean;
  /**
   * Variables from this number on are numbered as compact ones are, those
   * below it keep their numbers: for a numbering with gaps above a dense part
   * (variables whose clauses the caller left out).
   */
  compactFrom?: number;
}

export interface SatSolver {
  /** Adds a clause for the solver's life; any positive numbers are variables (IPASIR's implicit declaration). */
  addClause(lits: readonly Lit[]): void;
  /** addClause for every clause of a 0-terminated buffer (as Cnf.rawClauses gives it); the solver may keep the buffer. */
  addClauses(buffer: Int32Array): void;
  /**
   * Solves with every assumption literal forced true, and every temporary
   * clause in force, for this call only.
   */
  solve(assumptions?: readonly Lit[], temporary?: readonly (readonly Lit[])[]): SolveResult;
  /** Truth value of a literal in the last satisfying assignment (a variable in no clause is free and reads false). */
  value(lit: Lit): boolean;
  /**
   * The last satisfying assignment by the caller's variable, 1 true and 0
   * false (read it with holdsIn), for reading many values; index 0 and
   * variables in no clause read 0.
   */
  assignment(): Uint8Array;
  /**
   * After a solve that answered unsat: a subset of its assumptions that is
   * unsatisfiable alone (with that call's temporary clauses), each member
   * needed (PySAT's get_core, IPASIR's failed). Empty when the clauses alone
   * are unsatisfiable. An error after any other answer.
   */
  failed(): Lit[];
  /**
   * Phase hints: for each literal's variable, the value tried first is the
   * literal's (PySAT's set_phases); later hints for a variable replace earlier
   * ones. Other variables keep SolverOptions.phase.
   */
  setPhases(lits: readonly Lit[]): void;
  /** The highest variable of any clause or assumption the solver was given. */
  readonly numVars: number;
  /** Makes every later solve throw SolverStopped (checked between solves: the engine cannot be interrupted inside one). */
  stop(): void;
  /** Frees the engine's memory; the solver answers nothing afterwards. */
  dispose(): void;
}

export interface SolverFactory {
  (options?: SolverOptions): SatSolver;
  /**
   * Readies the engine without making a solver: a process that will solve
   * calls it while its heap is small (see minisat.ts); calling it again costs nothing.
   */
  prepare(): void;
}

/**
 * SatSolver.failed by deletion over the assumptions, from the last: one the
 * rest stay unsatisfiable without goes; empty when the clauses alone are
 * unsatisfiable. `satisfiable` answers for the clauses under some assumptions.
 */
export function failedByDeletion(assumptions: readonly Lit[], satisfiable: (lits: readonly Lit[]) => boolean): Lit[] {
  let kept = satisfiable([]) ? [...new Set(assumptions)] : [];
  for (let i = kept.length - 1; i >= 0; i--) {
    const without = kept.filter((_, k) => k !== i);
    if (!satisfiable(without)) kept = without;
  }
  return kept;
}

/** The solver ran out of its fixed memory; no answer from it can be trusted afterwards. */
export class SolverMemoryError extends Error {
  constructor(readonly detail: string) {
    super(`SAT solver ran out of memory (${detail}); the formula is too large for this backend`);
    this.name = 'SolverMemoryError';
  }
}

/** A solve asked of a stopped solver. */
export class SolverStopped extends Error {
  constructor() {
    super('the SAT solver was stopped');
    this.name = 'SolverStopped';
  }
}
