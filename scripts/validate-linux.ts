/**
 * validate-linux: how exactly kconfsat's formula matches the kernel's own conf
 * on a real Linux tree, per architecture.
 *
 *   soundness   every configuration conf produces (allnoconfig, allyesconfig,
 *               allmodconfig, defconfig, N randconfigs) satisfies the formula:
 *               checked by evaluation with $(shell,...) executed, and by SAT
 *               with the shell left unknown. The latter also takes Debian's
 *               shipped configs: Debian's build toolchain (gcc-12, pahole)
 *               made them, so only free toolchain probes can fit them. A
 *               Debian config naming symbols the tree lacks is skipped.
 *   precision   M models drawn by kconfsat's sampler (shell executed) come
 *               back unchanged from conf's olddefconfig.
 *
 * conf always runs through scripts/conf-reference, so it gets the manifest's
 * environment; kconfsat's $(shell,...) calls get the same (isolateEnvironment).
 * Usage: see USAGE, or scripts/validate-linux --help.
 */
import { execFileSync, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { configValues, Session, type ConfigEntry, type ConfigValues } from '../src/analysis/session.js';
import { sample } from '../src/analysis/sample.js';
import { formatLocation } from '../src/errors.js';
import { parseDotConfig, writeDotConfig } from '../src/io/dotconfig.js';
import type { Lit } from '../src/logic/cnf.js';
import { kernelVersion } from '../src/model/arch.js';
import { openTree } from '../src/model/load.js';
import type { KconfigModel, KSymbol } from '../src/model/types.js';
import { SolverMemoryError } from '../src/sat/solver.js';
import { readManifest, repo } from './corpora.js';
import { scriptOptions } from './options.js';

const USAGE = `usage: scripts/validate-linux [options]
  --tree DIR      Linux tree (default: scripts/fetch-corpus linux-6.1)
  --arch LIST     comma-separated ARCH values (default x86_64,i386,arm64,riscv,powerpc,s390,mips)
  --rand N        randconfigs per arch (default 50)
  --samples M     precision samples per arch (default 50)
  --seed S        first KCONFIG_SEED, also seeds the sampler (default 1)
  --json FILE     write the results as JSON
  --work DIR      scratch directory for conf's outputs (default $TMPDIR/kconfsat-validate)
  --quick         x86_64 and i386, 10 randconfigs and 10 samples each (for CI)
Exit status 0 only when every check passed.
`;
const DEFAULT_ARCHES = ['x86_64', 'i386', 'arm64', 'riscv', 'powerpc', 's390', 'mips'];
const STANDARD_TARGETS = ['allno', 'allyes', 'allmod', 'def'];
/** Clauses a shell-unknown session takes before it is replaced: MiniSat's 64 MiB heap ran out near 2.4M. */
const CLAUSE_BUDGET = 1_500_000;
/** Samples handed to conf together; conf works through one batch while the next is drawn. */
const SAMPLE_BATCH = 5;

interface Options {
  tree: string;
  arches: string[];
  rand: number;
  samples: number;
  seed: number;
  json?: string;
  work: string;
}

interface Tally {
  passed: number;
  total: number;
}

interface Failure {
  check: 'soundness' | 'soundness-no-shell' | 'precision';
  config: string;
  /** The first symbol (in Kconfig order) that differs or whose constraint breaks. */
  symbol?: string;
  location?: string;
  detail: string;
  /** How many symbols differ or break in all. */
  count?: number;
  /** The first few of them. */
  symbols?: string[];
}

interface ArchResult {
  arch: string;
  variables: number;
  clauses: number;
  encodeMs: number;
  noShell: { variables: number; clauses: number; inputs: number };
  soundness: Tally;
  soundnessNoShell: Tally;
  precision: Tally;
  /** Average y and m symbols per precision sample. */
  sampleAverage: { y: number; m: number };
  failures: Failure[];
  notes: string[];
  /** Time spent on this arch, conf runs included. */
  wallMs: number;
  /** conf-reference time spent for this arch. */
  confMs: number;
  error?: string;
}

function parseOptions(): Options {
  const values = scriptOptions('validate-linux', USAGE, {
    tree: { type: 'string' },
    arch: { type: 'string' },
    rand: { type: 'string' },
    samples: { type: 'string' },
    seed: { type: 'string' },
    json: { type: 'string' },
    work: { type: 'string' },
    quick: { type: 'boolean', default: false },
  });
  const count = (name: string, text: string | undefined, fallback: number): number => {
    if (text === undefined) return fallback;
    if (!/^\d+$/.test(text)) fail(`--${name} needs a non-negative integer, got '${text}'`);
    return Number(text);
  };
  const quick = values.quick;
  return {
    tree: path.resolve(values.tree ?? run(path.join(repo, 'scripts/fetch-corpus'), ['linux-6.1'])),
    arches: (values.arch ?? (quick ? 'x86_64,i386' : DEFAULT_ARCHES.join(','))).split(',').filter(Boolean),
    rand: count('rand', values.rand, quick ? 10 : 50),
    samples: count('samples', values.samples, quick ? 10 : 50),
    seed: count('seed', values.seed, 1),
    json: values.json,
    work: path.resolve(values.work ?? path.join(os.tmpdir(), 'kconfsat-validate')),
  };
}

function fail(message: string): never {
  process.stderr.write(`validate-linux: error: ${message}\n`);
  process.exit(2);
}

function log(message: string): void {
  process.stderr.write(`validate-linux: ${message}\n`);
}

/** A helper script's stdout (its last line: the scripts print progress on stderr). */
function run(script: string, args: string[]): string {
  return execFileSync('bash', [script, ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] })
    .trim()
    .split('\n')
    .pop()!;
}

