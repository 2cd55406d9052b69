/**
 * The audit's progress line on a terminal's stderr: arches being audited with
 * their selects done/total, findings so far and an ETA. Redrawn in place at
 * most every 100 ms; the caller only creates it when stderr is a TTY.
 */
import type { ArchProgress } from '../analysis/audit-arches.js';

export class ProgressLine {
  private readonly state = new Map<number, ArchProgress>();
  private readonly started = performance.now();
  private lastDraw = 0;
  private note = '';

  constructor(
    private readonly labels: string[],
    private readonly stream: NodeJS.WriteStream = process.stderr,
  ) {}

  readonly update = (p: ArchProgress): void => {
    this.state.set(p.index, p);
    this.draw(p.phase !== 'auditing');
  };

  /** A phase after the audit (e.g. conf confirming witnesses). */
  message(text: string): void {
    this.note = text;
    this.draw(true);
  }

  finish(): void {
    this.stream.write('\r\x1b[K');
  }

  private draw(force: boolean): void {
    const now = performance.now();
    if (!force && now - this.lastDraw < 100) return;
    this.lastDraw = now;
    const all = [...this.state.values()];
    const running = all.filter((p) => p.phase !== 'done').sort((a, b) => a.index - b.index);
    const done = all.length - running.length;
    const findings = all.reduce((n, p) => n + p.findings, 0);
    // Loading counts as no progress: the ETA errs on the long side early on.
    const fraction = (done + running.reduce((f, p) => f + (p.total ? p.done / p.total : 0), 0)) / this.labels.length;
    const elapsed = (now - this.started) / 1000;
    const eta = fraction > 0.01 && fraction < 1 ? `, ETA ${duration((elapsed * (1 - fraction)) / fraction)}` : '';
    const current = running.map((p) => `${this.labels[p.index] ?? 'tree'} ${p.phase === 'loading' ? 'loading' : `${p.done}/${p.total}`}`);
    const text = this.note || `audit: ${current.join(', ') || 'starting'}; arches ${done}/${this.labels.length}, ${findings} findings${eta}`;
    const width = this.stream.columns ? this.stream.columns - 1 : 120;
    this.stream.write(`\r\x1b[K${text.slice(0, width)}`);
  }
}

export function duration(seconds: number): string {
  const s = Math.round(seconds);
  return s < 60 ? `${s}s` : `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
}
