/**
 * CNF under construction: numbered variables, clauses in one flat buffer, and
 * Tseitin gates with structural hashing so each distinct AND/OR of literals
 * gets exactly one variable however often it is used.
 */

/** A literal: +v or -v for variable v ≥ 1. */
export type Lit = number;

/** Variable 1 is constant true; TRUE/FALSE are its literals. */
export const TRUE: Lit = 1;
export const FALSE: Lit = -1;

/** What names variables for Cnf.nameLater. */
export interface VariableNamer {
  variableNames(): Iterable<readonly [number, string]>;
}

export class Cnf {
  private nextVar = 2;
  /** Clause literals, each clause terminated by 0. */
  private buffer: Int32Array;
  private length = 0;
  private clauseCount = 0;
  /** AND gates of two inputs (most of them), and of more, by input list. */
  private readonly gates2: PairTable;
  private readonly gatesN = new Map<string, Lit>();
  /** gate2's inputs handed to gate() without a new array per gate. */
  private readonly inputs2: Lit[] = [0, 0];
  /**
   * Per variable: for an AND gate (an OR gate is a negated AND) the offset of
   * its clause (g ∨ ¬x1 ∨ … ∨ ¬xn), which lists the inputs; AUXILIARY for
   * variables of counting encodings, which are no function of the others;
   * 0 for inputs.
   */
  private varKind: Int32Array;
  /**
   * For each clause, the owner set when it was added: -1 for definitional
   * clauses, gateOwner(g) for the clauses defining gate g.
   */
  private owners: Int32Array;
  /** Owner stamped on the clauses added from now on (a symbol id in the encoder). */
  owner = -1;
  private readonly givenNames = new Map<number, string>();
  /**
   * Further names, made only when asked for: only DIMACS export reads names, and a name per variable costs encoding time.
   * Objects rather than closures, so that a CNF can be kept in the session cache (src/cache) and its names still made.
   */
  private readonly nameSources: VariableNamer[] = [];

  /**
   * `expected` sizes the buffers. Each growth copies into memory touched for
   * the first time, and first touches are much of the encoding's time (about
   * 15-25 µs per 4 KB page on the bench machine); room never used costs nothing.
   */
  constructor(expected: { vars?: number; clauses?: number; literals?: number; gates2?: number } = {}) {
    this.buffer = new Int32Array(Math.max(1 << 16, expected.literals ?? 0));
    this.owners = new Int32Array(Math.max(1 << 14, expected.clauses ?? 0));
    this.varKind = new Int32Array(Math.max(1 << 12, expected.vars ?? 0));
    this.gates2 = new PairTable(expected.gates2 ?? 0);
    // clause() drops a clause holding TRUE, so the unit clause fixing it is written directly:
    // without it a solver would treat TRUE/FALSE in assumptions as a free variable.
    this.buffer[0] = TRUE;
    this.buffer[1] = 0;
    this.length = 2;
    this.owners[this.clauseCount++] = -1;
  }

  get numVars(): number {
    return this.nextVar - 1;
  }

  get numClauses(): number {
    return this.clauseCount;
  }

  newVar(name?: string): Lit {
    const v = this.nextVar++;
    if (v >= this.varKind.length) {
      const grown = new Int32Array(this.varKind.length * 2);
      grown.set(this.varKind);
      this.varKind = grown;
    }
    if (name !== undefined) this.givenNames.set(v, name);
    return v;
  }

  /** Names the variables `source` lists when names are asked for (instead of `replacing`'s, when given). */
  nameLater(source: VariableNamer, replacing?: VariableNamer): void {
    const at = replacing ? this.nameSources.indexOf(replacing) : -1;
    if (at >= 0) this.nameSources[at] = source;
    else this.nameSources.push(source);
  }

  /** The named variables' names: those given to newVar and those of nameLater's sources. */
  get names(): Map<number, string> {
    const names = new Map(this.givenNames);
    for (const source of this.nameSources) for (const [v, name] of source.variableNames()) names.set(v, name);
    return names;
  }

  clause(lits: readonly Lit[]): void {
    // Drop satisfied clauses and false literals up front; solvers need not see them.
    for (let i = 0; i < lits.length; i++) if (lits[i] === TRUE) return;
    this.reserve(lits.length);
    for (let i = 0; i < lits.length; i++) this.put(lits[i]!);
    this.end();
  }

  /** clause([a, b, c, d]) without the array (FALSE literals are left out): most clauses are this short. */
  clauseOf(a: Lit, b: Lit, c: Lit = FALSE, d: Lit = FALSE): void {
    if (a === TRUE || b === TRUE || c === TRUE || d === TRUE) return;
    this.reserve(4);
    this.put(a);
    this.put(b);
    this.put(c);
    this.put(d);
    this.end();
  }