/**
 * conf-reference runs conf under `env -i PATH HOME LC_ALL=C` plus env.txt;
 * kconfsat's $(shell,...) runs under process.env plus the env it is given.
 * Trimming process.env to the same three makes both see one environment.
 */
function isolateEnvironment(): void {
  for (const name of Object.keys(process.env)) if (name !== 'PATH' && name !== 'HOME') delete process.env[name];
  process.env.LC_ALL = 'C';
}

function readEnvFile(file: string): Record<string, string> {
  const env: Record<string, string> = {};
  for (const line of fs.readFileSync(file, 'utf8').split('\n')) {
    const eq = line.indexOf('=');
    if (eq > 0) env[line.slice(0, eq)] = line.slice(eq + 1);
  }
  return env;
}

function readConfig(file: string): ConfigValues {
  const text = file.endsWith('.xz')
    ? execFileSync('xz', ['-dc', file], { encoding: 'utf8', maxBuffer: 1 << 28 })
    : fs.readFileSync(file, 'utf8');
  return configValues(parseDotConfig(text, file));
}

/** Debian's configs for an arch, as corpora/manifest.json lists them for the tree's corpus. */
function debianConfigs(tree: string, arch: string): string[] {
  const version = kernelVersion(openTree(tree))?.split('.').slice(0, 2).join('.');
  const entry = readManifest().find((e) => e.name === `linux-${version}`);
  return (entry?.configs ?? [])
    .filter((c) => c.arch === arch)
    .flatMap((c) => c.files.map((f) => path.join(path.dirname(c.glob), f)))
    .filter((f) => fs.existsSync(f));
}

const seconds = (since: number): string => ((performance.now() - since) / 1000).toFixed(0);

/**
 * conf-reference runs, one after another, in a child node process: it goes on
 * while this process computes, which it would not if each next run had to
 * wait for this process's event loop. Resolves to the time the runs took.
 */
