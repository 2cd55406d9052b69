/**
 * validate-linux: whether kconfsat's commands answer as the kernel's own conf
 * does on a real Linux tree, per architecture. It drives the functions the
 * CLI calls (check, query's witness, sample), in the default mode
 * ($(shell,...) left as free inputs) and with the shell run (--run-shell).
 *
 *   sound        every configuration conf produces (allnoconfig, allyesconfig,
 *                allmodconfig, defconfig, N randconfigs) is `valid` for
 *                `check`, in the default mode and with --run-shell; Debian's
 *                shipped configs (made with Debian's build toolchain) in the
 *                default mode, where only free probes can fit them. A Debian
 *                config naming symbols the tree lacks is skipped.
 *   exact        `check --run-shell` on edited configurations (conf's own with
 *                a few visible symbols flipped, an int pushed out of range)
 *                and on Debian's configs predicts exactly the lines conf's
 *                olddefconfig changes, adds and drops.
 *   precise      samples and query witnesses drawn with --run-shell come back
 *                unchanged from conf's olddefconfig; default-mode witnesses
 *                keep the values they were asked for.
 *
 * conf always runs through scripts/conf-reference, so it gets the manifest's
 * environment; kconfsat's $(shell,...) calls get the same (isolateEnvironment).
 * Usage: see USAGE, or scripts/validate-linux --help.
 */
