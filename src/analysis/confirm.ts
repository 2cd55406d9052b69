/**
 * Confirming audit findings with the kernel's own conf (Linux trees): each
 * witness goes through conf's olddefconfig via scripts/conf-reference, and a
 * finding is confirmed when conf warns "unmet direct dependencies detected"
 * for its selectee with its selector among the terms that caused the warning.
 *
 * conf runs $(shell,...) with the host toolchain, so the findings must come
 * from a session that did too (runShell) with conf's environment
 * (workflow/reference.ts's confEnvironment); otherwise conf may compute
 * another configuration.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { causingPairs, pairKey, parseConfWarnings } from '../io/conf-warnings.js';
import { writeDotConfig } from '../io/dotconfig.js';
import { confOlddefconfig } from '../workflow/reference.js';
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

/** Runs olddefconfig once per distinct witness and checks conf's warnings against each finding. */
export async function confirmFindings(findings: AuditFinding[], options: ConfirmOptions): Promise<ConfirmedFinding[]> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `kconfsat-confirm-${options.arch}-`));
  try {
    // Findings settled by the same model share their witness: conf reads it once.
    const witnesses = findings.map((f) => writeDotConfig(f.witness));
    const texts = [...new Set(witnesses)];
    const warned = await mapConcurrent(texts, options.jobs ?? 1, async (text, i) => {
      const file = path.join(dir, `witness-${i + 1}.config`);
      fs.writeFileSync(file, text);
      return causingPairs(parseConfWarnings((await confOlddefconfig(options, dir, file)).warnings));
    });
    const byText = new Map(texts.map((t, i) => [t, warned[i]!]));
    return findings.map((f, i) => ({ ...f, confirmed: byText.get(witnesses[i]!)!.has(pairKey(f.selectee, f.selector)) }));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
