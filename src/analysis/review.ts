/**
 * The semantic difference between an old and a new Kconfig tree, per arch:
 * unmet-dependency findings added and removed (with, for added ones, the
 * verified repairs `fix` gives), symbols that became dead or always on or
 * came back, values a symbol can no longer take or can newly take, the
 * values conf gives by default (alldefconfig) that changed, and symbols
 * added, removed or retyped.
 *
 * Only what a change can affect is solved again. A symbol's value is
 * computed from its own Kconfig lines and the symbols they name (its cone),
 * so the answers can differ only for symbols whose cone holds a symbol whose
 * lines changed: the `dependents` of the changed symbols, in either tree.
 * A select's finding reads its selector, its condition and its target's
 * direct dependencies, so it is rechecked when one of them is among them (or
 * the target's own lines changed); a symbol's deadness, when it is.
 * Both trees are loaded first and compared symbol by symbol. A symbol that
 * no configuration of either tree turns on (analysis/never-on.ts: Xen's
 * options on alpha) has not changed whatever its lines say, and neither has
 * a select or imply that can never act. An arch where no symbol changed is
 * not encoded at all (a tree from the session cache comes encoded).
 */
import { applyPatches, type PatchText } from '../io/apply-patch.js';
import { listArchitectures } from '../model/arch.js';
import { symbolsOf } from '../model/expr.js';
import { evaluate } from '../model/evaluate.js';
import { openTree, type LoadedTree, type LoadOptions } from '../model/load.js';
import type { KconfigModel, KSymbol, Loc, ReverseDependency } from '../model/types.js';
import { sameConstraints } from '../model/signature.js';
import { ParseMemo } from '../parse/memo.js';
import { audit, directDependency, type AuditFinding } from './audit.js';
import { dependents } from './cone.js';
import { deadSymbols, type DeadSymbol } from './dead.js';
import { fix, type VerifiedRepair } from './fix.js';
import { neverOn } from './never-on.js';
import { Session, withArch } from './session.js';
import { Formula } from '../formula/formula.js';
import { reachableValues } from './values.js';

export interface ReviewOptions {
  /** The tree before the change (`arch` is ignored). */
  old: LoadOptions;
  /** The tree after it: another directory, or the old one with `overrides`, or a git revision's files. */
  new: LoadOptions;
  /** Arches to compare ([undefined] for a tree without arches). */
  arches: (string | undefined)[];
  /** Look for verified repairs of added findings (default true). */
  fixes?: boolean;
  onProgress?: (message: string) => void;
  /**
   * Reviews each arch's pair of trees, in their order (default: reviewArch
   * one after another in this thread; workflow/review.ts's reviewTree runs
   * them on worker threads).
   */
  reviewAll?: (pairs: ArchPair[]) => Promise<ArchReview[]>;
}

/** One arch's trees before and after the change. */
export interface ArchPair {
  old: LoadOptions;
  new: LoadOptions;
}

/** A symbol's first definition in each tree. */
export interface SymbolChange {
  symbol: string;
  oldType?: string;
  newType?: string;
  old?: Loc;
  new?: Loc;
}

export interface ReviewFinding extends AuditFinding {
  /** For an added finding: fix's candidates, verified ones first, best first. */
  fixes?: VerifiedRepair[];
}

export interface ArchReview {
  arch?: string;
  /**
   * Symbols whose constraints changed (the roots of what was rechecked): their Kconfig lines, or a
   * select or imply of them that can act in one tree only; never a symbol no configuration of
   * either tree turns on.
   */
  changed: string[];
  /** Symbols whose Kconfig lines changed but that no configuration of either tree turns on: nothing of theirs to recheck. */
  neverOn: string[];
  /** Symbols whose answers were looked at again (the changed ones and those depending on them). */
  rechecked: number;
  solves: number;
  ms: number;
  findings: { added: ReviewFinding[]; removed: ReviewFinding[] };
  dead: { added: SymbolChange[]; removed: SymbolChange[] };
  alwaysOn: { added: SymbolChange[]; removed: SymbolChange[] };
  /** Changed symbols of both trees whose reachable values differ: those no configuration gives them any more, and the new ones. */
  values: (SymbolChange & { lost: string[]; gained: string[] })[];
  /** Symbols of both trees to which conf gives another value by default (alldefconfig: olddefconfig with no .config). */
  defaults: (SymbolChange & { oldValue: string; newValue: string })[];
  symbols: { added: SymbolChange[]; removed: SymbolChange[]; retyped: SymbolChange[] };
}

