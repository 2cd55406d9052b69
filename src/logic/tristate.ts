/**
 * Tristate values as two booleans (docs/design.md §3): a pair
 * (≥m, =y) with =y → ≥m. min, max and 2−x are componentwise gates.
 */
import { FALSE, TRUE, type Cnf, type Lit } from './cnf.js';

export interface Pair {
  /** value ≥ m */
  m: Lit;
  /** value = y */
  y: Lit;
}

export const PAIR_N: Pair = { m: FALSE, y: FALSE };
export const PAIR_M: Pair = { m: TRUE, y: FALSE };
export const PAIR_Y: Pair = { m: TRUE, y: TRUE };

export function pairConst(text: string): Pair {
  return text === 'y' ? PAIR_Y : text === 'm' ? PAIR_M : PAIR_N;
}

export class TristateLogic {
  constructor(readonly cnf: Cnf) {}

  min(a: Pair, b: Pair): Pair {
    return { m: this.cnf.and2(a.m, b.m), y: this.cnf.and2(a.y, b.y) };
  }

  max(a: Pair, b: Pair): Pair {
    return { m: this.cnf.or2(a.m, b.m), y: this.cnf.or2(a.y, b.y) };
  }

  maxAll(pairs: Pair[]): Pair {
    return { m: this.cnf.or(pairs.map((p) => p.m)), y: this.cnf.or(pairs.map((p) => p.y)) };
  }

  not(a: Pair): Pair {
    return { m: -a.y, y: -a.m };
  }

  /** A bool-valued result (comparisons): y or n. */
  fromBool(l: Lit): Pair {
    return { m: l, y: l };
  }

  /** conf's "m becomes y" where `boolLike` holds (bool symbols, tristates without MODULES). */
  promote(a: Pair, boolLike: Lit): Pair {
    if (boolLike === FALSE) return a;
    return { m: a.m, y: this.cnf.or2(a.y, this.cnf.and2(a.m, boolLike)) };
  }

  /** a > b; where `asBool`, m counts as y on both sides (conf's comparisons for bool symbols). */
  above(a: Pair, b: Pair, asBool: boolean): Lit {
    const overM = this.cnf.and2(a.m, -b.m);
    return asBool ? overM : this.cnf.or2(overM, this.cnf.and2(a.y, -b.y));
  }

  /** if c then a else b, componentwise. */
  select(c: Lit, a: Pair, b: Pair): Pair {
    const pick = (x: Lit, y: Lit): Lit => this.cnf.or2(this.cnf.and2(c, x), this.cnf.and2(-c, y));
    return { m: pick(a.m, b.m), y: pick(a.y, b.y) };
  }

  /** Clauses for guard → (a ≡ b); `extra` literals are added to every clause (group selectors). */
  equalUnder(guard: Lit[], a: Pair, b: Pair, extra: Lit[] = []): void {
    const pre = [...guard.map((g) => -g), ...extra];
    for (const [x, y] of [
      [a.m, b.m],
      [a.y, b.y],
    ] as const) {
      if (x === y) continue;
      this.cnf.clause([...pre, -x, y]);
      this.cnf.clause([...pre, x, -y]);
    }
  }
}