  /** Room for a clause of up to n literals. */
  private reserve(n: number): void {
    if (this.length + n + 1 <= this.buffer.length) return;
    const grown = new Int32Array(Math.max(this.buffer.length * 2, this.length + n + 1));
    grown.set(this.buffer.subarray(0, this.length));
    this.buffer = grown;
  }

  /** Writes a literal of the clause being added (FALSE is left out). */
  private put(l: Lit): void {
    if (l !== FALSE) this.buffer[this.length++] = l;
  }

  /** Ends the clause being added. */
  private end(): void {
    this.buffer[this.length++] = 0;
    if (this.clauseCount === this.owners.length) {
      const grown = new Int32Array(this.owners.length * 2);
      grown.set(this.owners);
      this.owners = grown;
    }
    this.owners[this.clauseCount++] = this.owner;
  }

  /** a → b */
  implies(a: Lit, b: Lit): void {
    this.clauseOf(-a, b);
  }

  /** a ↔ b */
  equal(a: Lit, b: Lit): void {
    if (a === b) return;
    this.clauseOf(-a, b);
    this.clauseOf(a, -b);
  }

  and(lits: readonly Lit[]): Lit {
    // Most calls (sums of a symbol's few terms) have at most two inputs: no arrays for them.
    if (lits.length === 0) return TRUE;
    if (lits.length === 1) return lits[0]!;
    if (lits.length === 2) return this.and2(lits[0]!, lits[1]!);
    const sorted: Lit[] = [];
    for (let i = 0; i < lits.length; i++) {
      const l = lits[i]!;
      if (l === FALSE) return FALSE;
      if (l !== TRUE) sorted.push(l);
    }
    // Ascending: repeats meet, and a gate's inputs have one order (its key).
    sortAscending(sorted);
    let distinct = 0;
    for (let i = 0; i < sorted.length; i++) if (distinct === 0 || sorted[i] !== sorted[distinct - 1]) sorted[distinct++] = sorted[i]!;
    sorted.length = distinct;
    if (hasComplementaryPair(sorted)) return FALSE;
    if (sorted.length === 0) return TRUE;
    if (sorted.length === 1) return sorted[0]!;
    if (sorted.length === 2) return this.gate2(sorted[0]!, sorted[1]!);
    const key = sorted.join(',');
    const known = this.gatesN.get(key);
    if (known !== undefined) return known;
    const g = this.gate(sorted);
    this.gatesN.set(key, g);
    return g;
  }

  or(lits: readonly Lit[]): Lit {
    if (lits.length === 0) return FALSE;
    if (lits.length === 1) return lits[0]!;
    if (lits.length === 2) return this.or2(lits[0]!, lits[1]!);
    return -this.and(lits.map((l) => -l));
  }

  /** and() for two literals without the set and array work: most gates have two inputs. */
  and2(a: Lit, b: Lit): Lit {
    if (a === FALSE || b === FALSE || a === -b) return FALSE;
    if (a === TRUE || a === b) return b;
    if (b === TRUE) return a;
    return a < b ? this.gate2(a, b) : this.gate2(b, a);
  }

  or2(a: Lit, b: Lit): Lit {
    return -this.and2(-a, -b);
  }

  /** The AND gate of two non-constant literals x < y, made once. */
  private gate2(x: Lit, y: Lit): Lit {
    const known = this.gates2.get(x, y);
    if (known !== 0) return known;
    this.inputs2[0] = x;
    this.inputs2[1] = y;
    const g = this.gate(this.inputs2);
    this.gates2.set(x, y, g);
    return g;
  }

  /** A new AND gate over distinct, ascending, non-constant literals. */
  private gate(sorted: readonly Lit[]): Lit {
    const g = this.newVar();
    const owner = this.owner;
    this.owner = gateOwner(g);
    for (let i = 0; i < sorted.length; i++) this.clauseOf(-g, sorted[i]!);
    this.varKind[g] = this.length;
    this.reserve(sorted.length + 1);
    this.put(g);
    for (let i = 0; i < sorted.length; i++) this.put(-sorted[i]!);
    this.end();
    this.owner = owner;
    return g;
  }

  /** Truth of gate `g` from its inputs' truth values (1 true, 0 false, 2 unknown): 1 iff all are 1. */
  private gateValue(g: number, truth: (l: Lit) => number): number {
    for (let i = this.varKind[g]! + 1; this.buffer[i] !== 0; i++) if (truth(-this.buffer[i]!) !== 1) return 0;
    return 1;
  }

