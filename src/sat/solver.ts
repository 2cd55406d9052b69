/**
 * The solver interface the analyses use: add clauses, solve under assumptions,
 * read the model. One backend today (MiniSat via logic-solver); the interface
 * keeps a second one possible.
 */
import type { Lit } from '../logic/cnf.js';

export type SolveResult = 'sat' | 'unsat';

export interface SolveOptions {
  activation?: () => Lit;
  clauses?: readonly (readonly Lit[])[];
}

export interface Solver {
  readonly numVars: number;
  /** Loads a 0-terminated clause buffer (as Cnf.rawClauses gives it). */
  addRawClauses(buffer: Int32Array): void;
  addClause(lits: readonly Lit[]): void;
  /**
   * Solves with every assumption literal forced true, and every temporary
   * clause in force, for this call only. Several assumptions or any temporary
   * clause need a fresh activation variable: `activation` supplies one that the
   * caller's variable numbering will never reuse.
   */
  solve(assumptions?: readonly Lit[], options?: SolveOptions): SolveResult;
  /** Truth value of a variable in the last satisfying assignment. */
  value(lit: Lit): boolean;
  /**
   * The last satisfying assignment by variable, 1 true and 0 false (read it
   * with holdsIn), for reading many values; index 0 and variables in no
   * clause of this solver read 0.
   */
  assignment(): Uint8Array;
}

/** The solver ran out of its fixed memory; no answer from it can be trusted afterwards. */
export class SolverMemoryError extends Error {
  constructor(detail: string) {
    super(`SAT solver ran out of memory (${detail}); the formula is too large for this backend`);
    this.name = 'SolverMemoryError';
  }
}
