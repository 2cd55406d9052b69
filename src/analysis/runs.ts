/**
 * Which of many wishes no valid configuration grants: the search behind
 * dead and always-on symbols (dead.ts) and reachable values (values.ts), the
 * way backbone tools (CadiBack) settle candidates.
 *
 * The caller has found one model and counts what it grants. Unit propagation
 * proves most of the wishes left ungrantable without a solve. The rest are
 * asked in runs: propagation takes, in order, each wish that does not
 * conflict with those taken before it (two values of one symbol or two
 * members of a bool choice never go together), up to the run's length, and
 * one solve asks for all of them. A yes grants the run, and whatever else its
 * model grants, and doubles the length; a no halves it, down to one wish,
 * whose no proves it, and the next run is long again. A no costs little (the
 * solver's learnt clauses find most conflicts at once), a yes a whole model.
 * A proven one-literal wish becomes known to propagation, which then proves
 * the wishes that imply it without a solve. Propagation seldom misses a
 * conflict on Kconfig formulas, so most runs are granted: Linux 6.1 x86_64's
 * dead and always-on symbols take 42 solves (68 before proven wishes were
 * known to propagation; 141 with runs of the next wishes in order).
 */
import type { Formula, Lit } from '../formula/formula.js';

/** Most wishes asked together (one activation clause each per solve). */
const MAX_RUN = 4096;

export interface WishSearch<W> {
  /** What granting the wish means. */
  lits(wish: W): readonly Lit[];
  /** False once some model has granted the wish. */
  open(wish: W): boolean;
  /** Solves under the literals (`within` among them); on a yes, the caller counts what the model grants. */
  ask(lits: Lit[]): boolean;
  /** Only configurations where these hold count (the caller's model is one). */
  within?: readonly Lit[];
  /** After each run, with the number of wishes proven so far. */
  onRun?(proven: number): void;
}

/** The wishes, in their order, that no configuration (where `within` holds) grants. */
export function ungranted<W>(formula: Formula, wishes: readonly W[], search: WishSearch<W>): W[] {
  const within = search.within ?? [];
  const propagator = formula.propagator();
  propagator.assume(within);
  // What is known: `within` and the negation of each one-literal wish proven so far (no model grants it), which
  // lets propagation see the conflicts of later wishes that imply it.
  let known = propagator.mark();
  const fromBase = (): void => propagator.backtrack(known);
  const proven = new Set<W>();
  const prove = (wish: W): void => {
    proven.add(wish);
    const lits = search.lits(wish);
    fromBase();
    if (lits.length === 1 && propagator.assume([-lits[0]!])) known = propagator.mark();
  };
  for (const wish of wishes) {
    if (!search.open(wish)) continue;
    if (!propagator.assume(search.lits(wish))) prove(wish);
    else fromBase();
  }
  let length = MAX_RUN;
  for (;;) {
    const run: W[] = [];
    for (const wish of wishes) {
      if (run.length === length) break;
      if (proven.has(wish) || !search.open(wish)) continue;
      if (propagator.assume(search.lits(wish))) run.push(wish);
      // Against what is known alone (proven since the first pass): no model grants it either.
      else if (run.length === 0) prove(wish);
    }
    fromBase();
    if (run.length === 0) break;
    if (search.ask([...within, ...run.flatMap((w) => search.lits(w))])) length = Math.min(length * 2, MAX_RUN);
    else if (run.length === 1) {
      prove(run[0]!);
      length = MAX_RUN;
    } else length = run.length >> 1;
    search.onRun?.(proven.size);
  }
  propagator.reset();
  return wishes.filter((w) => proven.has(w));
}