export interface ReviewReport {
  arches: ArchReview[];
  /** Findings the new tree adds, over all arches: the new problems. */
  newProblems: number;
}

export async function review(options: ReviewOptions): Promise<ReviewReport> {
  const progress = options.onProgress ?? (() => undefined);
  const pairs = options.arches.map((arch) => ({ old: withArch(options.old, arch), new: withArch(options.new, arch) }));
  const memo = new ParseMemo();
  const arches = options.reviewAll ? await options.reviewAll(pairs) : pairs.map((pair) => reviewArch(pair, progress, memo));
  if (options.fixes !== false) await attachFixes(options.new, arches, progress);
  return { arches, newProblems: arches.reduce((n, a) => n + a.findings.added.length, 0) };
}

/** The tree `old` names with the unified diffs applied in memory (its files on disk are never written). */
export function patchedTree(old: LoadOptions, patches: readonly PatchText[]): LoadOptions {
  const files = openTree(old.tree, old.allowOutsideRoot);
  return { ...old, overrides: applyPatches(patches, (f) => files.read(f)) };
}

/**
 * The arches to review `old` on: those asked for ('all': every arch of the
 * tree), or the one undefined arch of a tree without arch/.
 */
export function reviewArches(old: LoadOptions, asked: readonly (string | undefined)[]): (string | undefined)[] {
  const known = listArchitectures(openTree(old.tree, old.allowOutsideRoot));
  if (known.length === 0) return [undefined];
  return asked.includes('all') ? known : [...asked];
}

/**
 * The review of one arch (the pair's `arch`), saying so to `onProgress` when
 * it starts. The new tree reuses the old one's parse of every file that
 * parses the same, and so do later reviews given the same `memo`.
 */
export function reviewArch({ old: oldLoad, new: newLoad }: ArchPair, onProgress: (message: string) => void = () => undefined, memo = new ParseMemo()): ArchReview {
  onProgress(`reviewing${newLoad.arch ? ` ${newLoad.arch}` : ''}`);
  const t0 = performance.now();
  const { loaded: before, session: cachedOld } = Session.loadTree(oldLoad, memo);
  const { loaded: after, session: cachedNew } = Session.loadTree(newLoad, memo);
  const out: ArchReview = {
    ...(newLoad.arch !== undefined ? { arch: newLoad.arch } : {}),
    changed: [],
    neverOn: [],
    rechecked: 0,
    solves: 0,
    ms: 0,
    findings: { added: [], removed: [] },
    dead: { added: [], removed: [] },
    alwaysOn: { added: [], removed: [] },
    values: [],
    defaults: [],
    symbols: { added: [], removed: [], retyped: [] },
  };
  const names = new Set([...defined(before.model), ...defined(after.model)].map((s) => s.name));
  const offBefore = neverOn(before.model, before.cycles.length > 0);
  const offAfter = neverOn(after.model, after.cycles.length > 0);
  for (const name of names) {
    const was = definedSymbol(before.model, name);
    const now = definedSymbol(after.model, name);
    if (was && now && sameConstraints([before.model, was], [after.model, now], { a: offBefore.acts, b: offAfter.acts })) continue;
    if (was && now && was.type === now.type && offBefore.symbols.has(was) && offAfter.symbols.has(now)) {
      out.neverOn.push(name);
      continue;
    }
    out.changed.push(name);
    const change = symbolChange(was, now);
    if (!was) out.symbols.added.push(change);
    else if (!now) out.symbols.removed.push(change);
    else if (was.type !== now.type) out.symbols.retyped.push(change);
  }
  if (out.changed.length > 0) {
    const affected = (loaded: LoadedTree): string[] => {
      const roots = out.changed.map((n) => loaded.model.byName.get(n)).filter((s): s is KSymbol => s !== undefined);
      return dependents(loaded.model, roots).map((s) => s.name);
    };
    const only = new Set([...affected(before), ...affected(after)]);
    out.rechecked = only.size;
    // One formula for both trees where it can be: the new one is the old one with the changed symbols'
    // groups encoded again, in the same solver (Formula.updated), so nothing is encoded or learnt twice.
    const regrouped = new Set(Formula.regrouped(before.model, after.model) ?? []);
    const oldSession = cachedOld ?? Session.fromLoaded(before, oldLoad, { editable: () => regrouped });
    compare(out, oldSession, () => cachedNew ?? Session.fromLoaded(after, newLoad, { from: oldSession }), only);
  }
  out.ms = Math.round(performance.now() - t0);
  return out;
}

