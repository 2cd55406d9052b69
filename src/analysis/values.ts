/**
 * Which values a symbol can take in some valid configuration: n/m/y for
 * bool/tristate, the candidate values for int/hex/string.
 */
import { OTHER_STRING } from '../logic/domains.js';
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
  const candidates = session.encoding.pairOf(sym)
    ? sym.type === 'tristate' ? ['n', 'm', 'y'] : ['n', 'y']
    : session.encoding.valuesOf(sym) ? session.encoding.domains.get(sym).values : [];
  const reached = new Set<string>();
  // One unconstrained model settles one candidate for free.
  if (session.solve() === 'sat') reached.add(session.valueOf(sym)!);
  for (const value of candidates) {
    if (!reached.has(value) && session.solve(session.valueLiterals(sym, value)) === 'sat') reached.add(value);
  }
  for (const value of candidates) {
    if (!reached.has(value)) continue;
    if (value === OTHER_STRING) out.otherStrings = true;
    else out.values.push(value);
  }
  return out;
}