import { execFileSync, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { changedLines, checkConfig, type CheckResult } from '../src/analysis/check.js';
import { query } from '../src/analysis/query.js';
import { Session, type ConfigEntry } from '../src/analysis/session.js';
import { sample } from '../src/analysis/sample.js';
import { formatLocation } from '../src/errors.js';
import { lineChanges, lineValues, parseDotConfig, writeDotConfig, type DotConfig } from '../src/io/dotconfig.js';
import { kernelVersion } from '../src/model/arch.js';
import { openTree } from '../src/model/load.js';
import type { KSymbol } from '../src/model/types.js';
import { buildConf, fetchCorpus, manifestEntry, readManifest } from '../src/workflow/reference.js';
import { countOption, scriptOptions, stringOptions } from './lib/options.js';
import { archList } from './lib/targets.js';
import { formatTable } from './lib/table.js';

const USAGE = `usage: scripts/validate-linux [options]
  --tree DIR      Linux tree (default: scripts/fetch-corpus linux-6.1)
  --arch LIST     comma-separated ARCH values, or all (default x86_64,i386,arm64,riscv,powerpc,s390,mips)
  --rand N        randconfigs per arch (default 20)
  --samples M     precision samples per arch (default 20)
  --edits E       edited configurations per arch for the exactness check (default 10)
  --witnesses W   query witnesses per arch and mode (default 10)
  --seed S        first KCONFIG_SEED, also seeds the sampler and the edits (default 1)
  --json FILE     write the results as JSON
  --work DIR      scratch directory for conf's outputs (default $TMPDIR/kconfsat-validate)
  --quick         x86_64 and i386, 10 randconfigs, 6 samples, 4 edits and 4 witnesses each (for CI)
Exit status 0 only when every check passed.
`;
const DEFAULT_ARCHES = ['x86_64', 'i386', 'arm64', 'riscv', 'powerpc', 's390', 'mips'];
const STANDARD_TARGETS = ['allno', 'allyes', 'allmod', 'def'];
/** Files handed to conf together; conf works through one batch while the next is made. */
const CONF_BATCH = 5;

interface Options {
  tree: string;
  arches: string[];
  rand: number;
  samples: number;
  edits: number;
  witnesses: number;
  seed: number;
  json?: string;
  work: string;
}

interface Tally {
  passed: number;
  total: number;
}

type CheckName = 'sound' | 'sound-shell' | 'exact-shell' | 'precise-shell' | 'precise';

interface Failure {
  check: CheckName;
  config: string;
  /** The first symbol (in Kconfig order) that differs. */
  symbol?: string;
  location?: string;
  detail: string;
  /** How many symbols differ in all. */
  count?: number;
  /** The first few of them. */
  symbols?: string[];
}

interface ArchResult {
  arch: string;
  version: string;
  variables: number;
  clauses: number;
  inputs: number;
  tallies: Record<CheckName, Tally>;
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

/** The options; the tree (fetched when not given) and its --arch list are settled in main. */
function parseOptions(): Omit<Options, 'tree' | 'arches'> & { tree?: string; arch?: string; defaultArches: string[] } {
  const values = scriptOptions('validate-linux', USAGE, {
    ...stringOptions('tree', 'arch', 'rand', 'samples', 'edits', 'witnesses', 'seed', 'json', 'work'),
    quick: { type: 'boolean', default: false },
  });
  const count = (name: string, text: string | undefined, fallback: number): number => countOption('validate-linux', `--${name}`, text, fallback);
  const quick = values.quick;
  return {
    ...(values.tree !== undefined ? { tree: path.resolve(values.tree) } : {}),
    ...(values.arch !== undefined ? { arch: values.arch } : {}),
    defaultArches: quick ? ['x86_64', 'i386'] : DEFAULT_ARCHES,
    rand: count('rand', values.rand, quick ? 10 : 20),
    samples: count('samples', values.samples, quick ? 6 : 20),
    edits: count('edits', values.edits, quick ? 4 : 10),
    witnesses: count('witnesses', values.witnesses, quick ? 4 : 10),
    seed: count('seed', values.seed, 1),
    json: values.json,
    work: path.resolve(values.work ?? path.join(os.tmpdir(), 'kconfsat-validate')),
  };
}

function log(message: string): void {
  process.stderr.write(`validate-linux: ${message}\n`);
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

/** A .config as the CLI reads it (.xz decompressed first). */
function readConfig(file: string): DotConfig {
  const text = file.endsWith('.xz')
    ? execFileSync('xz', ['-dc', file], { encoding: 'utf8', maxBuffer: 1 << 28 })
    : fs.readFileSync(file, 'utf8');
  return parseDotConfig(text, file);
}

/** Debian's configs for an arch, as corpora/manifest.json lists them for the tree's corpus. */
function debianConfigs(tree: string, arch: string): string[] {
  const version = treeVersion(tree);
  const entry = readManifest().find((e) => e.name === `linux-${version}`);
  return (entry?.configs ?? [])
    .filter((c) => c.arch === arch)
    .flatMap((c) => c.files.map((f) => path.join(path.dirname(c.glob), f)))
    .filter((f) => fs.existsSync(f));
}

const treeVersion = (tree: string): string => kernelVersion(openTree(tree))?.split('.').slice(0, 2).join('.') ?? '?';

const seconds = (since: number): string => ((performance.now() - since) / 1000).toFixed(0);

/**
 * conf-reference runs, one after another, in a child node process: it goes on
 * while this process computes, which it would not if each next run had to
 * wait for this process's event loop. Resolves to the time the runs took.
 */
function confInBackground(runs: string[][]): Promise<number> {
  // The child starts conf-reference through the reference module, as everything else here does.
  const reference = new URL('../src/workflow/reference.js', import.meta.url).href;
  const child = `
    const { runHelperSync } = await import(${JSON.stringify(reference)});
    const t0 = performance.now();
    try {
      for (const args of JSON.parse(process.argv[1])) runHelperSync('conf-reference', args);
    } catch (e) {
      process.stderr.write(e.message + '\\n');
      process.exit(1);
    }
    process.stdout.write(String(performance.now() - t0));`;
  return new Promise((resolve, reject) => {
    const proc = spawn(process.execPath, ['--input-type=module', '-e', child, JSON.stringify(runs)], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    proc.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    proc.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
    proc.on('close', (code) => {
      if (code === 0) resolve(Number(out));
      else reject(new Error(err.trim() || `conf-reference exited with status ${code}`));
    });
  });
}

const location = (sym: KSymbol | undefined): string | undefined => (sym?.definitions[0] ? formatLocation(sym.definitions[0].loc) : undefined);

/** A seeded generator for the edits and witnesses (mulberry32), so a run can be repeated. */
function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Where two change sets disagree, first in Kconfig order. */
function compareChanges(session: Session, check: CheckName, name: string, conf: Map<string, string | undefined>, predicted: Map<string, string | undefined>): Failure | undefined {
  const names = [...new Set([...conf.keys(), ...predicted.keys()])].filter((n) => conf.get(n) !== predicted.get(n) || conf.has(n) !== predicted.has(n));
  if (names.length === 0) return undefined;
  const order = (n: string): number => session.model.byName.get(n)?.id ?? Infinity;
  names.sort((a, b) => order(a) - order(b));
  const first = names[0]!;
  const shown = (m: Map<string, string | undefined>): string => (!m.has(first) ? 'keeps the line' : m.get(first) === undefined ? 'drops it' : `writes ${m.get(first)}`);
  return {
    check,
    config: name,
    symbol: first,
    location: location(session.model.byName.get(first)),
    count: names.length,
    symbols: names.slice(0, 10),
    detail: `conf ${shown(conf)}, check predicts it ${shown(predicted)}`,
  };
}

/**
 * Lines the configs Debian ships lack although conf writes them for every
 * configuration of the tree (the build salt and the module-signing keys, set
 * by Debian's build; seen in linux-config-6.1 and 6.12 amd64): conf adds
 * them back, and nothing else may differ.
 */
const DEBIAN_STRIPPED = ['BUILD_SALT', 'MODULE_SIG_ALL', 'MODULE_SIG_KEY', 'SYSTEM_TRUSTED_KEYS'];

function withoutDebianStripped(result: CheckResult): CheckResult {
  const violations = result.violations.filter((v) => !(v.kind === 'added' && DEBIAN_STRIPPED.includes(v.symbol)));
  return { ...result, violations, valid: violations.length === 0 && result.unknownSymbols.length === 0 };
}

/** `check` says valid; otherwise its first item. */
function expectValid(check: CheckName, name: string, result: CheckResult): Failure | undefined {
  if (result.valid) return undefined;
  const first = result.violations[0];
  return {
    check,
    config: name,
    symbol: first?.symbol ?? result.unknownSymbols[0]?.name,
    detail: first ? `${first.kind} ${first.value} -> ${first.expected ?? '(not written)'}: ${first.reason}` : 'names symbols the tree does not define',
    count: result.violations.length + result.unknownSymbols.length,
    symbols: result.violations.slice(0, 10).map((v) => v.symbol),
  };
}

/**
 * A conf-made configuration with a few of its visible, user-settable values
 * flipped and, when it has one, a visible int set outside every range: what
 * a person editing a .config by hand produces.
 */
function editConfig(session: Session, config: DotConfig, random: () => number, flips: number): ConfigEntry[] {
  const values = lineValues(config);
  const visible = session.model.symbols.filter((s) => s.prompts.length > 0 && !s.ownChoice && values.has(s.name));
  const logic = visible.filter((s) => s.type === 'bool' || s.type === 'tristate');
  const numbers = visible.filter((s) => s.type === 'int' && s.ranges.length > 0);
  const edited = new Map(values);
  for (let i = 0; i < flips && logic.length > 0; i++) {
    const sym = logic[Math.floor(random() * logic.length)]!;
    edited.set(sym.name, edited.get(sym.name) === 'n' ? (sym.type === 'tristate' && random() < 0.5 ? 'm' : 'y') : 'n');
  }
  if (numbers.length > 0) edited.set(numbers[Math.floor(random() * numbers.length)]!.name, '99999999');
  return [...edited].flatMap(([name, value]) => {
    const sym = session.model.byName.get(name);
    return sym && sym.type !== 'unknown' ? [{ name, type: sym.type, value }] : [];
  });
}

/** Visible bool/tristate symbols to ask `SYM=y` about (m for tristates half the time). */
function witnessQuestions(session: Session, random: () => number, count: number): string[] {
  const askable = session.model.symbols.filter((s) => s.prompts.length > 0 && !s.ownChoice && (s.type === 'bool' || s.type === 'tristate'));
  const out: string[] = [];
  for (let i = 0; i < count && askable.length > 0; i++) {
    const sym = askable[Math.floor(random() * askable.length)]!;
    out.push(`${sym.name}=${sym.type === 'tristate' && random() < 0.5 ? 'm' : 'y'}`);
  }
  return out;
}

interface ConfJob {
  name: string;
  file: string;
  /** What to compare once conf's olddefconfig has run on the file. */
  judge: (after: DotConfig) => void;
}

async function validate(opts: Options, conf: string, arch: string, index: number): Promise<ArchResult> {
  const t0 = performance.now();
  const tally = (): Tally => ({ passed: 0, total: 0 });
  const result: ArchResult = {
    arch,
    version: treeVersion(opts.tree),
    variables: 0,
    clauses: 0,
    inputs: 0,
    tallies: { sound: tally(), 'sound-shell': tally(), 'exact-shell': tally(), 'precise-shell': tally(), precise: tally() },
    sampleAverage: { y: 0, m: 0 },
    failures: [],
    notes: [],
    wallMs: 0,
    confMs: 0,
  };
  const count = (failure: Failure | undefined, check: CheckName): void => {
    const t = result.tallies[check];
    t.total++;
    if (failure) result.failures.push(failure);
    else t.passed++;
  };
  const dir = path.join(opts.work, arch);
  const [stdDir, randDir, olddefDir] = ['std', 'rand', 'olddef'].map((d) => path.join(dir, d)) as [string, string, string];
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(olddefDir, { recursive: true });
  const reference = (out: string, ...extra: string[]): string[] => [opts.tree, arch, out, ...extra, '--conf', conf];
  const confRuns = (runs: string[][]): Promise<void> => {
    const done = runs.length === 0 ? Promise.resolve() : confInBackground(runs).then((ms) => void (result.confMs += ms));
    done.catch(() => undefined); // awaited later; a failure must not count as unhandled meanwhile
    return done;
  };
  // Files for conf's olddefconfig go in batches; a batch runs while the next is made.
  let pending: ConfJob[] = [];
  let inConf: { jobs: ConfJob[]; done: Promise<void> } = { jobs: [], done: Promise.resolve() };
  const judgeBatch = async (): Promise<void> => {
    await inConf.done;
    for (const job of inConf.jobs) job.judge(readConfig(path.join(olddefDir, `olddef-${path.basename(job.file)}.config`)));
    inConf = { jobs: [], done: Promise.resolve() };
  };
  const flush = async (): Promise<void> => {
    await judgeBatch();
    inConf = { jobs: pending, done: confRuns(pending.map((j) => reference(olddefDir, '--olddefconfig', j.file))) };
    pending = [];
  };
  const toConf = async (job: ConfJob): Promise<void> => {
    pending.push(job);
    if (pending.length === CONF_BATCH) await flush();
  };
  const writeFile = (name: string, entries: ConfigEntry[]): string => {
    const file = path.join(olddefDir, name);
    fs.writeFileSync(file, writeDotConfig(entries));
    return file;
  };
  try {
    const standard = confRuns([reference(stdDir)]);
    const rand = confRuns(opts.rand > 0 ? [reference(randDir, '--randconfig', String(opts.rand), '--seed', String(opts.seed))] : []);
    // The default mode needs no conf output, so it works while conf makes the references.
    const plain = Session.open({ tree: opts.tree, arch, runShell: false });
    result.inputs = plain.model.inputs.length;
    for (const file of debianConfigs(opts.tree, arch)) {
      const config = readConfig(file);
      // Symbols this tree lacks mean another Kconfig made the config (Debian's rt featureset
      // patches are not in linux-source): conf cannot produce it from this tree.
      const foreign = config.entries.filter((e) => !plain.model.byName.get(e.name)?.definitions.length).map((e) => e.name);
      if (foreign.length > 0) {
        result.notes.push(`skipped ${path.basename(file)}: sets ${foreign.slice(0, 5).join(', ')}${foreign.length > 5 ? ', ...' : ''}, not defined in this tree`);
        continue;
      }
      count(expectValid('sound', `debian:${path.basename(file)}`, withoutDebianStripped(checkConfig(plain, config))), 'sound');
    }
    log(`${arch}: Debian configs checked (${seconds(t0)} s)`);

    await standard;
    log(`${arch}: standard configs made (${seconds(t0)} s); loading with $(shell,...) executed`);
    const shell = Session.open({ tree: opts.tree, arch, env: readEnvFile(path.join(stdDir, 'env.txt')), runShell: true });
    result.variables = shell.formula.size.variables;
    result.clauses = shell.formula.size.clauses;
    if (shell.model.inputs.length > 0) result.notes.push(`${shell.model.inputs.length} free inputs remain with the shell executed`);
    const confMade: { name: string; config: DotConfig }[] = [];
    const checkConfMade = (name: string, file: string): void => {
      const config = readConfig(file);
      confMade.push({ name, config });
      count(expectValid('sound', name, checkConfig(plain, config)), 'sound');
      count(expectValid('sound-shell', name, checkConfig(shell, config)), 'sound-shell');
    };
    for (const target of STANDARD_TARGETS) {
      const file = path.join(stdDir, `${target}.config`);
      if (fs.existsSync(file)) checkConfMade(`${target}config`, file);
      else result.notes.push(`no ${target}config (the manifest names no defconfig file)`);
    }

    // Debian's configs with this host's toolchain: conf may well change them; check must say exactly how.
    for (const file of debianConfigs(opts.tree, arch)) {
      const config = readConfig(file);
      if (config.entries.some((e) => !shell.model.byName.get(e.name)?.definitions.length)) continue;
      const name = `debian:${path.basename(file)}`;
      const copy = path.join(olddefDir, path.basename(file).replace(/\.xz$/, ''));
      fs.writeFileSync(copy, config.lines.join('\n') + '\n');
      const predicted = changedLines(checkConfig(shell, config));
      await toConf({ name, file: copy, judge: (after) => count(compareChanges(shell, 'exact-shell', name, lineChanges(config, after), predicted), 'exact-shell') });
    }

    const random = seeded(opts.seed * 7919 + index);
    // Witnesses: --run-shell ones must come back unchanged, default-mode ones must keep what was asked.
    for (const [mode, session] of [['shell', shell], ['plain', plain]] as const) {
      for (const [k, question] of witnessQuestions(session, random, opts.witnesses).entries()) {
        const answer = query(session, [question]);
        if (!answer.witness) continue;
        const name = `witness-${mode}-${k + 1}`;
        // The default mode answers for some toolchain: a value this host's toolchain cannot give (a GCC
        // plugin without its headers) cannot survive conf here whatever the witness, so it is no measure.
        if (mode === 'plain' && !query(shell, [question], { explain: false }).satisfiable) {
          result.notes.push(`${name}: ${question} needs a toolchain this host lacks (no with --run-shell): not counted`);
          continue;
        }
        const file = writeFile(name, answer.witness.config);
        const [symbol, asked] = question.split('=') as [string, string];
        const entries = answer.witness.config;
        await toConf({
          name,
          file,
          judge: (after) => {
            if (mode === 'shell') {
              const before = parseDotConfig(writeDotConfig(entries), name);
              count(compareChanges(shell, 'precise-shell', `${name} (${question})`, lineChanges(before, after), new Map()), 'precise-shell');
            } else {
              const got = lineValues(after).get(symbol) ?? 'n';
              count(got === asked ? undefined : { check: 'precise', config: name, symbol, location: location(session.model.byName.get(symbol)), detail: `asked ${asked}, conf on this host gives ${got}` }, 'precise');
            }
          },
        });
      }
    }
    log(`${arch}: witnesses drawn (${seconds(t0)} s)`);

    for (let k = 1; k <= opts.samples; k++) {
      const entries = sample(shell, { count: 1, seed: opts.seed * 100_000 + index * 1000 + k })[0]!.config;
      result.sampleAverage.y += entries.filter((e) => e.value === 'y').length / opts.samples;
      result.sampleAverage.m += entries.filter((e) => e.value === 'm').length / opts.samples;
      const name = `sample-${k}`;
      const before = parseDotConfig(writeDotConfig(entries), name);
      await toConf({ name, file: writeFile(name, entries), judge: (after) => count(compareChanges(shell, 'precise-shell', name, lineChanges(before, after), new Map()), 'precise-shell') });
    }
    log(`${arch}: ${opts.samples} samples drawn (${seconds(t0)} s)`);

    await rand;
    for (let k = 1; k <= opts.rand; k++) checkConfMade(`randconfig-${k}`, path.join(randDir, `rand-${k}.config`));
    log(`${arch}: randconfigs checked (${seconds(t0)} s)`);

    for (let k = 1; k <= opts.edits && confMade.length > 0; k++) {
      const source = confMade[(k - 1) % confMade.length]!;
      const name = `edit-${k}-of-${source.name}`;
      const file = writeFile(name, editConfig(shell, source.config, random, 1 + (k % 4)));
      const edited = readConfig(file);
      const predicted = changedLines(checkConfig(shell, edited));
      await toConf({ name, file, judge: (after) => count(compareChanges(shell, 'exact-shell', name, lineChanges(edited, after), predicted), 'exact-shell') });
    }
    await flush();
    await judgeBatch();
  } catch (e) {
    result.error = e instanceof Error ? e.message : String(e);
  }
  result.sampleAverage = { y: Math.round(result.sampleAverage.y), m: Math.round(result.sampleAverage.m) };
  result.wallMs = Math.round(performance.now() - t0);
  result.confMs = Math.round(result.confMs);
  return result;
}

const CHECKS: CheckName[] = ['sound', 'sound-shell', 'exact-shell', 'precise-shell', 'precise'];
const ratio = (t: Tally): string => `${t.passed}/${t.total}`;
const allPassed = (r: ArchResult): boolean => !r.error && CHECKS.every((c) => r.tallies[c].passed === r.tallies[c].total);

function printTable(results: ArchResult[]): void {
  const head = ['arch', 'version', 'variables', 'clauses', 'inputs', ...CHECKS, 'sample y/m', 'conf s', 'wall s'];
  const rows = results.map((r) => [
    r.arch,
    r.version,
    String(r.variables),
    String(r.clauses),
    String(r.inputs),
    ...CHECKS.map((c) => ratio(r.tallies[c])),
    `${r.sampleAverage.y}/${r.sampleAverage.m}`,
    (r.confMs / 1000).toFixed(0),
    (r.wallMs / 1000).toFixed(0),
  ]);
  const out = [formatTable(head, rows, 1)];
  for (const r of results) {
    if (r.error) out.push(`${r.arch}: error: ${r.error}`);
    for (const note of r.notes) out.push(`${r.arch}: note: ${note}`);
    for (const f of r.failures) {
      const more = f.count && f.count > 1 ? ` (+${f.count - 1} more: ${f.symbols?.slice(1).join(' ')})` : '';
      out.push(`${r.arch}: ${f.check} ${f.config}: ${f.symbol ?? ''} ${f.location ? `(${f.location})` : ''}: ${f.detail}${more}`);
    }
  }
  process.stdout.write(out.join('\n') + '\n');
}

async function main(): Promise<void> {
  const given = parseOptions();
  const tree = given.tree ?? (await fetchCorpus(manifestEntry('linux-6.1')));
  const opts: Options = { ...given, tree, arches: archList(given.arch, given.defaultArches, tree) };
  isolateEnvironment();
  const conf = buildConf(opts.tree);
  log(`tree ${opts.tree}, conf ${conf}, work ${opts.work}`);
  log(`arches ${opts.arches.join(',')}: ${opts.rand} randconfigs, ${opts.samples} samples, ${opts.edits} edits, ${opts.witnesses} witnesses per mode each, seed ${opts.seed}`);
  const t0 = performance.now();
  const results: ArchResult[] = [];
  for (const [index, arch] of opts.arches.entries()) {
    const r = await validate(opts, conf, arch, index);
    // Each arch's tallies as soon as they are known: a long run stopped early keeps what it measured.
    log(`${r.arch}: done in ${(r.wallMs / 1000).toFixed(0)} s${r.error ? ` (error: ${r.error})` : ''}: ${CHECKS.map((c) => `${c} ${ratio(r.tallies[c])}`).join(', ')}`);
    results.push(r);
  }
  printTable(results);
  const passed = results.every(allPassed);
  const wallMs = Math.round(performance.now() - t0);
  process.stdout.write(`total wall time ${(wallMs / 1000).toFixed(0)} s; ${passed ? 'all checks passed' : 'FAILED'}\n`);
  if (opts.json) {
    const report = { tree: opts.tree, conf, seed: opts.seed, rand: opts.rand, samples: opts.samples, edits: opts.edits, witnesses: opts.witnesses, passed, wallMs, arches: results };
    fs.writeFileSync(opts.json, JSON.stringify(report, null, 2) + '\n');
  }
  process.exit(passed ? 0 : 1);
}

await main();
