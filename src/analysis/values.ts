/**
 * Which values a symbol can take in some valid configuration: n/m/y for
 * bool/tristate, the candidate values for int/hex/string.
 */
import type { Lit } from '../logic/cnf.js';
import type { KSymbol } from '../model/types.js';
import type { Session } from './session.js';

export interface PossibleValues {
  symbol: string;
  type: KSymbol['type'];
  arch?: string;
  /**
   * Values some valid configuration gives the symbol. For int/hex each number
   * also stands for the interval between the tree's constants that holds it.
   */
  values: string[];
  /** A string symbol can also hold values the tree never mentions. */
  otherStrings: boolean;
}

export function possibleValues(session: Session, sym: KSymbol): PossibleValues {
  const out: PossibleValues = { symbol: sym.name, type: sym.type, values: [], otherStrings: false };
  if (session.arch) out.arch = session.arch;
  const reached = reachableValues(session, [sym]).get(sym)!;
  const unmentioned = session.encoding.valuesOf(sym) ? session.encoding.domains.get(sym).unmentioned : undefined;
  for (const value of candidateValues(session, sym)) {
    if (!reached.has(value)) continue;
    if (value === unmentioned) out.otherStrings = true;
    else out.values.push(value);
  }
  return out;
}

/** The values a symbol's literals can say: n/m/y, or the int/hex/string candidates. */
function candidateValues(session: Session, sym: KSymbol): string[] {
  if (session.encoding.pairOf(sym)) return sym.type === 'tristate' ? ['n', 'm', 'y'] : ['n', 'y'];
  return session.encoding.valuesOf(sym) ? session.encoding.domains.get(sym).values : [];
}

/**
 * The reachable values of several symbols at once. Each solve asks for a
 * model with at least one value not reached yet (one clause over all of
 * them), and every model found counts for every symbol; the first
 * unsatisfiable call proves all the rest unreachable together. Only
 * configurations where the `within` literals hold count.
 */
export function reachableValues(session: Session, symbols: readonly KSymbol[], within: readonly Lit[] = []): Map<KSymbol, Set<string>> {
  const reached = new Map(symbols.map((s) => [s, new Set<string>()]));
  const cnf = session.encoding.cnf;
  for (let round = 0; ; round++) {
    const open: Lit[] = [];
    for (const [sym, values] of reached) {
      for (const value of candidateValues(session, sym)) {
        if (!values.has(value)) open.push(cnf.and(session.valueLiterals(sym, value)));
      }
    }
    // Solvers leaning on and off by turns give models far apart: more new values each.
    const lean = round % 2 === 0 ? 'on' : 'off';
    if (open.length === 0 || session.solve(within, { clauses: [open], lean }) !== 'sat') return reached;
    for (const [sym, values] of reached) {
      const v = session.candidateOf(sym);
      if (v !== undefined) values.add(v);
    }
  }
}
