/**
 * bench: kconfsat's stages (scripts/bench-stages.ts) on Linux 6.1 x86_64, each
 * in fresh processes, against their targets; and, in the same run, the tools
 * it replaces: the kernel's conf (`--allnoconfig`, shell calls included) and
 * Kconfiglib loading the same tree.
 *
 * Environment: KCONFSAT_LINUX_61 (tree; default: scripts/fetch-corpus linux-6.1),
 * KCONFSAT_CONF_61 (conf binary; default: scripts/build-conf TREE).
 * Exit status 1 when a stage misses its target, 2 on bad usage.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { STAGES, type Stage } from './bench-stages.js';
import { corpusEnvironment, fetchCorpus, readManifest, repo } from './corpora.js';
import { scriptOptions } from './options.js';

const USAGE = `usage: node dist/scripts/bench.js [--runs N] [--json]
  --runs N   processes per measurement, the median is reported (default 5)
  --json     print the results as JSON instead of a table
`;

const CORPUS = 'linux-6.1';
const ARCH = 'x86_64';
/** Debian's python3-kconfiglib lives in the system interpreter, not whatever python3 is first on PATH. */
const PYTHON = '/usr/bin/python3';

interface Measurement {
  name: string;
  unit: string;
  runs: number[];
  median: number;
}

interface StageResult extends Measurement {
  target: number;
  met: boolean;
}

/** A reference tool; `skipped` says why it could not run here. */
type ReferenceResult = Measurement | { name: string; skipped: string };

interface Command {
  file: string;
  args: string[];
  cwd: string;
  env: Record<string, string>;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

function measure(name: string, unit: string, runs: number, once: () => number): Measurement {
  const values = Array.from({ length: runs }, once);
  return { name, unit, runs: values, median: median(values) };
}

const worker = path.join(path.dirname(fileURLToPath(import.meta.url)), 'bench-worker.js');

function runStage(stage: Stage, tree: string, runs: number): StageResult {
  const m = measure(stage.name, stage.unit, runs, () => {
    const out = execFileSync(process.execPath, [worker, stage.name, tree, ARCH], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    return (JSON.parse(out.trim().split('\n').pop()!) as { value: number }).value;
  });
  return { ...m, target: stage.target, met: m.median <= stage.target };
}

/** Wall time of a command, process start and exit included; throws with its stderr when it fails. */
function wallSeconds(command: Command): number {
  const t0 = performance.now();
  const result = spawnSync(command.file, command.args, { cwd: command.cwd, env: command.env, encoding: 'utf8' });
  const elapsed = (performance.now() - t0) / 1000;
  if (result.error) throw result.error;
  if (result.status !== 0) throw new Error(`${path.basename(command.file)} failed: ${result.stderr.trim().split('\n').pop()}`);
  return elapsed;
}

function runReference(name: string, runs: number, command: () => Command): ReferenceResult {
  try {
    const c = command();
    return measure(name, 's', runs, () => wallSeconds(c));
  } catch (e) {
    return { name, skipped: (e as Error).message };
  }
}

function main(): void {
  const values = scriptOptions('bench', USAGE, {
    runs: { type: 'string', default: '5' },
    json: { type: 'boolean', default: false },
  });
  const runs = Number(values.runs);
  if (!Number.isInteger(runs) || runs < 1) fail(`--runs must be a positive integer, not '${values.runs}'`);

  const corpus = readManifest().find((c) => c.name === CORPUS);
  if (!corpus) fail(`no ${CORPUS} in the manifest`);
  const tree = path.resolve(process.env.KCONFSAT_LINUX_61 ?? fetchCorpus(corpus));
  // conf and Kconfiglib get what the kernel's Makefile exports, and nothing of the caller's shell.
  const env = { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: os.homedir(), LC_ALL: 'C', ...corpusEnvironment(corpus, tree, ARCH) };
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'kconfsat-bench-'));
  try {
    const stages = STAGES.map((stage) => {
      process.stderr.write(`bench: ${stage.name} ...\n`);
      return runStage(stage, tree, Math.min(runs, stage.maxRuns ?? runs));
    });
    process.stderr.write('bench: references ...\n');
    const references = [
      runReference('conf --allnoconfig', runs, () => {
        const conf = process.env.KCONFSAT_CONF_61 ?? execFileSync('bash', [path.join(repo, 'scripts/build-conf'), tree], { encoding: 'utf8' }).trim();
        // conf's side files (auto.conf, autoconf.h, ...) go to the scratch directory so the tree stays clean.
        const side = {
          KCONFIG_CONFIG: path.join(scratch, 'allno.config'),
          KCONFIG_AUTOCONFIG: path.join(scratch, 'auto.conf'),
          KCONFIG_AUTOHEADER: path.join(scratch, 'autoconf.h'),
          KCONFIG_RUSTCCFG: path.join(scratch, 'rustc_cfg'),
        };
        return { file: conf, args: ['--allnoconfig', 'Kconfig'], cwd: tree, env: { ...env, ...side } };
      }),
      runReference('Kconfiglib load', runs, () => {
        if (spawnSync(PYTHON, ['-c', 'import kconfiglib']).status !== 0) {
          throw new Error(`${PYTHON} cannot import kconfiglib (apt-get install python3-kconfiglib)`);
        }
        // scripts/kconfiglib-symbols.py's Kconfig subclass reads Linux 6.x's `modules` line, which Kconfiglib 14.1 rejects.
        const load = [
          'import importlib.util',
          `spec = importlib.util.spec_from_file_location("ks", ${JSON.stringify(path.join(repo, 'scripts/kconfiglib-symbols.py'))})`,
          'ks = importlib.util.module_from_spec(spec)',
          'spec.loader.exec_module(ks)',
          'ks.Kconfig("Kconfig", warn_to_stderr=False)',
        ].join('\n');
        return { file: PYTHON, args: ['-c', load], cwd: tree, env };
      }),
    ];
    report(stages, references, values.json);
    process.exitCode = stages.every((s) => s.met) ? 0 : 1;
  } finally {
    fs.rmSync(scratch, { recursive: true, force: true });
  }
}

