/**
 * Why something cannot hold: a minimal set of symbols whose Kconfig
 * definitions together rule it out (a minimal unsatisfiable subset over the
 * per-symbol constraint groups), shown as the lines a person can follow.
 *
 * Only the query's cone of influence can matter: a symbol outside it can
 * always take the value conf computes for it. The search first finds the
 * shortest unsatisfiable prefix of the cone in breadth-first order (nearest
 * symbols first, binary search), then deletes what that prefix does not need.
 */
import type { KSymbol, Loc } from '../model/types.js';
import type { Lit } from '../logic/cnf.js';
import { cone, influences } from './cone.js';
import type { Session } from './session.js';

export interface Fact {
  symbol: string;
  /** What the line does for the argument. */
  role: 'depends on' | 'prompt' | 'default' | 'range' | 'selected by' | 'implied by' | 'defined' | 'choice';
  loc: Loc;
  /** The Kconfig line as written. */
  text: string;
}

export interface Explanation {
  /** The symbols of the minimal set, in the order a reader follows the argument. */
  symbols: string[];
  facts: Fact[];
}

export function explain(session: Session, assumptions: Lit[], roots: KSymbol[]): Explanation {
  const order = cone(roots).filter((s) => session.encoding.selectors.has(s));
  const solveWith = session.groupSolver(order, assumptions);
  const unsatWith = (groups: KSymbol[]): boolean => solveWith(groups) === 'unsat';

  // The shortest unsatisfiable prefix (the whole cone is unsatisfiable when called).
  let lo = 0;
  let hi = order.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (unsatWith(order.slice(0, mid))) hi = mid;
    else lo = mid + 1;
  }
  // Deletion: drop each member the rest does not need, farthest first.
  const kept = order.slice(0, hi);
  for (let i = kept.length - 1; i >= 0; i--) {
    const without = kept.filter((_, j) => j !== i);
    if (unsatWith(without)) kept.splice(i, 1);
  }
  const chain = chainOrder(kept, roots);
  return { symbols: chain.map((s) => s.name), facts: chain.flatMap((s) => factsOf(session, s, new Set(chain))) };
}

/** Breadth-first from the query's symbols, so each symbol follows the one that needs it. */
function chainOrder(members: KSymbol[], roots: KSymbol[]): KSymbol[] {
  const inSet = new Set(members);
  const seen = new Set<KSymbol>();
  const order: KSymbol[] = [];
  const queue = roots.filter((r) => inSet.has(r));
  for (const r of queue) seen.add(r);
  while (queue.length) {
    const s = queue.shift()!;
    order.push(s);
    for (const n of influences(s)) {
      if (inSet.has(n) && !seen.has(n)) {
        seen.add(n);
        queue.push(n);
      }
    }
  }
  return [...order, ...members.filter((m) => !seen.has(m))];
}

/** The lines of a symbol's definition that bear on the others in the set. */
export function factsOf(session: Session, sym: KSymbol, set: Set<KSymbol>): Fact[] {
  const line = (loc: Loc): string => sourceLine(session, loc);
  const facts: Fact[] = [];
  const name = sym.name;
  for (const def of sym.definitions) {
    facts.push({ symbol: name, role: sym.choiceInfo ? 'choice' : 'defined', loc: def.loc, text: line(def.loc) });
    for (const d of def.ownDepends) facts.push({ symbol: name, role: 'depends on', loc: d.loc, text: line(d.loc) });
  }
  for (const p of sym.prompts) facts.push({ symbol: name, role: 'prompt', loc: p.loc, text: line(p.loc) });
  for (const d of sym.defaults) facts.push({ symbol: name, role: 'default', loc: d.loc, text: line(d.loc) });
  for (const r of sym.selectedBy) {
    if (set.has(r.selector) || sym.selectedBy.length <= 3) {
      facts.push({ symbol: name, role: 'selected by', loc: r.loc, text: `${r.selector.name}: ${line(r.loc)}` });
    }
  }
  for (const r of sym.impliedBy) {
    if (set.has(r.selector)) facts.push({ symbol: name, role: 'implied by', loc: r.loc, text: `${r.selector.name}: ${line(r.loc)}` });
  }
  return dedupe(facts);
}

function dedupe(facts: Fact[]): Fact[] {
  const seen = new Set<string>();
  return facts.filter((f) => {
    const key = `${f.loc.file}:${f.loc.line}:${f.role}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

const linesByFile = new WeakMap<Session, Map<string, string[] | undefined>>();

/** The text of a source line, trimmed; a readable stand-in when the file is not at hand. */
export function sourceLine(session: Session, loc: Loc): string {
  let files = linesByFile.get(session);
  if (!files) linesByFile.set(session, (files = new Map()));
  if (!files.has(loc.file)) files.set(loc.file, session.loaded.files.read(loc.file)?.split('\n'));
  const raw = files.get(loc.file)?.[loc.line - 1];
  return raw === undefined ? `(${loc.file}:${loc.line})` : raw.trim();
}
