/**
 * One function per CLI command: call the library, print text or JSON,
 * return the exit code.
 */
import * as path from 'node:path';
import type { AuditFinding, AuditGroup } from '../analysis/audit.js';
import { checkConfig, keepLostValues, type CheckResult, type Violation } from '../analysis/check.js';
import type { ResolveResult } from '../analysis/resolve.js';
import { auditTree, type TreeAudit } from '../workflow/audit.js';
import { buildConf } from '../workflow/reference.js';
import { treeStatistics } from '../workflow/statistics.js';
import { deadSymbols, type DeadPhase } from '../analysis/dead.js';
import { samples, type Sample } from '../analysis/sample.js';
import { formatInterval, possibleValues } from '../analysis/values.js';
import { definedSymbol, query, type QueryAnswer } from '../analysis/query.js';
import { configValues, Session } from '../analysis/session.js';
import { KconfsatError } from '../errors.js';
import { auditCsv } from '../io/csv.js';
import { writeDimacs } from '../io/dimacs.js';
import { safeFileNames } from '../io/files.js';
import { readDotConfigFile, writeDotConfig, type DotConfig } from '../io/dotconfig.js';
import { formatExplanation } from '../io/explanation.js';
import { auditSarif } from '../io/sarif.js';
import { architectures, defaultConfigFile, dotConfigPrefix, EXIT, loadOptions, openSession, positiveInteger, print, printJson, writeOutput, writeOutputs, type GlobalOptions } from './context.js';
import { AuditProgress, statusLine } from './progress.js';

/** The answer's line, with `details` its witness or explanation, with `verbose` every fact behind it. */
function formatAnswer(a: QueryAnswer, details: boolean, verbose = false): string[] {
  const where = a.arch ? ` on ${a.arch}` : '';
  const lines = [`${a.expressions.join(' && ')}${where}: ${a.satisfiable ? 'yes' : 'no'}`];
  return details ? [...lines, ...formatAnswerDetails(a, verbose)] : lines;
}

/** The witness's values that matter, the base's values it changed, or the explanation. */
export function formatAnswerDetails(a: QueryAnswer, verbose: boolean): string[] {
  const lines: string[] = [];
  if (a.witness) {
    lines.push('  witness (values that matter):');
    for (const line of writeDotConfig(a.witness.relevant, dotConfigPrefix()).split('\n').slice(0, -1)) lines.push(`    ${line}`);
  }
  if (a.changedFromBase) {
    lines.push(`  values of the base config that had to change: ${a.changedFromBase.length ? '' : 'none'}`);
    for (const c of a.changedFromBase) lines.push(`    ${c.name}: ${c.base} -> ${c.witness}`);
  }
  if (a.explanation) lines.push(...formatExplanation(a.explanation, '  ', verbose));
  return lines;
}

/** With --arch all: the query names a symbol this arch does not define. */
interface UnknownOnArch {
  expressions: string[];
  arch: string;
  error: string;
}