function confInBackground(script: string, runs: string[][]): Promise<number> {
  const child = `
    const { execFileSync } = require('node:child_process');
    const t0 = performance.now();
    for (const args of JSON.parse(process.argv[1]))
      execFileSync('bash', [${JSON.stringify(script)}, ...args], { stdio: ['ignore', 'ignore', 'inherit'] });
    process.stdout.write(String(performance.now() - t0));`;
  return new Promise((resolve, reject) => {
    const proc = spawn(process.execPath, ['-e', child, JSON.stringify(runs)], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    proc.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    proc.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
    proc.on('close', (code) => {
      // conf-reference prefixes its own lines; node's stack trace for the failed run adds nothing.
      const said = err.split('\n').filter((l) => l.startsWith('conf-reference'));
      if (code === 0) resolve(Number(out));
      else reject(new Error(`conf-reference failed: ${said.slice(-2).join('; ')}`));
    });
  });
}

/**
 * Assumption sets kept behind activation literals, so chains of prefixes share
 * clauses and each solve passes a single literal. The clauses go into the
 * session's CNF, so they survive a solver renewal, and sessions are replaced
 * once they hold CLAUSE_BUDGET of them.
 */
class Activations {
  added = 0;

  constructor(readonly session: Session) {}

  get root(): Lit {
    return this.session.allConstraints;
  }

  /** A literal that forces `lits` and whatever `base` forces. */
  extend(base: Lit, lits: readonly Lit[]): Lit {
    const a = this.session.encoding.cnf.newVar();
    this.session.addClause([-a, base]);
    for (const l of lits) this.session.addClause([-a, l]);
    this.added += lits.length + 1;
    return a;
  }

  sat(a: Lit): boolean {
    return this.session.solveWithGroups([a], []) === 'sat';
  }

  /** Unit clauses switch the activations off for good. */
  retire(lits: readonly Lit[]): void {
    for (const a of lits) this.session.addClause([-a]);
  }
}

const location = (sym: KSymbol): string => (sym.definitions[0] ? formatLocation(sym.definitions[0].loc) : '?');
/** Alternatives, the first few of a numeric domain's representatives being enough to go on. */
const list = (values: string[]): string => values.slice(0, 8).join('/') + (values.length > 8 ? '/...' : '');
/** A value as a .config line shows it. */
const shown = (sym: KSymbol, value: string | undefined): string =>
  value === undefined ? '(not written)' : sym.type === 'string' ? JSON.stringify(value) : value;

/** Values worth trying for `sym` when explaining a failure: n/m/y, or its value domain when small. */
function candidates(session: Session, sym: KSymbol): string[] {
  if (session.encoding.pairOf(sym)) return sym.type === 'tristate' ? ['n', 'm', 'y'] : ['n', 'y'];
  const domain = session.encoding.valuesOf(sym) ? session.encoding.domains.get(sym).values : [];
  return domain.length <= 64 ? domain : [];
}

/** The values `sym` could take instead, the rest of `values` fixed, for its constraint to hold. */
function acceptedValues(session: Session, values: ConfigValues, sym: KSymbol): string[] {
  const given = values.get(sym.name) ?? (session.encoding.pairOf(sym) ? 'n' : undefined);
  return candidates(session, sym).filter(
    (v) => v !== given && !session.violatedSymbols(new Map(values).set(sym.name, v)).includes(sym),
  );
}

/** Soundness with $(shell,...) executed: the formula has no free inputs, so evaluation decides. */
function checkByEvaluation(session: Session, name: string, values: ConfigValues): Failure | undefined {
  const broken = session.violatedSymbols(values).sort((a, b) => a.id - b.id);
  const first = broken[0];
  if (!first) return undefined;
  const accepted = acceptedValues(session, values, first);
  return {
    check: 'soundness',
    config: name,
    symbol: first.name,
    location: location(first),
    count: broken.length,
    symbols: broken.slice(0, 10).map((s) => s.name),
    detail:
      `conf wrote ${shown(first, values.get(first.name))}, the formula ` +
      (accepted.length ? `accepts ${list(accepted.map((v) => shown(first, v)))}` : 'accepts no other value with the rest fixed'),
  };
}

/**
 * Soundness with $(shell,...) unknown: the probes are free inputs, so a config
 * is sound when the formula with its values assumed is satisfiable. Sessions
 * are replaced once they hold CLAUSE_BUDGET clauses of assumptions.
 */
class SatChecker {
  private current?: Activations;
  stats?: ArchResult['noShell'];

  constructor(private readonly open: () => Session) {}

  get model(): KconfigModel {
    return this.act.session.model;
  }

  private get act(): Activations {
    if (!this.current || this.current.added > CLAUSE_BUDGET) {
      this.current = undefined; // drop the old one before loading the next
      const session = this.open();
      const { cnf } = session.encoding;
      this.stats ??= { variables: cnf.numVars, clauses: cnf.numClauses, inputs: session.model.inputs.length };
      this.current = new Activations(session);
    }
    return this.current;
  }

  check(name: string, values: ConfigValues): Failure | undefined {
    try {
      return this.checkOnce(name, values);
    } catch (e) {
      if (!(e instanceof SolverMemoryError)) throw e;
      this.current = undefined;
      return this.checkOnce(name, values);
    }
  }

  private checkOnce(name: string, values: ConfigValues): Failure | undefined {
    const act = this.act;
    const lits = act.session.assumptionsFor(values);
    const all = act.extend(act.root, lits);
    const sat = act.sat(all);
    act.retire([all]);
    return sat ? undefined : this.diagnose(act, name, values, lits);
  }

  /** The first symbol whose value cannot follow from the ones before it (binary search over a chain of prefixes). */
  private diagnose(act: Activations, name: string, values: ConfigValues, lits: Lit[]): Failure {
    const { session } = act;
    const owner = new Map<number, KSymbol>();
    for (const sym of session.model.symbols) {
      const pair = session.encoding.pairOf(sym);
      for (const l of pair ? [pair.m, pair.y] : session.encoding.valuesOf(sym)?.values() ?? []) owner.set(l, sym);
    }
    const groups: { sym: KSymbol; lits: Lit[] }[] = [];
    for (const l of lits) {
      const sym = owner.get(Math.abs(l))!;
      if (groups.at(-1)?.sym === sym) groups.at(-1)!.lits.push(l);
      else groups.push({ sym, lits: [l] });
    }
    const chain: Lit[] = [];
    for (const g of groups) chain.push(act.extend(chain.at(-1) ?? act.root, g.lits));
    let lo = 0;
    let hi = chain.length - 1; // chain[hi] is unsat
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (act.sat(chain[mid]!)) lo = mid + 1;
      else hi = mid;
    }
    const { sym } = groups[hi]!;
    const before = chain[hi - 1] ?? act.root;
    const allowed = candidates(session, sym).filter((v) => {
      const probe = act.extend(before, session.valueLiterals(sym, v));
      const ok = act.sat(probe);
      act.retire([probe]);
      return ok;
    });
    act.retire(chain);
    return {
      check: 'soundness-no-shell',
      config: name,
      symbol: sym.name,
      location: location(sym),
      detail:
        `unsatisfiable; first symbol the preceding ones rule out: conf wrote ${shown(sym, values.get(sym.name))}` +
        (allowed.length ? `, the formula allows ${list(allowed.map((v) => shown(sym, v)))}` : ''),
    };
  }
}

