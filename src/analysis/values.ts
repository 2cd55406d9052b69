/**
 * Which values a symbol can take in some valid configuration: n/m/y for
 * bool/tristate, the candidate values for int/hex/string.
 */
import type { Lit } from '../formula/formula.js';
import { formatNumber, isValidValue, parseCNumber } from '../model/values.js';
import type { KSymbol } from '../model/types.js';
import { ungranted } from './runs.js';
import type { Session } from './session.js';

export interface PossibleValues {
  symbol: string;
  type: KSymbol['type'];
  arch?: string;
  /**
   * Values some valid configuration gives the symbol, sorted (numbers by
   * value, "" for an int/hex symbol without a value first). For int/hex each
   * number also stands for an interval of values the tree cannot tell apart.
   */
  values: string[];
  /** int/hex: the interval each entry of `values` stands for, in the same order. */
  intervals?: Interval[];
  /** A string symbol can also hold values the tree never mentions. */
  otherStrings: boolean;
}

/** Bounds in the symbol's own notation; undefined where the interval is unbounded; both "" for no value. */
export interface Interval {
  min?: string;
  max?: string;
}

export function possibleValues(session: Session, sym: KSymbol): PossibleValues {
  const out: PossibleValues = { symbol: sym.name, type: sym.type, values: [], otherStrings: false };
  if (session.arch) out.arch = session.arch;
  const reached = reachableValues(session, [sym]).get(sym)!;
  const unmentioned = session.formula.unmentioned(sym);
  const candidates = session.formula.candidates(sym);
  for (const value of candidates) {
    if (!reached.has(value)) continue;
    if (value === unmentioned) out.otherStrings = true;
    else out.values.push(value);
  }
  if (sym.type === 'int' || sym.type === 'hex') {
    const classes = numberClasses(sym.type, candidates);
    out.values.sort((a, b) => compareNumbers(classes, a, b));
    out.intervals = out.values.map((v) => classes.get(v) ?? { min: v, max: v });
  } else if (sym.type === 'string') out.values.sort();
  return out;
}

/**
 * The interval each numeric candidate stands for: from itself up to the next
 * candidate (the candidates are the tree's constants and the number just
 * above each, so every value between two candidates behaves as the lower
 * one); below the least one for int, whose least candidate lies under every
 * constant.
 */
function numberClasses(type: 'int' | 'hex', candidates: string[]): Map<string, Interval> {
  const base = type === 'int' ? 10 : 16;
  const numbers = candidates
    .filter((c) => c !== '' && isValidValue(type, c))
    .map((c) => ({ text: c, n: parseCNumber(c, base).value }))
    .sort((a, b) => (a.n < b.n ? -1 : a.n > b.n ? 1 : 0));
  const classes = new Map<string, Interval>([['', { min: '', max: '' }]]);
  numbers.forEach(({ text }, i) => {
    const next = numbers[i + 1];
    const interval: Interval = {};
    if (i > 0 || type === 'hex') interval.min = text;
    if (next) interval.max = formatNumber(next.n - 1n, base);
    classes.set(text, interval);
  });
  return classes;
}

/** Order of values by the intervals they stand for: no value first, then ascending. */
function compareNumbers(classes: Map<string, Interval>, a: string, b: string): number {
  const keys = [...classes.keys()];
  return keys.indexOf(a) - keys.indexOf(b);
}

/** `1..63`, `64`, `8193..`, `..0`, or `""` for no value. */
export function formatInterval(i: Interval): string {
  if (i.min === '' && i.max === '') return '""';
  if (i.min !== undefined && i.min === i.max) return i.min;
  return `${i.min ?? ''}..${i.max ?? ''}`;
}

/**
 * The reachable values of several symbols at once, each set in the order of
 * the symbol's candidates (n, m, y). Only configurations where the `within`
 * literals hold count.
 *
 * As the dead-symbol search (dead.ts) does: one model, then only the values
 * no model has shown yet, settled in runs (runs.ts). Every model counts for
 * every symbol. Asking instead for a model with any value not reached yet (a
 * clause over all of them) gives one new value per model, as models lean on:
 * 140 solves for the 147 symbols around Linux's seed select, where runs take
 * about 20.
 */
export function reachableValues(session: Session, symbols: readonly KSymbol[], within: readonly Lit[] = []): Map<KSymbol, Set<string>> {
  const formula = session.formula;
  const reached = new Map(symbols.map((s) => [s, new Set<string>()]));
  const ask = (lits: readonly Lit[]): boolean => {
    if (formula.solve(lits) === 'unsat') return false;
    for (const [sym, values] of reached) {
      const v = formula.valueOf(sym);
      if (v !== undefined) values.add(v);
    }
    return true;
  };
  // Without any configuration (where `within` holds) nothing is reachable.
  if (symbols.length > 0 && ask(within)) {
    const wishes = symbols.flatMap((sym) => formula.candidates(sym).map((value) => ({ sym, value })));
    ungranted(formula, wishes, {
      lits: ({ sym, value }) => formula.valueLiterals(sym, value),
      open: ({ sym, value }) => !reached.get(sym)!.has(value),
      ask,
      within,
    });
  }
  // In the order of the candidates, whatever order the models came in.
  return new Map([...reached].map(([sym, values]) => [sym, new Set(formula.candidates(sym).filter((v) => values.has(v)))]));
}
