/**
 * scripts/fuzz: the fuzzing of test/fuzz for longer: mutated Kconfig trees
 * and .config files through the whole pipeline, where anything but an input
 * error with file:line, or a case slower than a second, is a failure. Prints
 * the seed, the outcome counts, the slowest case, and for a failure the
 * shrunk counterexample (JSON) and the mutated file; exits 1 on a failure.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import fc from 'fast-check';
import {
  arbDotconfigCase,
  arbKconfigCase,
  dotconfigSeeds,
  dotconfigSession,
  kconfigSeeds,
  mutate,
  mutatedFiles,
  runDotconfigCase,
  runKconfigCase,
  type DotconfigCase,
  type KconfigCase,
  arbStructureCase,
  arbPathsCase,
  runPathsCase,
  type PathsCase,
  runStructureCase,
  structureTree,
} from './fuzz-cases.js';
import { arbCliCase, CliScratch, runCliCase, showCliCase, type CliCase } from './fuzz-cli.js';
import { scriptOptions } from './lib/options.js';

const USAGE = `usage: scripts/fuzz [-n RUNS] [--seed S] [--kind kconfig|dotconfig|structure|paths|cli|both|all]
  -n, --runs N     cases per kind (default 100000)
  --seed S         fast-check seed (default: random, printed)
  --kind K         which inputs: mutated trees, mutated .config files, trees of generated
                   structure (big choices, fan-in, chains, domains), output paths onto odd
                   files (paths), every command line with random arguments, options and
                   odd files, run in-process (cli); both = the first two (default)
`;

const opts = scriptOptions('fuzz', USAGE, {
  runs: { type: 'string', short: 'n', default: '100000' },
  seed: { type: 'string' },
  kind: { type: 'string', default: 'both' },
});
const runs = Number(opts.runs);
const seed = opts.seed === undefined ? Date.now() % 2 ** 31 : Number(opts.seed);
if (!Number.isInteger(runs) || runs < 1 || !Number.isInteger(seed) || !['kconfig', 'dotconfig', 'structure', 'paths', 'cli', 'both', 'all'].includes(opts.kind)) {
  process.stderr.write(`fuzz: error: bad option value\n${USAGE}`);
  process.exit(2);
}

/** Runs one kind; on failure prints the counterexample and what the mutated input looked like. */
async function campaign<C>(name: string, arb: fc.Arbitrary<C>, run: (c: C) => string | Promise<string>, show: (c: C) => string): Promise<boolean> {
  const outcomes = new Map<string, number>();
  let slowest = 0;
  let done = 0;
  const t0 = performance.now();
  const details = await fc.check(
    fc.asyncProperty(arb, async (c) => {
      const t = performance.now();
      const outcome = await run(c);
      outcomes.set(outcome, (outcomes.get(outcome) ?? 0) + 1);
      slowest = Math.max(slowest, performance.now() - t);
      if (++done % 5000 === 0) process.stderr.write(`fuzz: ${name}: ${done} cases\n`);
    }),
    { numRuns: runs, seed },
  );
  const seconds = ((performance.now() - t0) / 1000).toFixed(1);
  const counts = [...outcomes].map(([outcome, n]) => `${n} ${outcome}`).join(', ');
  console.log(`${name}: ${details.numRuns} cases in ${seconds} s (seed ${seed}): ${counts}, slowest ${slowest.toFixed(0)} ms`);
  if (!details.failed) return true;
  const c = details.counterexample![0] as C;
  console.log(fc.defaultReportMessage(details));
  console.log(`error: ${String(details.errorInstance)}`);
  console.log(`counterexample: ${JSON.stringify(c)}`);
  console.log(`mutated input:\n${show(c)}`);
  return false;
}

dotconfigSession(); // starting the SAT solver the first time is not a case's time
let passed = true;
if (['kconfig', 'both', 'all'].includes(opts.kind)) {
  const seeds = kconfigSeeds();
  passed &&= await campaign('kconfig', arbKconfigCase(seeds), (c: KconfigCase) => runKconfigCase(seeds, c), (c) => {
    const { files } = mutatedFiles(seeds, c);
    return Object.entries(files).map(([name, text]) => `--- ${name}\n${text.length > 4000 ? `${text.slice(0, 4000)}... (${text.length} characters)` : text}`).join('\n');
  });
}
if (['dotconfig', 'both', 'all'].includes(opts.kind)) {
  const session = dotconfigSession();
  const seeds = dotconfigSeeds(session);
  passed &&= await campaign('dotconfig', arbDotconfigCase(seeds.length), (c: DotconfigCase) => runDotconfigCase(session, seeds, c), (c) => mutate(seeds[c.seed]!, c.mutations));
}
if (['structure', 'all'].includes(opts.kind)) {
  passed &&= await campaign('structure', arbStructureCase(), runStructureCase, (c) => structureTree(c).text);
}
if (['paths', 'all'].includes(opts.kind)) {
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'kconfsat-fuzz-paths-'));
  passed &&= await campaign('paths', arbPathsCase(), (c: PathsCase) => runPathsCase(c, scratch), (c) => JSON.stringify(c));
  fs.rmSync(scratch, { recursive: true, force: true });
}
if (['cli', 'all'].includes(opts.kind)) {
  // The command line reads srctree, ARCH and KCONFIG_CONFIG: the cases say what they use.
  for (const name of ['srctree', 'ARCH', 'SRCARCH', 'KCONFIG_CONFIG']) delete process.env[name];
  const seeds = kconfigSeeds();
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'kconfsat-fuzz-cli-'));
  const scratch = new CliScratch(root);
  const cpu: number[] = [];
  const cliCase = async (c: CliCase): Promise<string> => {
    const outcome = await runCliCase(c, seeds, scratch);
    cpu.push(outcome.ms);
    return `exit ${outcome.code}`;
  };
  passed &&= await campaign('cli', arbCliCase(seeds), cliCase, (c) => showCliCase(c, seeds, scratch));
  // Wall time on a shared machine says little: the cases' own CPU time.
  cpu.sort((a, b) => a - b);
  const at = (q: number): string => (cpu[Math.min(cpu.length - 1, Math.floor(q * cpu.length))] ?? 0).toFixed(0);
  console.log(`cli: CPU per case (ms): median ${at(0.5)}, p99 ${at(0.99)}, max ${at(1)}`);
  fs.rmSync(root, { recursive: true, force: true });
}
process.exit(passed ? 0 : 1);
