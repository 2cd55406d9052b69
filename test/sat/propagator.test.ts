/**
 * Unit propagation against brute force on random small CNFs: it derives
 * exactly what the definition of unit propagation does, a conflict
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

/**
 * Unit propagation by its definition, to a fixpoint: every clause with all
 * literals but one false makes that one true. The values by variable (1, -1, 0), or undefined on a conflict.
 */
function fixpoint(clauses: number[][], lits: number[]): number[] | undefined {
  const values = new Array<number>(VARS + 1).fill(0);
  const value = (l: number): number => (l > 0 ? values[l]! : -values[-l]!);
  const set = (l: number): boolean => {
    if (value(l) !== 0) return value(l) === 1;
    values[Math.abs(l)] = l > 0 ? 1 : -1;
    return true;
  };
  if (!lits.every(set)) return undefined;
  for (let changed = true; changed; ) {
    changed = false;
    for (const c of clauses) {
      if (c.some((l) => value(l) === 1)) continue;
      const open = [...new Set(c.filter((l) => value(l) === 0))];
      if (open.length === 0) return undefined;
      if (open.length === 1) changed = set(open[0]!);
    }
  }
  return values.slice(1);
}

const flat = (clauses: number[][]): Int32Array => Int32Array.from(clauses.flatMap((c) => [...c, 0]));
const state = (p: Propagator): number[] => Array.from({ length: VARS }, (_, i) => p.value(i + 1));

