/**
 * Confirming audit findings with the kernel's own conf (Linux trees): each
 * witness goes through conf's olddefconfig via scripts/conf-reference, and a
 * finding is confirmed when conf warns "unmet direct dependencies detected"
 * for its selectee with its selector among the terms that caused the warning.
 *
 * conf runs $(shell,...) with the host toolchain, so the findings must come
 * from a session that did too (runShell) with conf's environment
 * (reference.ts's confEnvironment, which confRunsShell adds); otherwise
 * conf may compute another configuration.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { causingPairs, pairKey, parseConfWarnings } from '../io/conf-warnings.js';
import { parseDotConfig, writeDotConfig } from '../io/dotconfig.js';
import type { AuditFinding } from '../analysis/audit.js';
import type { SessionOptions } from '../analysis/session.js';
import { mapConcurrent } from './pool.js';
import { confEnvironment, confOlddefconfig, type Corpus } from './reference.js';

/** A finding with whether conf warned for its select on its witness. */
export type ConfirmedFinding = AuditFinding & { confirmed: boolean };

/** Which conf confirms, on which tree and arch. */
export interface ConfirmOptions {
  tree: string;
  arch: string;
  /** The conf binary (buildConf). */
  conf: string;
  /** conf runs at once (default 1). */
  jobs?: number;
}

/** What conf's olddefconfig made of a .config: the values it wrote and the (selectee, selector) pairs it warned about. */
export interface OlddefconfigResult {
  values: Map<string, string>;
  warned: Set<string>;
}

/** conf olddefconfig on `text` (a .config) for one arch, written into `dir` as `name`. */
export async function olddefconfigOf(text: string, options: ConfirmOptions, dir: string, name: string): Promise<OlddefconfigResult> {
  const file = path.join(dir, name);
  fs.writeFileSync(file, text);
  const { warnings } = await confOlddefconfig(options, dir, file);
  const config = parseDotConfig(fs.readFileSync(path.join(dir, `olddef-${name}.config`), 'utf8'), name);
  return { values: new Map(config.entries.map((e) => [e.name, e.value])), warned: causingPairs(parseConfWarnings(warnings)) };
}

/** Runs olddefconfig once per distinct witness and checks conf's warnings against each finding. */
export async function confirmFindings(findings: AuditFinding[], options: ConfirmOptions): Promise<ConfirmedFinding[]> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `kconfsat-confirm-${options.arch}-`));
  try {
    // Findings settled by the same model share their witness: conf reads it once.
    const witnesses = findings.map((f) => writeDotConfig(f.witness));
    const texts = [...new Set(witnesses)];
    const warned = await mapConcurrent(texts, options.jobs ?? 1, async (text, i) => (await olddefconfigOf(text, options, dir, `witness-${i + 1}.config`)).warned);
    const byText = new Map(texts.map((t, i) => [t, warned[i]!]));
    return findings.map((f, i) => ({ ...f, confirmed: byText.get(witnesses[i]!)!.has(pairKey(f.selectee, f.selector)) }));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * `options` as conf sees the tree of `tree` for `arch`: $(shell,...) run on
 * this host, with the environment the kernel's Makefile hands conf (`corpus`:
 * default from the tree's version) under the one `options` sets. Findings of
 * such a session are the ones conf can confirm.
 */
export function confRunsShell(options: SessionOptions, tree: string, arch: string, corpus?: Corpus): SessionOptions {
  return { ...options, runShell: true, env: { ...confEnvironment(tree, arch, corpus), ...options.env } };
}