function report(stages: StageResult[], references: ReferenceResult[], json: boolean): void {
  const parse = stages.find((s) => s.name === 'parse+resolve')!;
  const ratios: Record<string, number> = {};
  for (const r of references) if ('median' in r) ratios[`parse+resolve / ${r.name}`] = parse.median / r.median;
  if (json) {
    process.stdout.write(JSON.stringify({ corpus: CORPUS, arch: ARCH, stages, references, ratios }, null, 2) + '\n');
    return;
  }
  const num = (v: number, unit: string): string => (unit === 's' ? `${v.toFixed(3)} s` : `${v.toFixed(0)} ${unit}`);
  const rows: string[][] = [['stage', 'median', 'target', 'met', 'runs']];
  for (const s of stages) {
    rows.push([s.name, num(s.median, s.unit), num(s.target, s.unit), s.met ? 'yes' : 'NO', s.runs.map((v) => num(v, s.unit)).join(', ')]);
  }
  for (const r of references) {
    rows.push('median' in r ? [`(ref) ${r.name}`, num(r.median, r.unit), '', '', r.runs.map((v) => num(v, r.unit)).join(', ')] : [`(ref) ${r.name}`, 'skipped', '', '', r.skipped]);
  }
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  const out = rows.map((r) => r.map((cell, i) => cell.padEnd(widths[i]!)).join('  ').trimEnd());
  out.splice(1, 0, widths.map((w) => '-'.repeat(w)).join('  '));
  out.push('', `${CORPUS} ${ARCH}, median of ${parse.runs.length} fresh processes each`);
  for (const [name, ratio] of Object.entries(ratios)) out.push(`${name}: ${ratio.toFixed(2)}`);
  process.stdout.write(out.join('\n') + '\n');
}

function fail(message: string): never {
  process.stderr.write(`bench: ${message}\n${USAGE}`);
  process.exit(2);
}

main();
