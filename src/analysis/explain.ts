/**
 * Why something cannot hold: a minimal set of symbols whose Kconfig
 * definitions together rule it out (a minimal unsatisfiable subset over the
 * per-symbol constraint groups), shown as the lines a person can follow.
 *
 * Only the query's cone of influence can matter: a symbol outside it can
 * always take the value conf computes for it. The search first finds the
 * shortest unsatisfiable prefix of the cone in breadth-first order (nearest
 * symbols first, binary search), then deletes what that prefix does not need.
 */
import type { KSymbol, Loc, ModelExpr } from '../model/types.js';
import type { GroupSolver, Lit } from '../formula/formula.js';
import { cone, influences } from './cone.js';
import type { Session } from './session.js';

export interface Fact {
  symbol: string;
  /** What the line does for the argument. */
  role: 'depends on' | 'prompt' | 'default' | 'range' | 'selected by' | 'implied by' | 'defined' | 'choice';
  loc: Loc;
  /** The Kconfig line as written, with the environment's variables (`$(ARCH)`) expanded. */
  text: string;
}

/** One step of the argument: a symbol and the lines of it that tie it to the next. */
export interface ChainStep {
  symbol: string;
  facts: Fact[];
  /** Dependencies of the symbol, besides the one the argument follows, that no valid configuration meets. */
  alsoImpossible: Fact[];
  /** The step's symbol is a choice (its `choice` fact: at most one member is y); else a `choice` fact is its membership. */
  isChoice: boolean;
}

export interface Explanation {
  /** The symbols of the minimal set, in the order a reader follows the argument. */
  symbols: string[];
  /** Every line of each symbol that bears on the others (what `--verbose` prints). */
  facts: Fact[];
  /** The argument from the question to its root cause, one step per symbol: only the decisive lines. */
  chain: ChainStep[];
}

export function explain(session: Session, assumptions: Lit[], roots: KSymbol[]): Explanation {
  const order = cone(roots).filter((s) => session.formula.isGroup(s));
  const solver = session.formula.groupSolver(order, assumptions);
  const unsatWith = (groups: KSymbol[]): boolean => solver.solve(groups) === 'unsat';

  // The shortest unsatisfiable prefix (the whole cone is unsatisfiable when called).
  let lo = 0;
  let hi = order.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (unsatWith(order.slice(0, mid))) hi = mid;
    else lo = mid + 1;
  }
  const kept = deletion(session, solver, order.slice(0, hi));
  const symbols = chainOrder(kept, roots);
  const members = new Set(symbols);
  const names = memberNames([...members, ...roots]);
  return {
    symbols: symbols.map((s) => s.name),
    facts: symbols.flatMap((s) => factsOf(session, s, members)),
    chain: symbols.map((s) => chainStep(session, s, members, names)),
  };
}

/**
 * Deletion, farthest first: a group the others stay unsatisfiable without
 * goes, one they need stays. Each test is one solve under a single literal:
 * present[k] switches on the first k candidates (a ladder of clauses), and a
 * group found needed is switched on for good, so a chain of thousands of
 * needed groups costs no assumption list as long as the chain per solve.
 */
function deletion(session: Session, solver: GroupSolver, candidates: KSymbol[]): KSymbol[] {
  const present: Lit[] = [];
  for (let k = 0; k <= candidates.length; k++) {
    present.push(solver.newVar());
    if (k > 0) {
      solver.addClause([-present[k]!, present[k - 1]!]);
      solver.addClause([-present[k]!, session.formula.group(candidates[k - 1]!)]);
    }
  }
  const needed: KSymbol[] = [];
  for (let i = candidates.length - 1; i >= 0; i--) {
    if (solver.solveUnder([present[i]!]) === 'unsat') continue;
    needed.push(candidates[i]!);
    solver.addClause([session.formula.group(candidates[i]!)]);
  }
  return needed.reverse();
}

/**
 * The lines of `sym` that name another member of the set (the links of the
 * argument); for a symbol that names none, the root of the argument, the
 * lines that give it its value.
 */
