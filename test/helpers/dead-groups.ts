/**
 * The dead/always-on search kconfsat used before the backbone search of
 * src/analysis/dead.ts (group halving), kept as the reference the new one must
 * agree with: the same symbols, in the same order.
 */
import type { Session, Lean } from '../../src/analysis/session.js';
import { FALSE, TRUE, type Lit } from '../../src/formula/formula.js';
import type { KSymbol } from '../../src/model/types.js';

/** Longest group asked about at once; MiniSat's clause buffer holds 16k literals. */
const CHUNK = 8000;

export function deadSymbolsByGroups(session: Session, options: { promptOnly?: boolean } = {}): { dead: string[]; alwaysOn: string[]; solves: number } {
  const symbols = session.model.symbols.filter(
    (s) => s.definitions.length > 0 && !s.ownChoice && session.formula.isTristate(s) && (!options.promptOnly || s.prompts.length > 0),
  );
  const enabled = (s: KSymbol): Lit => session.formula.enabled(s);
  let solves = 0;
  /** The symbols none of which any model can give `lit(s)`. */
  const never = (lit: (s: KSymbol) => Lit, lean: Lean): KSymbol[] => {
    const settled = new Set<KSymbol>();
    const settle = (): void => {
      for (const s of symbols) if (session.formula.modelHolds(lit(s))) settled.add(s);
    };
    const ask = (assumptions: Lit[], clauses: Lit[][] = []): boolean => {
      solves++;
      const sat = session.formula.solve(assumptions, { clauses, lean }) === 'sat';
      if (sat) settle();
      return sat;
    };
    const proven: KSymbol[] = symbols.filter((s) => lit(s) === FALSE);
    ask([]);
    const groups = [symbols.filter((s) => lit(s) !== TRUE && lit(s) !== FALSE && !settled.has(s))];
    while (groups.length > 0) {
      const group = groups.pop()!.filter((s) => !settled.has(s));
      if (group.length === 0) continue;
      const lits = group.map(lit);
      // All of them at once, or none of them at all: either answer settles the whole group.
      if (group.length <= CHUNK && ask(lits)) continue;
      if (!ask([], [lits.slice(0, CHUNK)])) {
        proven.push(...group.slice(0, CHUNK));
        if (group.length > CHUNK) groups.push(group.slice(CHUNK));
        continue;
      }
      const rest = group.filter((s) => !settled.has(s));
      const half = rest.length >> 1;
      if (half > 0) groups.push(rest.slice(half), rest.slice(0, half));
      else if (rest.length > 0) groups.push(rest);
    }
    return proven;
  };
  const dead = never(enabled, 'on').map((s) => s.name);
  const alwaysOn = never((s) => -enabled(s), 'off').map((s) => s.name);
  return { dead, alwaysOn, solves };
}
