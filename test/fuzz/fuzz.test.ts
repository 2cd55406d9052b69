/**
 * Fuzzing in CI (issue 8): mutated Kconfig trees and .config files through the
 * whole pipeline; only input errors with file:line are allowed, each case
 * under a second. KCONFSAT_FUZZ_RUNS sets the number of cases (default
 * 10,000: half trees, half .config files), KCONFSAT_FUZZ_SEED replays a run;
 * scripts/fuzz runs more. Shrunk failures live in regressions.test.ts.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { breather } from '../helpers/breather.js';
import {
  arbDotconfigCase,
  arbKconfigCase,
  arbPathsCase,
  arbStructureCase,
  dotconfigSeeds,
  dotconfigSession,
  kconfigSeeds,
  runDotconfigCase,
  runKconfigCase,
  runPathsCase,
  runStructureCase,
} from '../../scripts/fuzz-cases.js';
import { REPO } from '../cli/run.js';

const RUNS = Number(process.env.KCONFSAT_FUZZ_RUNS ?? 10_000);
/** Command lines (KCONFSAT_FUZZ_CLI_RUNS, default 10,000), run in-process through the CLI's run(). */
const CLI_RUNS = Number(process.env.KCONFSAT_FUZZ_CLI_RUNS ?? 10_000);
const SEED = process.env.KCONFSAT_FUZZ_SEED === undefined ? {} : { seed: Number(process.env.KCONFSAT_FUZZ_SEED) };

/**
 * The cases as an async property that lets the event loop run every hundred
 * cases: a minute of synchronous work makes vitest report its worker as
 * unresponsive even when every case passes.
 */
async function fuzz<C>(arb: fc.Arbitrary<C>, numRuns: number, run: (c: C) => 'ok' | 'input error'): Promise<Record<'ok' | 'input error', number>> {
  const outcomes = { ok: 0, 'input error': 0 };
  const breathe = breather(100);
  await fc.assert(
    fc.asyncProperty(arb, async (c) => {
      await breathe();
      outcomes[run(c)]++;
    }),
    { numRuns, ...SEED },
  );
  return outcomes;
}

describe('fuzzing', () => {
  it(`${Math.ceil(RUNS / 2)} mutated Kconfig trees: only input errors with file:line`, async () => {
    const seeds = kconfigSeeds();
    dotconfigSession(); // the first session pays for starting the SAT solver: not a case's time
    seeds.forEach((_, seed) => expect(runKconfigCase(seeds, { seed, file: 0, mutations: [] })).toBe('ok'));
    const outcomes = await fuzz(arbKconfigCase(seeds), Math.ceil(RUNS / 2), (c) => runKconfigCase(seeds, c));
    // Both outcomes occur, or the mutations never reach the parser or never get past it.
    expect(outcomes.ok).toBeGreaterThan(0);
    expect(outcomes['input error']).toBeGreaterThan(0);
  });

  it(`${Math.floor(RUNS / 2)} mutated .config files: only input errors with file:line`, async () => {
    const session = dotconfigSession();
    const seeds = dotconfigSeeds(session);
    seeds.forEach((_, seed) => expect(runDotconfigCase(session, seeds, { seed, mutations: [], strict: false })).toBe('ok'));
    const outcomes = await fuzz(arbDotconfigCase(seeds.length), Math.floor(RUNS / 2), (c) => runDotconfigCase(session, seeds, c));
    expect(outcomes.ok).toBeGreaterThan(0);
    expect(outcomes['input error']).toBeGreaterThan(0);
  });

  // Each case is a whole generated tree, queried and its witness checked: a few hundred, not thousands.
  it(`${Math.ceil(RUNS / 50)} trees of generated structure: every witness is a configuration check accepts`, async () => {
    const outcomes = await fuzz(arbStructureCase(), Math.ceil(RUNS / 50), runStructureCase);
    expect(outcomes.ok).toBe(Math.ceil(RUNS / 50));
  });

  it(`${Math.ceil(RUNS / 50)} batches of output files named from a tree's symbols, onto odd files: nothing outside, nothing but regular files replaced`, async () => {
    const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'kconfsat-fuzz-paths-'));
    try {
      const outcomes = await fuzz(arbPathsCase(), Math.ceil(RUNS / 50), (c) => runPathsCase(c, scratch));
      expect(outcomes.ok).toBeGreaterThan(0);
      expect(outcomes['input error']).toBeGreaterThan(0);
    } finally {
      fs.rmSync(scratch, { recursive: true, force: true });
    }
  });

  it(`${CLI_RUNS} command lines with random arguments, options, odd files and output paths: exit 0-3, no internal error, nothing written outside the named outputs`, async () => {
    const saved = Object.fromEntries(['srctree', 'ARCH', 'SRCARCH', 'KCONFIG_CONFIG'].map((name) => [name, process.env[name]]));
    for (const name of Object.keys(saved)) delete process.env[name];
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'kconfsat-fuzz-cli-'));
    // The built CLI, as users run it: --jobs and --timeout start worker threads, which load compiled modules only.
    const cli = (await import(path.join(REPO, 'dist/scripts/fuzz-cli.js'))) as typeof import('../../scripts/fuzz-cli.js');
    const { kconfigSeeds: builtSeeds } = (await import(path.join(REPO, 'dist/scripts/fuzz-cases.js'))) as typeof import('../../scripts/fuzz-cases.js');
    const { arbCliCase, CliScratch, runCliCase } = cli;
    const seeds = builtSeeds();
    const scratch = new CliScratch(root);
    const codes = [0, 0, 0, 0];
    const breathe = breather(100);
    try {
      await fc.assert(
        fc.asyncProperty(arbCliCase(seeds), async (c) => {
          await breathe();
          codes[(await runCliCase(c, seeds, scratch)).code]!++;
        }),
        { numRuns: CLI_RUNS, ...SEED },
      );
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
      for (const [name, value] of Object.entries(saved)) if (value !== undefined) process.env[name] = value;
    }
    // Answers, findings and input errors all occur: the command lines reach the analyses, not only the option parser.
    expect(codes.slice(0, 3).every((n) => n > 0)).toBe(true);
    // About 30 ms of CPU a case (each one is held to its CPU budget); wall time on a loaded 2-core machine is many times that.
  }, Math.max(120_000, CLI_RUNS * 1000));
});
