/**
 * bench: kconfsat's stages (scripts/bench-stages.ts) on Linux 6.1, x86_64 and
 * i386, each in fresh processes, against their targets; and, in the same
 * run on the same tree and arch, the tools it replaces: the kernel's conf
 * (`--allnoconfig`, shell calls included) and Kconfiglib loading the tree.
 * Every measurement records the peak memory of its process (GNU time).
 * Prints a table with the ratios kconfsat/reference and writes it all as JSON.
 *
 * Environment: KCONFSAT_LINUX_61 (tree; default: scripts/fetch-corpus linux-6.1),
 * KCONFSAT_CONF_61 (conf binary; default: scripts/build-conf TREE).
 * Exit status 1 when a target is missed, 2 on bad usage.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { SEED_STAGE, STAGES, type Stage } from './bench-stages.js';
import { buildConf, confSideFiles, corpusEnvironment, ensureKconfiglib, fetchCorpus, readManifest, referenceEnvironment, repo, SYSTEM_PYTHON } from '../src/workflow/reference.js';
import { scriptOptions } from './lib/options.js';
import { median } from './lib/statistics.js';
import { formatTable } from './lib/table.js';

const USAGE = `usage: node dist/scripts/bench.js [--runs N] [--only REGEX] [--json FILE]
  --runs N      processes per measurement, the median is reported (default 5)
  --only REGEX  only the stages whose name REGEX matches (the references and the seed query always run)
  --json FILE   where the results go as JSON (default bench-results.json)
`;

const CORPUS = 'linux-6.1';
const ARCHES = ['x86_64', 'i386'];
/** kconfsat's side of the comparison with the references: the two stages that turn a tree into a loaded formula. */
const PARSE_ENCODE = ['parse+resolve', 'encode+solver load'];

interface Measurement {
  name: string;
  arch: string;
  /** Seconds per run. */
  runs: number[];
  median: number;
  /** The highest peak resident memory of the runs' processes, in MB. */
  peakMB: number;
  /** The median CPU time (user + sys) of the runs' processes, children included, in seconds: what a loaded machine does not inflate. */
  cpu: number;
}

/** A stage's measurement against its target; `error` when a run failed (a missed target). */
type StageResult = { target: number; peakTargetMB?: number; met: boolean } & (Measurement | { name: string; arch: string; error: string });

/** A reference tool; `skipped` says why it could not run here. */
type ReferenceResult = Measurement | { name: string; arch: string; skipped: string };

interface Ratio {
  arch: string;
  reference: string;
  /** kconfsat's parse+resolve plus encode+solver load medians over the reference's median: below 1 is faster. */
  ratio: number;
}

interface Command {
  file: string;
  args: string[];
  cwd: string;
  env: Record<string, string>;
}


/**
 * Runs a command under GNU time: its peak memory (children included: wait4
 * reports the largest of the process and its reaped descendants) comes on the
 * last line of stderr, after the command's own. Returns stdout, seconds of
 * wall time (process start and exit included) and the peak in MB.
 */
function timed(command: Command): { stdout: string; seconds: number; peakMB: number; cpu: number } {
  const t0 = performance.now();
  const r = spawnSync('/usr/bin/time', ['-f', '%M %U %S', command.file, ...command.args], { cwd: command.cwd, env: command.env, encoding: 'utf8', maxBuffer: 1 << 26 });
  const seconds = (performance.now() - t0) / 1000;
  if (r.error) throw r.error;
  // GNU time adds "Command exited with non-zero status N" before its own line; the command's last line says why.
  const lines = r.stderr.trimEnd().split('\n').filter((l) => !l.startsWith('Command exited with non-zero status'));
  const [kib, user, sys] = (lines.pop() ?? '').split(' ').map(Number);
  if (r.status !== 0) throw new Error(`${path.basename(command.file)} failed (exit status ${r.status}): ${lines.filter(Boolean).pop() ?? ''}`);
  if (!Number.isFinite(kib) || !Number.isFinite(user! + sys!)) throw new Error(`/usr/bin/time gave no peak memory and CPU time: ${r.stderr}`);
  return { stdout: r.stdout, seconds, peakMB: kib! / 1024, cpu: user! + sys! };
}

function measure(name: string, arch: string, runs: number, once: () => { seconds: number; peakMB: number; cpu: number }): Measurement {
  const results = Array.from({ length: runs }, once);
  const seconds = results.map((r) => r.seconds);
  return { name, arch, runs: seconds, median: median(seconds), peakMB: Math.max(...results.map((r) => r.peakMB)), cpu: median(results.map((r) => r.cpu)) };
}

const worker = path.join(path.dirname(fileURLToPath(import.meta.url)), 'bench-worker.js');

