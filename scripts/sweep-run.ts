/**
 * The sweep behind scripts/sweep: for every (corpus, arch) one Session, reused
 * for every analysis, and one row of numbers: formula size, dead and
 * always-on symbols, audit findings (confirmed by conf with --confirm) and
 * the time of each stage. Targets run one after another in this thread or,
 * with jobs > 1, each on its own worker thread (a fresh one per target, so
 * its memory goes when the target is done).
 */
import * as path from 'node:path';
import { audit, type AuditFinding } from '../src/analysis/audit.js';
import { confirmFindings } from '../src/analysis/confirm.js';
import { deadSymbols } from '../src/analysis/dead.js';
import { mapConcurrent } from '../src/analysis/pool.js';
import { Session, type SessionOptions } from '../src/analysis/session.js';
import { KconfsatError } from '../src/errors.js';
import { runOnWorker } from '../src/workflow/worker.js';
import { writeCsv } from '../src/io/csv.js';
import { writeDotConfig } from '../src/io/dotconfig.js';
import { makeOutputDirectory, safeFileNames, writeFilesAtomic } from '../src/io/files.js';
import { buildConf, confEnvironment, corpusEnvironment, type Corpus } from '../src/workflow/reference.js';
import type { Shard } from '../src/cli/shard.js';

/** One (corpus, arch): what was measured, or why it could not be. */
export interface SweepRow {
  corpus: string;
  /** The fetched package version (`bundled` for the project's own trees). */
  version: string;
  /** `-` where the architecture is not an input of the tree (BusyBox, toybox, U-Boot). */
  arch: string;
  /** The Kconfig root analysed: the report links each finding's file:line below it. */
  tree?: string;
  symbols?: number;
  variables?: number;
  clauses?: number;
  parseMs?: number;
  buildMs?: number;
  encodeMs?: number;
  solverLoadMs?: number;
  deadMs?: number;
  auditMs?: number;
  confirmMs?: number;
  dead?: number;
  alwaysOn?: number;
  /** `select` lines the audit looked at. */
  selects?: number;
  findings?: number;
  /** Findings whose witness made conf warn (--confirm, Linux only). */
  confirmed?: number;
  /** Why this target could not be analysed (or confirmed), one line. */
  error?: string;
  /** The findings themselves, in the audit's order (file, line). */
  findingList?: SweepFinding[];
  /** Names of the dead and always-on symbols, in definition order. */
  deadList?: string[];
  alwaysOnList?: string[];
}

/** One audit finding as a sweep keeps it: the select line, what it forces, and where its witness is. */
export interface SweepFinding {
  selector: string;
  selectee: string;
  /** The `select` line, relative to the tree. */
  file: string;
  line: number;
  /** The selectee's direct dependencies, as conf prints them. */
  dependsOn: string;
  /** With --confirm: conf warned for this select on the witness. */
  confirmed?: boolean;
  /** The witness .config, relative to the sweep's directory (absent when the target had none to write to). */
  witness?: string;
}

/** The stage timings of a row, in pipeline order, with the labels the report uses. */
export const STAGE_COLUMNS = [
  ['parseMs', 'parse'],
  ['buildMs', 'build'],
  ['encodeMs', 'encode'],
  ['solverLoadMs', 'solver load'],
  ['deadMs', 'dead'],
  ['auditMs', 'audit'],
  ['confirmMs', 'confirm'],
] as const satisfies readonly (readonly [SweepColumn, string])[];

/** The row's numbers and names: the CSV's columns (the lists are in the JSON only). */
export type SweepColumn = Exclude<keyof SweepRow, 'tree' | 'findingList' | 'deadList' | 'alwaysOnList'>;

export const SWEEP_COLUMNS: SweepColumn[] = [
  'corpus',
  'version',
  'arch',
  'symbols',
  'variables',
  'clauses',
  ...STAGE_COLUMNS.map(([key]) => key),
  'dead',
  'alwaysOn',
  'selects',
  'findings',
  'confirmed',
  'error',
];

export interface SweepResult {
  /** ISO time the sweep started. */
  started: string;
  wallMs: number;
  jobs: number;
  confirm: boolean;
  /** Targets the sweep set out to analyse: more than the rows when it was stopped early. */
  planned?: number;
  rows: SweepRow[];
  /** How many sweeps were merged into this one (scripts/report with several files). */
  sweeps?: number;
  /** Every `corpus arch` of the whole sweep (what --shard splits), and this run's shard. */
  targets?: string[];
  shard?: Shard;
}

/** One unit of work: everything a worker thread needs, as plain data. */
export interface SweepTarget {
  corpus: string;
  version: string;
  arch: string;
  session: SessionOptions;
  /** The sweep's directory: witnesses go to its WITNESS_DIR, named by safeFileNames. */
  outDir?: string;
  /** Confirm the findings with this Linux tree's conf (the session then runs $(shell,...) as conf does). */
  confirm?: { tree: string; arch: string; conf: string };
}

/**
 * The targets of one fetched corpus: one per manifest arch, or one for the
 * whole tree when the architecture is not an input. The manifest's
 * environment is what the project's Makefile hands its conf for that arch.
 */