export async function runQuery(exprs: string[], opts: { out?: string; verbose: boolean; config?: string; toolchain?: string }, g: GlobalOptions): Promise<number> {
  const arches = architectures(g);
  const base = opts.config !== undefined ? configValues(readConfig(opts.config)) : undefined;
  const toolchain = opts.toolchain !== undefined ? configValues(readConfig(opts.toolchain)) : undefined;
  let freeProbes = false;
  const progress = statusLine('query', g.progress);
  const results = arches.map((arch, i): QueryAnswer | UnknownOnArch => {
    progress?.show(arches.length > 1 ? `${arch} (${i + 1}/${arches.length})` : 'loading and solving', i / arches.length, true);
    const session = openSession(g, arch);
    freeProbes ||= hasFreeProbes(session, g) && !base && !toolchain;
    const t = session.timings;
    const load: [string, number][] = t.cacheMs === undefined ? [['parse', t.parseMs], ['resolve', t.buildMs], ['encode', t.encodeMs]] : [['cache read', t.cacheMs]];
    const stages: [string, number][] = [...load, ['solver load', t.loadSolverMs]];
    try {
      const answer = query(session, exprs, {
        ...(base ? { base } : {}),
        ...(toolchain ? { toolchain } : {}),
        onStage: (stage, ms) => stages.push([stage === 'encode' ? 'encode query' : stage, ms]),
      });
      if (opts.verbose) g.output.stderr(`time${arch ? ` on ${arch}` : ''}: ${stages.map(([stage, ms]) => `${stage} ${ms < 10 ? ms.toFixed(1) : Math.round(ms)} ms`).join(', ')}\n`);
      return answer;
    } catch (e) {
      // Across arches a symbol one arch lacks is an answer for that arch, not an error.
      if (arches.length === 1 || !(e instanceof KconfsatError) || e.kind !== 'symbol') throw e;
      return { expressions: exprs, arch: arch!, error: e.message };
    }
  });
  progress?.finish();
  const answers = results.filter((r): r is QueryAnswer => !('error' in r));
  await writeFirstWitness(g, opts.out, answers);
  if (g.json) printJson(g, arches.length === 1 ? results[0] : results);
  else {
    const details = arches.length === 1 || opts.verbose;
    for (const r of results) print(g, 'error' in r ? `${exprs.join(' && ')} on ${r.arch}: ${r.error}` : formatAnswer(r, details, opts.verbose).join('\n'));
    if (opts.out && answers.some((a) => a.witness)) print(g, `witness written to ${opts.out}`);
    if (freeProbes && answers.some((a) => a.witness)) print(g, FREE_PROBES_NOTE);
  }
  return answers.some((a) => a.satisfiable) ? EXIT.yes : EXIT.no;
}

export function runCheck(file: string | undefined, opts: { partial: boolean; keep: boolean }, g: GlobalOptions): number {
  const configFile = file ?? defaultConfigFile();
  const config = readConfig(configFile);
  const session = openSession(g);
  const result = checkConfig(session, config, { partial: opts.partial });
  const keep = opts.keep ? keepLostValues(session, config, result) : undefined;
  if (g.json) printJson(g, keep ? { ...result, keep } : result);
  else {
    print(g, `${configFile}${session.arch ? ` (${session.arch})` : ''}: ${checkSummary(result)}`);
    for (const v of result.violations) {
      const indent = v.causedBy.length > 0 ? '    ' : '  ';
      print(g, `${indent}${describeChange(v, configFile)}: ${v.reason}`);
    }
    for (const u of result.unknownSymbols) print(g, `  ${configFile}:${u.line}: ${u.name} is not defined${session.arch ? ` for ${session.arch}` : ''}: conf drops the line`);
    if (keep) print(g, formatKeep(keep));
  }
  return result.valid ? EXIT.yes : EXIT.no;
}

function checkSummary(r: CheckResult): string {
  if (r.valid) return r.mode === 'partial' ? 'every value it sets survives conf' : 'valid (conf keeps every line)';
  const count = (kind: Violation['kind']) => r.violations.filter((v) => v.kind === kind).length;
  const follow = r.violations.filter((v) => v.causedBy.length > 0).length;
  const because = follow ? ` (${follow} only because of another change)` : '';
  if (r.mode === 'partial') return `${r.violations.length} value(s) it sets do not survive conf${because}`;
  const parts = [`change ${count('changed')}`, `drop ${count('dropped') + r.unknownSymbols.length}`, `add ${count('added')}`];
  return `invalid: conf would ${parts.join(', ')} line(s)${because}`;
}

/** `CONFIG_X=old -> new` as .config lines show values (n as "is not set"), with the file's line. */
export function describeChange(v: Violation, file: string): string {
  const at = v.line !== undefined ? `${file}:${v.line}: ` : '';
  const value = (text: string | undefined) => (text === undefined ? '(not written)' : text);
  switch (v.kind) {
    case 'added':
      return `${at}${v.symbol}: conf adds ${value(v.expected)}`;
    case 'dropped':
      return `${at}${v.symbol}=${v.value}: conf drops the line`;
    default:
      return `${at}${v.symbol}=${v.value} -> ${value(v.expected)}`;
  }
}

export function formatKeep(r: ResolveResult): string {
  if (!r.satisfiable || r.diagnoses.length === 0) return `  no valid configuration keeps ${r.wishes.join(' && ')}`;
  const best = r.diagnoses[0]!;
  const wished = new Set(r.wishes.map((w) => w.slice(0, w.indexOf('='))));
  const extra = best.changes.filter((c) => !wished.has(c.name));
  return [`  to keep ${r.wishes.join(' && ')}, also set:`, ...extra.map((c) => `    ${c.name}=${c.to}   (conf gives ${c.from})`)].join('\n');
}