function runStage(stage: Stage, tree: string, arch: string, runs: number): StageResult {
  const targets = { target: stage.target, ...(stage.peakTargetMB !== undefined ? { peakTargetMB: stage.peakTargetMB } : {}) };
  try {
    const m = measure(stage.name, arch, runs, () => {
      const r = timed({ file: process.execPath, args: [worker, stage.name, tree, arch], cwd: process.cwd(), env: { ...process.env } as Record<string, string> });
      return { seconds: (JSON.parse(r.stdout.trim().split('\n').pop()!) as { value: number }).value, peakMB: r.peakMB, cpu: r.cpu };
    });
    return { ...m, ...targets, met: m.median <= stage.target && (stage.peakTargetMB === undefined || m.peakMB <= stage.peakTargetMB) };
  } catch (e) {
    // One failed stage should not cost the others' numbers.
    return { name: stage.name, arch, ...targets, met: false, error: (e as Error).message };
  }
}

function runReference(name: string, arch: string, runs: number, command: () => Command): ReferenceResult {
  try {
    const c = command();
    return measure(name, arch, runs, () => timed(c));
  } catch (e) {
    return { name, arch, skipped: (e as Error).message };
  }
}

async function main(): Promise<void> {
  const values = scriptOptions('bench', USAGE, {
    runs: { type: 'string', default: '5' },
    json: { type: 'string', default: 'bench-results.json' },
    only: { type: 'string' },
  });
  let only: RegExp | undefined;
  try {
    only = values.only === undefined ? undefined : new RegExp(values.only);
  } catch (e) {
    fail(`--only: ${(e as Error).message}`);
  }
  const runs = Number(values.runs);
  if (!Number.isInteger(runs) || runs < 1) fail(`--runs must be a positive integer, not '${values.runs}'`);

  const corpus = readManifest().find((c) => c.name === CORPUS);
  if (!corpus) fail(`no ${CORPUS} in the manifest`);
  const tree = path.resolve(process.env.KCONFSAT_LINUX_61 ?? (await fetchCorpus(corpus)));
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'kconfsat-bench-'));
  try {
    // The seed query stays: the other stages' CPU ratios are against it.
    const stages = STAGES.filter((stage) => !only || only.test(stage.name) || stage.name === SEED_STAGE).flatMap((stage) =>
      (stage.perArch ? ARCHES : [ARCHES[0]!]).map((arch) => {
        process.stderr.write(`bench: ${stage.name} (${arch}) ...\n`);
        return runStage(stage, tree, arch, Math.min(runs, stage.maxRuns ?? runs));
      }),
    );
    process.stderr.write('bench: references ...\n');
    const conf = (): string => process.env.KCONFSAT_CONF_61 ?? buildConf(tree);
    const references = ARCHES.flatMap((arch) => {
      // conf and Kconfiglib get what the kernel's Makefile exports for this arch, and nothing of the caller's shell.
      const env = referenceEnvironment(corpusEnvironment(corpus, tree, arch));
      return [
        runReference('conf --allnoconfig', arch, runs, () => {
          const side = { ...confSideFiles(scratch), KCONFIG_CONFIG: path.join(scratch, 'allno.config') };
          return { file: conf(), args: ['--allnoconfig', 'Kconfig'], cwd: tree, env: { ...env, ...side } };
        }),
        runReference('Kconfiglib load', arch, runs, () => {
          const missing = ensureKconfiglib(SYSTEM_PYTHON, (m) => process.stderr.write(`bench: ${m}\n`));
          if (missing) throw new Error(missing);
          // scripts/kconfiglib-symbols.py's Kconfig subclass reads Linux 6.x's `modules` line, which Kconfiglib 14.1 rejects.
          const load = [
            'import importlib.util',
            `spec = importlib.util.spec_from_file_location("ks", ${JSON.stringify(path.join(repo, 'scripts/kconfiglib-symbols.py'))})`,
            'ks = importlib.util.module_from_spec(spec)',
            'spec.loader.exec_module(ks)',
            'ks.Kconfig("Kconfig", warn_to_stderr=False)',
          ].join('\n');
          return { file: SYSTEM_PYTHON, args: ['-c', load], cwd: tree, env };
        }),
      ];
    });
    const ratios = parseEncodeRatios(stages, references);
    const confRatios = stageRatios(stages, references);
    const result = { corpus: CORPUS, tree, arches: ARCHES, runs, machine: { cpus: os.cpus().length, loadavg: os.loadavg() }, stages, references, ratios, confRatios };
    fs.writeFileSync(values.json, `${JSON.stringify(result, null, 2)}\n`);
    process.stdout.write(table(stages, references, ratios, confRatios, runs));
    process.stderr.write(`bench: wrote ${values.json}\n`);
    process.exitCode = stages.every((s) => s.met) && ratios.every((r) => r.ratio < 1) && confRatios.every((r) => r.ratio <= r.target) ? 0 : 1;
  } finally {
    fs.rmSync(scratch, { recursive: true, force: true });
  }
}

