/**
 * The audit over several architectures: one Session per arch, audited one
 * after another in this thread or, with `jobs` > 1, each on its own worker
 * thread (a fresh worker per arch, so its memory goes when the arch is done).
 * The findings are then grouped so that a select reachable on several arches
 * is one finding with the list of those arches.
 */
import { fileURLToPath } from 'node:url';
import { parentPort, Worker, workerData } from 'node:worker_threads';
import { KconfsatError, type ErrorKind, type SourceLocation } from '../errors.js';
import type { Loc } from '../model/types.js';
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
    threaded ? onWorker(session, index, report) : Promise.resolve(auditOne(session, (p) => report({ ...p, index }))),
  );
}

type Progress = Omit<ArchProgress, 'index'>;

function auditOne(options: SessionOptions, onProgress: (p: Progress) => void): ArchAuditReport {
  const t0 = performance.now();
  onProgress({ phase: 'loading', done: 0, total: 0, findings: 0 });
  const result = audit(Session.open(options), { onProgress: (p) => onProgress({ ...p, phase: 'auditing' }) });
  const ms = Math.round(performance.now() - t0);
  onProgress({ phase: 'done', done: result.selects, total: result.selects, findings: result.findings.length });
  return { ...result, ms };
}

const WORKER_MARK = 'kconfsat-audit-worker';

type WorkerMessage =
  | { type: 'progress'; progress: Progress }
  | { type: 'done'; report: ArchAuditReport }
  | { type: 'error'; message: string; kind?: ErrorKind; location?: SourceLocation };

function onWorker(options: SessionOptions, index: number, onProgress: (p: ArchProgress) => void): Promise<ArchAuditReport> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(fileURLToPath(import.meta.url), { workerData: { mark: WORKER_MARK, options } });
    let settled = false;
    worker.on('message', (m: WorkerMessage) => {
      if (m.type === 'progress') onProgress({ ...m.progress, index });
      else {
        settled = true;
        if (m.type === 'done') resolve(m.report);
        // A user error keeps its kind and location, so the CLI prints it as one line.
        else reject(m.kind ? new KconfsatError(m.kind, m.message, m.location) : new Error(m.message));
      }
    });
    worker.on('error', (e) => {
      settled = true;
      reject(e);
    });
    worker.on('exit', (code) => {
      if (!settled) reject(new Error(`audit worker exited with code ${code}`));
    });
  });
}

// Worker thread entry: the same module, started by onWorker.
if (parentPort && (workerData as { mark?: string } | null)?.mark === WORKER_MARK) {
  const port = parentPort;
  const post = (m: WorkerMessage): void => port.postMessage(m);
  try {
    post({ type: 'done', report: auditOne((workerData as { options: SessionOptions }).options, (progress) => post({ type: 'progress', progress })) });
  } catch (e) {
    if (e instanceof KconfsatError) post({ type: 'error', message: e.message, kind: e.kind, ...(e.location ? { location: e.location } : {}) });
    else post({ type: 'error', message: e instanceof Error ? e.message : String(e) });
  }
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
