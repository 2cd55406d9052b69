/**
 * Confirming audit findings with the kernel's own conf (Linux trees): each
 * witness goes through conf's olddefconfig via scripts/conf-reference, and a
 * finding is confirmed when conf warns "unmet direct dependencies detected"
 * for its selectee with its selector among the terms that caused the warning.
 *
 * conf runs $(shell,...) with the host toolchain, so the findings must come
 * from a session that did too (runShell) with conf's environment
 * (confEnvironment); otherwise conf may compute another configuration.
 */
import { execFile, execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { KconfsatError } from '../errors.js';
import { causingPairs, pairKey, parseConfWarnings } from '../io/conf-warnings.js';
import { parseDotConfig, writeDotConfig } from '../io/dotconfig.js';
import { packageRoot } from '../io/package-root.js';
import type { AuditFinding } from './audit.js';
import { mapConcurrent } from './pool.js';

export type ConfirmedFinding = AuditFinding & { confirmed: boolean };

export interface ConfirmOptions {
  tree: string;
  arch: string;
  /** The conf binary (buildConf). */
  conf: string;
  /** conf runs at once (default 1). */
  jobs?: number;
}

/** scripts/ of this package. */
function kernelScript(name: string): string {
  const file = path.join(packageRoot(), 'scripts', name);
  if (!fs.existsSync(file)) throw new KconfsatError('io', `cannot find scripts/${name} of the kconfsat package`);
  return file;
}

function requireLinuxTree(tree: string): void {
  if (!fs.existsSync(path.join(tree, 'scripts/kconfig/conf.c'))) {
    throw new KconfsatError('usage', `${tree} is not a Linux tree (no scripts/kconfig/conf.c): conf cannot confirm`);
  }
}

function runScript(name: string, args: string[]): string {
  try {
    return execFileSync('bash', [kernelScript(name), ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (e) {
    const stderr = String((e as { stderr?: string }).stderr ?? '').trim().split('\n').pop();
    throw new KconfsatError('io', `${name} failed: ${stderr || (e as Error).message}`);
  }
}

/** Builds the tree's scripts/kconfig/conf (cached) and returns its path. */
export function buildConf(tree: string): string {
  requireLinuxTree(tree);
  return runScript('build-conf', [tree]).trim().split('\n').pop()!;
}

/** The environment conf runs with for this arch (what the kernel Makefile exports), for the audit's Session. */
export function confEnvironment(tree: string, arch: string, conf: string): Record<string, string> {
  requireLinuxTree(tree);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kconfsat-confenv-'));
  try {
    return parseEnvLines(runScript('conf-reference', [tree, arch, dir, '--env-only', '--conf', conf]));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

function parseEnvLines(text: string): Record<string, string> {
  const env: Record<string, string> = {};
  for (const line of text.split('\n')) {
    const eq = line.indexOf('=');
    if (eq > 0) env[line.slice(0, eq)] = line.slice(eq + 1);
  }
  return env;
}

/** What conf's olddefconfig made of a .config: the values it wrote and the (selectee, selector) pairs it warned about. */
export interface OlddefconfigResult {
  values: Map<string, string>;
  warned: Set<string>;
}

/** conf olddefconfig on `text` (a .config) for one arch, in `dir` as `name`. */
export async function confOlddefconfig(text: string, options: ConfirmOptions, dir: string, name: string): Promise<OlddefconfigResult> {
  fs.writeFileSync(path.join(dir, name), text);
  await promisify(execFile)('bash', [kernelScript('conf-reference'), options.tree, options.arch, dir, '--olddefconfig', path.join(dir, name), '--conf', options.conf], {
    maxBuffer: 1 << 26,
  }).catch((e: { stderr?: string }) => {
    throw new KconfsatError('io', `conf olddefconfig failed on ${options.arch}: ${String(e.stderr ?? '').trim().split('\n').pop()}`);
  });
  const config = parseDotConfig(fs.readFileSync(path.join(dir, `olddef-${name}.config`), 'utf8'), name);
  return {
    values: new Map(config.entries.map((e) => [e.name, e.value])),
    warned: causingPairs(parseConfWarnings(fs.readFileSync(path.join(dir, `olddef-${name}.warnings`), 'utf8'))),
  };
}

/** Runs olddefconfig once per distinct witness and checks conf's warnings against each finding. */
export async function confirmFindings(findings: AuditFinding[], options: ConfirmOptions): Promise<ConfirmedFinding[]> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `kconfsat-confirm-${options.arch}-`));
  try {
    // Findings settled by the same model share their witness: conf reads it once.
    const witnesses = findings.map((f) => writeDotConfig(f.witness));
    const texts = [...new Set(witnesses)];
    const warned = await mapConcurrent(texts, options.jobs ?? 1, async (text, i) => (await confOlddefconfig(text, options, dir, `witness-${i + 1}.config`)).warned);
    const byText = new Map(texts.map((t, i) => [t, warned[i]!]));
    return findings.map((f, i) => ({ ...f, confirmed: byText.get(witnesses[i]!)!.has(pairKey(f.selectee, f.selector)) }));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