export function runInfo(g: GlobalOptions): number {
  const rows = architectures(g).map((arch) => treeStatistics(openSession(g, arch)));
  if (g.json) printJson(g, rows.length === 1 ? rows[0] : rows);
  else {
    for (const r of rows) {
      const types = Object.entries(r.byType).map(([t, n]) => `${n} ${t}`).join(', ');
      print(g, 
        `${r.arch ?? path.basename(path.resolve(g.tree))}: ${r.symbols} symbols (${types}), ${r.choices} choices, ` +
          `${r.undefinedReferences} undefined references, ${r.inputs} toolchain inputs, ${r.files} files; ` +
          `formula ${r.variables} variables, ${r.clauses} clauses; ms ${JSON.stringify(r.timingsMs)}`,
      );
    }
  }
  return EXIT.yes;
}

export async function runDimacs(opts: { out?: string }, g: GlobalOptions): Promise<number> {
  const s = openSession(g);
  // The constraint-group selectors are switched on, so the models are exactly the valid configurations.
  const { numVars, clauses, names } = s.formula.dimacs();
  const text = writeDimacs(numVars, clauses, names, [
    `kconfsat formula for ${path.resolve(g.tree)}${s.arch ? ` ARCH=${s.arch}` : ''}`,
    'names: SYMBOL=y and SYMBOL>=m for bool/tristate, SYMBOL="value" for int/hex/string',
  ]);
  if (opts.out !== undefined) await writeOutput(g, opts.out, text);
  else g.output.stdout(text);
  return EXIT.yes;
}

export function runValues(names: string[], g: GlobalOptions): number {
  const rows = architectures(g).flatMap((arch) => {
    const session = openSession(g, arch);
    return names.map((name) => possibleValues(session, definedSymbol(session, name) ?? session.symbol(name)));
  });
  if (g.json) printJson(g, rows);
  else {
    for (const r of rows) {
      const shown = r.intervals ? r.intervals.map(formatInterval) : r.values.map((v) => (r.type === 'string' ? JSON.stringify(v) : v));
      if (r.otherStrings) shown.push('(any other string)');
      print(g, `${r.symbol}${r.arch ? ` on ${r.arch}` : ''}: ${shown.length ? shown.join(' ') : '(no valid configuration)'}`);
    }
  }
  return rows.some((r) => r.values.length > 0 || r.otherStrings) ? EXIT.yes : EXIT.no;
}

export function runDead(opts: { reasons: boolean; promptOnly: boolean }, g: GlobalOptions): number {
  const arches = architectures(g);
  const progress = statusLine('dead', g.progress);
  // The search itself takes seconds; explaining each of thousands of symbols, minutes.
  const weights: Record<DeadPhase, [number, number]> = opts.reasons
    ? { dead: [0, 0.05], 'always on': [0.05, 0.05], reasons: [0.1, 0.9] }
    : { dead: [0, 0.5], 'always on': [0.5, 0.5], reasons: [1, 0] };
  const reports = arches.map((arch, i) => {
    const where = arch ? `${arch}${arches.length > 1 ? ` (${i + 1}/${arches.length})` : ''}: ` : '';
    progress?.show(`${where}loading`, i / arches.length, true);
    return deadSymbols(openSession(g, arch), {
      reasons: opts.reasons,
      promptOnly: opts.promptOnly,
      onProgress: (phase, done, total) => {
        const [start, share] = weights[phase];
        progress?.show(`${where}${phase} ${done}/${total}`, (i + start + (share * done) / Math.max(total, 1)) / arches.length);
      },
    });
  });
  progress?.finish();
  if (g.json) printJson(g, reports.length === 1 ? reports[0] : reports);
  else {
    for (const r of reports) {
      const where = r.arch ? ` on ${r.arch}` : '';
      const kind = opts.promptOnly ? 'bool/tristate symbols with a prompt' : 'bool/tristate symbols';
      print(g, `${r.dead.length} dead and ${r.alwaysOn.length} always-on of ${r.checked} ${kind}${where}`);
      for (const [title, list] of [['dead (never m or y)', r.dead], ['always on (never n)', r.alwaysOn]] as const) {
        print(g, `${title}:`);
        for (const d of list) {
          print(g, `  ${d.symbol}`);
          if (d.reason) print(g, formatExplanation(d.reason, '    ').join('\n'));
        }
      }
    }
  }
  return reports.some((r) => r.dead.length + r.alwaysOn.length > 0) ? EXIT.no : EXIT.yes;
}

