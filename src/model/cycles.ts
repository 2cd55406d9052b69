/**
 * Recursive dependencies, found the way conf's sym_check_deps finds them, so
 * that kconfsat rejects exactly the trees conf rejects and names the same
 * cycle. conf walks, from every symbol in its hash table's order, each
 * symbol's direct dependencies, then its selectors and implyers (with their
 * conditions), then each prompt's, default's and range's condition and each
 * default's value; a choice is checked as a group: its own dependencies, then
 * its members', where reaching another member of the group is a cycle but
 * reaching the choice itself is not. The first symbol met again on the current
 * path ends that start's walk with one reported cycle.
 *
 * The walk keeps its own stack (generators driven by a loop): a chain of
 * thousands of dependencies must not overflow the JavaScript call stack.
 */
import { KconfsatError } from '../errors.js';
import type { KconfigModel, KSymbol, Loc, ModelExpr, ReverseDependency } from './types.js';

/** One step of a cycle: how `symbol` reaches `next` (describeStep gives conf's wording). */
export type CycleRelation =
  | 'depends on'
  | 'is selected by'
  | 'is implied by'
  | 'prompt is visible depending on'
  | 'default is visible depending on'
  | 'range is visible depending on'
  | 'default value contains'
  | 'contains symbol' // the symbol is a choice, `next` one of its members (or its dependencies)
  | 'is part of choice'; // the symbol is a choice member

export interface CycleStep {
  symbol: KSymbol;
  relation: CycleRelation;
  next: KSymbol;
  loc: Loc;
}

export interface DependencyCycle {
  /** Where conf prints "recursive dependency detected!": the first step's location. */
  loc: Loc;
  steps: CycleStep[];
}

/** The relations a Kconfig line can add between two symbols. */
export type EdgeKind = 'depends on' | 'select' | 'imply';

/** An edge that is not (yet) in the model, for asking what it would do. */
export interface ExtraEdge {
  /** `from` gets `depends on to`, or `from` selects/implies `to`. */
  from: KSymbol;
  to: KSymbol;
  kind: EdgeKind;
}

/** Edges leaving one symbol that share a relation and a location, targets in conf's order. */
interface EdgeGroup {
  relation: CycleRelation;
  loc: Loc;
  targets: KSymbol[];
}

const CHECK = 1; // on the current path
const CHECKED = 2; // walked from (once is enough)

/** Every cycle conf reports while loading this model, in its order; empty for a sound tree. */
export function dependencyCycles(model: KconfigModel): DependencyCycle[] {
  // The quick check answers for a sound tree (its order kept for evaluation); conf's walk runs only to name the cycles.
  return dependencyOrder(model) === undefined ? new CycleWalk(model, edgesOf(model)).run() : [];
}

/**
 * Would adding the edge make conf report a recursive dependency? Returns the
 * cycle through the new line (the one conf would print), or undefined.
 */
export function wouldCreateCycle(model: KconfigModel, edge: ExtraEdge): DependencyCycle | undefined {
  const owner = edge.kind === 'depends on' ? edge.from : edge.to;
  if (!hasCycle(model, { owner, target: edge.kind === 'depends on' ? edge.to : edge.from })) return undefined;
  const base = edgesOf(model);
  const added: EdgeGroup = {
    relation: edge.kind === 'depends on' ? 'depends on' : edge.kind === 'select' ? 'is selected by' : 'is implied by',
    // conf names the symbol's own definition for these three, not the line that adds the edge.
    loc: homeOf(owner),
    targets: [edge.kind === 'depends on' ? edge.to : edge.from],
  };
  // conf walks direct dependencies, then selectors, then implyers: the new group goes after its kind's.
  const groups = [...(base.get(owner) ?? [])];
  const order: CycleRelation[] = ['depends on', 'is selected by', 'is implied by'];
  const at = groups.findIndex((g) => order.indexOf(g.relation) > order.indexOf(added.relation) || order.indexOf(g.relation) < 0);
  groups.splice(at < 0 ? groups.length : at, 0, added);
  const edges = new Map(base);
  edges.set(owner, groups);
  const cycles = new CycleWalk(model, edges).run();
  const usesEdge = (c: DependencyCycle): boolean =>
    c.steps.some((s) => s.symbol === owner && s.relation === added.relation && s.next === added.targets[0]);
  const before = new Set(dependencyCycles(model).map(cycleKey));
  return cycles.find(usesEdge) ?? cycles.find((c) => !before.has(cycleKey(c)));
}

