/**
 * `query --builds FILE[:LINE]...` and `info --kbuild`: the build questions,
 * loaded only when one is asked (the Kbuild reader stays out of every other
 * command's start-up).
 */
import { buildQuery, buildValues, kbuildInfo, NotBuiltError, type BuildAnswer, type BuildValues, type KbuildInfo } from '../analysis/builds.js';
import { configValues } from '../analysis/session.js';
import { formatAnswerDetails, readConfig, writeFirstWitness } from './commands.js';
import { architectures, EXIT, openSession, print, printJson, type GlobalOptions } from './context.js';

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
  if (g.json) printJson(arches.length === 1 ? results[0] : results);
  else {
    const details = arches.length === 1 || opts.verbose;
    for (const r of results) print('error' in r ? `${targets.join(' ')} on ${r.arch}: no (${r.error})` : formatBuild(r, details, opts.verbose).join('\n'));
    if (opts.out && answers.some((a) => a.witness)) print(`witness written to ${opts.out}`);
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
  if (g.json) printJson(arches.length === 1 ? rows[0] : rows);
  else {
    const details = arches.length === 1 || opts.verbose;
    for (const r of rows) {
      if (r.error !== undefined) {
        print(r.error);
        continue;
      }
      print(`${target} on ${r.arch}: ${r.values.length ? r.values.map((v) => (v === 'y' ? 'y (built in)' : 'm (module)')).join(', ') : 'not built in any valid configuration'}`);
      if (details) for (const a of [r.y!, r.m!]) print(formatBuild(a, true, opts.verbose).map((l) => `  ${l}`).join('\n'));
    }
  }
  return rows.some((r) => r.values.length > 0) ? EXIT.yes : EXIT.no;
}

export function runKbuildInfo(g: GlobalOptions): number {
  const rows = architectures(g).map((arch) => kbuildInfo(openSession(g, arch)));
  if (g.json) printJson(rows.length === 1 ? rows[0] : rows);
  else for (const r of rows) print(formatInfo(r));
  return EXIT.yes;
}

function formatInfo(r: KbuildInfo): string {
  const lines = [`${r.arch}: ${r.makefiles} makefiles, ${r.directories} directories, ${r.objects} objects, ${r.freeInputs.length} free inputs`];
  for (const f of r.freeInputs) lines.push(`  ${f.loc.file}:${f.loc.line}  ${f.text}`);
  return lines.join('\n');
}
