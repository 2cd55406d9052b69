/**
 * underFacts: the clause buffer a solver is loaded with once some literals
 * are true for good (every group selector, for questions asked with all
 * constraints in force).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { underFacts } from '../../src/logic/cnf.js';

const buffer = (clauses: number[][]): Int32Array => Int32Array.from(clauses.flatMap((c) => [...c, 0]));

const clausesOf = (raw: Int32Array): number[][] => {
  const out: number[][] = [];
  let current: number[] = [];
  for (const l of raw) {
    if (l === 0) {
      out.push(current);
      current = [];
    } else current.push(l);
  }
  return out;
};

describe('underFacts', () => {
  it('leaves out satisfied clauses, drops negated facts, keeps a clause left empty', () => {
    const raw = buffer([[1, 2], [-3, 4], [-3], [5, -6, 7], [3, 8]]);
    expect(clausesOf(underFacts(raw, [3, -6]))).toEqual([[1, 2], [4], []]);
    expect(clausesOf(underFacts(raw, []))).toEqual(clausesOf(raw));
  });

  it('keeps exactly the assignments that satisfy the clauses with the facts true, and mentions no fact', () => {
    const lit = fc.integer({ min: 1, max: 6 }).chain((v) => fc.constantFrom(v, -v));
    const clauses = fc.array(fc.array(lit, { minLength: 1, maxLength: 4 }), { maxLength: 10 });
    const facts = fc.uniqueArray(lit, { maxLength: 3, selector: Math.abs });
    fc.assert(
      fc.property(clauses, facts, (cs, fs) => {
        const simplified = clausesOf(underFacts(buffer(cs), fs));
        for (let bits = 0; bits < 64; bits++) {
          const holds = (l: number): boolean => ((bits >> (Math.abs(l) - 1)) & 1) === (l > 0 ? 1 : 0);
          if (!fs.every(holds)) continue;
          expect(simplified.every((c) => c.some(holds))).toBe(cs.every((c) => c.some(holds)));
        }
        for (const c of simplified) for (const l of c) expect(fs.some((f) => Math.abs(f) === Math.abs(l))).toBe(false);
      }),
    );
  });
});
