/**
 * The stages scripts/bench.ts measures. Each runs in a fresh node process
 * (scripts/bench-worker.ts), so module loading and JIT warm-up count as they
 * do for a user, and that process's peak memory (its children included) is
 * recorded with every measurement. Adding a stage is one entry here: a name,
 * a target and a `measure` returning seconds.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { query } from '../src/analysis/query.js';
import { Session } from '../src/analysis/session.js';
import { loadKconfig } from '../src/model/load.js';
import { median } from './lib/statistics.js';

/** What every stage is measured on. */
export interface BenchInput {
  tree: string;
  arch: string;
}

export interface Stage {
  name: string;
  /** The stage passes when its median is at most this many seconds. */
  target: number;
  /** The peak memory of the stage's process (and its children) must stay at most this, in MB. */
  peakTargetMB?: number;
  /** Measured on every arch of the bench (x86_64 and i386); otherwise once, as `measure` says. */
  perArch?: boolean;
  /** The stage also passes only when its median is at most this many times conf --allnoconfig's on the same arch. */
  confRatio?: number;
  /** The stage also passes only when its CPU time is at most this many times the cold CLI seed query's (SEED_STAGE). */
  seedRatio?: number;
  /** Fewer runs than --runs for stages that take minutes (the median of fewer). */
  maxRuns?: number;
  /** Runs inside the worker process; returns the measurement in seconds. */
  measure(input: BenchInput): number;
}

const CLI = fileURLToPath(new URL('../src/cli/main.js', import.meta.url));
const MINISAT = new URL('../src/sat/minisat.js', import.meta.url).href;
const SEED = 'XEN_UNPOPULATED_ALLOC=y';
/** Questions a developer asks of a loaded tree: yes and no answers, tristate, numeric and string. */
export const WARM_QUERIES = [
  SEED,
  'ZONE_DEVICE=y && !MEMORY_HOTPLUG',
  'USB=m',
  'PCI=n && USB_SUPPORT',
  'NR_CPUS>=64',
  'EXT4_FS=y && BTRFS_FS=m',
  'KVM=m && !VIRTUALIZATION',
  'SMP=n',
  'LOCALVERSION="-test"',
  'DRM_I915=y && !PCI',
];


/** Wall time of one CLI run, the process start included; without the session cache unless `cacheHome` is given. */
function cliSeconds(args: string[], cacheHome?: string): number {
  const env = cacheHome === undefined ? { ...process.env, KCONFSAT_CACHE: 'off' } : { ...process.env, XDG_CACHE_HOME: cacheHome, KCONFSAT_CACHE: '' };
  return seconds(() => {
    const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', env });
    if (r.status !== 0 && r.status !== 1) throw new Error(`kconfsat ${args.join(' ')}: ${r.stderr}`);
  });
}

/** A CLI run timed after an untimed one has filled a fresh session cache. */
function cachedCliSeconds(args: string[]): number {
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'kconfsat-bench-cache-'));
  try {
    cliSeconds(args, home);
    return cliSeconds(args, home);
  } finally {
    fs.rmSync(home, { recursive: true, force: true });
  }
}

/** Debian's linux-config-6.1 amd64 .config, which `upgrade` moves to Linux 6.12 ($KCONFSAT_LINUX_612). */
const DEBIAN_CONFIG = '/usr/src/linux-config-6.1/config.amd64_none_amd64.xz';

/** The stage seedRatio is measured against. */
export const SEED_STAGE = 'cold CLI seed query (x86_64, yes + witness)';

/** DEBIAN_CONFIG unpacked to a scratch file; an error when it or the 6.12 tree is missing. */
function debianConfig(): string {
  if (!process.env.KCONFSAT_LINUX_612 || !fs.existsSync(DEBIAN_CONFIG)) throw new Error(`needs $KCONFSAT_LINUX_612 and ${DEBIAN_CONFIG} (apt-get install linux-config-6.1)`);
  return scratchFile('config', execFileSync('xz', ['-dc', DEBIAN_CONFIG], { encoding: 'utf8', maxBuffer: 1 << 28 }));
}

/** A scratch file holding `text`, removed when the process exits. */
function scratchFile(name: string, text: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kconfsat-bench-'));
  process.on('exit', () => fs.rmSync(dir, { recursive: true, force: true }));
  fs.writeFileSync(path.join(dir, name), text);
  return path.join(dir, name);
}

/** The XEN seed as a one-file patch of the tree (depends on ZONE_DEVICE -> select): what a reviewer is handed. */
function seedPatch(tree: string): string {
  const file = 'drivers/xen/Kconfig';
  const text = fs.readFileSync(path.join(tree, file), 'utf8');
  const edited = scratchFile('Kconfig', text.replace(/(config XEN_UNPOPULATED_ALLOC\n.*\n)\tdepends on ZONE_DEVICE\n/, '$1\tselect ZONE_DEVICE\n'));
  // diff exits 1 when the files differ, which is what it is asked for here.
  const r = spawnSync('diff', ['-u', '--label', `a/${file}`, '--label', `b/${file}`, path.join(tree, file), edited], { encoding: 'utf8' });
  if (r.status !== 1) throw new Error(`no XEN_UNPOPULATED_ALLOC 'depends on ZONE_DEVICE' in ${file}`);
  return scratchFile('seed.patch', r.stdout);
}

