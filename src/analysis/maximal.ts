/**
 * A maximal set of wishes that can hold together with some fixed literals:
 * groups are added while the formula stays satisfiable, a group that breaks
 * it is halved, and a single wish that breaks it is left out. Earlier groups
 * are tried first, so callers put the wishes they care most about first.
 */
import type { Lit, SolveOptions } from '../formula/formula.js';
import type { Session } from './session.js';

/**
 * Which wishes were kept (one flag per wish). The fixed literals must be
 * satisfiable together; afterwards the solver holds a model of them and of
 * every kept wish.
 */
export function keepMaximal(session: Session, fixed: readonly Lit[], wishes: readonly Lit[][], options: SolveOptions = {}): boolean[] {
  const kept = wishes.map(() => false);
  const held: Lit[] = [...fixed];
  const pending: number[][] = [wishes.map((_, i) => i)];
  // Whether the solver's model is one of `held` already (the last solve said yes to exactly it).
  let modelOfHeld = false;
  while (pending.length > 0) {
    const group = pending.pop()!;
    const lits = group.flatMap((i) => wishes[i]!);
    modelOfHeld = session.formula.solve([...held, ...lits], options) === 'sat';
    if (modelOfHeld) {
      held.push(...lits);
      for (const i of group) kept[i] = true;
    } else if (group.length > 1) {
      const half = group.length >> 1;
      pending.push(group.slice(half), group.slice(0, half));
    }
  }
  if (!modelOfHeld) session.formula.solve(held, options);
  return kept;
}

/**
 * keepMaximal when no wish matters more than another: unit propagation
 * (session.formula.propagator()) decides each wish in turn, and one solve checks the
 * wishes it accepted. A wish propagation rejects conflicts with wishes kept
 * before it, so the answer is maximal too. When the solve finds a conflict
 * propagation missed, a binary search finds the first accepted wish that
 * completes it: that one is left out, those before it stay (their solve was
 * satisfiable), and propagation goes on from the next. On Linux a sample's
 * 64 wishes cost one or two solves instead of about forty.
 */
export function keepMaximalUnordered(session: Session, fixed: readonly Lit[], wishes: readonly Lit[][], options: SolveOptions = {}): boolean[] {
  const kept = wishes.map(() => false);
  const propagator = session.formula.propagator();
  // Satisfiable, and settled: the fixed literals and the wishes kept before `from`.
  let base: Lit[] = [...fixed];
  let from = 0;
  const held = (end: number): Lit[] => [...base, ...wishes.slice(from, end).flatMap((w, k) => (kept[from + k] ? w : []))];
  for (;;) {
    propagator.reset();
    if (propagator.assume(base)) for (let i = from; i < wishes.length; i++) kept[i] = propagator.assume(wishes[i]!);
    propagator.reset();
    if (session.formula.solve(held(wishes.length), options) === 'sat') return kept;
    let sat = from;
    let unsat = wishes.length;
    while (unsat - sat > 1) {
      const mid = (sat + unsat) >> 1;
      if (session.formula.solve(held(mid), options) === 'sat') sat = mid;
      else unsat = mid;
    }
    base = held(sat);
    kept[sat] = false;
    from = unsat;
  }
}
