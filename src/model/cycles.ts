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
import { forEachLeaf } from './expr.js';
import type { KconfigModel, KSymbol, Loc, ModelExpr } from './types.js';

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
  return findCycles(model, edgesOf(model));
}

/** The quick acyclicity check answers for a sound tree; conf's walk runs only to name the cycles. */
function findCycles(model: KconfigModel, edges: Map<KSymbol, EdgeGroup[]>): DependencyCycle[] {
  return hasCycle(model, edges) ? new CycleWalk(model, edges).run() : [];
}

/**
 * Would adding the edge make conf report a recursive dependency? Returns the
 * cycle through the new line (the one conf would print), or undefined.
 */
export function wouldCreateCycle(model: KconfigModel, edge: ExtraEdge): DependencyCycle | undefined {
  const base = edgesOf(model);
  const owner = edge.kind === 'depends on' ? edge.from : edge.to;
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
  const cycles = findCycles(model, edges);
  if (cycles.length === 0) return undefined;
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
  if (step.symbol.choiceInfo) return `choice ${name} contains symbol ${next}`;
  if (step.symbol.choice) return `symbol ${name} is part of choice ${next}`;
  return `symbol ${name} ${step.relation} ${next}`;
}

/** conf prints every anonymous choice as `<choice>`. */
function confName(sym: KSymbol): string {
  return isAnonymousChoice(sym) ? '<choice>' : sym.name;
}

function isAnonymousChoice(sym: KSymbol): boolean {
  return sym.choiceInfo !== undefined && sym.name.startsWith('<choice');
}

