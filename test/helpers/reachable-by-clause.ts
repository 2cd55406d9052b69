/**
 * The reachable-values search kconfsat used before the runs of
 * src/analysis/values.ts (a model with any value not reached yet, one clause
 * over all of them), kept as the reference the new one must agree with.
 */
import type { Session } from '../../src/analysis/session.js';
import type { Lit } from '../../src/formula/formula.js';
import type { KSymbol } from '../../src/model/types.js';

export function reachableValuesByClause(session: Session, symbols: readonly KSymbol[], within: readonly Lit[] = []): Map<KSymbol, Set<string>> {
  const reached = new Map(symbols.map((s) => [s, new Set<string>()]));
  for (;;) {
    const open: Lit[] = [];
    for (const [sym, values] of reached) {
      for (const value of session.formula.candidates(sym)) {
        if (!values.has(value)) open.push(session.formula.is(sym, value));
      }
    }
    if (open.length === 0 || session.formula.solve(within, { clauses: [open] }) !== 'sat') return reached;
    for (const [sym, values] of reached) {
      const v = session.formula.valueOf(sym);
      if (v !== undefined) values.add(v);
    }
  }
}
