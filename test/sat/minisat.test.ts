/**
 * The MiniSat adapter behind the SatSolver boundary: its workarounds of the
 * engine's limits are invisible to a caller. Running out of the fixed heap is
 * a SolverMemoryError carrying MiniSat's note, and nothing reaches stdout (it
 * would corrupt --json); a compact solver numbers only the variables it is
 * given; the adapter's own variables (activations, splits of long clauses)
 * never meet the caller's; a solver renewed past many activations answers
 * as before; nothing is allocated on import.
 */
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { holdsIn } from '../../src/logic/cnf.js';
import { createMiniSat } from '../../src/sat/minisat.js';
import { SolverMemoryError, SolverStopped } from '../../src/sat/solver.js';
import { REPO } from '../cli/run.js';

const buffer = (clauses: number[][]): Int32Array => Int32Array.from(clauses.flatMap((c) => [...c, 0]));

describe('MiniSat out of memory', () => {
  it('throws SolverMemoryError with the note and prints nothing; the dead instance never answers', () => {
    const solver = createMiniSat();
    const log = vi.spyOn(console, 'log');
    let error: unknown;
    try {
      // Long clauses over fresh variables: the 64 MiB heap fills after some millions of literals.
      for (let batch = 0; batch < 400 && !error; batch++) {
        const clauses = new Int32Array(50_000 * 21);
        for (let c = 0; c < 50_000; c++) {
          for (let k = 0; k < 20; k++) clauses[c * 21 + k] = batch * 50_000 + c + k + 1;
        }
        solver.addClauses(clauses);
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
    const plain = createMiniSat();
    const compact = createMiniSat({ compact: true });
    for (const s of [plain, compact]) s.addClauses(buffer(clauses));
    expect([plain.numVars, compact.numVars]).toEqual([90_000, 90_000]);
    for (const assumptions of [[90_000], [-5], [70_001, 5], [70_001, -5], [-80_000, 70_001]]) {
      const answers = [plain, compact].map((s) => s.solve(assumptions));
      expect(answers[1]).toBe(answers[0]);
      if (answers[0] === 'sat') {
        for (const v of [5, 70_001, 80_000, 90_000]) expect(compact.value(v)).toBe(plain.value(v));
      }
    }
    expect(compact.solve([])).toBe('sat');
    expect([compact.value(12), compact.value(-12), compact.assignment()[12]]).toEqual([false, true, 0]);
  });
});

describe('MiniSat assignment()', () => {
  it('reads each variable as value() does, plain, leaning true and compact', () => {
    const clauses = buffer([[3, -7], [-3, 5], [-5, -7], [7, 2], [-2, -3, 6]]);
    for (const options of [{}, { phase: true }, { compact: true }, { compact: true, phase: true }]) {
      const solver = createMiniSat(options);
      solver.addClauses(clauses);
      for (const assumptions of [[], [-7], [-7, 6], [3, 6], [-3]]) {
        expect(solver.solve(assumptions)).toBe('sat');
        const model = solver.assignment();
        for (const v of [2, 3, 5, 6, 7]) {
          expect(holdsIn(model, v)).toBe(solver.value(v));
          expect(holdsIn(model, -v)).toBe(solver.value(-v));
        }
      }
    }
  });
});

describe("MiniSat's own variables", () => {
  it('an activation never takes the number of a caller variable given later', () => {
    for (const options of [{}, { phase: true }]) {
      const solver = createMiniSat(options);
      solver.addClauses(buffer([[1, 2]]));
      // Two assumptions and a temporary clause: an activation variable of the adapter's (the core's 3 and 4).
      expect(solver.solve([-1], [[-2, 1]])).toBe('unsat');
      expect(solver.solve([2, -1])).toBe('sat');
      // Variables 3 and 4 now come from the caller: retired activations (false for good) must not be them.
      solver.addClauses(buffer([[3], [4, -2]]));
      expect(solver.solve([2])).toBe('sat');
      expect([solver.value(3), solver.value(4)]).toEqual([true, true]);
      expect(solver.assignment().slice(1, 5)).toEqual(Uint8Array.from([solver.value(1) ? 1 : 0, 1, 1, 1]));
    }
  });

  it('a clause past the core\'s buffer (16,383 literals) keeps every model', () => {
    const n = 20_000;
    const solver = createMiniSat();
    solver.addClause(Array.from({ length: n }, (_, i) => i + 1));
    const allBut = (keep: number): number[] => Array.from({ length: n }, (_, i) => i + 1).filter((v) => v !== keep).map((v) => -v);
    expect(solver.solve(allBut(n))).toBe('sat');
    expect(solver.value(n)).toBe(true);
    expect(solver.solve(allBut(1))).toBe('sat');
    expect(solver.solve([...allBut(1), -1])).toBe('unsat');
    expect(solver.numVars).toBe(n);
  });

  it('a solver past thousands of activations is renewed and answers as before', () => {
    const solver = createMiniSat();
    solver.addClauses(buffer([[-1, 2], [-2, 3], [-3, -4]]));
    for (let i = 0; i < 2500; i++) {
      expect(solver.solve([1, 5 + (i % 7)])).toBe('sat');
      expect(solver.solve([1, 4])).toBe('unsat');
    }
    expect(solver.solve([1])).toBe('sat');
    expect([solver.value(3), solver.value(4), solver.numVars]).toEqual([true, false, 11]);
  });

  it('a stopped solver answers no further solve, and a disposed one nothing', () => {
    const solver = createMiniSat();
    solver.addClause([1, 2]);
    expect(solver.solve()).toBe('sat');
    solver.stop();
    expect(() => solver.solve()).toThrow(SolverStopped);
    const other = createMiniSat();
    other.dispose();
    expect(() => other.solve()).toThrow(/disposed/);
  });
});

describe('importing', () => {
  it('makes no MiniSat core (64 MB) until prepare(), which makes two (the ordinary solver and an explanation\'s)', () => {
    const index = path.join(REPO, 'dist/src/index.js');
    const script = `
      const api = await import(${JSON.stringify(index)});
      const before = process.memoryUsage().arrayBuffers;
      api.Formula.prepare();
      console.log(before, process.memoryUsage().arrayBuffers);`;
    const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' });
    const [before, after] = r.stdout.trim().split(' ').map(Number);
    expect(before).toBeLessThan(16 << 20);
    expect(after! - before!).toBeGreaterThanOrEqual(2 * 60 * 2 ** 20);
    expect(after! - before!).toBeLessThan(3 * 60 * 2 ** 20);
  });
});