export async function runSample(opts: { count: string; seed: string; outDir?: string }, g: GlobalOptions): Promise<number> {
  const count = positiveInteger(opts.count, '-n');
  const seed = positiveInteger(opts.seed, '--seed');
  const progress = statusLine('sample', g.progress);
  progress?.show('loading', 0, true);
  const session = openSession(g);
  // Each sample is kept only as what is printed and written: a thousand Linux samples as entries take over a gigabyte.
  const kept: { summary: string; json?: Sample; file?: { file: string; content: string } }[] = [];
  for (const s of samples(session, { count, seed, onSample: (done) => progress?.show(`${done}/${count} configurations`, done / count, true) })) {
    const file = opts.outDir !== undefined ? { file: path.join(opts.outDir, `config-${kept.length + 1}`), content: writeDotConfig(s.config, dotConfigPrefix()) } : undefined;
    const on = s.config.filter((e) => e.value === 'y' || e.value === 'm').length;
    const summary = `sample ${kept.length + 1}: ${on} symbols y/m, ${s.choices.length} random choices kept` + (file ? ` -> ${file.file}` : '');
    kept.push({ summary, file, json: g.json ? { choices: s.choices, config: s.config } : undefined });
  }
  progress?.finish();
  const note = hasFreeProbes(session, g);
  if (opts.outDir !== undefined) await writeOutputs(g, opts.outDir, kept.map((k) => k.file!));
  if (g.json) printJson(g, kept.map((k) => k.json));
  else {
    for (const k of kept) print(g, k.summary);
    if (opts.outDir !== undefined) print(g, `${kept.length} files written to ${opts.outDir}`);
    if (note) print(g, FREE_PROBES_NOTE);
  }
  return kept.length > 0 ? EXIT.yes : EXIT.no;
}

const FREE_PROBES_NOTE =
  'note: $(shell,...) toolchain probes were left free, so configurations hold for some toolchain; ' +
  "--run-shell evaluates them on this host, and conf then accepts them unchanged here";

function hasFreeProbes(session: Session, g: GlobalOptions): boolean {
  return !g.runShell && session.model.inputs.length > 0;
}

/** A .config file, read with the kernel's CONFIG_ prefix override. */
/** `--out FILE`: the first arch's witness, as conf writes a .config. */
export async function writeFirstWitness(g: GlobalOptions, out: string | undefined, answers: QueryAnswer[]): Promise<void> {
  const witness = answers.find((a) => a.witness)?.witness;
  if (out !== undefined && witness) await writeOutput(g, out, writeDotConfig(witness.config, dotConfigPrefix()));
}

export function readConfig(file: string): DotConfig {
  return readDotConfigFile(file, dotConfigPrefix());
}

const DEMO_QUERY = 'XEN_UNPOPULATED_ALLOC=y';

export function runDemo(exampleTree: string, g: GlobalOptions): number {
  const results: QueryAnswer[] = [];
  for (const variant of ['buggy', 'fixed']) {
    for (const arch of ['i386', 'x86_64']) {
      const session = Session.open({ tree: path.join(exampleTree, variant), arch });
      const answer = query(session, [DEMO_QUERY]);
      results.push(answer);
      if (!g.json) {
        print(g, `[${variant}] ${formatAnswer(answer, true).join('\n')}`);
      }
    }
  }
  if (g.json) printJson(g, results);
  return EXIT.yes;
}

export interface AuditCommandOptions {
  sarif?: string;
  csv?: string;
  outDir?: string;
  jobs: string;
  confirm: boolean;
  conf?: string;
}

