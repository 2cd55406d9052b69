/**
 * The sweep behind scripts/sweep: for every (corpus, arch) one Session, reused
 * for every analysis, and one row of numbers: formula size, dead and
 * always-on symbols, audit findings (confirmed by conf with --confirm) and
 * the time of each stage. Targets run one after another in this thread or,
 * with jobs > 1, on that many worker threads, which take them in turn.
 */
import * as path from 'node:path';
import { audit, type AuditFinding } from '../src/analysis/audit.js';
import { deadSymbols } from '../src/analysis/dead.js';
import { Session } from '../src/analysis/session.js';
import { KconfsatError } from '../src/errors.js';
import { writeCsv } from '../src/io/csv.js';
import { writeDotConfig } from '../src/io/dotconfig.js';
import { makeOutputDirectory, safeFileNames, writeFilesAtomic } from '../src/io/files.js';
import { confirmFindings } from '../src/workflow/confirm.js';
import { treeStatistics } from '../src/workflow/statistics.js';
import { mapOnWorkers, type Post } from '../src/workflow/worker.js';
import type { Shard } from '../src/cli/shard.js';
import type { CorpusTarget } from './lib/targets.js';

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

/** One target of a sweep: a corpus target, and where its witnesses go. */
export interface SweepTarget extends CorpusTarget {
  /** The sweep's directory: witnesses go to its WITNESS_DIR, named by safeFileNames. */
  outDir?: string;
}

export async function sweep(targets: SweepTarget[], jobs: number, onRow: (row: SweepRow) => void = () => undefined): Promise<SweepRow[]> {
  if (jobs > 1) return mapOnWorkers<SweepTarget, SweepRow, SweepRow>(import.meta.url, analyseJob.name, targets, jobs, onRow);
  const rows: SweepRow[] = [];
  for (const target of targets) {
    const row = await analyse(target);
    onRow(row);
    rows.push(row);
  }
  return rows;
}

const ms = (from: number): number => Math.round(performance.now() - from);

/** Every analysis on one loaded session; a user error (a tree that does not load) becomes the row's error. */
export async function analyse(target: SweepTarget): Promise<SweepRow> {
  const row: SweepRow = { corpus: target.corpus, version: target.version, arch: target.arch };
  if (typeof target.session.tree === 'string') row.tree = target.session.tree;
  try {
    const session = Session.open(target.session);
    // Before any analysis: queries add their own gates to the formula.
    const stats = treeStatistics(session);
    const t = stats.timingsMs;
    Object.assign(row, {
      symbols: stats.symbols,
      variables: stats.variables,
      clauses: stats.clauses,
      parseMs: t.parseMs,
      buildMs: t.buildMs,
      encodeMs: t.encodeMs,
      solverLoadMs: t.loadSolverMs,
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

/** analyse as a worker job: its row posted as soon as it is done (sweep writes it then), a failure named by its target. */
export async function analyseJob(target: SweepTarget, post: Post<SweepRow>): Promise<SweepRow> {
  try {
    const row = await analyse(target);
    post(row);
    return row;
  } catch (e) {
    throw new Error(`${target.corpus} ${target.arch}: ${e instanceof Error ? e.message : String(e)}`);
  }
}

export function sweepCsv(rows: SweepRow[]): string {
  return writeCsv(
    SWEEP_COLUMNS,
    rows.map((row) => SWEEP_COLUMNS.map((c) => row[c])),
  );
}