export function corpusTargets(corpus: Corpus, tree: string, version: string, arches: string[] | 'all', confirm: boolean, outDir?: string): SweepTarget[] {
  const chosen = corpusArches(corpus, arches).map((a) => (a === '-' ? undefined : a));
  // Linux trees are the ones whose Makefile hands Kconfig a KERNELVERSION (U-Boot and BusyBox have a scripts/kconfig/conf.c too).
  const linux = corpus.env.KERNELVERSION !== undefined;
  const conf = confirm && linux ? buildConf(tree) : undefined;
  return chosen.map((arch) => {
    const session: SessionOptions = { tree, rootFile: corpus.rootKconfig ?? 'Kconfig', env: corpusEnvironment(corpus, tree, arch) };
    const target: SweepTarget = { corpus: corpus.name, version, arch: arch ?? '-', session, ...(outDir !== undefined ? { outDir } : {}) };
    if (conf && arch !== undefined) {
      // conf runs $(shell,...) with the host toolchain: the witnesses must come from a session that did too.
      Object.assign(session, { env: { ...session.env, ...confEnvironment(tree, arch, corpus) }, runShell: true });
      target.confirm = { tree, arch, conf };
    }
    return target;
  });
}

/** The arches of a corpus a sweep takes, from the manifest alone (`-` when the arch is not an input): a shard's share is known before fetching. */
export function corpusArches(corpus: Corpus, arches: string[] | 'all'): string[] {
  return corpus.arches.length === 0 ? ['-'] : corpus.arches.filter((a) => arches === 'all' || arches.includes(a));
}

export async function sweep(targets: SweepTarget[], jobs: number, onRow: (row: SweepRow) => void = () => undefined): Promise<SweepRow[]> {
  return mapConcurrent(targets, jobs, async (target) => {
    const row = jobs > 1 ? await onWorker(target) : await analyse(target);
    onRow(row);
    return row;
  });
}

const ms = (from: number): number => Math.round(performance.now() - from);

/** Every analysis on one loaded session; a user error (a tree that does not load) becomes the row's error. */
export async function analyse(target: SweepTarget): Promise<SweepRow> {
  const row: SweepRow = { corpus: target.corpus, version: target.version, arch: target.arch };
  if (typeof target.session.tree === 'string') row.tree = target.session.tree;
  try {
    const session = Session.open(target.session);
    const t = session.timings;
    Object.assign(row, {
      symbols: session.model.symbols.filter((s) => s.definitions.length > 0 && !s.ownChoice).length,
      // Before any analysis: queries add their own gates to the formula.
      variables: session.formula.size.variables,
      clauses: session.formula.size.clauses,
      parseMs: Math.round(t.parseMs),
      buildMs: Math.round(t.buildMs),
      encodeMs: Math.round(t.encodeMs),
      solverLoadMs: Math.round(t.loadSolverMs),
    });
    let t0 = performance.now();
    const dead = deadSymbols(session);
    Object.assign(row, { deadMs: ms(t0), dead: dead.dead.length, alwaysOn: dead.alwaysOn.length });
    t0 = performance.now();
    const report = audit(session);
    Object.assign(row, { auditMs: ms(t0), selects: report.selects, findings: report.findings.length });
    let findings: (AuditFinding & { confirmed?: boolean })[] = report.findings;
    if (target.confirm) {
      t0 = performance.now();
      findings = await confirmFindings(report.findings, target.confirm);
      Object.assign(row, { confirmMs: ms(t0), confirmed: findings.filter((f) => f.confirmed).length });
    }
    const witnesses = target.outDir !== undefined ? writeWitnesses(target, target.outDir, findings) : [];
    row.findingList = findings.map((f, i) => ({
      selector: f.selector,
      selectee: f.selectee,
      file: f.loc.file,
      line: f.loc.line,
      dependsOn: f.dependsOn,
      ...(f.confirmed !== undefined ? { confirmed: f.confirmed } : {}),
      ...(witnesses[i] !== undefined ? { witness: witnesses[i] } : {}),
    }));
    row.deadList = dead.dead.map((d) => d.symbol);
    row.alwaysOnList = dead.alwaysOn.map((d) => d.symbol);
  } catch (e) {
    if (!(e instanceof KconfsatError)) throw e;
    row.error = e.format();
  }
  return row;
}

/** Below the sweep's directory, one witness .config per finding. */
export const WITNESS_DIR = 'witnesses';

/**
 * CORPUS-ARCH-SELECTOR-SELECTEE-LINE.config (symbol names come from the tree:
 * safeFileNames makes them safe); returns the paths relative to `outDir`.
 * Replaces the files of an earlier sweep into the same directory.
 */
function writeWitnesses(target: SweepTarget, outDir: string, findings: AuditFinding[]): string[] {
  if (findings.length === 0) return [];
  const names = safeFileNames(
    findings.map((f) => ({
      parts: [target.corpus, target.arch, f.selector, f.selectee, String(f.loc.line)],
      identity: [target.corpus, target.arch, f.selector, f.selectee, f.loc.file, f.loc.line].join('\0'),
    })),
    '.config',
  );
  const dir = path.join(outDir, WITNESS_DIR);
  makeOutputDirectory(dir);
  writeFilesAtomic(findings.map((f, i) => ({ file: path.join(dir, names[i]!), content: writeDotConfig(f.witness) })), { force: true });
  return names.map((n) => `${WITNESS_DIR}/${n}`);
}

function onWorker(target: SweepTarget): Promise<SweepRow> {
  return runOnWorker<SweepTarget, SweepRow>({ module: import.meta.url, name: analyse.name, data: target }).catch((e: unknown) => {
    throw new Error(`${target.corpus} ${target.arch}: ${e instanceof Error ? e.message : String(e)}`);
  });
}

export function sweepCsv(rows: SweepRow[]): string {
  return writeCsv(
    SWEEP_COLUMNS,
    rows.map((row) => SWEEP_COLUMNS.map((c) => row[c])),
  );
}
