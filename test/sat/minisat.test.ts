/**
 * MiniSat's fixed heap: running out of it is a SolverMemoryError carrying
 * MiniSat's own note, and nothing reaches stdout (it would corrupt --json).
 * A compact solver numbers only the variables it is given. assignment()
 * reads every variable as value() does.
 */
import { describe, expect, it, vi } from 'vitest';
import { holdsIn } from '../../src/logic/cnf.js';
import { MiniSatSolver } from '../../src/sat/minisat.js';
import { SolverMemoryError } from '../../src/sat/solver.js';

describe('MiniSat out of memory', () => {
  it('throws SolverMemoryError with the note and prints nothing; the dead instance never answers', () => {
    const solver = new MiniSatSolver();
    const log = vi.spyOn(console, 'log');
    let error: unknown;
    try {
      // Long clauses over fresh variables: the 64 MiB heap fills after some millions of literals.
      for (let batch = 0; batch < 400 && !error; batch++) {
        const clauses = new Int32Array(50_000 * 21);
        for (let c = 0; c < 50_000; c++) {
          for (let k = 0; k < 20; k++) clauses[c * 21 + k] = batch * 50_000 + c + k + 1;
        }
        solver.addRawClauses(clauses);
      }
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(SolverMemoryError);
    expect(String((error as Error).message)).toMatch(/memory/i);
    expect(log).not.toHaveBeenCalled();
    log.mockRestore();
    expect(() => solver.solve([])).toThrow(SolverMemoryError);
  });
});

describe('MiniSat, compact', () => {
  it('answers as a plain solver does, with only the variables it was given', () => {
    const clauses = [[70_001, -90_000], [-70_001, 80_000], [-80_000, -90_000], [90_000, 5]];
    const plain = new MiniSatSolver();
    const compact = new MiniSatSolver({ compact: true });
    for (const s of [plain, compact]) s.addRawClauses(Int32Array.from(clauses.flatMap((c) => [...c, 0])));
    expect([plain.numVars, compact.numVars]).toEqual([90_000, 4]);
    let activation = 100_000;
    for (const assumptions of [[90_000], [-5], [70_001, 5], [70_001, -5], [-80_000, 70_001]]) {
      const answers = [plain, compact].map((s) => s.solve(assumptions, { activation: () => ++activation }));
      expect(answers[1]).toBe(answers[0]);
      if (answers[0] === 'sat') {
        for (const v of [5, 70_001, 80_000, 90_000]) expect(compact.value(v)).toBe(plain.value(v));
      }
    }
    expect(compact.solve([])).toBe('sat');
    expect(() => compact.value(12)).toThrow(/in no clause/);
  });
});

describe('MiniSat assignment()', () => {
  it('reads each variable as value() does, plain, leaning true and compact', () => {
    const clauses = [[3, -7], [-3, 5], [-5, -7], [7, 2], [-2, -3, 6]];
    const buffer = Int32Array.from(clauses.flatMap((c) => [...c, 0]));
    for (const options of [{}, { preferTrue: true }, { compact: true }, { compact: true, preferTrue: true }]) {
      const solver = new MiniSatSolver(options);
      solver.addRawClauses(buffer);
      let activation = 100;
      for (const assumptions of [[], [-7], [-7, 6], [3, 6], [-3]]) {
        expect(solver.solve(assumptions, { activation: () => ++activation })).toBe('sat');
        const model = solver.assignment();
        for (const v of [2, 3, 5, 6, 7]) {
          expect(holdsIn(model, v)).toBe(solver.value(v));
          expect(holdsIn(model, -v)).toBe(solver.value(-v));
        }
      }
    }
  });
});
