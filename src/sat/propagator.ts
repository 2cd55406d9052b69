/**
 * Unit propagation over a fixed clause set, without search: what a solver
 * derives from some literals before it decides anything. A conflict found by
 * propagation proves the literals cannot hold together; no conflict proves
 * nothing (only a solve does), but on Kconfig formulas it is rarely wrong, so
 * greedy choices among many wishes can be made by propagation and checked by
 * one solve instead of one solve per wish.
 *
 * Two watched literals per clause: a clause is looked at only when one of its
 * two watched literals becomes false, and undoing assignments needs no change
 * to the watches, so returning to the base state costs only the literals
 * assigned since.
 */
import type { Lit } from '../logic/cnf.js';

export class Propagator {
  /** Clauses, each 0-terminated; its first two literals are the watched ones (reordered in place). */
  private readonly clauses: Int32Array;
  /** Per literal (index 2v, or 2v+1 for ¬v): offsets of the clauses watching it. */
  private readonly watches: number[][];
  /** Per variable: 1 true, -1 false, 0 unassigned. */
  private readonly values: Int8Array;
  /** Assigned literals in order; `head` is the next one whose consequences are not yet drawn. */
  private readonly trail: Int32Array;
  private trailLength = 0;
  private head = 0;
  /** Trail length of the base state (the unit clauses and their consequences). */
  private readonly baseLength: number;
  /** False when the clauses alone propagate to a conflict: then nothing can be assumed. */
  readonly consistent: boolean;

  /**
   * `clauses` is a 0-terminated clause buffer (Cnf.rawClauses) over variables
   * up to `numVars`; `facts` hold in the base state along with its unit clauses.
   */
  constructor(numVars: number, clauses: Int32Array, facts: readonly Lit[] = []) {
    this.clauses = Int32Array.from(clauses);
    this.values = new Int8Array(numVars + 1);
    this.trail = new Int32Array(numVars + 1);
    this.watches = Array.from({ length: 2 * numVars + 2 }, () => []);
    const units: Lit[] = [...facts];
    let consistent = true;
    for (let start = 0, i = 0; i < this.clauses.length; i++) {
      if (this.clauses[i] !== 0) continue;
      const length = i - start;
      if (length === 0) consistent = false;
      else if (length === 1) units.push(this.clauses[start]!);
      else {
        this.watches[index(this.clauses[start]!)]!.push(start);
        this.watches[index(this.clauses[start + 1]!)]!.push(start);
      }
      start = i + 1;
    }
    this.consistent = consistent && this.assume(units);
    this.baseLength = this.trailLength;
  }

  /** 1 when the literal holds, -1 when its negation does, 0 when propagation left it open. */
  value(lit: Lit): 1 | -1 | 0 {
    const v = this.values[lit < 0 ? -lit : lit]!;
    return (lit < 0 ? -v : v) as 1 | -1 | 0;
  }

  /**
   * Assigns the literals and propagates. On a conflict every assignment of
   * this call is undone and the answer is false; otherwise they stay (with
   * their consequences) until reset().
   */
  assume(lits: readonly Lit[]): boolean {
    const mark = this.trailLength;
    for (const l of lits) {
      if (!this.assign(l) || !this.propagate()) {
        this.undo(mark);
        return false;
      }
    }
    return true;
  }

  /** Back to the base state: only the unit clauses, the facts and their consequences. */
  reset(): void {
    this.undo(this.baseLength);
  }

  /** Sets a literal true; false when it is already false. */
  private assign(lit: Lit): boolean {
    const v = lit < 0 ? -lit : lit;
    const current = this.values[v]!;
    if (current !== 0) return current === (lit < 0 ? -1 : 1);
    this.values[v] = lit < 0 ? -1 : 1;
    this.trail[this.trailLength++] = lit;
    return true;
  }

  /** Draws the consequences of the trail from `head` on; false on a conflict. */
  private propagate(): boolean {
    const clauses = this.clauses;
    while (this.head < this.trailLength) {
      const falsified = -this.trail[this.head++]!;
      const watching = this.watches[index(falsified)]!;
      let kept = 0;
      let i = 0;
      for (; i < watching.length; i++) {
        const c = watching[i]!;
        // The falsified literal goes second, so the first is the clause's other watch.
        if (clauses[c] === falsified) {
          clauses[c] = clauses[c + 1]!;
          clauses[c + 1] = falsified;
        }
        const other = clauses[c]!;
        if (this.value(other) === 1) {
          watching[kept++] = c;
          continue;
        }
        let moved = false;
        for (let k = c + 2; clauses[k] !== 0; k++) {
          const l = clauses[k]!;
          if (this.value(l) !== -1) {
            clauses[c + 1] = l;
            clauses[k] = falsified;
            this.watches[index(l)]!.push(c);
            moved = true;
            break;
          }
        }
        if (moved) continue;
        watching[kept++] = c;
        if (!this.assign(other)) {
          // Conflict: keep the watches not yet visited and stop.
          for (i++; i < watching.length; i++) watching[kept++] = watching[i]!;
          watching.length = kept;
          return false;
        }
      }
      watching.length = kept;
    }
    return true;
  }

  private undo(mark: number): void {
    for (let i = this.trailLength - 1; i >= mark; i--) {
      const l = this.trail[i]!;
      this.values[l < 0 ? -l : l] = 0;
    }
    this.trailLength = mark;
    this.head = mark;
  }
}

const index = (lit: Lit): number => (lit < 0 ? -2 * lit + 1 : 2 * lit);
