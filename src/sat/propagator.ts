/**
 * Unit propagation over a growing clause set, without search: what a solver
 * derives from some literals before it decides anything. A conflict found by
 * propagation proves the literals cannot hold together; no conflict proves
 * nothing (only a solve does), but on Kconfig formulas it is rarely wrong, so
 * greedy choices among many wishes can be made by propagation and checked by
 * one solve instead of one solve per wish. The same greediness over every
 * variable (descend) finds most models of a Kconfig formula in half the time
 * MiniSat takes.
 *
 * Two watched literals per clause: a clause is looked at only when one of its
 * two watched literals becomes false, and undoing assignments needs no change
 * to the watches, so returning to the base state costs only the literals
 * assigned since.
 */
import type { Lit } from '../logic/cnf.js';

export class Propagator {
  /** Clauses, each 0-terminated; its first two literals are the watched ones (reordered in place). */
  private clauses = new Int32Array(0);
  private clausesLength = 0;
  /**
   * The watches, two per clause of two or more literals: watch 2k is on clause
   * k's first literal, 2k+1 on its second. Each literal's watches form a list
   * threaded through typed arrays: a Linux formula has 180,000 literals, and
   * an array of its own for each took longer to build than the searches that
   * use it.
   */
  private clauseStart = new Int32Array(0);
  private clauseCount = 0;
  /** Per literal (index 2v, or 2v+1 for ¬v): its first watch, -1 for none. */
  private firstWatch = new Int32Array(0);
  /** Per watch: the next watch on the same literal, -1 for none. */
  private nextWatch = new Int32Array(0);
  /** Per variable: 1 true, -1 false, 0 unassigned. */
  private values = new Int8Array(1);
  /** Per variable: 1 when some clause kept names it (descend decides only those). */
  private named = new Uint8Array(1);
  /**
   * The named variables, in numbering order once sorted: a descent passes
   * over these alone, so a solver of a small part of a large numbering (an
   * explanation's cone) costs per variable it holds.
   */
  private namedList = new Int32Array(1);
  private namedCount = 0;
  private namedSorted = true;
  /** Assigned literals in order; `head` is the next one whose consequences are not yet drawn. */
  private trail = new Int32Array(1);
  private trailLength = 0;
  private head = 0;
  /** Trail length of the base state (the unit clauses, the facts and their consequences). */
  private baseLength = 0;
  private conflicting = false;
  /** Per literal index: the clause being added that last named it (duplicates and tautologies). */
  private seen = new Int32Array(0);
  private added = 0;
  private highest = 0;

  /**
   * `clauses` is a 0-terminated clause buffer (Cnf.rawClauses) over variables
   * up to `numVars`; `facts` hold in the base state along with its unit clauses.
   */
  constructor(numVars: number, clauses: Int32Array, facts: readonly Lit[] = []) {
    this.reserve(numVars, clauses.length);
    this.add(clauses, facts);
  }

  /** False when the clauses and facts alone propagate to a conflict: then nothing can be assumed. */
  get consistent(): boolean {
    return !this.conflicting;
  }

  /** The highest variable of any clause, fact or assumption given. */
  get numVars(): number {
    return this.highest;
  }

  /**
   * Adds clauses (a 0-terminated buffer) and facts for good, and returns to
   * the base state they make. A clause the base state satisfies is left out,
   * and so are the literals it falsifies: the base state only ever grows.
   */
  add(buffer: Int32Array, facts: readonly Lit[] = []): void {
    this.reset();
    let highest = this.highest;
    for (let i = 0; i < buffer.length; i++) highest = Math.max(highest, Math.abs(buffer[i]!));
    for (const f of facts) highest = Math.max(highest, Math.abs(f));
    this.reserve(highest, buffer.length);
    for (const f of facts) if (!this.assign(f)) this.conflicting = true;
    for (let start = 0, i = 0; i < buffer.length; i++) {
      if (buffer[i] !== 0) continue;
      this.addClause(buffer, start, i);
      start = i + 1;
    }
    if (!this.conflicting && !this.propagate()) this.conflicting = true;
    this.baseLength = this.trailLength;
  }

  /** Keeps clause buffer[start, end) as the base state leaves it: its literals not yet false, once each. */
  private addClause(buffer: Int32Array, start: number, end: number): void {
    const stamp = ++this.added;
    const at = this.clausesLength;
    let kept = 0;
    for (let i = start; i < end; i++) {
      const l = buffer[i]!;
      const value = this.value(l);
      if (value === 1 || this.seen[index(-l)] === stamp) return; // satisfied for good, or a tautology
      if (value === -1 || this.seen[index(l)] === stamp) continue;
      this.seen[index(l)] = stamp;
      this.clauses[at + kept++] = l;
    }
    if (kept === 0) this.conflicting = true;
    else if (kept === 1) {
      if (!this.assign(this.clauses[at]!)) this.conflicting = true;
    } else {
      for (let i = 0; i < kept; i++) this.name(Math.abs(this.clauses[at + i]!));
      this.clauses[at + kept] = 0;
      this.clausesLength = at + kept + 1;
      const k = this.clauseCount++;
      this.clauseStart[k] = at;
      this.watch(2 * k, this.clauses[at]!);
      this.watch(2 * k + 1, this.clauses[at + 1]!);
    }
  }

  private name(v: number): void {
    if (this.named[v] === 1) return;
    this.named[v] = 1;
    if (this.namedCount > 0 && this.namedList[this.namedCount - 1]! > v) this.namedSorted = false;
    this.namedList[this.namedCount++] = v;
  }