function chainStep(session: Session, sym: KSymbol, members: Set<KSymbol>, names: MemberNames): ChainStep {
  const all = factsOf(session, sym, members);
  const facts = all.filter((f) => f.role !== 'defined');
  const inChoice = (f: Fact): boolean => f.role === 'choice' && (sym.ownChoice !== undefined || members.has(sym.memberOf!.symbol));
  const links = facts.filter((f) => inChoice(f) || mentionsOther(f, names, sym.name));
  const isChoice = sym.ownChoice !== undefined;
  if (links.length === 0) {
    // Nothing that can apply gives it a value: its definition is the reason.
    const lines = valueLines(session, sym);
    return { symbol: sym.name, facts: lines.length ? lines : all.filter((f) => f.role === 'defined'), alsoImpossible: [], isChoice };
  }
  return { symbol: sym.name, facts: links, alsoImpossible: impossibleDependencies(session, sym, links), isChoice };
}

/**
 * The lines that give a symbol its value, without those that can never
 * apply (a default whose condition no valid configuration meets, the other
 * arch's definition).
 */
function valueLines(session: Session, sym: KSymbol): Fact[] {
  const canHold = (e: ModelExpr): boolean => session.formula.solve([session.formula.holds(e)]) === 'sat';
  const fact = (role: Fact['role'], loc: Loc): Fact => ({ symbol: sym.name, role, loc, text: sourceLine(session, loc) });
  const live = sym.definitions.length > 1 ? sym.definitions.filter((d) => canHold(d.dependency)) : sym.definitions;
  return [
    ...live.flatMap((d) => d.ownDepends.map((o) => fact('depends on', o.loc))),
    ...sym.prompts.filter((p) => canHold(p.visibility)).map((p) => fact('prompt', p.loc)),
    ...sym.defaults.filter((d) => canHold(d.condition)).map((d) => fact('default', d.loc)),
    ...sym.ranges.filter((r) => canHold(r.condition)).map((r) => fact('range', r.loc)),
  ];
}

/** The argument's symbol names: those of word characters as a set, the rare others (`a/b`, `x.y`) apart. */
interface MemberNames {
  words: Set<string>;
  others: string[];
}

function memberNames(members: KSymbol[]): MemberNames {
  const names = [...new Set(members.map((m) => m.name))];
  const word = (name: string): boolean => /^[A-Za-z0-9_]+$/.test(name);
  return { words: new Set(names.filter(word)), others: names.filter((n) => !word(n)) };
}

/**
 * Whether the line names a member other than `own`, as a whole word: the
 * line's words are looked up in the set (a chain of thousands of symbols
 * would otherwise test every name on every line).
 */
function mentionsOther(f: Fact, names: MemberNames, own: string): boolean {
  for (const word of f.text.match(/[A-Za-z0-9_]+/g) ?? []) if (word !== own && names.words.has(word)) return true;
  return names.others.some((name) => name !== own && new RegExp(`(^|[^A-Za-z0-9_])${name}([^A-Za-z0-9_]|$)`).test(f.text));
}

/**
 * Other `depends on` lines of a symbol whose symbol can never be on: a reader
 * fixing the followed dependency would meet these next (ZONE_DEVICE on i386
 * lacks MEMORY_HOTPLUG and ARCH_HAS_PTE_DEVMAP both).
 */
function impossibleDependencies(session: Session, sym: KSymbol, followed: Fact[]): Fact[] {
  const isFollowed = (loc: Loc): boolean => followed.some((f) => f.role === 'depends on' && f.loc.line === loc.line && f.loc.file === loc.file);
  const out: Fact[] = [];
  for (const def of sym.definitions.filter((d) => d.ownDepends.some((o) => isFollowed(o.loc)))) {
    for (const d of def.ownDepends) {
      if (isFollowed(d.loc) || d.expr.kind !== 'leaf' || d.expr.leaf.kind !== 'symbol') continue;
      const dependency = d.expr.leaf.symbol;
      if (session.formula.isTristate(dependency) && session.formula.solve([session.formula.enabled(dependency)]) === 'unsat') out.push({ symbol: sym.name, role: 'depends on', loc: d.loc, text: sourceLine(session, d.loc) });
    }
  }
  return out;
}

