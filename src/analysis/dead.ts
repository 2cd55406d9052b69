/**
 * Dead symbols (no valid configuration enables them, not even as m) and
 * always-on symbols (no valid configuration disables them), exact: the
 * backbone of the formula over each symbol's "enabled" literal.
 *
 * As backbone tools do (CadiBack): one model makes every symbol a candidate
 * for the side it takes there, only candidates are asked about, and every
 * model found on the way drops every candidate it flips. On Linux seven in ten
 * candidates are backbone, and unit propagation alone proves nearly all of
 * them without a solve. The rest are asked in runs of definition order that
 * grow while they flip together and shrink to one around a backbone symbol;
 * a run takes one member of a choice at a time. On Linux 6.1 x86_64 that is
 * 121 solves (3,581 before propagation and the choice rule; a yes, a whole
 * model, costs about 10 ms). Models lean towards "on" on both sides: a
 * second solver leaning off, for the always-on side, cost more to load
 * (0.4 s on Linux) than the few models it saved.
 */
import type { Lit } from '../formula/formula.js';
import type { Choice, KSymbol } from '../model/types.js';
import { explain, type Explanation } from './explain.js';
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

/** Most candidates asked to flip together (one activation clause each per solve). */
const CHUNK = 4096;

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
  // Most backbone candidates fail by unit propagation alone: proven so here, they cost no solve.
  const refuted = (side: Set<KSymbol>, flip: (s: KSymbol) => Lit): Set<KSymbol> => {
    const propagator = session.formula.propagator();
    const proven = new Set<KSymbol>();
    if (!propagator.consistent) return proven;
    for (const s of side) {
      if (!propagator.assume([flip(s)])) proven.add(s);
      else propagator.reset();
    }
    return proven;
  };
  /**
   * The candidates of one side that no model can flip. The next `size` candidates are asked to flip
   * together: a yes settles them all with one model (and the next run is twice as long), a no halves
   * the run, down to one candidate, whose no proves it.
   */
  const never = (phase: DeadPhase, side: Set<KSymbol>, flip: (s: KSymbol) => Lit): KSymbol[] => {
    const proven = refuted(side, flip);
    let size = 1;
    for (;;) {
      const group: KSymbol[] = [];
      // Two members of one choice seldom flip together (a bool choice has one y): such a group would
      // fail and halve down to one member; the second waits for a later group.
      const choices = new Set<Choice>();
      for (const s of side) {
        if (group.length === size) break;
        if (proven.has(s) || (s.memberOf && choices.has(s.memberOf))) continue;
        group.push(s);
        if (s.memberOf) choices.add(s.memberOf);
      }
      if (group.length === 0) break;
      if (ask(group.map(flip))) size = Math.min(size * 2, CHUNK);
      else if (group.length === 1) proven.add(group[0]!);
      else size = group.length >> 1;
      progress(phase, symbols.length - side.size + proven.size, symbols.length);
    }
    return [...side];
  };
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
