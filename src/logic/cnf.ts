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

export class Cnf {
  private nextVar = 2;
  /** Clause literals, each clause terminated by 0. */
  private buffer = new Int32Array(1 << 16);
  private length = 0;
  private clauseCount = 0;
  private readonly gates = new Map<string, Lit>();
  /** Inputs of each AND gate variable (an OR gate is a negated AND). */
  private readonly gateInputs = new Map<number, Lit[]>();
  /** Auxiliary variables of counting encodings: not a function of other variables. */
  private readonly auxiliary = new Set<number>();
  /** For each clause, the owner set when it was added (-1: definitional). */
  private readonly owners: number[] = [];
  /** Owner stamped on the clauses added from now on (a symbol id in the encoder). */
  owner = -1;
  readonly names = new Map<number, string>();

  constructor() {
    this.clause([TRUE]);
  }

  get numVars(): number {
    return this.nextVar - 1;
  }

  get numClauses(): number {
    return this.clauseCount;
  }

  newVar(name?: string): Lit {
    const v = this.nextVar++;
    if (name !== undefined) this.names.set(v, name);
    return v;
  }

  clause(lits: readonly Lit[]): void {
    // Drop satisfied clauses and false literals up front; solvers need not see them.
    let keep = 0;
    for (const l of lits) {
      if (l === TRUE) return;
      if (l !== FALSE) keep++;
    }
    if (this.length + keep + 1 > this.buffer.length) {
      const grown = new Int32Array(Math.max(this.buffer.length * 2, this.length + keep + 1));
      grown.set(this.buffer.subarray(0, this.length));
      this.buffer = grown;
    }
    for (const l of lits) if (l !== FALSE) this.buffer[this.length++] = l;
    this.buffer[this.length++] = 0;
    this.clauseCount++;
    this.owners.push(this.owner);
  }

  /** a → b */
  implies(a: Lit, b: Lit): void {
    this.clause([-a, b]);
  }

  /** a ↔ b */
  equal(a: Lit, b: Lit): void {
    if (a === b) return;
    this.clause([-a, b]);
    this.clause([a, -b]);
  }

  and(lits: readonly Lit[]): Lit {
    const set = new Set<Lit>();
    for (const l of lits) {
      if (l === FALSE || set.has(-l)) return FALSE;
      if (l !== TRUE) set.add(l);
    }
    if (set.size === 0) return TRUE;
    if (set.size === 1) return set.values().next().value as Lit;
    const sorted = [...set].sort((x, y) => x - y);
    const key = sorted.join(',');
    const known = this.gates.get(key);
    if (known !== undefined) return known;
    const g = this.newVar();
    const owner = this.owner;
    this.owner = -1;
    const back: Lit[] = [g];
    for (const l of sorted) {
      this.clause([-g, l]);
      back.push(-l);
    }
    this.clause(back);
    this.owner = owner;
    this.gates.set(key, g);
    this.gateInputs.set(g, sorted);
    return g;
  }

  or(lits: readonly Lit[]): Lit {
    return -this.and(lits.map((l) => -l));
  }

  and2(a: Lit, b: Lit): Lit {
    return this.and([a, b]);
  }

  or2(a: Lit, b: Lit): Lit {
    return this.or([a, b]);
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
        for (let j = i + 1; j < live.length; j++) this.clause([-live[i]!, -live[j]!]);
      }
      return;
    }
    let seen = this.newVar();
    this.auxiliary.add(seen);
    this.implies(live[0]!, seen);
    for (let i = 1; i < live.length; i++) {
      const l = live[i]!;
      this.clause([-l, -seen]);
      const next = this.newVar();
      this.auxiliary.add(next);
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
   * Truth of any literal once the input variables (all but gates and
   * auxiliaries) have values: gates are computed from their inputs. Gates
   * added after a solver was loaded can be read off its model this way.
   */
  evaluator(input: (v: number) => boolean): (l: Lit) => boolean {
    const n = this.numVars;
    const value = new Uint8Array(n + 1);
    value[1] = 1;
    for (let v = 2; v <= n; v++) {
      const inputs = this.gateInputs.get(v);
      if (!inputs) value[v] = input(v) ? 1 : 0;
      else {
        let all = 1;
        for (const l of inputs) if ((value[l < 0 ? -l : l] === 1) !== l > 0) all = 0;
        value[v] = all;
      }
    }
    return (l) => (value[l < 0 ? -l : l] === 1) === l > 0;
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
      const inputs = this.gateInputs.get(v);
      if (inputs) value[v] = inputs.every((l) => truth(l) === 1) ? 1 : 0;
      else if (this.auxiliary.has(v)) value[v] = 2;
      else value[v] = input(v) ? 1 : 0;
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
