/**
 * The two "minimal fix" commands: `fix` (verified Kconfig patches for audit
 * findings) and `resolve` (minimal changes to a .config for a wish).
 */
import * as path from 'node:path';
import type { FixReport, ImpactEntry, VerifiedRepair } from '../analysis/fix.js';
import { resolve, type ResolveResult } from '../analysis/resolve.js';
import { configValues } from '../analysis/session.js';
import { KconfsatError } from '../errors.js';
import { writeDotConfig } from '../io/dotconfig.js';
import { safeFileNames } from '../io/files.js';
import { allArches } from '../workflow/arches.js';
import { fixTree } from '../workflow/fix.js';
import { formatExplanation } from '../io/explanation.js';
import { readConfig } from './commands.js';
import { architectures, defaultConfigFile, dotConfigPrefix, EXIT, loadOptions, openSession, print, positiveInteger, printJson, writeOutputs, type GlobalOptions } from './context.js';
import { statusLine } from './progress.js';

export interface FixCommandOptions {
  finding: string[];
  verifyArch?: string;
  patchDir?: string;
  jobs: string;
}

export async function runFix(opts: FixCommandOptions, g: GlobalOptions): Promise<number> {
  const arches = architectures(g);
  const progress = statusLine('fix', g.progress);
  const report = await fixTree({
    load: loadOptions(g, undefined),
    arches,
    ...verificationArches(opts.verifyArch, g),
    only: opts.finding.length ? opts.finding : undefined,
    jobs: positiveInteger(opts.jobs, '--jobs'),
    onProgress: (m, fraction) => progress?.show(m, fraction, true),
  });
  progress?.finish();
  const patches = opts.patchDir !== undefined ? await writePatches(g, opts.patchDir, report) : [];
  if (g.json) printJson(g, report);
  else {
    for (const r of report.results) {
      const f = r.finding;
      print(g, `${f.selector} selects ${f.selectee} (${f.loc.file}:${f.loc.line}), unmet on ${f.arches.join(', ') || 'this tree'} (${(r.ms / 1000).toFixed(1)} s)`);
      r.candidates.forEach((c, i) => print(g, formatCandidate(c, i + 1)));
      for (const s of r.skipped) print(g, `     not proposed: ${s.kind}: ${s.reason}`);
    }
    const repaired = report.results.filter((r) => r.candidates.some((c) => c.verified)).length;
    const where = report.verifyArches.length ? ` (verified on ${report.verifyArches.join(', ')})` : '';
    print(g, `${report.results.length} finding(s), ${repaired} with a verified repair${where}`);
    if (opts.patchDir !== undefined) print(g, `${patches.length} patches written to ${opts.patchDir}${patches.length ? `: ${patches.join(', ')}` : ''}`);
  }
  return report.results.every((r) => r.candidates.some((c) => c.verified)) ? EXIT.yes : EXIT.no;
}

/** --verify-arch: a comma list or 'all'; by default fixTree's, every arch of the tree, as a fix must hold everywhere. */
function verificationArches(option: string | undefined, g: GlobalOptions): { verifyArches?: string[] } {
  if (option === undefined) return {};
  return { verifyArches: option === 'all' ? allArches(g.tree, '--verify-arch all') : option.split(',').filter((a) => a !== '') };
}

function formatCandidate(c: VerifiedRepair, rank: number): string {
  const lines = [`  ${rank}. ${c.kind}: ${c.summary}`];
  if (!c.verified) lines.push(`     rejected: ${c.rejected}`);
  else {
    const on = c.checkedOn.length ? ` on ${c.checkedOn.join(', ')}` : '';
    lines.push(`     verified${on}; impact ${c.impactScore}${c.impactScore === 0 ? ' (nothing else changes)' : ''}${c.impact.length ? ':' : ''}`);
    for (const e of c.impact) lines.push(`       ${formatImpact(e)}`);
  }
  return lines.join('\n');
}

function formatImpact(e: ImpactEntry): string {
  const where = e.arch ? `${e.arch}: ` : '';
  if (e.guaranteeLost) return `${where}${e.guaranteeLost}`;
  const parts = [...(e.lost.length ? [`can no longer be ${e.lost.join('/')}`] : []), ...(e.gained.length ? [`can now be ${e.gained.join('/')}`] : [])];
  return `${where}${e.symbol} ${parts.join(', ')}${e.intended ? ' (intended: only the unmet dependency allowed it)' : ''}`;
}

/** The best verified repair of each finding, one patch file each: SELECTOR-SELECTEE-FILE-LINE.patch, made safe and unique by safeFileNames. */
async function writePatches(g: GlobalOptions, dir: string, report: FixReport): Promise<string[]> {
  const repaired = report.results.flatMap((r) => {
    const best = r.candidates.find((c) => c.verified);
    return best ? [{ finding: r.finding, patch: best.patch }] : [];
  });
  const names = safeFileNames(
    repaired.map(({ finding: f }) => ({
      parts: [f.selector, f.selectee, path.basename(f.loc.file), String(f.loc.line)],
      identity: [f.selector, f.selectee, f.loc.file, f.loc.line].join('\0'),
    })),
    '.patch',
  );
  await writeOutputs(g, dir, repaired.map((r, i) => ({ file: path.join(dir, names[i]!), content: r.patch })));
  return names;
}

export interface ResolveCommandOptions {
  config?: string;
  max: string;
  maxChanges: string;
  outDir?: string;
}

export async function runResolve(wishes: string[], opts: ResolveCommandOptions, g: GlobalOptions): Promise<number> {
  if (g.arch === 'all') throw new KconfsatError('usage', 'resolve works on one arch at a time (a .config belongs to one)');
  const limits = { max: positiveInteger(opts.max, '--max'), maxChanges: positiveInteger(opts.maxChanges, '--max-changes') };
  const configFile = opts.config ?? defaultConfigFile();
  const base = configValues(readConfig(configFile));
  const result = resolve(openSession(g), wishes, base, limits);
  const files = opts.outDir !== undefined
    ? result.diagnoses.map((d, i) => ({ file: path.join(opts.outDir!, `diagnosis-${i + 1}.config`), content: writeDotConfig(d.config, dotConfigPrefix()) }))
    : [];
  if (opts.outDir !== undefined) await writeOutputs(g, opts.outDir, files);
  if (g.json) printJson(g, result);
  else print(g, formatResolve(result, configFile, files.map((f) => f.file)).join('\n'));
  return result.diagnoses.length ? EXIT.yes : EXIT.no;
}

function formatResolve(r: ResolveResult, configFile: string, written: string[]): string[] {
  const head = `${r.wishes.join(' && ')}${r.arch ? ` on ${r.arch}` : ''}, from ${configFile}`;
  if (!r.satisfiable) return [`${head}: no change can help`, ...(r.explanation ? formatExplanation(r.explanation, '  ') : [])];
  if (r.diagnoses.length === 1 && r.diagnoses[0]!.changes.length === 0) return [`${head}: already holds, nothing to change`];
  if (r.diagnoses.length === 0) return [`${head}: no diagnosis within the change limit (raise --max-changes)`];
  const lines = [`${head}: ${r.diagnoses.length} minimal diagnos${r.diagnoses.length === 1 ? 'is' : 'es'}${r.complete ? '' : ' (more exist; raise --max)'}`];
  r.diagnoses.forEach((d, i) => {
    const changes = d.changes.map((c) => `${c.name} ${c.from || '""'} -> ${c.to || '""'}`).join(', ');
    lines.push(`  ${i + 1}. ${changes}${written[i] ? `  (${written[i]})` : ''}`);
  });
  return lines;
}