/** Precision: the symbols conf's olddefconfig changed (added, dropped or set otherwise), first in Kconfig order. */
function comparePrecision(session: Session, name: string, sample: ConfigEntry[], after: ConfigValues): Failure | undefined {
  const before = new Map(sample.map((e) => [e.name, e.value]));
  const changed = session.model.symbols.filter(
    (s) => (before.has(s.name) || after.has(s.name)) && before.get(s.name) !== after.get(s.name),
  );
  const first = changed[0];
  if (!first) return undefined;
  return {
    check: 'precision',
    config: name,
    symbol: first.name,
    location: location(first),
    count: changed.length,
    symbols: changed.slice(0, 10).map((s) => s.name),
    detail: `sample ${shown(first, before.get(first.name))}, conf ${shown(first, after.get(first.name))}`,
  };
}

interface Sample {
  name: string;
  entries: ConfigEntry[];
  file: string;
}

async function validate(opts: Options, conf: string, arch: string, index: number): Promise<ArchResult> {
  const t0 = performance.now();
  const result: ArchResult = {
    arch,
    variables: 0,
    clauses: 0,
    encodeMs: 0,
    noShell: { variables: 0, clauses: 0, inputs: 0 },
    soundness: { passed: 0, total: 0 },
    soundnessNoShell: { passed: 0, total: 0 },
    precision: { passed: 0, total: 0 },
    sampleAverage: { y: 0, m: 0 },
    failures: [],
    notes: [],
    wallMs: 0,
    confMs: 0,
  };
  const tally = (t: Tally, failure: Failure | undefined): void => {
    t.total++;
    if (failure) result.failures.push(failure);
    else t.passed++;
  };
  const dir = path.join(opts.work, arch);
  const [stdDir, randDir, precisionDir] = ['std', 'rand', 'precision'].map((d) => path.join(dir, d)) as [string, string, string];
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(precisionDir, { recursive: true });
  const reference = (out: string, ...extra: string[]): string[] => [opts.tree, arch, out, ...extra, '--conf', conf];
  const confRuns = (runs: string[][]): Promise<void> => {
    const script = path.join(repo, 'scripts/conf-reference');
    const done = runs.length === 0 ? Promise.resolve() : confInBackground(script, runs).then((ms) => void (result.confMs += ms));
    done.catch(() => undefined); // awaited later; a failure must not count as unhandled meanwhile
    return done;
  };
  try {
    const standard = confRuns([reference(stdDir)]);
    // The shell-unknown side needs no conf output, so it works while conf makes the references.
    const noShell = new SatChecker(() => Session.open({ tree: opts.tree, arch, runShell: false }));
    const checkNoShell = (name: string, values: ConfigValues): void => tally(result.soundnessNoShell, noShell.check(name, values));
    for (const file of debianConfigs(opts.tree, arch)) {
      const values = readConfig(file);
      // Symbols this tree lacks mean another Kconfig made the config (Debian's rt featureset
      // patches are not in linux-source): conf cannot produce it from this tree.
      const foreign = [...values.keys()].filter((name) => !noShell.model.byName.get(name)?.definitions.length);
      if (foreign.length > 0) result.notes.push(`skipped ${path.basename(file)}: sets ${foreign.join(', ')}, not defined in this tree`);
      else checkNoShell(`debian:${path.basename(file)}`, values);
    }
    log(`${arch}: Debian configs checked (${seconds(t0)} s)`);

    await standard;
    // randconfigs are made while the formula is loaded and sampled.
    const rand = confRuns(opts.rand > 0 ? [reference(randDir, '--randconfig', String(opts.rand), '--seed', String(opts.seed))] : []);
    log(`${arch}: standard configs made (${seconds(t0)} s); loading with $(shell,...) executed`);
    const session = Session.open({ tree: opts.tree, arch, env: readEnvFile(path.join(stdDir, 'env.txt')), runShell: true });
    result.variables = session.encoding.cnf.numVars;
    result.clauses = session.encoding.cnf.numClauses;
    result.encodeMs = Math.round(session.timings.encodeMs);
    if (session.model.inputs.length > 0) result.notes.push(`${session.model.inputs.length} free inputs remain with the shell executed`);
    const checkConf = (name: string, file: string): void => {
      const values = readConfig(file);
      tally(result.soundness, checkByEvaluation(session, name, values));
      checkNoShell(name, values);
    };
    for (const target of STANDARD_TARGETS) {
      const file = path.join(stdDir, `${target}.config`);
      if (fs.existsSync(file)) checkConf(`${target}config`, file);
      else result.notes.push(`no ${target}config (the manifest names no defconfig file)`);
    }

    // Samples go to conf in batches; a batch's olddefconfig runs while the next batch is drawn.
    let background: Promise<void> = rand;
    let drawn: Sample[] = [];
    let inConf: Sample[] = [];
    const compare = (samples: Sample[]): void => {
      for (const s of samples) {
        const after = readConfig(path.join(precisionDir, `olddef-${s.name}.config`));
        tally(result.precision, comparePrecision(session, s.name, s.entries, after));
      }
    };
    for (let k = 1; k <= opts.samples; k++) {
      const entries = sample(session, { count: 1, seed: opts.seed * 100_000 + index * 1000 + k })[0]!.config;
      result.sampleAverage.y += entries.filter((e) => e.value === 'y').length / opts.samples;
      result.sampleAverage.m += entries.filter((e) => e.value === 'm').length / opts.samples;
      const next = { name: `sample-${k}`, entries, file: path.join(precisionDir, `sample-${k}`) };
      fs.writeFileSync(next.file, writeDotConfig(entries));
      drawn.push(next);
      if (drawn.length === SAMPLE_BATCH || k === opts.samples) {
        log(`${arch}: ${k}/${opts.samples} samples drawn (${seconds(t0)} s)`);
        await background;
        compare(inConf);
        background = confRuns(drawn.map((s) => reference(precisionDir, '--olddefconfig', s.file)));
        [inConf, drawn] = [drawn, []];
      }
    }
    await rand;
    for (let k = 1; k <= opts.rand; k++) checkConf(`randconfig-${k}`, path.join(randDir, `rand-${k}.config`));
    await background;
    compare(inConf);
    result.noShell = noShell.stats ?? result.noShell;
  } catch (e) {
    result.error = e instanceof Error ? e.message : String(e);
  }
  result.sampleAverage = { y: Math.round(result.sampleAverage.y), m: Math.round(result.sampleAverage.m) };
  result.wallMs = Math.round(performance.now() - t0);
  result.confMs = Math.round(result.confMs);
  return result;
}