/** What review asks of each tree. */
interface Answers {
  /** alldefconfig's values. */
  defaults: Map<string, string>;
  findings: AuditFinding[];
  dead: DeadSymbol[];
  alwaysOn: DeadSymbol[];
  /** The values each root can take. */
  reach: Map<KSymbol, Set<string>>;
  solves: number;
}

function answers(session: Session, roots: readonly KSymbol[], affected: (r: ReverseDependency) => boolean, only: ReadonlySet<string>): Answers {
  const defaults = evaluate(session.model, new Map());
  // alldefconfig is a valid configuration: solved for first, it leaves MiniSat's saved phases a model to start
  // from (a Linux formula's first model otherwise costs some 200 ms of search, its later ones about 15).
  session.formula.solve(session.assumptionsFor(defaults));
  const found = audit(session, { only: affected });
  const dead = deadSymbols(session, { only });
  const reach = reachableValues(session, roots);
  return { defaults, findings: found.findings, dead: dead.dead, alwaysOn: dead.alwaysOn, reach, solves: found.solves + dead.solves };
}

/**
 * The old tree's answers, then the new one's: `newSession` is called once
 * the old session has answered everything (it may take its formula over).
 */
function compare(out: ArchReview, oldSession: Session, newSession: () => Session, only: ReadonlySet<string>): void {
  const oldModel = oldSession.model;
  const both = (model: KconfigModel, names: Iterable<string>): (readonly [KSymbol, KSymbol])[] =>
    [...names].flatMap((name) => {
      const was = definedSymbol(oldModel, name);
      const now = definedSymbol(model, name);
      // A choice is no value conf writes: its members say what it does.
      return was && now && was.type === now.type && now.type !== 'unknown' && !now.ownChoice && !was.ownChoice ? [[was, now] as const] : [];
    });
  // A select's answer reads the values of its selector, of its condition's symbols and of its target's
  // direct dependencies, not the target's value: it can change when one of them is among `only`, or when
  // the target's own lines changed (its type and dependencies say what is asked).
  const changed = new Set(out.changed);
  const rechecked = (sym: KSymbol): boolean => only.has(sym.name);
  const anyRechecked = (syms: Iterable<KSymbol>): boolean => {
    for (const sym of syms) if (rechecked(sym)) return true;
    return false;
  };
  // Per target, not per select: a target is selected by many symbols (each tree asks about each of its selects).
  const dependencyRechecked = new Map<KSymbol, boolean>();
  const targetRechecked = (target: KSymbol): boolean => {
    let answer = dependencyRechecked.get(target);
    if (answer === undefined) dependencyRechecked.set(target, (answer = changed.has(target.name) || anyRechecked(symbolsOf(directDependency(target)))));
    return answer;
  };
  const affected = (r: ReverseDependency): boolean => rechecked(r.selector) || targetRechecked(r.target) || anyRechecked(symbolsOf(r.condition));
  // Every value of the changed symbols themselves; for their dependents, dead and always on say what matters
  // (asking every value of every dependent costs Linux's seed three times the rest of the review).
  const roots = (model: KconfigModel): (readonly [KSymbol, KSymbol])[] => both(model, out.changed);
  const old = answers(oldSession, roots(oldModel).map(([was]) => was), affected, only);
  const session = newSession();
  const model = session.model;
  const now = answers(session, roots(model).map(([, sym]) => sym), affected, only);
  const oldKeys = new Set(old.findings.map(findingKey));
  const newKeys = new Set(now.findings.map(findingKey));
  out.findings.added = now.findings.filter((f) => !oldKeys.has(findingKey(f)));
  out.findings.removed = old.findings.filter((f) => !newKeys.has(findingKey(f)));
  out.solves = old.solves + now.solves;
  const diff = (was: { symbol: string }[], is: { symbol: string }[]): { added: SymbolChange[]; removed: SymbolChange[] } => {
    const a = new Set(was.map((d) => d.symbol));
    const b = new Set(is.map((d) => d.symbol));
    const change = (name: string): SymbolChange => symbolChange(definedSymbol(oldModel, name), definedSymbol(model, name));
    // A symbol removed (or no longer bool/tristate) is reported as such, not as no longer dead (always on); a new one can be dead from the start.
    const kept = (name: string): boolean => {
      const sym = definedSymbol(model, name);
      return sym !== undefined && session.formula.isTristate(sym);
    };
    return { added: [...b].filter((n) => !a.has(n)).map(change), removed: [...a].filter((n) => !b.has(n) && kept(n)).map(change) };
  };
  out.dead = diff(old.dead, now.dead);
  out.alwaysOn = diff(old.alwaysOn, now.alwaysOn);
  for (const [was, is] of roots(model)) {
    const a = old.reach.get(was)!;
    const b = now.reach.get(is)!;
    const lost = [...a].filter((v) => !b.has(v));
    const gained = [...b].filter((v) => !a.has(v));
    if (lost.length + gained.length > 0) out.values.push({ ...symbolChange(was, is), lost, gained });
  }
  for (const [was, is] of both(model, only)) {
    const oldValue = old.defaults.get(was.name) ?? 'n';
    const newValue = now.defaults.get(is.name) ?? 'n';
    if (oldValue !== newValue) out.defaults.push({ ...symbolChange(was, is), oldValue, newValue });
  }
}