function seconds(run: () => void): number {
  const t0 = performance.now();
  run();
  return (performance.now() - t0) / 1000;
}

export const STAGES: Stage[] = [
  {
    name: 'parse+resolve',
    target: 0.5,
    perArch: true,
    measure: ({ tree, arch }) => seconds(() => loadKconfig({ tree, arch })),
  },
  {
    // The SAT backend's one-time compile (logic-solver's asm.js) and first core, made by createMiniSat.prepare()
    // before a session loads its tree, which encode+solver load no longer contains: reported so it stays in view, no target of its own.
    name: 'SAT backend module load',
    target: Infinity,
    measure: () => {
      const r = spawnSync(
        process.execPath,
        ['--input-type=module', '-e', `const t = performance.now(); (await import(${JSON.stringify(MINISAT)})).createMiniSat.prepare(); console.log(performance.now() - t);`],
        { encoding: 'utf8' },
      );
      if (r.status !== 0) throw new Error(`importing ${MINISAT}: ${r.stderr}`);
      return Number(r.stdout) / 1000;
    },
  },
  {
    name: 'encode+solver load',
    target: 0.5,
    peakTargetMB: 500,
    perArch: true,
    // The session's own phase timings: from the resolved model to a loaded solver.
    measure: ({ tree, arch }) => {
      const { encodeMs, loadSolverMs } = Session.open({ tree, arch }).timings;
      return (encodeMs + loadSolverMs) / 1000;
    },
  },
  {
    name: SEED_STAGE,
    target: 3,
    measure: ({ tree, arch }) => cliSeconds(['--tree', tree, '--arch', arch, 'query', SEED]),
  },
  {
    name: 'cold CLI seed query (i386, no + explanation)',
    target: 3,
    measure: ({ tree }) => cliSeconds(['--tree', tree, '--arch', 'i386', 'query', SEED]),
  },
  {
    // The same question once a run before it has kept the session (src/cache): the cold start of every
    // command after the first on an unchanged tree.
    name: 'cold CLI seed query, session cached (i386, no + explanation)',
    target: 3,
    confRatio: 0.2,
    measure: ({ tree }) => cachedCliSeconds(['--tree', tree, '--arch', 'i386', 'query', SEED]),
  },
  {
    name: 'warm query in a session (median of 10 kinds)',
    target: 0.01,
    perArch: true,
    measure: ({ tree, arch }) => {
      const session = Session.open({ tree, arch });
      query(session, [SEED]);
      return median(WARM_QUERIES.map((q) => seconds(() => query(session, [q], { explain: false }))));
    },
  },
  {
    name: 'explanation of the i386 seed (solve + minimal reason)',
    target: 0.5,
    measure: ({ tree }) => {
      const session = Session.open({ tree, arch: 'i386' });
      return seconds(() => query(session, [SEED]));
    },
  },
  {
    name: 'cold CLI dead + always-on (x86_64)',
    target: 10,
    confRatio: 10,
    maxRuns: 3,
    measure: ({ tree, arch }) => cliSeconds(['--tree', tree, '--arch', arch, 'dead']),
  },
  {
    // What the reviewer waits for (issue 21): both trees, only the changed symbols' dependents rechecked, no repairs.
    name: 'cold CLI review of a one-file patch (x86_64, --no-fix)',
    target: 4.5,
    seedRatio: 1.5,
    maxRuns: 3,
    measure: ({ tree, arch }) => cliSeconds(['--tree', tree, '--arch', arch, 'review', '--no-fix', seedPatch(tree)]),
  },
  {
    // Issue 21's "on 2 cores": both of them, one worker thread each.
    name: 'cold CLI review of a one-file patch, every arch, --jobs 2 (--no-fix)',
    target: 15,
    maxRuns: 1,
    measure: ({ tree }) => cliSeconds(['--tree', tree, '--arch', 'all', 'review', '--jobs', '2', '--no-fix', seedPatch(tree)]),
  },
  {
    name: "cold CLI upgrade of Debian's 6.1 amd64 config to 6.12",
    target: 5,
    maxRuns: 3,
    measure: ({ tree, arch }) => cliSeconds(['--arch', arch, 'upgrade', '--config', debianConfig(), '--old', tree, '--new', process.env.KCONFSAT_LINUX_612!]),
  },
  {
    // upgrade keeps the new tree's session (it solves on it), not the old tree, which it only reads.
    name: "cold CLI upgrade of Debian's 6.1 amd64 config to 6.12, new tree cached",
    target: 5,
    maxRuns: 3,
    measure: ({ tree, arch }) => cachedCliSeconds(['--arch', arch, 'upgrade', '--config', debianConfig(), '--old', tree, '--new', process.env.KCONFSAT_LINUX_612!]),
  },
  {
    name: 'cold CLI audit of every select',
    target: 60,
    perArch: true,
    measure: ({ tree, arch }) => cliSeconds(['--tree', tree, '--arch', arch, 'audit']),
  },
  {
    name: 'cold CLI audit, every arch, --jobs 2',
    target: 15 * 60,
    peakTargetMB: 1024,
    maxRuns: 1,
    measure: ({ tree }) => cliSeconds(['--tree', tree, '--arch', 'all', 'audit', '--jobs', '2']),
  },
];
