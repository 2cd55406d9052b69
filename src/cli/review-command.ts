/**
 * `kconfsat review` (what a patch, a second tree or a git range changes, per
 * arch) and `kconfsat upgrade` (what conf does to a .config moved to a new
 * tree): options → the trees as LoadOptions → review()/upgrade() → text,
 * JSON or SARIF.
 */
import * as fs from 'node:fs';
import type { Command } from 'commander';
import { groupFindings } from '../analysis/audit.js';
import { patchedTree, reviewArches, type ArchReview, type ReviewFinding, type ReviewReport, type SymbolChange } from '../analysis/review.js';
import { upgrade } from '../analysis/upgrade.js';
import { KconfsatError } from '../errors.js';
import type { PatchText } from '../io/apply-patch.js';
import { readRegularFile } from '../io/files.js';
import { auditSarif } from '../io/sarif.js';
import type { LoadOptions } from '../model/load.js';
import { GitSourceFiles, parseRange } from '../parse/git-files.js';
import { describeChange, formatKeep, readConfig } from './commands.js';
import { architectures, EXIT, loadOptions, positiveInteger, print, printJson, writeOutput, type GlobalOptions } from './context.js';
import { reviewTree } from '../workflow/review.js';
import { statusLine } from './progress.js';
import { runMerge, runReviewEach } from './review-each.js';

export interface TreePairOptions {
  old?: string;
  new?: string;
  rev?: string;
}

export interface ReviewCommandOptions extends TreePairOptions {
  sarif?: string;
  verbose: boolean;
  fix: boolean;
  each: boolean;
  shard?: string;
  jobs: string;
}

/** Largest patch read: a release's whole Kconfig diff is a few MB. */
const MAX_PATCH_BYTES = 64 << 20;

export async function runReview(patches: string[], opts: ReviewCommandOptions, g: GlobalOptions, version: string): Promise<number> {
  const jobs = positiveInteger(opts.jobs, '--jobs');
  // A worker reads its trees from disk; a revision's files are read through this thread's git.
  if (jobs > 1 && opts.rev !== undefined) throw new KconfsatError('usage', '--jobs reviews trees on disk (PATCH... or --old/--new), not --rev');
  if (opts.each || opts.shard !== undefined) {
    if (!opts.each || opts.rev === undefined || patches.length > 0 || opts.old !== undefined || opts.new !== undefined) throw new KconfsatError('usage', '--each reviews the commits of a --rev range (and --shard splits them): give --rev BASE..HEAD --each');
    if (opts.sarif !== undefined || opts.verbose) throw new KconfsatError('usage', `${opts.sarif !== undefined ? '--sarif' : '--verbose'} does not go with --each`);
    return runReviewEach(opts.rev, opts.shard, opts.fix, g);
  }
  const { old, now, arches } = treePair(patches, opts, g);
  const progress = statusLine('review', g.progress);
  const report = await reviewTree({ old, new: now, arches, fixes: opts.fix, jobs, onProgress: (m) => progress?.show(m, undefined, true) });
  progress?.finish();
  if (opts.sarif !== undefined) {
    const added = groupFindings(report.arches.flatMap((a) => a.findings.added));
    const root = typeof old.tree === 'string' ? old.tree : old.tree.root;
    await writeOutput(g, opts.sarif, JSON.stringify(auditSarif(added, { tree: root, toolVersion: version }), null, 2) + '\n');
  }
  if (g.json) printJson(g, report);
  else print(g, formatReview(report, opts.verbose));
  return report.newProblems > 0 ? EXIT.no : EXIT.yes;
}

export interface UpgradeCommandOptions extends TreePairOptions {
  config: string;
  keep: boolean;
}

export function runUpgrade(opts: UpgradeCommandOptions, g: GlobalOptions): number {
  const config = readConfig(opts.config);
  const { old, now, arches } = treePair([], opts, g);
  if (arches.length !== 1) throw new KconfsatError('usage', 'upgrade takes one --arch');
  const withArch = (l: LoadOptions): LoadOptions => (arches[0] === undefined ? l : { ...l, arch: arches[0] });
  const report = upgrade({ old: withArch(old), new: withArch(now), config, keep: opts.keep });
  if (g.json) printJson(g, report);
  else {
    const where = report.arch ? ` (${report.arch})` : '';
    print(g, `${opts.config}${where}: ${report.unchanged ? 'conf keeps every line on the new tree' : `conf on the new tree changes ${report.changes.length} line(s), drops ${report.removedSymbols.length + report.unknownSymbols.length} of unknown symbols`}`);
    for (const v of report.changes) {
      const indent = v.causedBy.length > 0 ? '    ' : '  ';
      print(g, `${indent}${describeChange(v, opts.config)}: ${v.reason}${v.definitionChanged ? '' : ' (its own Kconfig lines did not change)'}`);
    }
    for (const u of report.removedSymbols) print(g, `  ${opts.config}:${u.line}: ${u.name} is no longer defined in the new tree: conf drops the line`);
    for (const u of report.unknownSymbols) print(g, `  ${opts.config}:${u.line}: ${u.name} is defined in neither tree: conf drops the line`);
    if (report.keep) print(g, formatKeep(report.keep));
  }
  return report.unchanged ? EXIT.yes : EXIT.no;
}

