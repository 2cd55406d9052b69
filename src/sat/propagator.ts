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
  /**
   * The watches, two per clause of two or more literals: watch 2k is on clause
   * k's first literal, 2k+1 on its second. Each literal's watches form a list
   * threaded through typed arrays: a Linux formula has 180,000 literals, and
   * an array of its own for each took longer to build than the searches that
   * use it.
   */
  private readonly clauseStart: Int32Array;
  /** Per literal (index 2v, or 2v+1 for ¬v): its first watch, -1 for none. */
  private readonly firstWatch: Int32Array;
  /** Per watch: the next watch on the same literal, -1 for none. */
  private readonly nextWatch: Int32Array;
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
    this.clauses = clauses.slice();
    this.values = new Int8Array(numVars + 1);
    this.trail = new Int32Array(numVars + 1);
    this.firstWatch = new Int32Array(2 * numVars + 2).fill(-1);
    let watched = 0;
    for (let start = 0, i = 0; i < clauses.length; i++) {
      if (clauses[i] !== 0) continue;
      if (i - start >= 2) watched++;
      start = i + 1;
    }
    this.clauseStart = new Int32Array(watched);
    this.nextWatch = new Int32Array(2 * watched);
    const units: Lit[] = [...facts];
    let consistent = true;
    for (let start = 0, k = 0, i = 0; i < clauses.length; i++) {
      if (clauses[i] !== 0) continue;
      const length = i - start;
      if (length === 0) consistent = false;
      else if (length === 1) units.push(clauses[start]!);
      else {
        this.clauseStart[k] = start;
        this.watch(2 * k, clauses[start]!);
        this.watch(2 * k + 1, clauses[start + 1]!);
        k++;
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

  /** The state now, to return to with backtrack() (assumptions made since are undone, earlier ones kept). */
  mark(): number {
    return this.trailLength;
  }

  backtrack(mark: number): void {
    this.undo(mark);
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
    const { clauses, clauseStart, firstWatch, nextWatch } = this;
    while (this.head < this.trailLength) {
      const falsified = -this.trail[this.head++]!;
      let previous = -1;
      for (let w = firstWatch[index(falsified)]!; w !== -1; ) {
        const next = nextWatch[w]!;
        const start = clauseStart[w >> 1]!;
        // Watch 2k is on the clause's first literal, 2k+1 on its second: the other one is the clause's other watch.
        const at = start + (w & 1);
        const other = clauses[start + 1 - (w & 1)]!;
        if (this.value(other) === 1) {
          previous = w;
          w = next;
          continue;
        }
        let moved = false;
        for (let k = start + 2; clauses[k] !== 0; k++) {
          const l = clauses[k]!;
          if (this.value(l) !== -1) {
            clauses[at] = l;
            clauses[k] = falsified;
            if (previous === -1) firstWatch[index(falsified)] = next;
            else nextWatch[previous] = next;
            this.watch(w, l);
            moved = true;
            break;
          }
        }
        if (!moved) {
          previous = w;
          if (!this.assign(other)) return false;
        }
        w = next;
      }
    }
    return true;
  }

  /** Puts watch `w` on the front of literal `lit`'s list. */
  private watch(w: number, lit: Lit): void {
    this.nextWatch[w] = this.firstWatch[index(lit)]!;
    this.firstWatch[index(lit)] = w;
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