const ratio = (t: Tally): string => `${t.passed}/${t.total}`;
const allPassed = (r: ArchResult): boolean =>
  !r.error && [r.soundness, r.soundnessNoShell, r.precision].every((t) => t.passed === t.total);

function printTable(results: ArchResult[]): void {
  const head = ['arch', 'variables', 'clauses', 'encode ms', 'sound', 'sound (no shell)', 'precision', 'sample y/m', 'conf s', 'wall s'];
  const rows = results.map((r) => [
    r.arch,
    String(r.variables),
    String(r.clauses),
    String(r.encodeMs),
    ratio(r.soundness),
    ratio(r.soundnessNoShell),
    ratio(r.precision),
    `${r.sampleAverage.y}/${r.sampleAverage.m}`,
    (r.confMs / 1000).toFixed(0),
    (r.wallMs / 1000).toFixed(0),
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]!.length)));
  const line = (cells: string[]): string => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  const out = [line(head), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)];
  for (const r of results) {
    if (r.error) out.push(`${r.arch}: error: ${r.error}`);
    for (const note of r.notes) out.push(`${r.arch}: note: ${note}`);
    for (const f of r.failures) {
      const more = f.count && f.count > 1 ? ` (+${f.count - 1} more)` : '';
      out.push(`${r.arch}: ${f.check} ${f.config}: ${f.symbol ?? ''} ${f.location ? `(${f.location})` : ''}: ${f.detail}${more}`);
    }
  }
  process.stdout.write(out.join('\n') + '\n');
}

