/**
 * A maximal set of wishes that can hold together with some fixed literals:
 * groups are added while the formula stays satisfiable, a group that breaks
 * it is halved, and a single wish that breaks it is left out. Earlier groups
 * are tried first, so callers put the wishes they care most about first.
 */
import type { Lit } from '../logic/cnf.js';
import type { Session, SessionSolveOptions } from './session.js';

/**
 * Which wishes were kept (one flag per wish). The fixed literals must be
 * satisfiable together; afterwards the solver holds a model of them and of
 * every kept wish.
 */
export function keepMaximal(session: Session, fixed: readonly Lit[], wishes: readonly Lit[][], options: SessionSolveOptions = {}): boolean[] {
  const kept = wishes.map(() => false);
  const held: Lit[] = [...fixed];
  const pending: number[][] = [wishes.map((_, i) => i)];
  // Whether the solver's model is one of `held` already (the last solve said yes to exactly it).
  let modelOfHeld = false;
  while (pending.length > 0) {
    const group = pending.pop()!;
    const lits = group.flatMap((i) => wishes[i]!);
    modelOfHeld = session.solve([...held, ...lits], options) === 'sat';
    if (modelOfHeld) {
      held.push(...lits);
      for (const i of group) kept[i] = true;
    } else if (group.length > 1) {
      const half = group.length >> 1;
      pending.push(group.slice(half), group.slice(0, half));
    }
  }
  if (!modelOfHeld) session.solve(held, options);
  return kept;
}
