/**
 * The audit over several architectures: one Session per arch, audited one
 * after another in this thread or, with `jobs` > 1, each on its own worker
 * thread (a fresh worker per arch, so its memory goes when the arch is done).
 * The findings are then grouped so that a select reachable on several arches
 * is one finding with the list of those arches.
 */
import type { Loc } from '../model/types.js';
import { runOnWorker, type Post } from '../workflow/worker.js';
import { audit, type AuditFinding, type AuditProgress, type AuditReport } from './audit.js';
import { mapConcurrent } from './pool.js';
import { Session, type SessionOptions } from './session.js';

export interface ArchAuditReport extends AuditReport {
  /** Load, encode and audit, in milliseconds. */
  ms: number;
}

export interface ArchProgress extends AuditProgress {
  /** Index into the session options given to auditArches. */
  index: number;
  /** `loading` until the session is open; done/total count selects. */
  phase: 'loading' | 'auditing' | 'done';
}

export interface AuditArchesOptions {
  /** Arches audited at once; above 1 each runs on a worker thread (needs a tree given as a path). */
  jobs?: number;
  onProgress?: (p: ArchProgress) => void;
}

export async function auditArches(sessions: SessionOptions[], options: AuditArchesOptions = {}): Promise<ArchAuditReport[]> {
  const jobs = options.jobs ?? 1;
  const report = options.onProgress ?? (() => undefined);
  const threaded = jobs > 1 && sessions.every((s) => typeof s.tree === 'string');
  return mapConcurrent(sessions, jobs, (session, index) =>
    threaded
      ? runOnWorker<SessionOptions, ArchAuditReport, Progress>({ module: import.meta.url, name: auditOne.name, data: session }, { onMessage: (p) => report({ ...p, index }) })
      : Promise.resolve(auditOne(session, (p) => report({ ...p, index }))),
  );
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

/** One select that some arches let exceed its target's dependencies, with the finding on each. */
export interface AuditGroup {
  selector: string;
  selectee: string;
  loc: Loc;
  text: string;
  /** As on the first arch listed (arch-specific definitions can make it differ). */
  dependsOn: string;
  arches: string[];
  findings: (AuditFinding & { confirmed?: boolean })[];
}

export function groupFindings(findings: (AuditFinding & { confirmed?: boolean })[]): AuditGroup[] {
  const groups = new Map<string, AuditGroup>();
  for (const f of findings) {
    const key = `${f.selector}\0${f.selectee}\0${f.loc.file}\0${f.loc.line}`;
    let g = groups.get(key);
    if (!g) groups.set(key, (g = { selector: f.selector, selectee: f.selectee, loc: f.loc, text: f.text, dependsOn: f.dependsOn, arches: [], findings: [] }));
    if (f.arch !== undefined) g.arches.push(f.arch);
    g.findings.push(f);
  }
  return [...groups.values()].sort((a, b) => a.loc.file.localeCompare(b.loc.file) || a.loc.line - b.loc.line);
}
