/**
 * Per-arch runs: the audit over several architectures, one Session per arch,
 * audited one after another in this thread or, with `jobs` > 1, on `jobs`
 * worker threads that take the arches in turn; and the arch lists commands
 * and scripts run over.
 */
import { KconfsatError } from '../errors.js';
import { audit, type AuditProgress, type AuditReport } from '../analysis/audit.js';
import { Session, type SessionOptions } from '../analysis/session.js';
import { listArchitectures } from '../model/arch.js';
import { openTree } from '../model/load.js';
import { mapOnWorkers, type Post } from './worker.js';

/** One arch's audit, with the time it took. */
export interface ArchAuditReport extends AuditReport {
  /** Load, encode and audit, in milliseconds. */
  ms: number;
}

/** Where the audit of one arch of {@link auditArches} is. */
export interface ArchProgress extends AuditProgress {
  /** Index into the session options given to auditArches. */
  index: number;
  /** `loading` until the session is open; done/total count selects. */
  phase: 'loading' | 'auditing' | 'done';
}

/** How {@link auditArches} runs. */
export interface AuditArchesOptions {
  /** Arches audited at once; above 1 each runs on a worker thread (needs a tree given as a path). */
  jobs?: number;
  onProgress?: (p: ArchProgress) => void;
}

/**
 * The audit of each of `sessions` (one per arch), in their order.
 *
 *   const reports = await auditArches(['i386', 'x86_64'].map((arch) => ({ tree, arch })), { jobs: 2 });
 */
export async function auditArches(sessions: SessionOptions[], options: AuditArchesOptions = {}): Promise<ArchAuditReport[]> {
  const jobs = options.jobs ?? 1;
  const report = options.onProgress ?? (() => undefined);
  const threaded = jobs > 1 && sessions.every((s) => typeof s.tree === 'string');
  if (threaded) return mapOnWorkers<SessionOptions, ArchAuditReport, Progress>(import.meta.url, auditOne.name, sessions, jobs, (p, index) => report({ ...p, index }));
  return sessions.map((session, index) => auditOne(session, (p) => report({ ...p, index })));
}

type Progress = Omit<ArchProgress, 'index'>;

/** One arch, its progress reported (posted, as a worker job). */
export function auditOne(options: SessionOptions, onProgress: Post<Progress>): ArchAuditReport {
  const t0 = performance.now();
  onProgress({ phase: 'loading', done: 0, total: 0, findings: 0 });
  const result = audit(Session.open(options), { onProgress: (p) => onProgress({ ...p, phase: 'auditing' }) });
  const ms = Math.round(performance.now() - t0);
  onProgress({ phase: 'done', done: result.selects, total: result.selects, findings: result.findings.length });
  return { ...result, ms };
}

/**
 * Every arch of a tree (its arch/X/Kconfig directories, as listArchitectures
 * reads them); an 'arch' error naming `asked` (what asked for all of them,
 * such as `--arch all`) when it has none.
 */
export function allArches(tree: string, asked: string): string[] {
  const arches = listArchitectures(openTree(tree));
  if (arches.length === 0) throw new KconfsatError('arch', `${asked}: ${tree} has no arch/*/Kconfig`);
  return arches;
}
