/**
 * `kconfsat review --rev A..B --each [--shard I/N]` and `kconfsat merge`:
 * every Kconfig-touching commit of a range reviewed against its first
 * parent, per arch, each (commit, arch) on its own so that any split of the
 * targets over processes gives the same results, and merge puts the shards'
 * JSON back together as exactly what one unsharded run prints.
 *
 * The JSON holds no timings (they differ from run to run) and records the
 * full target list and the shard, so merge can tell a missing, repeated or
 * foreign shard.
 */
import { review, type ArchReview } from '../analysis/review.js';
import { KconfsatError } from '../errors.js';
import { readRegularFile } from '../io/files.js';
import { kconfigCommits, parseRange, type RangeCommit } from '../parse/git-files.js';
import { EXIT, loadOptions, print, printJson, type GlobalOptions } from './context.js';
import { statusLine } from './progress.js';
import { archList, formatReview, gitTree } from './review-command.js';
import { checkShards, interleave, parseShard, shardTargets, type Shard } from './shard.js';

export interface EachTarget {
  commit: string;
  /** Absent for a tree without arches. */
  arch?: string;
}

/** One target's review (without its time), or why the commit or its parent could not be reviewed. */
export interface EachResult extends EachTarget {
  review?: Omit<ArchReview, 'arch' | 'ms'>;
  error?: string;
}

export interface EachReport {
  base: string;
  head: string;
  /** Whether added findings carry verified repairs (--no-fix turns them off). */
  fixes: boolean;
  shard?: Shard;
  commits: RangeCommit[];
  /** Every (commit, arch) of the range, commit by commit: what the shards split. */
  targets: EachTarget[];
  /** This run's targets' results, in the targets' order. */
  results: EachResult[];
  /** Added findings over the results. */
  newProblems: number;
  /** Targets that could not be reviewed. */
  errors: number;
}

export async function runReviewEach(rev: string, shardText: string | undefined, fixes: boolean, g: GlobalOptions): Promise<number> {
  const shard = shardText === undefined ? undefined : parseShard(shardText);
  const { base, head } = parseRange(g.tree, rev);
  const commits = kconfigCommits(g.tree, base, head);
  const load = loadOptions(g, undefined);
  // The arches of the range's base: every shard computes the same list from it.
  const arches = archList(g, { ...load, tree: gitTree(g, base) });
  const targets = commits.flatMap((c) => arches.map((arch): EachTarget => ({ commit: c.commit, ...(arch !== undefined ? { arch } : {}) })));
  const parents = new Map(commits.map((c) => [c.commit, c.parent]));
  const mine = shardTargets(targets, shard);
  const progress = statusLine('review', g.progress);
  const results: EachResult[] = [];
  for (const [i, target] of mine.entries()) {
    progress?.show(`[${i + 1}/${mine.length}] ${target.commit.slice(0, 12)}${target.arch ? ` ${target.arch}` : ''}`, undefined, true);
    try {
      const old = { ...load, tree: gitTree(g, parents.get(target.commit)!) };
      const report = await review({ old, new: { ...load, tree: gitTree(g, target.commit) }, arches: [target.arch], fixes });
      // Without the arch (the target's) and the time (not reproducible).
      const { changed, neverOn, rechecked, solves, findings, dead, alwaysOn, symbols, values, defaults } = report.arches[0]!;
      results.push({ ...target, review: { changed, neverOn, rechecked, solves, findings, dead, alwaysOn, symbols, values, defaults } });
    } catch (e) {
      if (!(e instanceof KconfsatError)) throw e;
      results.push({ ...target, error: e.format() });
    }
  }
  progress?.finish();
  return printEach(eachReport({ base, head, fixes, ...(shard ? { shard } : {}), commits, targets }, results), g);
}

/** The report's fields in one order, so a merge prints byte for byte what one run does. */
function eachReport(run: Omit<EachReport, 'results' | 'newProblems' | 'errors'>, results: EachResult[]): EachReport {
  return {
    base: run.base,
    head: run.head,
    fixes: run.fixes,
    ...(run.shard ? { shard: run.shard } : {}),
    commits: run.commits,
    targets: run.targets,
    results,
    newProblems: results.reduce((n, r) => n + (r.review?.findings.added.length ?? 0), 0),
    errors: results.filter((r) => r.error !== undefined).length,
  };
}

function printEach(report: EachReport, g: GlobalOptions): number {
  if (g.json) printJson(g, report);
  else print(g, formatEach(report));
  return report.newProblems > 0 || report.errors > 0 ? EXIT.no : EXIT.yes;
}

/** Commit by commit, oldest first: its review over the arches (as `review` prints one), then the totals. */
export function formatEach(report: EachReport): string {
  const out: string[] = [];
  const subjects = new Map(report.commits.map((c) => [c.commit, c.subject]));
  const byCommit = new Map<string, EachResult[]>();
  for (const r of report.results) byCommit.set(r.commit, [...(byCommit.get(r.commit) ?? []), r]);
  for (const [commit, results] of byCommit) {
    out.push(`commit ${commit.slice(0, 12)} ${subjects.get(commit) ?? ''}`.trimEnd());
    for (const r of results) if (r.error !== undefined) out.push(`ERROR${r.arch ? ` (${r.arch})` : ''}: ${r.error}`);
    const arches = results.flatMap((r): ArchReview[] => (r.review ? [{ ...(r.arch !== undefined ? { arch: r.arch } : {}), ...r.review, ms: 0 }] : []));
    if (arches.length > 0) out.push(formatReview({ arches, newProblems: arches.reduce((n, a) => n + a.findings.added.length, 0) }, false));
  }
  const part = report.shard ? `shard ${report.shard.index}/${report.shard.count}: ${report.results.length} of ${report.targets.length} target(s)` : `${report.targets.length} target(s)`;
  out.push(
    `${report.base.slice(0, 12)}..${report.head.slice(0, 12)}: ${report.commits.length} commit(s) touching Kconfig, ${part}: ${report.newProblems} new finding(s), ${report.errors} not reviewed`,
  );
  return out.join('\n');
}

/** Largest shard file merge reads: a long range's JSON with witnesses is tens of MB. */
const MAX_SHARD_BYTES = 1 << 30;

/** `kconfsat merge FILE...`: the shards of one `review --each` run as that run, unsharded, prints it. */
export function runMerge(files: string[], g: GlobalOptions): number {
  const parts = checkShards(
    files.map((file) => {
      const report = readEachReport(file);
      return { file, shard: report.shard, targets: JSON.stringify([report.base, report.head, report.fixes, report.commits, report.targets]), report, results: report.results };
    }),
  );
  const { base, head, fixes, commits, targets } = parts[0]!.report;
  return printEach(eachReport({ base, head, fixes, commits, targets }, interleave(parts, targets.length)), g);
}

function readEachReport(file: string): EachReport {
  const read = readRegularFile(file, { maxBytes: MAX_SHARD_BYTES });
  if (!('text' in read)) throw new KconfsatError('io', `cannot read ${file}${read.problem === 'missing' ? '' : `: ${read.problem}`}`);
  let value: Partial<EachReport>;
  try {
    value = JSON.parse(read.text) as Partial<EachReport>;
  } catch (e) {
    throw new KconfsatError('usage', `${file}: not JSON (${(e as Error).message})`);
  }
  const ok =
    typeof value === 'object' && value !== null && typeof value.base === 'string' && typeof value.head === 'string' && Array.isArray(value.commits) && Array.isArray(value.targets) && Array.isArray(value.results);
  if (!ok) throw new KconfsatError('usage', `${file}: not the --json output of kconfsat review --each`);
  return value as EachReport;
}