  /** A literal equal to (a ↔ b). */
  iff(a: Lit, b: Lit): Lit {
    if (a === b) return TRUE;
    if (a === -b) return FALSE;
    return this.or2(this.and2(a, b), this.and2(-a, -b));
  }

  /** At most one of `lits` is true (pairwise for few, sequential counter for many). */
  atMostOne(lits: readonly Lit[]): void {
    const live = lits.filter((l) => l !== FALSE);
    if (live.length <= 6) {
      for (let i = 0; i < live.length; i++) {
        for (let j = i + 1; j < live.length; j++) this.clauseOf(-live[i]!, -live[j]!);
      }
      return;
    }
    let seen = this.newVar();
    this.varKind[seen] = AUXILIARY;
    this.implies(live[0]!, seen);
    for (let i = 1; i < live.length; i++) {
      const l = live[i]!;
      this.clauseOf(-l, -seen);
      const next = this.newVar();
      this.varKind[next] = AUXILIARY;
      this.implies(seen, next);
      this.implies(l, next);
      seen = next;
    }
  }

  exactlyOne(lits: readonly Lit[]): void {
    this.clause(lits);
    this.atMostOne(lits);
  }

  /**
   * Every variable's value (1 true, 0 false; read with holdsIn) once the
   * input variables (all but gates and auxiliaries) have values: gates are
   * computed from their inputs. Gates added after a solver was loaded can be
   * read off its model this way.
   */
  evaluate(input: (v: number) => boolean): Uint8Array {
    const n = this.numVars;
    const value = new Uint8Array(n + 1);
    value[1] = 1;
    const truth = (l: Lit): number => (holdsIn(value, l) ? 1 : 0);
    for (let v = 2; v <= n; v++) value[v] = this.varKind[v]! > 0 ? this.gateValue(v, truth) : input(v) ? 1 : 0;
    return value;
  }

  /**
   * Evaluates the formula under values for its input variables: gates are
   * computed from their inputs, clauses over auxiliary variables are skipped.
   * Returns the owners of the violated clauses (with repeats).
   */
  violatedOwners(input: (v: number) => boolean): number[] {
    const n = this.numVars;
    // 1 true, 0 false, 2 unknown (auxiliary)
    const value = new Uint8Array(n + 1);
    value[1] = 1;
    const truth = (l: Lit): number => {
      const x = value[l < 0 ? -l : l]!;
      return x === 2 ? 2 : l < 0 ? 1 - x : x;
    };
    for (let v = 2; v <= n; v++) {
      const kind = this.varKind[v]!;
      value[v] = kind > 0 ? this.gateValue(v, truth) : kind === AUXILIARY ? 2 : input(v) ? 1 : 0;
    }
    const violated: number[] = [];
    let start = 0;
    let clause = 0;
    for (let i = 0; i < this.length; i++) {
      if (this.buffer[i] !== 0) continue;
      let satisfied = false;
      for (let j = start; j < i && !satisfied; j++) satisfied = truth(this.buffer[j]!) !== 0;
      if (!satisfied) violated.push(this.owners[clause]!);
      clause++;
      start = i + 1;
    }
    return violated;
  }

  /**
   * The clauses a question about some owners' constraints needs: those
   * owners' own clauses, every definitional clause that is no gate, and the
   * definitions of the gates these (and `seeds`) reach. The gate
   * definitions left out define gates nothing kept mentions, so they can
   * always be satisfied: satisfiability under assumptions among the kept
   * clauses' and the seeds' literals is that of the whole formula without the
   * other owners' clauses.
   */
  rawClausesFor(keepOwner: (owner: number) => boolean, seeds: readonly Lit[]): Int32Array {
    const buffer = this.buffer;
    const reached = new Uint8Array(this.nextVar);
    const pending: number[] = [];
    const reach = (l: Lit): void => {
      const v = l < 0 ? -l : l;
      if (reached[v] === 1) return;
      reached[v] = 1;
      if (this.varKind[v]! > 0) pending.push(v);
    };
    const kept = new Uint8Array(this.clauseCount);
    for (const l of seeds) reach(l);
    for (let i = 0, start = 0, clause = 0; i < this.length; i++) {
      if (buffer[i] !== 0) continue;
      const owner = this.owners[clause]!;
      if (owner === -1 || (owner >= 0 && keepOwner(owner))) {
        kept[clause] = 1;
        for (let j = start; j < i; j++) reach(buffer[j]!);
      }
      clause++;
      start = i + 1;
    }
    // A gate's inputs follow its first literal in the clause varKind points at.
    while (pending.length > 0) {
      for (let i = this.varKind[pending.pop()!]! + 1; buffer[i] !== 0; i++) reach(buffer[i]!);
    }
    const out = new Int32Array(this.length);
    let end = 0;
    for (let i = 0, start = 0, clause = 0; i < this.length; i++) {
      if (buffer[i] !== 0) continue;
      const owner = this.owners[clause]!;
      if (kept[clause] === 1 || (owner < -1 && reached[gateOf(owner)] === 1)) {
        out.set(buffer.subarray(start, i + 1), end);
        end += i + 1 - start;
      }
      clause++;
      start = i + 1;
    }
    return out.subarray(0, end);
  }

