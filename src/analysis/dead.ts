/**
 * Dead symbols (no valid configuration enables them, not even as m) and
 * always-on symbols (no valid configuration disables them), exact: the
 * backbone of the formula over each symbol's "enabled" literal.
 *
 * As backbone tools do (CadiBack): one model makes every symbol a candidate
 * for the side it takes there, only candidates are asked about (runs.ts), and
 * every model found on the way drops every candidate it flips. On Linux seven
 * in ten candidates are backbone, and unit propagation alone proves nearly
 * all of them without a solve. On Linux 6.1 x86_64 that is 42 solves (3,581
 * before propagation; a yes, a whole model, costs about 5-10 ms). One solver
 * asks both sides: a second one leaning off, for the always-on side, cost
 * more to load (0.4 s on Linux) than the few models it saved.
 */
import type { Lit } from '../formula/formula.js';
import type { KSymbol } from '../model/types.js';
import { explain, type Explanation } from './explain.js';
import { ungranted } from './runs.js';
import type { Session } from './session.js';

export interface DeadSymbol {
  symbol: string;
  /** Why, when asked for: a minimal set of Kconfig facts. */
  reason?: Explanation;
}

export interface DeadReport {
  arch?: string;
  /** bool/tristate symbols looked at (choices themselves are not symbols a user sets). */
  checked: number;
  dead: DeadSymbol[];
  alwaysOn: DeadSymbol[];
  solves: number;
}

export interface DeadOptions {
  /** Explain each dead and always-on symbol (a minimal set of Kconfig facts each). */
  reasons?: boolean;
  /** Only symbols with a prompt: those a user is offered but no configuration lets enable (or disable). */
  promptOnly?: boolean;
  /** Only these symbols (what a change can affect). */
  only?: ReadonlySet<string>;
  /** Look for always-on symbols too (default true). */
  alwaysOn?: boolean;
  /** Called as the search goes: symbols settled of `total` in the phase, or reasons given. */
  onProgress?: (phase: DeadPhase, done: number, total: number) => void;
}

export type DeadPhase = 'dead' | 'always on' | 'reasons';

export function deadSymbols(session: Session, options: DeadOptions = {}): DeadReport {
  const progress = options.onProgress ?? (() => undefined);
  const symbols = session.model.symbols.filter(
    (s) =>
      s.definitions.length > 0 &&
      !s.ownChoice &&
      session.formula.isTristate(s) &&
      (!options.promptOnly || s.prompts.length > 0) &&
      (!options.only || options.only.has(s.name)),
  );
  const enabled = (s: KSymbol): Lit => session.formula.enabled(s);
  // The candidates, in definition order: for dead, off in every model so far; for always on, on in every one.
  // Without any valid configuration every symbol stays both (vacuously).
  const off = new Set(symbols);
  const on = new Set(symbols);
  let solves = 0;
  /** Solves; a model drops every candidate it flips. */
  const ask = (assumptions: Lit[]): boolean => {
    solves++;
    if (session.formula.solve(assumptions) === 'unsat') return false;
    const holds = session.formula.modelReader();
    for (const s of off) if (holds(enabled(s))) off.delete(s);
    for (const s of on) if (!holds(enabled(s))) on.delete(s);
    return true;
  };
  ask([]);
  const never = (phase: DeadPhase, side: Set<KSymbol>, flip: (s: KSymbol) => Lit): KSymbol[] =>
    ungranted(session.formula, [...side], {
      lits: (s) => [flip(s)],
      open: (s) => side.has(s),
      ask,
      onRun: (proven) => progress(phase, symbols.length - side.size + proven, symbols.length),
    });
  const deadSymbols = never('dead', off, enabled);
  const alwaysOnSymbols = options.alwaysOn === false ? [] : never('always on', on, (s) => -enabled(s));
  let explained = 0;
  const withReason = (sym: KSymbol, assumption: Lit): DeadSymbol => {
    if (!options.reasons) return { symbol: sym.name };
    progress('reasons', explained++, deadSymbols.length + alwaysOnSymbols.length);
    return { symbol: sym.name, reason: explain(session, [assumption], [sym]) };
  };
  const dead = deadSymbols.map((s) => withReason(s, enabled(s)));
  const alwaysOn = alwaysOnSymbols.map((s) => withReason(s, -enabled(s)));
  const report: DeadReport = { checked: symbols.length, dead, alwaysOn, solves };
  if (session.arch) report.arch = session.arch;
  return report;
}