  /** Room for variables up to `vars` and `literals` more clause literals (clause count at most that). */
  private reserve(vars: number, literals: number): void {
    if (vars >= this.values.length) {
      const size = roomFor(vars + 1, this.values.length);
      this.values = grown(this.values, size);
      this.named = grown(this.named, size);
      this.namedList = grown(this.namedList, size);
      this.trail = grown(this.trail, size);
      this.firstWatch = grown(this.firstWatch, 2 * size, -1);
      this.seen = grown(this.seen, 2 * size);
    }
    this.highest = Math.max(this.highest, vars);
    const clauseRoom = this.clausesLength + literals;
    if (clauseRoom > this.clauses.length) this.clauses = grown(this.clauses, roomFor(clauseRoom, this.clauses.length));
    const countRoom = this.clauseCount + Math.ceil(literals / 3);
    // A clause kept has two literals and its terminator at least.
    if (countRoom > this.clauseStart.length) {
      const size = roomFor(countRoom, this.clauseStart.length);
      this.clauseStart = grown(this.clauseStart, size);
      this.nextWatch = grown(this.nextWatch, 2 * size);
    }
  }

  /** 1 when the literal holds, -1 when its negation does, 0 when propagation left it open. */
  value(lit: Lit): 1 | -1 | 0 {
    const v = lit < 0 ? -lit : lit;
    if (v > this.highest) return 0;
    const value = this.values[v]!;
    return (lit < 0 ? -value : value) as 1 | -1 | 0;
  }

  /**
   * Assigns the literals and propagates. On a conflict every assignment of
   * this call is undone and the answer is false; otherwise they stay (with
   * their consequences) until reset().
   */
  assume(lits: readonly Lit[]): boolean {
    if (this.conflicting) return false;
    for (const l of lits) if (Math.abs(l) > this.highest) this.reserve(Math.abs(l), 0);
    const mark = this.trailLength;
    for (const l of lits) {
      if (!this.assign(l) || !this.propagate()) {
        this.undo(mark);
        return false;
      }
    }
    return true;
  }

  /**
   * A model found without search: from the base state, the assumptions, then
   * each variable a clause names, `first` ones first, then in numbering
   * order, set to its preferred value (`prefer[v]` 1 true, -1 false, else
   * `phase`), or to the other when the preferred one propagates to a
   * conflict. The model by variable, 1 true and 0 false (unnamed variables
   * false); 'unsat' when the assumptions propagate to a conflict; the
   * variable it got stuck on when one conflicts both ways (a search may still
   * find a model, and so may a descent setting it earlier). Leaves the base state.
   */
  descend(assumptions: readonly Lit[], phase: boolean, prefer?: Int8Array, first: readonly number[] = []): Uint8Array | 'unsat' | { stuck: number } {
    this.reset();
    if (!this.assume(assumptions)) return 'unsat';
    const { values, named } = this;
    const set = (v: number): boolean => {
      if (v > this.highest || values[v] !== 0 || named[v] === 0) return true;
      const hint = prefer !== undefined && v < prefer.length ? prefer[v]! : 0;
      const positive = hint === 0 ? phase : hint === 1;
      return this.decide(positive ? v : -v) || this.decide(positive ? -v : v);
    };
    for (const v of first) {
      if (set(v)) continue;
      this.reset();
      return { stuck: v };
    }
    if (!this.namedSorted) {
      this.namedList.subarray(0, this.namedCount).sort();
      this.namedSorted = true;
    }
    const { namedList, namedCount } = this;
    for (let i = 0; i < namedCount; i++) {
      const v = namedList[i]!;
      if (set(v)) continue;
      this.reset();
      return { stuck: v };
    }
    // Every variable with a value is on the trail: the base state's, the assumptions' and the descent's.
    const model = new Uint8Array(this.highest + 1);
    const trail = this.trail;
    for (let i = 0; i < this.trailLength; i++) if (trail[i]! > 0) model[trail[i]!] = 1;
    this.reset();
    return model;
  }

  /** assume([lit]) without the array. */
  private decide(lit: Lit): boolean {
    const mark = this.trailLength;
    if (this.assign(lit) && this.propagate()) return true;
    this.undo(mark);
    return false;
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
    const { clauses, clauseStart, firstWatch, nextWatch, values } = this;
    while (this.head < this.trailLength) {
      const falsified = -this.trail[this.head++]!;
      let previous = -1;
      for (let w = firstWatch[index(falsified)]!; w !== -1; ) {
        const next = nextWatch[w]!;
        const start = clauseStart[w >> 1]!;
        // Watch 2k is on the clause's first literal, 2k+1 on its second: the other one is the clause's other watch.
        const at = start + (w & 1);
        const other = clauses[start + 1 - (w & 1)]!;
        if ((other < 0 ? -values[-other]! : values[other]!) === 1) {
          previous = w;
          w = next;
          continue;
        }
        let moved = false;
        for (let k = start + 2; clauses[k] !== 0; k++) {
          const l = clauses[k]!;
          if ((l < 0 ? -values[-l]! : values[l]!) !== -1) {
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

/**
 * The size to grow an array of `length` to for `needed` elements: with room
 * to spare, since a solver's clauses keep coming a few at a time (a
 * question's gates) and each growth copies the whole formula.
 */
const roomFor = (needed: number, length: number): number => Math.max(needed + (needed >> 2), 2 * length);

/** A copy of `array` of `size` elements, the new ones `fill`. */
function grown<T extends Int8Array | Uint8Array | Int32Array>(array: T, size: number, fill = 0): T {
  const out = new (array.constructor as new (n: number) => T)(size);
  out.set(array);
  if (fill !== 0) out.fill(fill, array.length);
  return out;
}