describe('Propagator', () => {
  it('agrees with brute force: conflicts only without models, derived literals hold in every model, conflicts undo the call', async () => {
    const breathe = breather(50);
    await fc.assert(
      fc.asyncProperty(arbClauses, fc.array(fc.array(fc.array(arbLit, { maxLength: 2 }), { maxLength: 4 }), { minLength: 1, maxLength: 3 }), async (clauses, rounds) => {
        await breathe();
        const p = new Propagator(VARS, flat(clauses));
        if (!p.consistent) {
          expect(models(clauses, [])).toEqual([]);
          return;
        }
        const base = state(p);
        const distinct = clauses.every((c) => new Set(c).size === c.length);
        // Rounds from the base state, as the searches use it, each twice: the watches moved in one round serve the next.
        for (const steps of [...rounds, ...rounds]) {
          const held: number[] = [];
          for (const lits of steps) {
            const before = state(p);
            // Complete as well as sound: what the definition derives, no more and no less (a clause naming
            // a literal twice is unit for the definition before it is for two watches on that literal).
            const expected = distinct ? fixpoint(clauses, [...held, ...lits]) : undefined;
            if (p.assume(lits)) {
              held.push(...lits);
              if (distinct) expect(state(p)).toEqual(expected);
              for (let v = 1; v <= VARS; v++) {
                if (p.value(v) === 0) continue;
                for (const m of models(clauses, held)) expect(m[v] === 1 ? 1 : -1).toBe(p.value(v));
              }
            } else {
              if (distinct) expect(expected).toBeUndefined();
              expect(models(clauses, [...held, ...lits])).toEqual([]);
              expect(state(p)).toEqual(before);
            }
          }
          p.reset();
          expect(state(p)).toEqual(base);
        }
      }),
      { numRuns: 3000 },
    );
  });

  it('keeps every watch of a literal when one of them moves after another made a unit', () => {
    // ¬4 makes (2 ∨ 4) unit and moves (4 ∨ 1 ∨ ¬1)'s watch to 1: both times, from the base state.
    const p = new Propagator(4, flat([[4, 1, -1], [2, 4]]));
    for (let round = 0; round < 2; round++) {
      expect(p.assume([-4])).toBe(true);
      expect(p.value(2)).toBe(1);
      p.reset();
    }
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

  it('backtracks to a mark: what was assumed after it is undone, what before it stays', () => {
    // 1 → 2, 3 → 4.
    const p = new Propagator(4, flat([[-1, 2], [-3, 4]]));
    expect(p.assume([1])).toBe(true);
    const known = p.mark();
    expect(p.assume([3])).toBe(true);
    expect(p.value(4)).toBe(1);
    p.backtrack(known);
    expect([p.value(1), p.value(2), p.value(3), p.value(4)]).toEqual([1, 1, 0, 0]);
    p.reset();
    expect([p.value(1), p.value(2)]).toEqual([0, 0]);
  });
});

describe('Propagator, grown', () => {
  it('clauses and facts added later give the state the whole set gives from the start, and descend finds only models', async () => {
    const breathe = breather(50);
    await fc.assert(
      fc.asyncProperty(arbClauses, fc.nat(), fc.array(arbLit, { maxLength: 2 }), fc.array(arbLit, { maxLength: 3 }), async (clauses, at, facts, assumed) => {
        await breathe();
        const split = at % (clauses.length + 1);
        // Grown from nothing, as a solver's descent is: the first part, then the rest with the facts.
        const grown = new Propagator(0, flat(clauses.slice(0, split)));
        grown.add(flat(clauses.slice(split)), facts);
        const whole = fixpoint(clauses, facts);
        expect(grown.consistent).toBe(whole !== undefined);
        if (!whole) return;
        expect(state(grown)).toEqual(whole);
        const expected = fixpoint(clauses, [...facts, ...assumed]);
        expect(grown.assume(assumed)).toBe(expected !== undefined);
        if (expected) expect(state(grown)).toEqual(expected);
        grown.reset();
        expect(state(grown)).toEqual(whole);
        // A descent's answer is a model of the clauses, the facts and the assumptions, or none when there is none.
        const found = grown.descend(assumed, false);
        const all = models(clauses, [...facts, ...assumed]);
        if (found instanceof Uint8Array) for (const c of [...clauses, ...[...facts, ...assumed].map((l) => [l])]) expect(c.some((l) => (l > 0 ? found[l] === 1 : found[-l] !== 1))).toBe(true);
        if (all.length === 0) expect(found).not.toBeInstanceOf(Uint8Array);
        // 'unsat' only for a conflict of the assumptions' propagation: a proof.
        expect(found === 'unsat').toBe(expected === undefined);
        expect(state(grown)).toEqual(whole);
      }),
      { numRuns: 3000 },
    );
  });

  it('descend sets each open variable to its preferred value unless that conflicts, in numbering order', () => {
    // 1 → 2; ¬2 ∨ ¬3; 3 ∨ 4.
    const p = new Propagator(4, flat([[-1, 2], [-2, -3], [3, 4]]));
    expect(Array.from(p.descend([], false) as Uint8Array)).toEqual([0, 0, 0, 0, 1]);
    expect(Array.from(p.descend([], true) as Uint8Array)).toEqual([0, 1, 1, 0, 1]);
    expect(Array.from(p.descend([3], false) as Uint8Array)).toEqual([0, 0, 0, 1, 0]);
    // A hint for variable 4 only: it is tried true first (and 3 false first, as the phase says).
    const prefer = new Int8Array(5);
    prefer[4] = 1;
    expect(Array.from(p.descend([], false, prefer) as Uint8Array)).toEqual([0, 0, 0, 0, 1]);
    prefer[3] = 1;
    expect(Array.from(p.descend([], false, prefer) as Uint8Array)).toEqual([0, 0, 0, 1, 1]);
    expect(p.descend([1, 3], false)).toBe('unsat');
  });

  it('gives up on a variable it can set neither way, where a search finds a model', () => {
    // Either value of 2 and 3 is fine alone, but once 1 is false (tried first), (2,3) has no value: 1 must be true.
    const clauses = [[1, 2, 3], [1, 2, -3], [1, -2, 3], [1, -2, -3]];
    const p = new Propagator(3, flat(clauses));
    expect(p.descend([], false)).toEqual({ stuck: 2 });
    // With 2 set first, 1 comes to a choice that shows: false conflicts at once, so 1 is true.
    expect(Array.from(p.descend([], false, undefined, [2]) as Uint8Array)).toEqual([0, 1, 0, 0]);
    expect(Array.from(p.descend([1], false) as Uint8Array)).toEqual([0, 1, 0, 0]);
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