/** The error conf's exit status stands for: the first cycle in one line, the location its header's. */
export function cycleError(cycles: DependencyCycle[]): KconfsatError {
  const first = cycles[0]!;
  const steps = first.steps.map((s) => `${describeStep(s)} (${s.loc.file}:${s.loc.line})`).join(', ');
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

function symbolsIn(...exprs: ModelExpr[]): KSymbol[] {
  const out: KSymbol[] = [];
  for (const e of exprs) forEachLeaf(e, (leaf) => leaf.kind === 'symbol' && out.push(leaf.symbol));
  return out;
}

/** conf's order: dir_dep, rev_dep, implied, then the properties in source order. */
function symbolEdges(sym: KSymbol): EdgeGroup[] {
  const home = homeOf(sym);
  const groups: EdgeGroup[] = [
    { relation: 'depends on', loc: home, targets: symbolsIn(...sym.definitions.map((d) => d.dependency)) },
    {
      relation: 'is selected by',
      loc: home,
      targets: sym.selectedBy.flatMap((r) => [r.selector, ...symbolsIn(r.condition)]),
    },
    { relation: 'is implied by', loc: home, targets: sym.impliedBy.flatMap((r) => [r.selector, ...symbolsIn(r.condition)]) },
  ];
  const choice = sym.choiceInfo;
  // A choice that must be set while visible is "selected" by its prompt's condition (menu_finalize).
  if (choice && !choice.optional) groups[1]!.targets.push(...symbolsIn(...sym.prompts.map((p) => p.visibility)));
  const props: (EdgeGroup & { order: number[] })[] = [];
  const position = (loc: Loc): number[] => {
    let definition = 0;
    sym.definitions.forEach((d, i) => {
      if (d.loc.file === loc.file && d.loc.line <= loc.line) definition = i;
    });
    return [definition, loc.line, loc.column];
  };
  for (const p of sym.prompts) {
    props.push({ relation: 'prompt is visible depending on', loc: p.loc, targets: symbolsIn(p.visibility), order: position(p.loc) });
  }
  for (const d of sym.defaults) {
    props.push({ relation: 'default is visible depending on', loc: d.loc, targets: symbolsIn(d.condition), order: position(d.loc) });
    // A choice's default names a member: conf does not follow it.
    if (!choice) props.push({ relation: 'default value contains', loc: d.loc, targets: symbolsIn(d.value), order: [...position(d.loc), 1] });
  }
  for (const r of sym.ranges) {
    props.push({ relation: 'range is visible depending on', loc: r.loc, targets: symbolsIn(r.condition), order: position(r.loc) });
  }
  props.sort((a, b) => compareOrder(a.order, b.order));
  return [...groups, ...props].filter((g) => g.targets.length > 0);
}

function compareOrder(a: number[], b: number[]): number {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const d = (a[i] ?? 0) - (b[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

/**
 * Whether conf's walk can report anything: a cycle in the graph where a choice
 * and its members are one node and a member's edge to its own choice is left
 * out (conf has always entered the choice before it walks a member). Every
 * report conf makes closes such a cycle; an iterative three-colour search
 * over it takes milliseconds on Linux where conf's walk takes ten times more.
 */
function hasCycle(model: KconfigModel, edges: Map<KSymbol, EdgeGroup[]>): boolean {
  const node = (s: KSymbol): number => (s.choice ? s.choice.symbol.id : s.id);
  const successors: number[][] = model.symbols.map(() => []);
  for (const [sym, groups] of edges) {
    const out = successors[node(sym)]!;
    for (const g of groups) for (const t of g.targets) if (t !== sym.choice?.symbol) out.push(node(t));
  }
  const ON_PATH = 1;
  const DONE = 2;
  const colour = new Uint8Array(successors.length);
  const stack: number[] = [];
  const next: number[] = []; // per stack entry, the successor to look at next
  for (let root = 0; root < successors.length; root++) {
    if (colour[root]) continue;
    colour[root] = ON_PATH;
    stack.push(root);
    next.push(0);
    while (stack.length > 0) {
      const top = stack.length - 1;
      const out = successors[stack[top]!]!;
      if (next[top]! === out.length) {
        colour[stack.pop()!] = DONE;
        next.pop();
        continue;
      }
      const t = out[next[top]!++]!;
      if (colour[t] === ON_PATH) return true;
      if (colour[t] === DONE) continue;
      colour[t] = ON_PATH;
      stack.push(t);
      next.push(0);
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
    if (sym.choice) {
      // A member is checked through its choice.
      this.path.push({ symbol: sym, relation: 'is part of choice', loc: homeOf(sym) });
      try {
        return yield sym.choice.symbol;
      } finally {
        this.path.pop();
      }
    }
    if (sym.choiceInfo) return yield* this.choiceDeps(sym);
    this.flags[sym.id]! |= CHECK | CHECKED;
    try {
      return yield* this.symDeps(sym);
    } finally {
      this.flags[sym.id]! &= ~CHECK;
    }
  }

  private *choiceDeps(choiceSym: KSymbol): Walk {
    const members = choiceSym.choiceInfo!.members;
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
    if (sym.choice) {
      entries.push({ symbol: sym, relation: 'is part of choice', loc: homeOf(sym) });
      last = sym.choice.symbol;
    }
    let from = entries.length - 1;
    while (from >= 0 && entries[from]!.symbol !== last) from--;
    if (from < 0) return;
    const steps = entries.slice(from).map((e, i, all): CycleStep => {
      const next = all[i + 1]?.symbol ?? last;
      // conf names a choice's or member's definition for every step from it.
      const loc = e.symbol.choiceInfo || e.symbol.choice ? homeOf(e.symbol) : e.loc;
      return { symbol: e.symbol, relation: e.relation, next, loc };
    });
    this.cycles.push({ loc: steps[0]!.loc, steps });
  }
}

/** conf's sym->prop: the symbol's first definition (a select line for a symbol never defined). */
function homeOf(sym: KSymbol): Loc {
  return sym.definitions[0]?.loc ?? sym.selectedBy[0]?.loc ?? sym.impliedBy[0]?.loc ?? { file: '', line: 0, column: 0 };
}