/** Breadth-first from the query's symbols, so each symbol follows the one that needs it. */
function chainOrder(members: KSymbol[], roots: KSymbol[]): KSymbol[] {
  const inSet = new Set(members);
  const seen = new Set<KSymbol>();
  const order: KSymbol[] = [];
  const queue = roots.filter((r) => inSet.has(r));
  for (const r of queue) seen.add(r);
  while (queue.length) {
    const s = queue.shift()!;
    order.push(s);
    for (const n of influences(s)) {
      if (inSet.has(n) && !seen.has(n)) {
        seen.add(n);
        queue.push(n);
      }
    }
  }
  return [...order, ...members.filter((m) => !seen.has(m))];
}

/** The lines of a symbol's definition that bear on the others in the set. */
export function factsOf(session: Session, sym: KSymbol, set: Set<KSymbol>): Fact[] {
  const line = (loc: Loc): string => sourceLine(session, loc);
  const facts: Fact[] = [];
  const name = sym.name;
  for (const def of sym.definitions) {
    facts.push({ symbol: name, role: sym.ownChoice ? 'choice' : 'defined', loc: def.loc, text: line(def.loc) });
    // An enclosing `if`/menu is a dependency too; without it a step that comes only from one says nothing.
    for (const d of [...def.enclosing, ...def.ownDepends]) facts.push({ symbol: name, role: 'depends on', loc: d.loc, text: line(d.loc) });
  }
  // A member's value is tied to its choice's selection.
  if (sym.memberOf && (set.has(sym.memberOf.symbol) || sym.memberOf.members.some((m) => m !== sym && set.has(m)))) {
    for (const def of sym.memberOf.definitions) facts.push({ symbol: name, role: 'choice', loc: def.loc, text: line(def.loc) });
  }
  for (const p of sym.prompts) facts.push({ symbol: name, role: 'prompt', loc: p.loc, text: line(p.loc) });
  for (const d of sym.defaults) facts.push({ symbol: name, role: 'default', loc: d.loc, text: line(d.loc) });
  for (const r of sym.ranges) facts.push({ symbol: name, role: 'range', loc: r.loc, text: line(r.loc) });
  for (const r of sym.selectedBy) {
    if (set.has(r.selector) || sym.selectedBy.length <= 3) {
      facts.push({ symbol: name, role: 'selected by', loc: r.loc, text: `${r.selector.name}: ${line(r.loc)}` });
    }
  }
  for (const r of sym.impliedBy) {
    if (set.has(r.selector)) facts.push({ symbol: name, role: 'implied by', loc: r.loc, text: `${r.selector.name}: ${line(r.loc)}` });
  }
  return dedupe(facts);
}

function dedupe(facts: Fact[]): Fact[] {
  const seen = new Set<string>();
  return facts.filter((f) => {
    const key = `${f.loc.file}:${f.loc.line}:${f.role}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

const linesByFile = new WeakMap<Session, Map<string, string[] | undefined>>();

/**
 * The text of a source line, trimmed, with the environment's variables
 * (`$(ARCH)`, `$(SRCARCH)`) replaced by their values; a readable stand-in
 * when the file is not at hand.
 */
export function sourceLine(session: Session, loc: Loc): string {
  let files = linesByFile.get(session);
  if (!files) linesByFile.set(session, (files = new Map()));
  if (!files.has(loc.file)) files.set(loc.file, session.loaded.files.read(loc.file)?.split('\n'));
  const raw = files.get(loc.file)?.[loc.line - 1];
  if (raw === undefined) return `(${loc.file}:${loc.line})`;
  const env = session.model.env;
  return raw.trim().replace(/\$\(([A-Za-z_][A-Za-z0-9_]*)\)/g, (ref, variable: string) => env[variable] ?? ref);
}
