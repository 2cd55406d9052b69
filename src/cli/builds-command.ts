/**
 * `query --builds FILE[:LINE]...`, `values --builds`, `cover` and `info --kbuild`: the build questions,
 * loaded only when one is asked (the Kbuild reader stays out of every other
 * command's start-up).
 */
import { buildQuery, buildValues, kbuildInfo, NotBuiltError, type BuildAnswer, type BuildValues, type KbuildInfo } from '../analysis/builds.js';
import * as path from 'node:path';
import { cover, type CoverResult } from '../analysis/cover.js';
import { configValues, Session } from '../analysis/session.js';
import { applyPatchesMarking } from '../io/apply-patch.js';
import { writeDotConfig } from '../io/dotconfig.js';
import { openTree } from '../model/load.js';
import { OverlaySourceFiles } from '../parse/overlay.js';
import { formatAnswerDetails, readConfig, writeFirstWitness } from './commands.js';
import { architectures, defaultConfigFile, dotConfigPrefix, EXIT, loadOptions, openSession, positiveInteger, print, printJson, writeOutputs, type GlobalOptions } from './context.js';
import { readPatch } from './review-command.js';

/** With --arch all: the file is not built on this arch at all. */
interface NotBuilt {
  arch: string;
  targets: string[];
  error: string;
}

export async function runBuilds(
  targets: string[],
  exprs: string[],
  opts: { out?: string; verbose: boolean; config?: string; toolchain?: string },
  g: GlobalOptions,
): Promise<number> {
  const arches = architectures(g);
  const base = opts.config !== undefined ? configValues(readConfig(opts.config)) : undefined;
  const toolchain = opts.toolchain !== undefined ? configValues(readConfig(opts.toolchain)) : undefined;
  const results = arches.map((arch): BuildAnswer | NotBuilt => {
    const session = openSession(g, arch);
    try {
      return buildQuery(session, targets, exprs, { ...(base ? { base } : {}), ...(toolchain ? { toolchain } : {}) });
    } catch (e) {
      // Across arches, a file no makefile of this arch names is this arch's answer.
      if (arches.length === 1 || !(e instanceof NotBuiltError)) throw e;
      return { arch: arch!, targets, error: e.message };
    }
  });
  const answers = results.filter((r): r is BuildAnswer => !('error' in r));
  await writeFirstWitness(g, opts.out, answers);
  if (g.json) printJson(g, arches.length === 1 ? results[0] : results);
  else {
    const details = arches.length === 1 || opts.verbose;
    for (const r of results) print(g, 'error' in r ? `${targets.join(' ')} on ${r.arch}: no (${r.error})` : formatBuild(r, details, opts.verbose).join('\n'));
    if (opts.out && answers.some((a) => a.witness)) print(g, `witness written to ${opts.out}`);
  }
  return answers.some((a) => a.satisfiable) ? EXIT.yes : EXIT.no;
}

function formatBuild(a: BuildAnswer, details: boolean, verbose: boolean): string[] {
  const what = [...a.targets.map((t) => t.target), ...a.expressions].join(' && ');
  const modes = a.satisfiable ? ` (${a.targets.map((t) => `${t.object} ${t.mode === 'm' ? 'as a module' : 'built in'}`).join(', ')})` : '';
  const lines = [`${what}${a.arch ? ` on ${a.arch}` : ''}: ${a.satisfiable ? 'yes' : 'no'}${modes}`];
  if (!details) return lines;
  lines.push('  Kbuild and #if lines:');
  for (const t of a.targets) for (const l of t.lines) lines.push(`    ${l.file}:${l.line}  ${l.text}`);
  const free = a.targets.flatMap((t) => t.freeInputs);
  if (free.length) lines.push(`  free inputs (the answer holds for some value of each): ${free.map((f) => `${f.text} (${f.loc.file}:${f.loc.line})`).join(', ')}`);
  lines.push(...formatAnswerDetails(a, verbose));
  return lines;
}

/** `values --builds FILE`: per arch, whether the file's object can be built in, as a module, or not at all. */
export function runBuildValues(target: string, opts: { verbose: boolean }, g: GlobalOptions): number {
  const arches = architectures(g);
  const rows = arches.map((arch): BuildValues => {
    const row = buildValues(openSession(g, arch), target);
    // On one arch, a file its makefiles never name is bad input, as for query --builds.
    if (row.error !== undefined && arches.length === 1) throw new NotBuiltError(row.error);
    return row;
  });
  if (g.json) printJson(g, arches.length === 1 ? rows[0] : rows);
  else {
    const details = arches.length === 1 || opts.verbose;
    for (const r of rows) {
      if (r.error !== undefined) {
        print(g, r.error);
        continue;
      }
      print(g, `${target} on ${r.arch}: ${r.values.length ? r.values.map((v) => (v === 'y' ? 'y (built in)' : 'm (module)')).join(', ') : 'not built in any valid configuration'}`);
      if (details) for (const a of [r.y!, r.m!]) print(g, formatBuild(a, true, opts.verbose).map((l) => `  ${l}`).join('\n'));
    }
  }
  return rows.some((r) => r.values.length > 0) ? EXIT.yes : EXIT.no;
}