/**
 * A finding's identity across the two trees: the select's line by its text,
 * not its number (lines above it may have been added or removed).
 */
function findingKey(f: AuditFinding): string {
  return `${f.selector}\0${f.selectee}\0${f.loc.file}\0${f.text}`;
}

function defined(model: KconfigModel): KSymbol[] {
  return model.symbols.filter((s) => s.definitions.length > 0);
}

function definedSymbol(model: KconfigModel, name: string): KSymbol | undefined {
  const sym = model.byName.get(name);
  return sym && sym.definitions.length > 0 ? sym : undefined;
}

function symbolChange(was: KSymbol | undefined, now: KSymbol | undefined): SymbolChange {
  const out: SymbolChange = { symbol: (was ?? now)!.name };
  if (was) Object.assign(out, { oldType: was.type, old: was.definitions[0]!.loc });
  if (now) Object.assign(out, { newType: now.type, new: now.definitions[0]!.loc });
  return out;
}

/**
 * fix's verified repairs for each added finding, asked once per select line
 * and verified on the arches where the finding is new.
 */
async function attachFixes(load: LoadOptions, arches: ArchReview[], progress: (message: string) => void): Promise<void> {
  const groups = new Map<string, ReviewFinding[]>();
  for (const a of arches) {
    for (const f of a.findings.added) {
      const key = `${f.selector}\0${f.selectee}\0${f.loc.file}\0${f.loc.line}`;
      groups.set(key, [...(groups.get(key) ?? []), f]);
    }
  }
  for (const findings of groups.values()) {
    const first = findings[0]!;
    progress(`repairs for ${first.selector} -> ${first.selectee}`);
    const where = findings.map((f) => f.arch);
    const report = await fix({ load: withArch(load, undefined), arches: [where[0]], verifyArches: where, only: [`${first.selector}:${first.selectee}`] });
    const result = report.results.find((r) => r.finding.loc.file === first.loc.file && r.finding.loc.line === first.loc.line);
    for (const f of findings) f.fixes = result?.candidates ?? [];
  }
}
