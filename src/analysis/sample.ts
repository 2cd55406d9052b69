/**
 * Valid, varied configurations: an alternative to randconfig that never
 * produces a configuration conf would change. Each sample wishes random
 * values on random symbols (hidden ones too: wishing a hidden symbol on asks
 * for whatever selects or defaults it) and keeps a maximal part of the
 * wishes that can hold together. Samples alternate between a solver leaning "off" and one leaning
 * "on", so they spread between small and large configurations.
 */
import type { KSymbol } from '../model/types.js';
import { keepMaximalUnordered } from './maximal.js';
import type { ConfigEntry, Lean, Session } from './session.js';

export interface SampleOptions {
  count: number;
  seed?: number;
  /** Random wishes per sample (default 64). */
  choices?: number;
  /** Called after each sample with how many are done. */
  onSample?: (done: number) => void;
}

export interface Sample {
  config: ConfigEntry[];
  /** The wishes this sample kept, e.g. "USB=m". */
  choices: string[];
}

export function sample(session: Session, options: SampleOptions): Sample[] {
  return [...samples(session, options)];
}

/** sample() one configuration at a time, so a caller writing them out need not hold them all (a Linux sample is about 9,000 entries). */
export function* samples(session: Session, options: SampleOptions): Generator<Sample> {
  const random = seededRandom(options.seed ?? 1);
  const candidates = session.model.symbols.filter((s) => s.definitions.length > 0 && !s.ownChoice && session.formula.isTristate(s));
  const tristates = session.model.modules !== undefined;
  for (let i = 0; i < options.count; i++) {
    // The share of n wishes varies, so samples range from small to large configurations.
    const shareN = 0.2 + 0.6 * random();
    const picks = pick(candidates, options.choices ?? 64, random).map((sym) => {
      const value = random() < shareN ? 'n' : sym.type === 'tristate' && tristates && random() < 0.5 ? 'm' : 'y';
      return { sym, value, lits: session.formula.valueLiterals(sym, value) };
    });
    const lean: Lean = ((options.seed ?? 1) + i) % 2 === 0 ? 'off' : 'on';
    const kept = keepMaximalUnordered(session, [], picks.map((p) => p.lits), { lean });
    yield {
      config: session.formula.modelConfig(),
      choices: picks.filter((_, j) => kept[j]).map((p) => `${p.sym.name}=${p.value}`),
    };
    options.onSample?.(i + 1);
  }
}

function pick(from: KSymbol[], n: number, random: () => number): KSymbol[] {
  const pool = [...from];
  const out: KSymbol[] = [];
  while (out.length < n && pool.length > 0) {
    const i = Math.floor(random() * pool.length);
    out.push(pool[i]!);
    pool[i] = pool[pool.length - 1]!;
    pool.pop();
  }
  return out;
}

/** A small deterministic generator (xorshift32), so `--seed` reproduces a run. */
function seededRandom(seed: number): () => number {
  let state = seed >>> 0 || 0x9e3779b9;
  return () => {
    state ^= state << 13;
    state >>>= 0;
    state ^= state >>> 17;
    state ^= state << 5;
    state >>>= 0;
    return state / 0x100000000;
  };
}
