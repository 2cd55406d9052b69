/**
 * One-hot values ordered by a number: "the value's number is below k" for any
 * k is one literal of a chain of OR gates over the values sorted by number,
 * so testing a value against many bounds (another symbol's values, a
 * thousand ranges) costs gates linear in the values and the bounds instead
 * of their product (issue 18).
 */
import { FALSE, type Cnf, type Lit } from './cnf.js';

/**
 * Above this many (value, bound) pairs a comparison or range test goes
 * through an OrderChain; below, each pair is listed as before. Linux 6.1's
 * largest is 1,369 (a range bounded by a symbol of 37 values, on arm64), so
 * its formula is unchanged.
 */
export const ORDER_CHAIN_MIN_PAIRS = 4096;

export class OrderChain {
  private readonly keys: bigint[];
  private readonly lits: Lit[];
  /** prefix[i]: one of the i lowest values holds; suffix[i]: one from the i-th on holds (made as asked). */
  private readonly prefix: Lit[] = [FALSE];
  private readonly suffix: Lit[];

  /** `entries`: one-hot literals with their numbers (any order; equal numbers allowed). */
  constructor(
    private readonly cnf: Cnf,
    entries: readonly { key: bigint; lit: Lit }[],
  ) {
    const sorted = [...entries].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    this.keys = sorted.map((e) => e.key);
    this.lits = sorted.map((e) => e.lit);
    this.suffix = [];
    this.suffix[sorted.length] = FALSE;
  }

  /** One of the values numbered below k holds (or at most k, with `orEqual`). */
  below(k: bigint, orEqual = false): Lit {
    return this.lowest(this.count(k, orEqual));
  }

  /** One of the values numbered above k holds (or at least k, with `orEqual`). */
  above(k: bigint, orEqual = false): Lit {
    return this.from(this.count(k, !orEqual));
  }

  /** How many values are numbered below k (at most k with `orEqual`). */
  private count(k: bigint, orEqual: boolean): number {
    let lo = 0;
    let hi = this.keys.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.keys[mid]! < k || (orEqual && this.keys[mid] === k)) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  private lowest(n: number): Lit {
    for (let i = this.prefix.length; i <= n; i++) this.prefix[i] = this.cnf.or2(this.prefix[i - 1]!, this.lits[i - 1]!);
    return this.prefix[n]!;
  }

  private from(i: number): Lit {
    let j = i;
    while (this.suffix[j] === undefined) j++;
    for (j--; j >= i; j--) this.suffix[j] = this.cnf.or2(this.lits[j]!, this.suffix[j + 1]!);
    return this.suffix[i]!;
  }
}