/** conf's report: the header line and one line per step. */
export function formatCycle(cycle: DependencyCycle): string[] {
  const where = (loc: Loc): string => `${loc.file}:${loc.line}`;
  return [
    `${where(cycle.loc)}: recursive dependency detected!`,
    ...cycle.steps.map((s) => `${where(s.loc)}: ${describeStep(s)}`),
  ];
}

/** conf's words for a step: whatever the edge, a choice "contains" and a member "is part of choice" the next symbol. */
export function describeStep(step: CycleStep): string {
  const [name, next] = [confName(step.symbol), confName(step.next)];
  if (step.symbol.ownChoice) return `choice ${name} contains symbol ${next}`;
  if (step.symbol.memberOf) return `symbol ${name} is part of choice ${next}`;
  return `symbol ${name} ${step.relation} ${next}`;
}

/** conf prints every anonymous choice as `<choice>`. */
function confName(sym: KSymbol): string {
  return isAnonymousChoice(sym) ? '<choice>' : sym.name;
}

function isAnonymousChoice(sym: KSymbol): boolean {
  return sym.ownChoice !== undefined && sym.name.startsWith('<choice');
}

/** Steps of a cycle an error names. */
const MAX_STEPS_SHOWN = 20;

/** The error conf's exit status stands for: the first cycle in one line, the location its header's. */
export function cycleError(cycles: DependencyCycle[]): KconfsatError {
  const first = cycles[0]!;
  // One line a reader can take in: a generated cycle may run through 100,000 symbols.
  const shown = first.steps.slice(0, MAX_STEPS_SHOWN).map((s) => `${describeStep(s)} (${s.loc.file}:${s.loc.line})`);
  if (first.steps.length > MAX_STEPS_SHOWN) shown.push(`... (${first.steps.length} steps in all)`);
  const steps = shown.join(', ');
  const more = cycles.length > 1 ? ` (and ${cycles.length - 1} more)` : '';
  return new KconfsatError('syntax', `recursive dependency detected: ${steps}${more}`, {
    ...first.loc,
    column: first.loc.column || 0,
  });
}

function cycleKey(cycle: DependencyCycle): string {
  return cycle.steps.map((s) => `${s.symbol.id} ${s.relation} ${s.next.id}`).join('|');
}

const edgeCache = new WeakMap<KconfigModel, Map<KSymbol, EdgeGroup[]>>();

function edgesOf(model: KconfigModel): Map<KSymbol, EdgeGroup[]> {
  let edges = edgeCache.get(model);
  if (!edges) {
    edges = new Map(model.symbols.map((s) => [s, symbolEdges(s)]));
    edgeCache.set(model, edges);
  }
  return edges;
}

/** What a group's targets come from: symbols themselves (selectors) and expressions, in order. */
type Source = KSymbol | ModelExpr;

/**
 * conf's order: dir_dep, rev_dep, implied, then the properties in source
 * order. Each symbol's targets are listed once, where conf meets them first:
 * it returns at once from a symbol it has checked, and the definition's
 * dependency, shared by every property's condition, is walked only once.
 */
function symbolEdges(sym: KSymbol): EdgeGroup[] {
  const home = homeOf(sym);
  const reverse = (list: readonly ReverseDependency[]): Source[] => list.flatMap((r) => [r.selector, r.condition]);
  const choice = sym.ownChoice;
  const groups: { relation: CycleRelation; loc: Loc; sources: Source[] }[] = [
    { relation: 'depends on', loc: home, sources: sym.definitions.map((d) => d.dependency) },
    // A choice that must be set while visible is "selected" by its prompt's condition (menu_finalize).
    {
      relation: 'is selected by',
      loc: home,
      sources: [...reverse(sym.selectedBy), ...(choice && !choice.optional ? sym.prompts.map((p) => p.visibility) : [])],
    },
    { relation: 'is implied by', loc: home, sources: reverse(sym.impliedBy) },
  ];
  const props: { relation: CycleRelation; loc: Loc; sources: Source[]; order: number[] }[] = [];
  const position = (loc: Loc): number[] => {
    let definition = 0;
    sym.definitions.forEach((d, i) => {
      if (d.loc.file === loc.file && d.loc.line <= loc.line) definition = i;
    });
    return [definition, loc.line, loc.column];
  };
  for (const p of sym.prompts) {
    props.push({ relation: 'prompt is visible depending on', loc: p.loc, sources: [p.visibility], order: position(p.loc) });
  }
  for (const d of sym.defaults) {
    props.push({ relation: 'default is visible depending on', loc: d.loc, sources: [d.condition], order: position(d.loc) });
    // A choice's default names a member: conf does not follow it.
    if (!choice) props.push({ relation: 'default value contains', loc: d.loc, sources: [d.value], order: [...position(d.loc), 1] });
  }
  for (const r of sym.ranges) {
    props.push({ relation: 'range is visible depending on', loc: r.loc, sources: [r.condition], order: position(r.loc) });
  }
  props.sort((a, b) => compareOrder(a.order, b.order));
  const seenSymbols = new Set<KSymbol>();
  const seenExprs = new Set<ModelExpr>();
  const out: EdgeGroup[] = [];
  for (const g of [...groups, ...props]) {
    const targets = newTargets(g.sources, seenSymbols, seenExprs);
    if (targets.length > 0) out.push({ relation: g.relation, loc: g.loc, targets });
  }
  return out;
}

