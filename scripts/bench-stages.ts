/**
 * The stages scripts/bench.ts measures. Each runs in a fresh node process
 * (scripts/bench-worker.ts), so module loading and JIT warm-up count as they
 * do for a user. Adding a stage is one entry here: a name, a target and a
 * `measure` returning the number in the stage's unit.
 */
import { Session } from '../src/analysis/session.js';
import { loadKconfig } from '../src/model/load.js';

/** What every stage is measured on. */
export interface BenchInput {
  tree: string;
  arch: string;
}

export interface Stage {
  name: string;
  unit: 's' | 'MB';
  /** The stage passes when its median is at most this, in `unit`. */
  target: number;
  /** Runs inside the worker process; returns the measurement in `unit`. */
  measure(input: BenchInput): number;
}

function seconds(run: () => void): number {
  const t0 = performance.now();
  run();
  return (performance.now() - t0) / 1000;
}

export const STAGES: Stage[] = [
  {
    name: 'parse+resolve',
    unit: 's',
    target: 0.5,
    measure: ({ tree, arch }) => seconds(() => loadKconfig({ tree, arch })),
  },
  {
    name: 'encode+solver load',
    unit: 's',
    target: 0.5,
    // The session's own phase timings: from the resolved model to a loaded solver.
    measure: ({ tree, arch }) => {
      const { encodeMs, loadSolverMs } = Session.open({ tree, arch }).timings;
      return (encodeMs + loadSolverMs) / 1000;
    },
  },
  {
    name: 'peak RSS of Session.open',
    unit: 'MB',
    target: 500,
    measure: ({ tree, arch }) => {
      Session.open({ tree, arch });
      return process.resourceUsage().maxRSS / 1024; // maxRSS is in KiB
    },
  },
];