export function runKbuildInfo(g: GlobalOptions): number {
  const rows = architectures(g).map((arch) => kbuildInfo(openSession(g, arch)));
  if (g.json) printJson(g, rows.length === 1 ? rows[0] : rows);
  else for (const r of rows) print(g, formatInfo(r));
  return EXIT.yes;
}

function formatInfo(r: KbuildInfo): string {
  const lines = [`${r.arch}: ${r.makefiles} makefiles, ${r.directories} directories, ${r.objects} objects, ${r.freeInputs.length} free inputs`];
  for (const f of r.freeInputs) lines.push(`  ${f.loc.file}:${f.loc.line}  ${f.text}`);
  return lines.join('\n');
}

export interface CoverCommandOptions {
  config?: string;
  outDir?: string;
  maxChanges: string;
}

/** `cover PATCH...`: configurations near the base .config that compile every line the patches add. */
export async function runCover(patches: string[], opts: CoverCommandOptions, g: GlobalOptions): Promise<number> {
  const maxChanges = positiveInteger(opts.maxChanges, '--max-changes');
  const configFile = opts.config ?? defaultConfigFile();
  const base = configValues(readConfig(configFile));
  const disk = openTree(g.tree, g.allowOutsideTree);
  const { changes, added } = applyPatchesMarking(patches.map(readPatch), (f) => disk.read(f));
  const files = new OverlaySourceFiles(disk, changes);
  const results = architectures(g).map((arch) => cover(Session.open({ ...loadOptions(g, arch), overrides: changes }), base, { files, added, maxChanges }));
  // Across arches the best first: fewest lines left out, then fewest configurations, then fewest changes.
  const cost = (r: CoverResult): number[] => [r.lines.filter((l) => l.config === undefined).length, r.configs.length, r.configs.reduce((n, c) => n + c.changes.length, 0)];
  const ranked = results.length === 1 ? results : [...results].sort((a, b) => compareCosts(cost(a), cost(b)));
  const written = ranked.map((r) =>
    r.configs.map((c, i) => ({ file: path.join(opts.outDir ?? '.', `cover-${results.length > 1 ? `${r.arch}-` : ''}${i + 1}.config`), content: writeDotConfig(c.config, dotConfigPrefix()) })),
  );
  if (opts.outDir !== undefined) await writeOutputs(g, opts.outDir, written.flat());
  if (g.json) printJson(g, results.length === 1 ? ranked[0] : ranked);
  else {
    const best = cost(ranked[0]!);
    ranked.forEach((r, i) => {
      const details = compareCosts(cost(r), best) === 0;
      print(g, formatCover(r, configFile, details, opts.outDir !== undefined ? written[i]!.map((w) => w.file) : []).join('\n'));
    });
  }
  return ranked[0]!.lines.every((l) => l.config !== undefined) ? EXIT.yes : EXIT.no;
}

function compareCosts(a: number[], b: number[]): number {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return 0;
}

function formatCover(r: CoverResult, configFile: string, details: boolean, written: string[]): string[] {
  const compiled = r.lines.filter((l) => l.config !== undefined).length;
  const never = r.lines.length - compiled;
  const head = `cover on ${r.arch} from ${configFile}: ${r.configs.length} ${r.configs.length === 1 ? 'configuration compiles' : 'configurations compile'} ${compiled} of ${r.lines.length} lines`;
  const out = [`${head}${never ? ` (${never} no configuration compiles)` : ''}${r.configs.length > 1 ? '; split greedily, so possibly not the fewest configurations' : ''}`];
  if (!details) return out;
  r.configs.forEach((c, i) => {
    const changes = c.changes.length ? c.changes.map((ch) => `${ch.name} ${ch.from || '""'} -> ${ch.to || '""'}`).join(', ') : 'none';
    out.push(`  configuration ${i + 1}${written[i] ? ` (${written[i]})` : ''}: ${c.lines} lines; changes: ${changes}`);
  });
  // The table: per file, the lines each configuration compiles as ranges, then the lines none does.
  const byFile = new Map<string, typeof r.lines>();
  for (const l of r.lines) byFile.set(l.file, [...(byFile.get(l.file) ?? []), l]);
  for (const [file, lines] of byFile) {
    const parts = r.configs.map((_, i) => ranges(lines.filter((l) => l.config === i).map((l) => l.line))).map((rs, i) => (rs ? `${rs} by ${i + 1}` : '')).filter(Boolean);
    out.push(`  ${file}: ${parts.join('; ') || 'none compiled'}`);
    for (const l of lines) if (l.reason !== undefined) out.push(`    ${file}:${l.line}: never: ${l.reason}`);
  }
  return out;
}

/** 3,4,5,9 → "3-5,9". */
function ranges(lines: number[]): string {
  const out: string[] = [];
  for (let i = 0; i < lines.length; ) {
    let j = i;
    while (j + 1 < lines.length && lines[j + 1] === lines[j]! + 1) j++;
    out.push(j > i ? `${lines[i]}-${lines[j]}` : `${lines[i]}`);
    i = j + 1;
  }
  return out.join(',');
}
