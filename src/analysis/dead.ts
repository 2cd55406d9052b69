/**
 * Dead symbols (no valid configuration enables them, not even as m) and
 * always-on symbols (no valid configuration disables them), exact.
 *
 * Asking once per symbol would take thousands of satisfiable solves (~20 ms
 * each on Linux). Groups instead: "can all of them flip together?" and "can
 * any of them flip?" each settle a whole group with one answer (yes to the
 * first, no to the second), and every model found settles whatever it
 * flips. Other groups are halved. Symbols that cannot flip sit together in
 * definition order (one arch's or one driver's block), so halving finds whole
 * runs at once.
 */
import type { Lit } from '../logic/cnf.js';
import { FALSE, TRUE } from '../logic/cnf.js';
import type { KSymbol } from '../model/types.js';
import { explain, type Explanation } from './explain.js';
import type { Lean, Session } from './session.js';

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

/** Longest group asked about at once; MiniSat's clause buffer holds 16k literals. */
const CHUNK = 8000;

export interface DeadOptions {
  /** Explain each dead and always-on symbol (a minimal set of Kconfig facts each). */
  reasons?: boolean;
  /** Only symbols with a prompt: those a user is offered but no configuration lets enable (or disable). */
  promptOnly?: boolean;
  /** Only these symbols (what a change can affect). */
  only?: ReadonlySet<string>;
  /** Called as the search goes: symbols settled of `total` in the phase, or reasons given. */
  onProgress?: (phase: DeadPhase, done: number, total: number) => void;
}

export type DeadPhase = 'dead' | 'always on' | 'reasons';

export function deadSymbols(session: Session, options: DeadOptions = {}): DeadReport {
  const progress = options.onProgress ?? (() => undefined);
  const symbols = session.model.symbols.filter(
    (s) =>
      s.definitions.length > 0 &&
      !s.choiceInfo &&
      session.encoding.pairOf(s) &&
      (!options.promptOnly || s.prompts.length > 0) &&
      (!options.only || options.only.has(s.name)),
  );
  const enabled = (s: KSymbol): Lit => session.encoding.pairOf(s)!.m;
  let solves = 0;
  /** The symbols none of which any model can give `lit(s)`. */
  const never = (phase: DeadPhase, lit: (s: KSymbol) => Lit, lean: Lean): KSymbol[] => {
    const settled = new Set<KSymbol>();
    const settle = (): void => {
      for (const s of symbols) if (session.solver.value(lit(s))) settled.add(s);
    };
    const ask = (assumptions: Lit[], clauses: Lit[][] = []): boolean => {
      solves++;
      const sat = session.solve(assumptions, { clauses, lean }) === 'sat';
      if (sat) settle();
      progress(phase, settled.size + proven.length, symbols.length);
      return sat;
    };
    const proven: KSymbol[] = symbols.filter((s) => lit(s) === FALSE);
    ask([]);
    const groups = [symbols.filter((s) => lit(s) !== TRUE && lit(s) !== FALSE && !settled.has(s))];
    while (groups.length > 0) {
      const group = groups.pop()!.filter((s) => !settled.has(s));
      if (group.length === 0) continue;
      const lits = group.map(lit);
      // All of them at once, or none of them at all: either answer settles the whole group.
      if (group.length <= CHUNK && ask(lits)) continue;
      if (!ask([], [lits.slice(0, CHUNK)])) {
        proven.push(...group.slice(0, CHUNK));
        if (group.length > CHUNK) groups.push(group.slice(CHUNK));
        continue;
      }
      const rest = group.filter((s) => !settled.has(s));
      const half = rest.length >> 1;
      if (half > 0) groups.push(rest.slice(half), rest.slice(0, half));
      else if (rest.length > 0) groups.push(rest);
    }
    return proven;
  };
  const deadSymbols = never('dead', enabled, 'on');
  const alwaysOnSymbols = never('always on', (s) => -enabled(s), 'off');
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
