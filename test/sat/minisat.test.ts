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
    // One line, what ran out: not the build's stack and advice on compiler flags.
    expect((error as Error).message).toBe('SAT solver ran out of memory (Cannot enlarge memory arrays); the formula is too large for this backend');
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

describe('MiniSat failed assumptions', () => {
  // 1 → 2 → 3, ¬(3 ∧ 4), 5 ∨ 6: assuming 1 and 4 is the conflict; 5, ¬6, 7 are bystanders.
  const clauses = buffer([[-1, 2], [-2, 3], [-3, -4], [5, 6]]);
  const unsatAlone = (solver: ReturnType<typeof createMiniSat>, lits: number[], temporary: number[][] = []): boolean =>
    solver.solve(lits, temporary) === 'unsat';

  it('are a subset of the assumptions, unsatisfiable alone, each one needed', () => {
    for (const options of [{}, { phase: true }, { compact: true }]) {
      const solver = createMiniSat(options);
      solver.addClauses(clauses);
      const assumptions = [5, 1, -6, 7, 4, 1];
      expect(solver.solve(assumptions)).toBe('unsat');
      const failed = solver.failed();
      expect(failed.sort((a, b) => a - b)).toEqual([1, 4]);
      expect(failed.every((l) => assumptions.includes(l))).toBe(true);
      expect(unsatAlone(solver, failed)).toBe(true);
      for (const l of failed) expect(unsatAlone(solver, failed.filter((k) => k !== l))).toBe(false);
    }
  });

  it("count the call's temporary clauses in, and are empty when the clauses alone fail", () => {
    const solver = createMiniSat();
    solver.addClauses(clauses);
    // With the temporary clause ¬5, assuming ¬6 fails too (5 ∨ 6); 2 and 7 are not to blame.
    expect(solver.solve([2, -6, 7], [[-5]])).toBe('unsat');
    expect(solver.failed()).toEqual([-6]);
    expect(solver.solve([7], [[-5], [-6]])).toBe('unsat');
    expect(solver.failed()).toEqual([]);
  });

  it('are asked of an unsat answer only', () => {
    const solver = createMiniSat();
    solver.addClauses(clauses);
    expect(() => solver.failed()).toThrow(/unsat/);
    expect(solver.solve([1])).toBe('sat');
    expect(() => solver.failed()).toThrow(/unsat/);
  });
});

describe('MiniSat phase hints', () => {
  // 5 holds, so no clause forces any of 1..4: each value read is the phase the search tried first.
  const free = buffer([[1, 2, 3, 4, 5], [5]]);
  const values = (solver: ReturnType<typeof createMiniSat>): boolean[] => [1, 2, 3, 4].map((v) => solver.value(v));

  it('set the value tried first per variable, over the solver-wide phase', () => {
    for (const phase of [false, true]) {
      const solver = createMiniSat({ phase });
      solver.setPhases([1, -2]);
      solver.addClauses(free);
      expect(solver.solve()).toBe('sat');
      expect(values(solver)).toEqual([true, false, phase, phase]);
      const model = solver.assignment();
      expect([1, 2, 3, 4].map((v) => holdsIn(model, v))).toEqual(values(solver));
    }
  });

  it('given after the clauses (and changed later) hold from the next solve, the same in a compact solver', () => {
    for (const options of [{}, { compact: true }]) {
      const solver = createMiniSat(options);
      solver.addClauses(free);
      expect(solver.solve()).toBe('sat');
      expect(values(solver)).toEqual([false, false, false, false]);
      solver.setPhases([3, 4]);
      expect(solver.solve([-1])).toBe('sat');
      expect(values(solver)).toEqual([false, false, true, true]);
      solver.setPhases([-4, 2]);
      expect(solver.solve([5, 1])).toBe('sat');
      expect(values(solver)).toEqual([true, true, true, false]);
    }
  });
});

describe('MiniSat cores reused', () => {
  // A core by its heap: the same buffer is the same core. (Counting heap bytes instead fails when V8
  // collects disposed cores between two readings.)
  const heapOf = (solver: ReturnType<typeof createMiniSat>): ArrayBufferLike => (solver as unknown as { engine: { heap: Int32Array } }).engine.heap.buffer;

  it("a solver made after another's dispose takes its core, starts empty, and answers as a fresh one", () => {
    // Random 3-literal clauses over 30 variables, some sets satisfiable and some not.
    let seed = 7;
    const random = (n: number): number => ((seed = (seed * 1103515245 + 12345) % 2 ** 31), seed % n);
    const formula = (): number[][] => Array.from({ length: 60 + random(100) }, () => Array.from({ length: 3 }, () => (1 + random(30)) * (random(2) ? 1 : -1)));
    let reused = 0;
    for (let round = 0; round < 30; round++) {
      const old = createMiniSat({ phase: round % 2 === 0 });
      old.addClauses(buffer([[-1], [-2], ...formula()]));
      old.solve([3]);
      const heap = heapOf(old);
      old.dispose();
      const clauses = formula();
      const solver = createMiniSat();
      if (heapOf(solver) === heap) reused++;
      solver.addClauses(buffer(clauses));
      const fresh = createMiniSat();
      fresh.addClauses(buffer(clauses));
      for (const assumptions of [[], [1, 2], [-3, 4]]) {
        const answer = solver.solve(assumptions);
        expect(answer).toBe(fresh.solve(assumptions));
        if (answer === 'sat') {
          const model = solver.assignment();
          for (const c of [...clauses, ...assumptions.map((l) => [l])]) expect(c.some((l) => holdsIn(model, l))).toBe(true);
        }
      }
      solver.dispose();
      fresh.dispose();
    }
    // Every round's solver took the core just disposed (no new 64 MB heap).
    expect(reused).toBe(30);
  });

  it('a core that held a large formula is not kept: its solver objects would crowd the next one out', () => {
    // Solvers holding whatever cores earlier tests left idle (at most two are kept).
    const holding = [createMiniSat(), createMiniSat()];
    const big = createMiniSat();
    // 200,000 clauses of 9 literals: about 20 MB of MiniSat's heap.
    const clauses = new Int32Array(200_000 * 10);
    for (let c = 0; c < 200_000; c++) for (let k = 0; k < 9; k++) clauses[c * 10 + k] = ((c * 7 + k * 13) % 50_000) + 1;
    big.addClauses(clauses);
    expect(big.solve()).toBe('sat');
    const heap = heapOf(big);
    big.dispose();
    const next = createMiniSat();
    expect(heapOf(next)).not.toBe(heap);
    next.addClause([1, 2]);
    expect(next.solve([-1])).toBe('sat');
    for (const s of [next, ...holding]) s.dispose();
  });
});

describe('importing', () => {
  it('makes no MiniSat core (64 MB) on importing the library, and two at prepare()', () => {
    const index = path.join(REPO, 'dist/src/index.js');
    const minisat = path.join(REPO, 'dist/src/sat/minisat.js');
    const script = `
      await import(${JSON.stringify(index)});
      const before = process.memoryUsage().arrayBuffers;
      (await import(${JSON.stringify(minisat)})).createMiniSat.prepare();
      console.log(before, process.memoryUsage().arrayBuffers);`;
    const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' });
    const [before, after] = r.stdout.trim().split(' ').map(Number);
    expect(before).toBeLessThan(16 << 20);
    expect(after! - before!).toBeGreaterThanOrEqual(2 * 60 * 2 ** 20);
    expect(after! - before!).toBeLessThan(3 * 60 * 2 ** 20);
  });
});