  /** Each clause as a fresh array (for DIMACS export and tests). */
  *clauses(): Generator<number[]> {
    let start = 0;
    for (let i = 0; i < this.length; i++) {
      if (this.buffer[i] === 0) {
        yield Array.from(this.buffer.subarray(start, i));
        start = i + 1;
      }
    }
  }

  /** The raw 0-terminated clause buffer from an offset on, for loading into a solver. */
  rawClauses(from = 0): Int32Array {
    return this.buffer.subarray(from, this.length);
  }

  /** Buffer length: clauses added after this offset are new to a solver loaded up to it. */
  get rawLength(): number {
    return this.length;
  }
}

const AUXILIARY = -1;

/**
 * Sorts literals ascending in place. The few inputs of most gates are sorted
 * by insertion: Array.prototype.sort allocates working memory on every call
 * (12 MB of garbage for Linux's 16,000 gates of three or more inputs).
 */
function sortAscending(lits: Lit[]): void {
  if (lits.length > 16) {
    lits.sort((x, y) => x - y);
    return;
  }
  for (let i = 1; i < lits.length; i++) {
    const l = lits[i]!;
    let j = i;
    for (; j > 0 && lits[j - 1]! > l; j--) lits[j] = lits[j - 1]!;
    lits[j] = l;
  }
}

/** Whether ascending, distinct literals hold some v and -v: the negatives, read from the right, and the positives rise in |v| together. */
function hasComplementaryPair(sorted: readonly Lit[]): boolean {
  let positive = 0;
  while (positive < sorted.length && sorted[positive]! < 0) positive++;
  for (let i = positive - 1, j = positive; i >= 0 && j < sorted.length; ) {
    const a = -sorted[i]!;
    const b = sorted[j]!;
    if (a === b) return true;
    if (a < b) i--;
    else j++;
  }
  return false;
}

/** A literal's truth under values by variable (1 true, 0 false), as Cnf.evaluate and SatSolver.assignment give them. */
export function holdsIn(values: Uint8Array, l: Lit): boolean {
  return l > 0 ? values[l] === 1 : values[-l] === 0;
}

/** The owner recorded for the clauses that define gate g, and back. */
const gateOwner = (g: number): number => -2 - g;
const gateOf = (owner: number): number => -2 - owner;

/**
 * Open-addressing hash map from a pair of literals to a gate variable: the
 * encoder looks up hundreds of thousands of two-input gates, and this does so
 * without allocating.
 */
class PairTable {
  /** Key pairs side by side; a first literal of 0 marks an empty slot (0 is never a literal). */
  private keys: Int32Array;
  private values: Int32Array;
  private size = 0;

  /** Room for `expected` pairs before growing. */
  constructor(expected: number) {
    let slots = 1 << 12;
    while (slots < 2 * expected) slots *= 2;
    this.keys = new Int32Array(2 * slots);
    this.values = new Int32Array(slots);
  }

  /** The gate for (x, y), or 0. */
  get(x: Lit, y: Lit): Lit {
    const mask = this.values.length - 1;
    for (let i = hashPair(x, y) & mask; ; i = (i + 1) & mask) {
      const kx = this.keys[2 * i]!;
      if (kx === 0) return 0;
      if (kx === x && this.keys[2 * i + 1] === y) return this.values[i]!;
    }
  }

  set(x: Lit, y: Lit, gate: Lit): void {
    if (2 * (this.size + 1) > this.values.length) this.grow();
    const mask = this.values.length - 1;
    let i = hashPair(x, y) & mask;
    while (this.keys[2 * i] !== 0) i = (i + 1) & mask;
    this.keys[2 * i] = x;
    this.keys[2 * i + 1] = y;
    this.values[i] = gate;
    this.size++;
  }

  private grow(): void {
    const { keys, values } = this;
    this.keys = new Int32Array(keys.length * 2);
    this.values = new Int32Array(values.length * 2);
    this.size = 0;
    for (let i = 0; i < values.length; i++) if (keys[2 * i] !== 0) this.set(keys[2 * i]!, keys[2 * i + 1]!, values[i]!);
  }
}

function hashPair(x: number, y: number): number {
  return (Math.imul(x, 0x9e3779b1) ^ Math.imul(y ^ (y >>> 15), 0x85ebca6b)) >>> 7;
}
