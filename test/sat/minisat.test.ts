/**
 * MiniSat's fixed heap: running out of it is a SolverMemoryError carrying
 * MiniSat's own note, and nothing reaches stdout (it would corrupt --json).
 */
import { describe, expect, it, vi } from 'vitest';
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
