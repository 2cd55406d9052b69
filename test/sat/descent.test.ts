/**
 * The descent in front of MiniSat (withDescent) answers as MiniSat alone
 * does: the same sat or unsat on every solve of random clause sets that grow
 * between solves, a model of every clause and assumption when sat, failed
 * assumptions that are unsatisfiable alone after unsat (and an error after
 * sat), phase hints followed. And it does answer: a solver's satisfiable
 * solves are the descent's, not the engine's.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { holdsIn } from '../../src/logic/cnf.js';
import { withDescent } from '../../src/sat/descent.js';
import { createMiniSat } from '../../src/sat/minisat.js';
import type { SatSolver, SolverFactory } from '../../src/sat/solver.js';
import { breather } from '../helpers/breather.js';

const VARS = 8;
const arbLit = fc.integer({ min: 1, max: VARS }).chain((v) => fc.boolean().map((neg) => (neg ? -v : v)));
const arbClauses = fc.array(fc.array(arbLit, { minLength: 1, maxLength: 3 }), { maxLength: 12 });
const buffer = (clauses: number[][]): Int32Array => Int32Array.from(clauses.flatMap((c) => [...c, 0]));
const satisfies = (model: Uint8Array, clauses: number[][]): boolean => clauses.every((c) => c.some((l) => holdsIn(model, l)));

/** A factory counting the engines it made and the solves they answer. */
function counting(factory: SolverFactory): { factory: SolverFactory; engines: () => number; engineSolves: () => number } {
  let solves = 0;
  let made = 0;
  const wrapped = Object.assign(
    (options?: Parameters<SolverFactory>[0]): SatSolver => {
      made++;
      const engine = factory(options);
      const solve = engine.solve.bind(engine);
      engine.solve = (...args) => (solves++, solve(...args));
      return engine;
    },
    { prepare: () => factory.prepare() },
  );
  return { factory: wrapped, engines: () => made, engineSolves: () => solves };
}

describe('withDescent', () => {
  it('answers every solve as MiniSat does, with models of the clauses and assumptions, as the clauses grow', async () => {
    const breathe = breather(50);
    const descending = withDescent(createMiniSat);
    await fc.assert(
      fc.asyncProperty(fc.array(fc.tuple(arbClauses, fc.array(arbLit, { maxLength: 3 })), { minLength: 1, maxLength: 5 }), async (steps) => {
        await breathe();
        const plain = createMiniSat();
        const solver = descending();
        const clauses: number[][] = [];
        try {
          for (const [added, assumptions] of steps) {
            clauses.push(...added);
            for (const s of [plain, solver]) s.addClauses(buffer(added));
            const answer = solver.solve(assumptions);
            expect(answer).toBe(plain.solve(assumptions));
            if (answer === 'sat') {
              const model = solver.assignment();
              expect(satisfies(model, [...clauses, ...assumptions.map((l) => [l])])).toBe(true);
              for (let v = 1; v <= VARS; v++) expect(solver.value(v)).toBe(holdsIn(model, v));
              expect(() => solver.failed()).toThrow();
            } else {
              const failed = solver.failed();
              expect(failed.every((l) => assumptions.includes(l))).toBe(true);
              expect(plain.solve(failed)).toBe('unsat');
            }
          }
        } finally {
          plain.dispose();
          solver.dispose();
        }
      }),
      { numRuns: 400 },
    );
  });

  it('answers satisfiable solves, and unsatisfiable ones propagation proves, without making the engine; phase hints followed', () => {
    const { factory, engines, engineSolves } = counting(createMiniSat);
    const solver = withDescent(factory)();
    // 1 → 2, ¬2 ∨ ¬3, 3 ∨ 4: false first gives 4 alone; a hint on 3 gives 3 (and so ¬2, ¬1).
    solver.addClauses(buffer([[-1, 2], [-2, -3], [3, 4]]));
    // Asked before any solve, failed() says so without making the engine.
    expect(() => solver.failed()).toThrow(/answered unsat/);
    expect(solver.solve([])).toBe('sat');
    expect([1, 2, 3, 4].map((v) => solver.value(v))).toEqual([false, false, false, true]);
    solver.setPhases([3]);
    expect(solver.solve([])).toBe('sat');
    expect([1, 2, 3, 4].map((v) => solver.value(v))).toEqual([false, false, true, false]);
    expect(solver.solve([1])).toBe('sat');
    expect([1, 2, 3, 4].map((v) => solver.value(v))).toEqual([true, true, false, true]);
    // Unsat by propagation (1 → 2 → ¬3) is proven without the engine, and so are its failed assumptions.
    expect(solver.solve([4, 1, 3])).toBe('unsat');
    expect(solver.failed().sort()).toEqual([1, 3]);
    expect(() => solver.value(1)).toThrow();
    // A clause added later is in force for the descent too.
    solver.addClause([-4]);
    expect(solver.solve([])).toBe('sat');
    expect(solver.value(3)).toBe(true);
    expect(engines()).toBe(0);
    // 5 rules out both values of 6 and 7 only by search: the engine is made (with every clause) and answers.
    solver.addClauses(buffer([[-5, 6, 7], [-5, 6, -7], [-5, -6, 7], [-5, -6, -7]]));
    expect(solver.solve([5])).toBe('unsat');
    expect(engines()).toBe(1);
    expect(engineSolves()).toBe(1);
    expect(solver.failed()).toEqual([5]);
    // After a descent stayed stuck, the next solve is the engine's (back-off), the one after the descent's again.
    expect(solver.solve([])).toBe('sat');
    expect(engineSolves()).toBe(2);
    expect(solver.solve([])).toBe('sat');
    expect(engineSolves()).toBe(2);
    expect([1, 2, 3, 4, 5].map((v) => solver.value(v))).toEqual([false, false, true, false, false]);
    solver.stop();
    expect(() => solver.solve([])).toThrow();
    solver.dispose();
  });
});