/** The old and new trees the options name, and the arches to compare. */
function treePair(patches: string[], opts: TreePairOptions, g: GlobalOptions): { old: LoadOptions; now: LoadOptions; arches: (string | undefined)[] } {
  const ways = [patches.length > 0, opts.old !== undefined || opts.new !== undefined, opts.rev !== undefined].filter(Boolean).length;
  if (ways !== 1) throw new KconfsatError('usage', 'give the change one way: PATCH... (or - for stdin), --old DIR --new DIR, or --rev BASE..HEAD');
  let old: LoadOptions;
  let now: LoadOptions;
  if (opts.rev !== undefined) {
    const base = loadOptions(g, undefined);
    const { base: a, head: b } = parseRange(g.tree, opts.rev);
    old = { ...base, tree: gitTree(g, a) };
    now = { ...base, tree: gitTree(g, b) };
  } else if (patches.length > 0) {
    old = loadOptions(g, undefined);
    now = patchedTree(old, patches.map(readPatch));
  } else {
    if (opts.old === undefined || opts.new === undefined) throw new KconfsatError('usage', '--old and --new go together');
    old = loadOptions({ ...g, tree: opts.old }, undefined);
    now = loadOptions({ ...g, tree: opts.new }, undefined);
  }
  return { old, now, arches: archList(g, old) };
}

/** A revision's files, after making sure they hold the top Kconfig file. */
export function gitTree(g: GlobalOptions, commit: string): GitSourceFiles {
  const files = new GitSourceFiles(g.tree, commit);
  if (files.read(g.kconfig) === undefined) throw new KconfsatError('usage', `${commit.slice(0, 12)} is not a Kconfig tree: no ${g.kconfig} in ${g.tree} there`);
  return files;
}

/** --arch: one arch (by default this host's), a comma list, or all (the old tree's); a tree without arch/ has one undefined arch. */
export function archList(g: GlobalOptions, old: LoadOptions): (string | undefined)[] {
  if (g.arch === 'all') return reviewArches(old, ['all']);
  return reviewArches(old, g.arch?.includes(',') ? g.arch.split(',').filter(Boolean) : architectures(g));
}

export function readPatch(file: string): PatchText {
  if (file === '-') return { name: '-', text: fs.readFileSync(0, 'utf8') };
  const read = readRegularFile(file, { maxBytes: MAX_PATCH_BYTES });
  if ('text' in read) return { name: file, text: read.text };
  throw new KconfsatError('io', `cannot read ${file}${read.problem === 'missing' ? '' : `: ${read.problem}`}`);
}

