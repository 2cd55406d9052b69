/**
 * Is a .config valid for the tree, i.e. would conf's olddefconfig leave it
 * unchanged? If not: every symbol whose value conf would change, the lines
 * that define its constraint, and the value conf gives it instead.
 */
import { checkAgainstModel, type DotConfig } from '../io/dotconfig.js';
import type { KSymbol } from '../model/types.js';
import { factsOf, type Fact } from './explain.js';
import { configValues, type ConfigValues, type Session } from './session.js';

export interface Violation {
  symbol: string;
  /** The value in the .config ('n' or '' when absent). */
  value: string;
  /** What conf computes from the rest of the configuration, when that is determined. */
  expected?: string;
  facts: Fact[];
}

export interface CheckResult {
  valid: boolean;
  violations: Violation[];
  /** Entries naming symbols the tree does not define for this arch: conf ignores them. */
  unknownSymbols: { name: string; line: number }[];
  /** Entries whose value does not fit the symbol's type: conf ignores them. */
  invalidValues: { name: string; line: number; reason: string }[];
}

export function checkConfig(session: Session, config: DotConfig): CheckResult {
  const sorted = checkAgainstModel(config, session.model);
  const values = configValues({ ...config, entries: sorted.valid });
  session.coverComparisons(session.valueComparisons(values));
  const broken = session.violatedSymbols(values, session.inputValuesFor(values));
  const violations = broken.map((sym) => violation(session, sym, values));
  fillExpected(session, values, broken, violations);
  return {
    valid: violations.length === 0,
    violations,
    unknownSymbols: sorted.unknown.map((e) => ({ name: e.name, line: e.line })),
    invalidValues: sorted.invalid.map((i) => ({ name: i.entry.name, line: i.entry.line, reason: i.reason })),
  };
}

function violation(session: Session, sym: KSymbol, values: ConfigValues): Violation {
  const absent = session.encoding.valuesOf(sym) ? '' : 'n';
  return { symbol: sym.name, value: values.get(sym.name) ?? absent, facts: factsOf(session, sym, new Set()) };
}

/** conf's value for each broken symbol, with every other symbol held at the .config's value. */
function fillExpected(session: Session, values: ConfigValues, broken: KSymbol[], violations: Violation[]): void {
  if (broken.length === 0) return;
  const free = new Set(broken);
  const lits = session.model.symbols
    .filter((s) => !free.has(s))
    .flatMap((s) => (s.definitions.length && !s.choiceInfo && values.has(s.name) ? session.valueLiterals(s, values.get(s.name)) : []));
  if (session.solve(lits) !== 'sat') return;
  broken.forEach((sym, i) => {
    const v = session.valueOf(sym);
    if (v !== undefined) violations[i]!.expected = v;
  });
}