export async function runAudit(opts: AuditCommandOptions, g: GlobalOptions, toolVersion: string): Promise<number> {
  const jobs = positiveInteger(opts.jobs, '--jobs');
  const arches = architectures(g);
  let conf: string | undefined;
  if (opts.confirm) {
    if (arches.includes(undefined)) throw new KconfsatError('usage', '--confirm needs --arch (conf runs for one ARCH)');
    conf = opts.conf ?? buildConf(g.tree);
  }
  const labels = arches.map((a) => a ?? path.basename(path.resolve(g.tree)));
  const line = statusLine('audit', g.progress);
  const progress = line ? new AuditProgress(labels, line) : undefined;
  let result: TreeAudit;
  try {
    result = await auditTree({
      load: loadOptions(g, undefined),
      arches,
      jobs,
      ...(conf !== undefined ? { conf } : {}),
      ...(progress ? { onProgress: progress.update } : {}),
      onConfirm: (i, count) => progress?.message(`confirming with conf: ${labels[i]} (${i + 1}/${arches.length}), ${count} findings`),
    });
  } finally {
    progress?.finish();
  }
  const { findings, groups, confirmed } = result;
  const witnessFiles = opts.outDir !== undefined ? await writeWitnesses(g, opts.outDir, findings) : new Map<AuditFinding, string>();
  if (opts.sarif !== undefined) await writeOutput(g, opts.sarif, `${JSON.stringify(auditSarif(groups, { tree: path.resolve(g.tree), toolVersion }), null, 2)}\n`);
  if (opts.csv !== undefined) await writeOutput(g, opts.csv, auditCsv(findings, (f) => witnessFiles.get(f)));
  if (g.json) {
    const withFiles = groups.map((gr) => ({ ...gr, findings: gr.findings.map((f) => (witnessFiles.has(f) ? { ...f, witnessFile: witnessFiles.get(f) } : f)) }));
    printJson(g, { arches: result.arches, findings: withFiles, ...(confirmed ? { confirmed } : {}) });
  } else {
    for (const gr of groups) print(g, formatGroup(gr, arches.length > 1 || gr.arches.length > 0));
    for (const s of result.arches) {
      const ok = s.confirmed !== undefined ? `, ${s.confirmed} confirmed by conf` : '';
      print(g, 
        `${s.arch ?? labels[0]}: ${s.findings} findings${ok} (${s.selects} selects, ${s.screened} screened, ${s.solves} solves, ${(s.ms / 1000).toFixed(1)} s)`,
      );
    }
    if (arches.length > 1) print(g, `${groups.length} findings (${findings.length} on all arches together)`);
    if (confirmed) print(g, `confirmed by conf: ${confirmed.confirmed}/${confirmed.total}`);
    if (opts.outDir !== undefined) print(g, `${findings.length} witnesses written to ${opts.outDir}`);
  }
  return findings.length > 0 ? EXIT.no : EXIT.yes;
}

/** `file:line: SELECTOR -> SELECTEE: selected [y] while depends on [n]: EXPR on ARCHES (confirmed ...)`. */
function formatGroup(g: AuditGroup, showArches: boolean): string {
  const levels = [...new Set(g.findings.map((f) => `selected [${f.selectedAt}] while depends on [${f.dependsAt}]`))].join(' / ');
  const where = showArches && g.arches.length ? ` on ${g.arches.join(', ')}` : '';
  const checked = g.findings.filter((f) => f.confirmed !== undefined);
  const ok = checked.length ? ` (confirmed by conf: ${checked.filter((f) => f.confirmed).length}/${checked.length})` : '';
  return `${g.loc.file}:${g.loc.line}: ${g.selector} -> ${g.selectee}: ${levels}: ${g.dependsOn}${where}${ok}`;
}

/** One witness .config per (arch, finding): ARCH-SELECTOR-SELECTEE-LINE.config, made safe and unique by safeFileNames. */
async function writeWitnesses(g: GlobalOptions, dir: string, findings: AuditFinding[]): Promise<Map<AuditFinding, string>> {
  const names = safeFileNames(
    findings.map((f) => ({
      parts: [...(f.arch ? [f.arch] : []), f.selector, f.selectee, String(f.loc.line)],
      identity: [f.arch ?? '', f.selector, f.selectee, f.loc.file, f.loc.line].join('\0'),
    })),
    '.config',
  );
  const files = new Map(findings.map((f, i) => [f, path.join(dir, names[i]!)]));
  await writeOutputs(g, dir, findings.map((f) => ({ file: files.get(f)!, content: writeDotConfig(f.witness, dotConfigPrefix()) })));
  return files;
}
