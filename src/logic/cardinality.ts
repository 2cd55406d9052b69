/**
 * "At most k of these literals" as clauses: a sequential counter whose
 * outputs say "at least j+1 are true". Only the upward implications are
 * encoded, so an output is forced true by enough true inputs and is otherwise
 * free; assuming ¬outputs[k] then allows at most k, and nothing is constrained
 * while no output is assumed. One counter serves every bound up to its size.
 */
import type { Lit } from './cnf.js';

/** Where a counter writes: a CNF, or a scope that guards each clause. */
export interface ClauseSink {
  newVar(): Lit;
  clause(lits: readonly Lit[]): void;
}

/** outputs[j] is implied by j+1 true literals among `lits`, for j < size. */
export function atLeastOutputs(cnf: ClauseSink, lits: readonly Lit[], size: number): Lit[] {
  let previous: Lit[] = [];
  lits.forEach((x, i) => {
    const current = Array.from({ length: Math.min(size, i + 1) }, () => cnf.newVar());
    current.forEach((s, j) => {
      if (j === 0) cnf.clause([-x, s]);
      else cnf.clause([-x, -previous[j - 1]!, s]);
      if (j < previous.length) cnf.clause([-previous[j]!, s]);
    });
    previous = current;
  });
  return previous;
}