/** Grouped over arches, new problems first. */
export function formatReview(report: ReviewReport, verbose: boolean): string {
  const out: string[] = [];
  const at = (loc: { file: string; line: number } | undefined): string => (loc ? `${loc.file}:${loc.line}` : '-');
  const grouped = <T>(pick: (a: ArchReview) => T[], key: (item: T) => string): [T, string[]][] => {
    const groups = new Map<string, [T, string[]]>();
    for (const a of report.arches) {
      for (const item of pick(a)) {
        const k = key(item);
        if (!groups.has(k)) groups.set(k, [item, []]);
        groups.get(k)![1].push(a.arch ?? 'this tree');
      }
    }
    return [...groups.values()];
  };
  const findingKey = (f: ReviewFinding): string => `${f.selector} ${f.selectee} ${f.loc.file}:${f.loc.line}`;
  const symbolKey = (s: SymbolChange): string => s.symbol;
  const symbolLine = (s: SymbolChange): string =>
    `${s.symbol} (${s.old && s.new && at(s.old) !== at(s.new) ? `${at(s.old)} -> ${at(s.new)}` : at(s.new ?? s.old)})`;
  for (const [f, arches] of grouped((a) => a.findings.added, findingKey)) {
    out.push(`NEW ${at(f.loc)}: ${f.selector} selects ${f.selectee}, whose dependencies can be unmet (${arches.join(', ')}): depends on ${f.dependsOn}`);
    const values = new Map(f.witness.map((e) => [e.name, e.value]));
    out.push(`    witness (${f.arch ?? 'this tree'}): ${f.selector}=${values.get(f.selector)} ${f.selectee}=${values.get(f.selectee)}, ${f.witness.length} lines in all (--json)`);
    const best = f.fixes?.find((c) => c.verified);
    if (best) out.push(`    fix: ${best.summary} (verified on ${best.checkedOn.join(', ') || 'this tree'})`);
    else if (f.fixes) out.push('    fix: no verified repair');
  }
  for (const [f, arches] of grouped((a) => a.findings.removed, findingKey)) {
    out.push(`GONE ${at(f.loc)}: ${f.selector} selects ${f.selectee}: no longer unmet (${arches.join(', ')})`);
  }
  const lists: [string, (a: ArchReview) => SymbolChange[]][] = [
    ['became dead', (a) => a.dead.added],
    ['no longer dead', (a) => a.dead.removed],
    ['became always on', (a) => a.alwaysOn.added],
    ['no longer always on', (a) => a.alwaysOn.removed],
    ['added', (a) => a.symbols.added],
    ['removed', (a) => a.symbols.removed],
  ];
  for (const [label, pick] of lists) {
    for (const [s, arches] of grouped(pick, symbolKey)) out.push(`${label}: ${symbolLine(s)} (${arches.join(', ')})`);
  }
  for (const [s, arches] of grouped((a) => a.symbols.retyped, symbolKey)) out.push(`retyped: ${symbolLine(s)} ${s.oldType} -> ${s.newType} (${arches.join(', ')})`);
  const list = (values: string[]): string => values.map((v) => v || '""').join(', ');
  for (const [s, arches] of grouped((a) => a.values, (v) => `${v.symbol} ${v.lost} ${v.gained}`)) {
    out.push(`values: ${symbolLine(s)}${s.lost.length ? ` can no longer be ${list(s.lost)}` : ''}${s.gained.length ? `${s.lost.length ? ';' : ''} can now be ${list(s.gained)}` : ''} (${arches.join(', ')})`);
  }
  for (const [s, arches] of grouped((a) => a.defaults, (d) => `${d.symbol} ${d.oldValue} ${d.newValue}`)) {
    out.push(`default: ${symbolLine(s)} ${s.oldValue} -> ${s.newValue} in alldefconfig (${arches.join(', ')})`);
  }
  if (verbose) {
    for (const a of report.arches) {
      const off = a.neverOn.length > 0 ? ` (and ${a.neverOn.length} that no configuration turns on: ${a.neverOn.join(', ')})` : '';
      out.push(`${a.arch ?? 'this tree'}: ${a.changed.length} symbol(s) changed${off}, ${a.rechecked} rechecked, ${a.solves} solves, ${(a.ms / 1000).toFixed(1)} s`);
    }
  }
  const count = (pick: (a: ArchReview) => ReviewFinding[]): number => grouped(pick, findingKey).length;
  out.push(`${count((a) => a.findings.added)} new unmet-dependency finding(s), ${count((a) => a.findings.removed)} gone, on ${report.arches.length} arch(es)`);
  return out.join('\n');
}

export function registerReviewCommands(program: Command, globals: () => GlobalOptions, exit: (code: number) => void, version: string): void {
  program
    .command('review')
    .description('what a change does, per arch: unmet-dependency findings added/removed (with verified repairs), symbols dead/always on, values lost/gained, alldefconfig values changed, symbols added/removed/retyped')
    .argument('[patch...]', 'unified diffs applied in memory to --tree (- for stdin)')
    .option('--old <dir>', 'the tree before the change (with --new)')
    .option('--new <dir>', 'the tree after the change')
    .option('--rev <range>', 'BASE..HEAD of the git checkout at --tree, read from the object store')
    .option('--sarif <file>', 'write only the new findings as SARIF 2.1.0')
    .option('--no-fix', 'skip the verified repairs of new findings')
    .option('--verbose', 'per arch: symbols changed and rechecked, solves, time', false)
    .option('--each', 'with --rev: every commit of the range that touches a Kconfig* file, against its first parent', false)
    .option('--jobs <n>', 'arches reviewed at once, each on a worker thread (PATCH... or --old/--new)', '1')
    .option('--shard <I/N>', 'with --each: only targets k (of the sorted (commit, arch) list) with k mod N = I, I from 0; kconfsat merge joins the --json outputs')
    .action(async (patches: string[], opts: ReviewCommandOptions) => exit(await runReview(patches, opts, globals(), version)));
  program
    .command('merge')
    .description('the --json outputs of the shards of one review --each run, as that run unsharded prints it (all N shards, each once)')
    .argument('<file...>', 'the shards\' JSON files')
    .action((files: string[]) => exit(runMerge(files, globals())));
  program
    .command('upgrade')
    .description('what conf olddefconfig on a new tree does to a .config made for an old one, line by line, with reasons')
    .requiredOption('--config <file>', 'the .config made for the old tree')
    .option('--old <dir>', 'the old tree (with --new)')
    .option('--new <dir>', 'the new tree')
    .option('--rev <range>', 'OLD..NEW revisions of the git checkout at --tree')
    .option('--keep', 'the fewest extra settings that keep the values the user loses', false)
    .action((opts: UpgradeCommandOptions) => exit(runUpgrade(opts, globals())));
}
