/**
 * The audit of a tree as a command asks for it: every arch asked for (on
 * worker threads with `jobs` > 1), each finding confirmed by the kernel's
 * own conf when a conf binary is given, the findings grouped by select line
 * and counted per arch. The CLI's `audit`, scripts/sweep and
 * scripts/randconfig-unmet all come here.
 */
import { groupFindings, type AuditFinding, type AuditGroup } from '../analysis/audit.js';
import { withArch, type SessionOptions } from '../analysis/session.js';
import { KconfsatError } from '../errors.js';
import { auditArches, type ArchAuditReport, type ArchProgress } from './arches.js';
import { confirmFindings, confRunsShell } from './confirm.js';

/** What {@link auditTree} audits and how. */
export interface TreeAuditOptions {
  /** Load options every arch shares; `arch` is set per arch. */
  load: SessionOptions;
  /** The arches audited ([undefined] for a tree without arches). */
  arches: (string | undefined)[];
  /** Arches audited at once (worker threads), and conf runs at once. */
  jobs?: number;
  /**
   * Confirm each finding with this conf binary (reference.ts's buildConf).
   * The tree must be a path and every arch named; the sessions then run
   * $(shell,...) with conf's environment, as conf does (confRunsShell).
   */
  conf?: string;
  onProgress?: (p: ArchProgress) => void;
  /** Before conf confirms the findings of arch `index`. */
  onConfirm?: (index: number, findings: number) => void;
}

/** One arch's audit without its findings: the counts a summary line prints. */
export type ArchAuditSummary = Omit<ArchAuditReport, 'findings'> & {
  findings: number;
  /** With conf: the findings conf confirmed. */
  confirmed?: number;
};

/** The audit of every arch of {@link auditTree}. */
export interface TreeAudit {
  /** Per arch, in the order asked. */
  arches: ArchAuditSummary[];
  /** Every arch's findings, arch by arch (with `confirmed` when conf was asked). */
  findings: (AuditFinding & { confirmed?: boolean })[];
  /** The findings grouped by select line (groupFindings). */
  groups: AuditGroup[];
  /** With conf: findings confirmed, of all. */
  confirmed?: { confirmed: number; total: number };
}

/**
 * Audits every arch of `options.arches` and, with `options.conf`, confirms
 * each finding with conf.
 *
 *   const { groups, confirmed } = await auditTree({ load: { tree }, arches: ['i386'], conf: buildConf(tree) });
 */
export async function auditTree(options: TreeAuditOptions): Promise<TreeAudit> {
  const { conf, jobs = 1 } = options;
  const tree = options.load.tree;
  if (conf !== undefined && (typeof tree !== 'string' || options.arches.includes(undefined))) {
    throw new KconfsatError('usage', 'confirming with conf needs the tree as a path and an arch for every run (conf runs for one ARCH)');
  }
  const sessions = options.arches.map((arch) => {
    const load = withArch(options.load, arch);
    return conf !== undefined ? confRunsShell(load, tree as string, arch!) : load;
  });
  const reports = await auditArches(sessions, { jobs, ...(options.onProgress ? { onProgress: options.onProgress } : {}) });
  let findings: (AuditFinding & { confirmed?: boolean })[] = reports.flatMap((r) => r.findings);
  if (conf !== undefined) {
    findings = [];
    for (const [i, r] of reports.entries()) {
      options.onConfirm?.(i, r.findings.length);
      findings.push(...(await confirmFindings(r.findings, { tree: tree as string, arch: r.arch!, conf, jobs })));
    }
  }
  return {
    arches: reports.map(({ findings: found, ...rest }) => ({
      ...rest,
      findings: found.length,
      ...(conf !== undefined ? { confirmed: findings.filter((f) => f.arch === rest.arch && f.confirmed).length } : {}),
    })),
    findings,
    groups: groupFindings(findings),
    ...(conf !== undefined ? { confirmed: { confirmed: findings.filter((f) => f.confirmed).length, total: findings.length } } : {}),
  };
}