async function main(): Promise<void> {
  const opts = parseOptions();
  isolateEnvironment();
  const conf = run(path.join(repo, 'scripts/build-conf'), [opts.tree]);
  log(`tree ${opts.tree}, conf ${conf}, work ${opts.work}`);
  log(`arches ${opts.arches.join(',')}: ${opts.rand} randconfigs and ${opts.samples} samples each, seed ${opts.seed}`);
  const t0 = performance.now();
  const results: ArchResult[] = [];
  for (const [index, arch] of opts.arches.entries()) {
    const r = await validate(opts, conf, arch, index);
    log(`${r.arch}: done in ${(r.wallMs / 1000).toFixed(0)} s${r.error ? ` (error: ${r.error})` : ''}`);
    results.push(r);
  }
  printTable(results);
  const passed = results.every(allPassed);
  const wallMs = Math.round(performance.now() - t0);
  process.stdout.write(`total wall time ${(wallMs / 1000).toFixed(0)} s; ${passed ? 'all checks passed' : 'FAILED'}\n`);
  if (opts.json) {
    const report = { tree: opts.tree, conf, seed: opts.seed, rand: opts.rand, samples: opts.samples, passed, wallMs, arches: results };
    fs.writeFileSync(opts.json, JSON.stringify(report, null, 2) + '\n');
  }
  process.exit(passed ? 0 : 1);
}

await main();
