/**
 * Progress on stderr for long commands: one line redrawn in place (at most
 * every 100 ms) with what is being done, how far along and an ETA. Shown when
 * stderr is a terminal, or always with --progress; never on a --timeout
 * worker's held output.
 */
import type { ArchProgress } from '../workflow/arches.js';

export class StatusLine {
  private readonly started = performance.now();
  private lastDraw = 0;

  constructor(
    private readonly title: string,
    private readonly stream: NodeJS.WriteStream = process.stderr,
  ) {}

  /** `fraction` of the whole work is done (undefined: unknown, no ETA); `doing` says what runs now. */
  show(doing: string, fraction?: number, force = false): void {
    const now = performance.now();
    if (!force && now - this.lastDraw < (this.stream.isTTY ? 100 : 1000)) return;
    this.lastDraw = now;
    const elapsed = (now - this.started) / 1000;
    const percent = fraction !== undefined ? ` ${Math.floor(fraction * 100)}%` : '';
    const eta = fraction !== undefined && fraction > 0.01 && fraction < 1 ? `, ETA ${duration((elapsed * (1 - fraction)) / fraction)}` : '';
    const text = `${this.title}:${percent} ${doing} (${duration(elapsed)}${eta})`;
    const width = this.stream.columns ? this.stream.columns - 1 : 120;
    // On a terminal the line is redrawn; elsewhere (--progress into a file) each update is a line of its own.
    this.stream.write(this.stream.isTTY ? `\r\x1b[K${text.slice(0, width)}` : `${text}\n`);
  }

  finish(): void {
    if (this.stream.isTTY) this.stream.write('\r\x1b[K');
  }
}

/** A status line when progress is wanted: stderr is a terminal, or --progress. */
export function statusLine(title: string, forced: boolean): StatusLine | undefined {
  return forced || process.stderr.isTTY ? new StatusLine(title) : undefined;
}

/** The audit's line: arches being audited with their selects done/total and findings so far. */
export class AuditProgress {
  private readonly state = new Map<number, ArchProgress>();
  private note = '';

  constructor(
    private readonly labels: string[],
    private readonly line: StatusLine,
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
    this.line.finish();
  }

  private draw(force: boolean): void {
    const all = [...this.state.values()];
    const running = all.filter((p) => p.phase !== 'done').sort((a, b) => a.index - b.index);
    const done = all.length - running.length;
    const findings = all.reduce((n, p) => n + p.findings, 0);
    if (this.note) return this.line.show(this.note, undefined, force);
    // Loading counts as no progress: the ETA errs on the long side early on.
    const fraction = (done + running.reduce((f, p) => f + (p.total ? p.done / p.total : 0), 0)) / this.labels.length;
    const current = running.map((p) => `${this.labels[p.index] ?? 'tree'} ${p.phase === 'loading' ? 'loading' : `${p.done}/${p.total}`}`);
    this.line.show(`${current.join(', ') || 'starting'}; arches ${done}/${this.labels.length}, ${findings} findings`, fraction, force);
  }
}

export function duration(seconds: number): string {
  const s = Math.round(seconds);
  return s < 60 ? `${s}s` : `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
}