/** The symbols of `sources`, left to right, leaving out those and the subexpressions already seen. */
function newTargets(sources: Source[], seenSymbols: Set<KSymbol>, seenExprs: Set<ModelExpr>): KSymbol[] {
  const out: KSymbol[] = [];
  const add = (s: KSymbol): void => {
    if (seenSymbols.has(s)) return;
    seenSymbols.add(s);
    out.push(s);
  };
  const stack: Source[] = [...sources].reverse();
  while (stack.length > 0) {
    const item = stack.pop()!;
    if (!('kind' in item)) {
      add(item);
      continue;
    }
    if (seenExprs.has(item)) continue;
    seenExprs.add(item);
    switch (item.kind) {
      case 'leaf':
        if (item.leaf.kind === 'symbol') add(item.leaf.symbol);
        break;
      case 'not':
        stack.push(item.operand);
        break;
      case 'and':
      case 'or':
        stack.push(item.right, item.left);
        break;
      case 'compare':
        if (item.left.kind === 'symbol') add(item.left.symbol);
        if (item.right.kind === 'symbol') add(item.right.symbol);
        break;
    }
  }
  return out;
}

function compareOrder(a: number[], b: number[]): number {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const d = (a[i] ?? 0) - (b[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

/** Each symbol's targets as node numbers (a choice member counts as its choice), in one flat array. */
interface Successors {
  start: Int32Array;
  targets: Int32Array;
}

const successorCache = new WeakMap<KconfigModel, Successors>();

/**
 * The targets of every symbol without conf's order or locations, for the
 * quick check: each symbol once per source. The definition's dependency, part
 * of every property's condition, is walked once; of a select or imply only
 * the selector and the line's own `if` (the selector's dependencies are
 * reached through the selector). A member's edge to its own choice is left
 * out: conf has always entered the choice before it walks a member.
 */
function successorsOf(model: KconfigModel): Successors {
  let cached = successorCache.get(model);
  if (cached) return cached;
  const n = model.symbols.length;
  const start = new Int32Array(n + 1);
  const targets: number[] = [];
  const lastSource = new Int32Array(n).fill(-1);
  const stack: ModelExpr[] = [];
  let sym = model.symbols[0]!;
  let dependencies: ModelExpr[] = [];
  const add = (t: KSymbol): void => {
    if (lastSource[t.id] === sym.id || t === sym.memberOf?.symbol) return;
    lastSource[t.id] = sym.id;
    targets.push(t.memberOf ? t.memberOf.symbol.id : t.id);
  };
  const walk = (e: ModelExpr | undefined, skipDependencies: boolean): void => {
    if (e) stack.push(e);
    while (stack.length > 0) {
      const x = stack.pop()!;
      if (skipDependencies && dependencies.includes(x)) continue;
      if (x.kind === 'leaf') {
        if (x.leaf.kind === 'symbol') add(x.leaf.symbol);
      } else if (x.kind === 'not') stack.push(x.operand);
      else if (x.kind === 'compare') {
        if (x.left.kind === 'symbol') add(x.left.symbol);
        if (x.right.kind === 'symbol') add(x.right.symbol);
      } else stack.push(x.right, x.left);
    }
  };
  for (sym of model.symbols) {
    start[sym.id] = targets.length;
    dependencies = sym.definitions.map((d) => d.dependency);
    for (const d of dependencies) walk(d, false);
    for (const list of [sym.selectedBy, sym.impliedBy]) {
      for (const r of list) {
        add(r.selector);
        walk(r.writtenCondition, false);
      }
    }
    for (const p of sym.prompts) walk(p.visibility, true);
    for (const d of sym.defaults) {
      walk(d.condition, true);
      if (!sym.ownChoice) walk(d.value, true);
    }
    for (const r of sym.ranges) walk(r.condition, true);
  }
  start[n] = targets.length;
  cached = { start, targets: Int32Array.from(targets) };
  successorCache.set(model, cached);
  return cached;
}

/** Whether the graph with `extra`, one more edge, has a cycle (see depthFirst). */
function hasCycle(model: KconfigModel, extra: { owner: KSymbol; target: KSymbol }): boolean {
  return depthFirst(model, extra, () => undefined);
}

const orderCache = new WeakMap<KconfigModel, KSymbol[] | undefined>();

/**
 * Every symbol after the symbols its value is computed from (a choice just
 * before its members), or undefined when the tree has a cycle and conf's
 * walk may report a recursive dependency.
 */
export function dependencyOrder(model: KconfigModel): KSymbol[] | undefined {
  if (orderCache.has(model)) return orderCache.get(model);
  const order: KSymbol[] = [];
  const cyclic = depthFirst(model, undefined, (sym) => {
    order.push(sym);
    for (const member of sym.ownChoice?.members ?? []) order.push(member);
  });
  const out = cyclic ? undefined : order;
  orderCache.set(model, out);
  return out;
}

/**
 * Whether conf's walk can report anything: a cycle in the graph where a
 * choice and its members are one node. Every report conf makes closes such
 * a cycle; an iterative three-colour search over it costs a few
 * milliseconds on Linux. `extra` adds one edge for wouldCreateCycle; `done`
 * is told each node (by its symbol) once all it reaches are done.
 */
function depthFirst(model: KconfigModel, extra: { owner: KSymbol; target: KSymbol } | undefined, done: (sym: KSymbol) => void): boolean {
  const { start, targets } = successorsOf(model);
  const node = (s: KSymbol): number => (s.memberOf ? s.memberOf.symbol.id : s.id);
  // The symbols whose targets make up each node's: itself, and a choice's members.
  const parts = (n: number): KSymbol[] => {
    const sym = model.symbols[n]!;
    return sym.ownChoice ? [sym, ...sym.ownChoice.members] : [sym];
  };
  const extraFrom = extra ? node(extra.owner) : -1;
  const extraTo = extra ? node(extra.target) : -1;
  const ON_PATH = 1;
  const DONE = 2;
  const colour = new Uint8Array(model.symbols.length);
  interface Frame {
    node: number;
    parts: KSymbol[];
    part: number;
    next: number;
    extraDone: boolean;
  }
  const stack: Frame[] = [];
  const enter = (n: number): void => {
    colour[n] = ON_PATH;
    const ps = parts(n);
    stack.push({ node: n, parts: ps, part: 0, next: start[ps[0]!.id]!, extraDone: n !== extraFrom });
  };
  for (const root of model.symbols) {
    if (colour[node(root)]) continue;
    enter(node(root));
    while (stack.length > 0) {
      const f = stack[stack.length - 1]!;
      let t: number;
      if (!f.extraDone) {
        f.extraDone = true;
        t = extraTo;
      } else {
        const sym = f.parts[f.part]!;
        if (f.next === start[sym.id + 1]) {
          if (++f.part < f.parts.length) {
            f.next = start[f.parts[f.part]!.id]!;
            continue;
          }
          colour[f.node] = DONE;
          done(model.symbols[f.node]!);
          stack.pop();
          continue;
        }
        t = targets[f.next++]!;
      }
      if (colour[t] === ON_PATH) return true;
      if (colour[t] === DONE) continue;
      enter(t);
    }
  }
  return false;
}

/** conf's symbol_hash bucket (fnv32 over the name's bytes, `char` signed) of 9973. */
function confBucket(name: string): number {
  let hash = 2166136261;
  for (const byte of Buffer.from(name, 'utf8')) hash = Math.imul(hash ^ (byte >= 128 ? byte - 256 : byte), 0x01000193) >>> 0;
  return hash % 9973;
}

/** One entry of conf's dep_stack: a symbol on the path and the edge being followed from it. */
interface PathEntry {
  symbol: KSymbol;
  relation: CycleRelation;
  loc: Loc;
}

/** A walk request (yielded symbol) answered with whether a cycle was found below it. */
type Walk = Generator<KSymbol, boolean, boolean>;

class CycleWalk {
  private readonly flags: Uint8Array;
  private readonly path: PathEntry[] = [];
  private readonly cycles: DependencyCycle[] = [];

  constructor(
    private readonly model: KconfigModel,
    private readonly edges: Map<KSymbol, EdgeGroup[]>,
  ) {
    this.flags = new Uint8Array(model.symbols.length);
  }

  run(): DependencyCycle[] {
    for (const sym of this.confOrder()) this.drive(sym);
    return this.cycles;
  }

  /** for_all_symbols: by bucket, newest first within a bucket (anonymous choices sit in bucket 0). */
  private confOrder(): KSymbol[] {
    const keyed = this.model.symbols.map((s) => ({
      s,
      bucket: isAnonymousChoice(s) ? 0 : confBucket(s.name),
    }));
    keyed.sort((a, b) => a.bucket - b.bucket || b.s.id - a.s.id);
    return keyed.map((k) => k.s);
  }

  /** Runs sym_check_deps(start) with an explicit stack of generator frames. */
  private drive(start: KSymbol): void {
    const stack: Walk[] = [];
    let result = this.visit(start, stack);
    while (stack.length > 0) {
      const step = stack[stack.length - 1]!.next(result);
      if (step.done) {
        stack.pop();
        result = step.value;
      } else {
        result = this.visit(step.value, stack);
      }
    }
  }

  /** Answers a walk request at once when conf would, else pushes the frame that walks it. */
  private visit(sym: KSymbol, stack: Walk[]): boolean {
    const f = this.flags[sym.id]!;
    if (f & CHECK) {
      this.report(sym);
      return true;
    }
    if (f & CHECKED) return false;
    stack.push(this.checkDeps(sym));
    return false;
  }

  private *checkDeps(sym: KSymbol): Walk {
    if (sym.memberOf) {
      // A member is checked through its choice.
      this.path.push({ symbol: sym, relation: 'is part of choice', loc: homeOf(sym) });
      try {
        return yield sym.memberOf.symbol;
      } finally {
        this.path.pop();
      }
    }
    if (sym.ownChoice) return yield* this.choiceDeps(sym);
    this.flags[sym.id]! |= CHECK | CHECKED;
    try {
      return yield* this.symDeps(sym);
    } finally {
      this.flags[sym.id]! &= ~CHECK;
    }
  }

  private *choiceDeps(choiceSym: KSymbol): Walk {
    const members = choiceSym.ownChoice!.members;
    this.path.push({ symbol: choiceSym, relation: 'contains symbol', loc: homeOf(choiceSym) });
    for (const m of members) this.flags[m.id]! |= CHECK | CHECKED;
    try {
      this.flags[choiceSym.id]! |= CHECK | CHECKED;
      let found: boolean;
      try {
        found = yield* this.symDeps(choiceSym);
      } finally {
        this.flags[choiceSym.id]! &= ~CHECK;
      }
      for (const m of members) {
        if (found) break;
        found = yield* this.symDeps(m);
      }
      return found;
    } finally {
      for (const m of members) this.flags[m.id]! &= ~CHECK;
      this.path.pop();
    }
  }

  private *symDeps(sym: KSymbol): Walk {
    const entry: PathEntry = { symbol: sym, relation: 'depends on', loc: homeOf(sym) };
    this.path.push(entry);
    try {
      for (const group of this.edges.get(sym) ?? []) {
        entry.relation = group.relation;
        entry.loc = group.loc;
        for (const target of group.targets) {
          const f = this.flags[target.id]!;
          if (f & CHECKED && !(f & CHECK)) continue; // conf would return at once
          if (yield target) return true;
        }
      }
      return false;
    } finally {
      this.path.pop();
    }
  }

  /** sym_check_print_recursive: the path from the last visit of `sym` (a member stands for its choice). */
  private report(sym: KSymbol): void {
    const entries = [...this.path];
    let last = sym;
    if (sym.memberOf) {
      entries.push({ symbol: sym, relation: 'is part of choice', loc: homeOf(sym) });
      last = sym.memberOf.symbol;
    }
    let from = entries.length - 1;
    while (from >= 0 && entries[from]!.symbol !== last) from--;
    if (from < 0) return;
    const steps = entries.slice(from).map((e, i, all): CycleStep => {
      const next = all[i + 1]?.symbol ?? last;
      // conf names a choice's or member's definition for every step from it.
      const loc = e.symbol.ownChoice || e.symbol.memberOf ? homeOf(e.symbol) : e.loc;
      return { symbol: e.symbol, relation: e.relation, next, loc };
    });
    this.cycles.push({ loc: steps[0]!.loc, steps });
  }
}

/** conf's sym->prop: the symbol's first definition (a select line for a symbol never defined). */
function homeOf(sym: KSymbol): Loc {
  return sym.definitions[0]?.loc ?? sym.selectedBy[0]?.loc ?? sym.impliedBy[0]?.loc ?? { file: '', line: 0, column: 0 };
}