function parseEncodeRatios(stages: StageResult[], references: ReferenceResult[]): Ratio[] {
  return references.flatMap((r) => {
    if (!('median' in r)) return [];
    const ours = PARSE_ENCODE.map((name) => stages.find((s) => s.name === name && s.arch === r.arch));
    if (!ours.every((s) => s && 'median' in s)) return [];
    const sum = ours.reduce((total, s) => total + (s as Measurement).median, 0);
    return [{ arch: r.arch, reference: r.name, ratio: sum / r.median }];
  });
}

/**
 * The stages with a ratio target: their median over conf --allnoconfig's on
 * the same arch (confRatio), and their CPU time over the cold seed query's
 * (seedRatio: both are CLI runs, so the worker's own start cancels out).
 */
function stageRatios(stages: StageResult[], references: ReferenceResult[]): (Ratio & { stage: string; target: number })[] {
  const find = <T extends { name: string; arch: string }>(list: T[], name: string, arch: string): (T & Measurement) | undefined =>
    list.find((r): r is T & Measurement => r.name === name && r.arch === arch && 'median' in r);
  return stages.flatMap((s) => {
    const stage = STAGES.find((x) => x.name === s.name);
    if (!stage || !('median' in s)) return [];
    const conf = find(references, 'conf --allnoconfig', s.arch);
    const seed = find(stages, SEED_STAGE, s.arch);
    const wanted: [string, number | undefined, number | undefined][] = [
      ['conf --allnoconfig', stage.confRatio, conf && s.median / conf.median],
      [`${SEED_STAGE} (CPU)`, stage.seedRatio, seed && s.cpu / seed.cpu],
    ];
    return wanted.flatMap(([reference, target, ratio]) => (target === undefined || ratio === undefined ? [] : [{ stage: s.name, arch: s.arch, reference, ratio, target }]));
  });
}

function table(stages: StageResult[], references: ReferenceResult[], ratios: Ratio[], confRatios: ReturnType<typeof stageRatios>, runs: number): string {
  const s = (v: number): string => `${v.toFixed(3)} s`;
  const mb = (v: number): string => `${v.toFixed(0)} MB`;
  const rows: string[][] = [];
  for (const r of stages) {
    const target = `${s(r.target)}${r.peakTargetMB !== undefined ? `, ${mb(r.peakTargetMB)}` : ''}`;
    rows.push('median' in r ? [r.name, r.arch, s(r.median), target, mb(r.peakMB), s(r.cpu), r.met ? 'yes' : 'NO', r.runs.map(s).join(', ')] : [r.name, r.arch, 'failed', target, '', '', 'NO', r.error]);
  }
  for (const r of references) {
    rows.push('median' in r ? [`(ref) ${r.name}`, r.arch, s(r.median), '', mb(r.peakMB), s(r.cpu), '', r.runs.map(s).join(', ')] : [`(ref) ${r.name}`, r.arch, 'skipped', '', '', '', '', r.skipped]);
  }
  for (const r of ratios) rows.push([`ratio parse+encode / ${r.reference}`, r.arch, r.ratio.toFixed(2), '< 1', '', '', r.ratio < 1 ? 'yes' : 'NO', '']);
  for (const r of confRatios) rows.push([`ratio ${r.stage} / ${r.reference}`, r.arch, r.ratio.toFixed(2), `<= ${r.target}`, '', '', r.ratio <= r.target ? 'yes' : 'NO', '']);
  const out = [formatTable(['stage', 'arch', 'median', 'target', 'peak', 'cpu', 'met', 'runs'], rows)];
  out.push(
    '',
    `${CORPUS}, median of ${runs} fresh processes each (fewer where a stage caps its runs); peak = highest resident memory of a run's processes.`,
    'parse+encode = the parse+resolve and encode+solver load medians (in-process); the references are whole-process wall times.',
    "cpu = median user+sys seconds of the stage's worker process (its children included), start-up and every phase of the stage counted.",
    `load average at the end: ${os.loadavg().map((l) => l.toFixed(1)).join(' ')} on ${os.cpus().length} CPUs`,
  );
  return `${out.join('\n')}\n`;
}

function fail(message: string): never {
  process.stderr.write(`bench: ${message}\n${USAGE}`);
  process.exit(2);
}

await main();
