/**
 * Unit propagation against brute force on random small CNFs: a conflict
 * means no model, every literal it sets holds in every model of the clauses
 * and the assumed literals, a conflict undoes the whole call, and reset()
 * returns to the base state. keepMaximalUnordered: the wishes it keeps hold
 * together in the model the session holds, and each wish it leaves out
 * cannot be added (checked by a solve), also where propagation alone misses
 * the conflict.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { keepMaximalUnordered } from '../../src/analysis/maximal.js';
import { Session } from '../../src/analysis/session.js';
import { MemorySourceFiles } from '../../src/parse/files.js';
import { Propagator } from '../../src/sat/propagator.js';
import { breather } from '../helpers/breather.js';

const VARS = 6;
const arbLit = fc.integer({ min: 1, max: VARS }).chain((v) => fc.boolean().map((neg) => (neg ? -v : v)));
const arbClauses = fc.array(fc.array(arbLit, { minLength: 1, maxLength: 3 }), { maxLength: 14 });

/** Every assignment of variables 1..VARS (index v: 1 true, 0 false) satisfying the clauses and literals. */
function models(clauses: number[][], lits: number[]): Uint8Array[] {
  const out: Uint8Array[] = [];
  const holds = (m: Uint8Array, l: number): boolean => (l > 0 ? m[l] === 1 : m[-l] === 0);
  for (let bits = 0; bits < 1 << VARS; bits++) {
    const m = new Uint8Array(VARS + 1);
    for (let v = 1; v <= VARS; v++) m[v] = (bits >> (v - 1)) & 1;
    if (clauses.every((c) => c.some((l) => holds(m, l))) && lits.every((l) => holds(m, l))) out.push(m);
  }
  return out;
}

const flat = (clauses: number[][]): Int32Array => Int32Array.from(clauses.flatMap((c) => [...c, 0]));
const state = (p: Propagator): number[] => Array.from({ length: VARS }, (_, i) => p.value(i + 1));

describe('Propagator', () => {
  it('agrees with brute force: conflicts only without models, derived literals hold in every model, conflicts undo the call', async () => {
    const breathe = breather(50);
    await fc.assert(
      fc.asyncProperty(arbClauses, fc.array(fc.array(arbLit, { maxLength: 2 }), { maxLength: 4 }), async (clauses, steps) => {
        await breathe();
        const p = new Propagator(VARS, flat(clauses));
        if (!p.consistent) {
          expect(models(clauses, [])).toEqual([]);
          return;
        }
        const base = state(p);
        const held: number[] = [];
        for (const lits of steps) {
          const before = state(p);
          if (p.assume(lits)) {
            held.push(...lits);
            for (let v = 1; v <= VARS; v++) {
              if (p.value(v) === 0) continue;
              for (const m of models(clauses, held)) expect(m[v] === 1 ? 1 : -1).toBe(p.value(v));
            }
          } else {
            expect(models(clauses, [...held, ...lits])).toEqual([]);
            expect(state(p)).toEqual(before);
          }
        }
        p.reset();
        expect(state(p)).toEqual(base);
      }),
      { numRuns: 3000 },
    );
  });

  it('propagates through long clauses and chains, and a unit clause or fact holds in the base state', () => {
    // 1 (fact) → 2 → ... → 40; (¬40 ∨ ¬41 ∨ 42 ∨ 43 ∨ 44) with 42, 43, 44 assumed false gives ¬41.
    const clauses: number[][] = [[-50]];
    for (let v = 1; v < 40; v++) clauses.push([-v, v + 1]);
    clauses.push([-40, -41, 42, 43, 44]);
    const p = new Propagator(50, flat(clauses), [1]);
    expect(p.value(40)).toBe(1);
    expect(p.value(50)).toBe(-1);
    expect(p.value(41)).toBe(0);
    expect(p.assume([-42, -43, -44])).toBe(true);
    expect(p.value(41)).toBe(-1);
    expect(p.assume([41])).toBe(false);
    p.reset();
    expect(p.value(42)).toBe(0);
    expect(p.assume([41, -42, -43])).toBe(true);
    expect(p.value(44)).toBe(1);
  });
});

describe('keepMaximalUnordered', () => {
  const text = ['X', 'Y', 'A', 'B', 'C', 'D'].map((n) => `config ${n}\n\tbool "${n}"\n`).join('') + 'config Z\n\tbool "z"\n\tdepends on X\n';
  const open = (): { session: Session; y: (name: string) => number } => {
    const session = Session.open({ tree: new MemorySourceFiles({ Kconfig: text }) });
    return { session, y: (name) => session.formula.isY(session.symbol(name)) };
  };
  const check = (session: Session, wishes: number[][]): { kept: boolean[]; solves: number } => {
    const solve = session.formula.solve.bind(session.formula);
    let solves = 0;
    session.formula.solve = (...args) => (solves++, solve(...args));
    const kept = keepMaximalUnordered(session, [], wishes);
    session.formula.solve = solve;
    const held = wishes.filter((_, i) => kept[i]);
    // The model the caller reads is one of the kept wishes.
    for (const l of held.flat()) expect(session.formula.modelHolds(l)).toBe(true);
    wishes.forEach((w, i) => {
      if (!kept[i]) expect(session.formula.solve([...held.flat(), ...w])).toBe('unsat');
    });
    return { kept, solves };
  };

  it('a conflict propagation sees costs no solve', () => {
    const { session, y } = open();
    expect(check(session, [[y('Z')], [-y('X')], [y('A'), -y('B')], [y('X'), y('Z')]])).toEqual({ kept: [true, false, true, true], solves: 1 });
  });

  it('a conflict propagation misses is found by a binary search, and the wishes before it stay', () => {
    const { session, y } = open();
    // Unless X: A and B can take no values (a case split on A and B finds that, propagation does not).
    for (const a of [1, -1]) for (const b of [1, -1]) session.formula.addClause([y('X'), a * y('A'), b * y('B')]);
    const { kept, solves } = check(session, [[y('C')], [y('D')], [-y('X')], [-y('C'), y('D')], [y('Z')], [-y('Z')]]);
    expect(kept).toEqual([true, true, false, false, true, false]);
    // Solves: the accepted C, D, ¬X, Z (unsat); C, D, ¬X (unsat); C (sat); C, D (sat); then C, D, Z.
    expect(solves).toBe(5);
  });
});
