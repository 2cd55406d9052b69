/**
 * Verified repairs for unmet-dependency findings. Every candidate edit
 * (repair.ts) is applied to the tree in memory and checked by solving again
 * on every verification arch: the finding must be gone, the audit must find
 * nothing it did not find before, and conf must still accept the tree (a
 * `depends on` that closes a dependency cycle is rejected at load, as conf
 * rejects it). Verified candidates are ranked by their semantic impact: the
 * symbols near the edit whose reachable values change, on which arches, and
 * whether the selectee can now be off while its selector is on (the select's
 * guarantee, which the selector's code usually relies on). Smallest impact
 * first, then the smaller textual edit.
 *
 * An arch where the selector can never be on needs no re-check: each edit
 * only restricts the selector or acts through it, so a selector that stays n
 * leaves every valid configuration of that arch as it was.
 *
 * Each edit rewrites or adds a line of the selector's own block, so only the
 * selector, the targets of its selects and implies, and the selectee have
 * other constraints after it: all of them the selector's or the selectee's
 * dependents. As review argues (review.ts), only selects whose selector or
 * target depends on those can change their finding, so the edited tree's
 * audit looks at those alone (their dependents in the tree before the edit
 * and after it).
 */
import { KconfsatError } from '../errors.js';
import { applyEdit, editSize, unifiedDiff, type SourceEdit } from '../io/patch.js';
import type { Lit } from '../formula/formula.js';
import { exprToString } from '../model/expr.js';
import { openTree, type LoadOptions } from '../model/load.js';
import type { KSymbol, ReverseDependency } from '../model/types.js';
import { ParseMemo } from '../parse/memo.js';
import { audit, directDependency, findingKey, groupFindings, type AuditGroup, type AuditReport } from './audit.js';
import { cone, dependents } from './cone.js';
import { resolveExpression } from './query.js';
import { repairCandidates, type RepairCandidate, type SkippedRepair } from './repair.js';
import { Session, withArch, type SessionOptions } from './session.js';
import { reachableValues } from './values.js';

export interface FixOptions {
  /** Load options shared by every arch (tree, environment, ...); `arch` is ignored. */
  load: LoadOptions;
  /** Arches whose findings are repaired ([undefined] for a tree without arches). */
  arches: (string | undefined)[];
  /** Arches every candidate is verified on (default: `arches`). */
  verifyArches?: (string | undefined)[];
  /** Only the findings these select (`SELECTOR:SELECTEE`). */
  only?: string[];
  /** Audits the arches' sessions, in their order (default: one after another in this thread; workflow/fix.ts's fixTree runs them on worker threads). */
  auditAll?: (sessions: SessionOptions[]) => Promise<AuditReport[]>;
  onProgress?: (message: string, fraction?: number) => void;
}

/** A change of what some symbol can be, on one arch. */
export interface ImpactEntry {
  arch?: string;
  symbol: string;
  /** Values reachable before the edit and not after. */
  lost: string[];
  gained: string[];
  /**
   * The values lost were reachable only while the selectee was forced past its
   * dependencies: the bug's own states, which the repair is meant to remove.
   * Shown, but not counted as impact.
   */
  intended?: boolean;
  /** Set when the selectee can now be n while its selector is on. */
  guaranteeLost?: string;
}

export interface VerifiedRepair extends RepairCandidate {
  verified: boolean;
  /** Why the candidate failed verification. */
  rejected?: string;
  /** Arches the candidate was checked on (those where the selector can be on). */
  checkedOn: string[];
  impact: ImpactEntry[];
  /** Changed (arch, symbol, value) facts plus lost guarantees: the ranking key. */
  impactScore: number;
  /** Characters removed and added. */
  size: number;
  /** Unified diff against the original file. */
  patch: string;
}

export interface FixResult {
  finding: AuditGroup;
  /** Verified ones first, best first; then the rejected ones. */
  candidates: VerifiedRepair[];
  skipped: SkippedRepair[];
  ms: number;
}

export interface FixReport {
  verifyArches: string[];
  baselineMs: number;
  results: FixResult[];
}

/** How far around the edit reachable values are compared. */
const IMPACT_NEIGHBOURS = 64;

/** One finding on one arch where its selector can be on, with what to compare against. */
interface LiveArch {
  arch: string | undefined;
  /** The select's written condition as Kconfig text ('y' when it has none). */
  condition: string;
  symbols: string[];
  before: Reachable;
  /** The selector's and the selectee's dependents before the edits, by name. */
  around: Set<string>;
}

/** Reachable values by symbol name, in all valid configurations and in those with the selectee within its dependencies. */
interface Reachable {
  all: Map<string, Set<string>>;
  legitimate: Map<string, Set<string>>;
}

export async function fix(options: FixOptions): Promise<FixReport> {
  const verifyArches = options.verifyArches ?? options.arches;
  const progress = options.onProgress ?? (() => undefined);
  const t0 = performance.now();
  progress(`auditing ${options.arches.length} arch(es) for findings`);
  // Every load of the tree, edited or not, on any arch, parses only what it does not share with an earlier one.
  const memo = new ParseMemo();
  const sessions = options.arches.map((arch) => withArch(options.load, arch));
  const audited = options.auditAll ? await options.auditAll(sessions) : sessions.map((s) => audit(Session.open(s, memo)));
  const known = new Map(options.arches.map((arch, i) => [arch, new Set(audited[i]!.findings.map(findingKey))]));
  const groups = groupFindings(audited.flatMap((r) => r.findings)).filter(
    (g) => !options.only || options.only.includes(`${g.selector}:${g.selectee}`),
  );

  // One pass over the verification arches: where each finding's selector can
  // be on, what is reachable there, and (where some selector can) the audit
  // that edits are compared with.
  const live = new Map<AuditGroup, LiveArch[]>(groups.map((g) => [g, []]));
  const proposals = new Map<AuditGroup, ReturnType<typeof repairCandidates>>();
  // Progress: the baseline over the verification arches counts for a fifth, the candidates for the rest.
  for (const [i, arch] of verifyArches.entries()) {
    progress(`reachable values before the edits${arch ? ` on ${arch}` : ''}`, (0.2 * i) / verifyArches.length);
    const session = Session.open(withArch(options.load, arch), memo);
    for (const g of groups) {
      const select = findSelect(session, g);
      if (!select) continue;
      if (!proposals.has(g)) proposals.set(g, repairCandidates(session.loaded.files, select));
      if (!session.formula.isTristate(select.selector) || session.formula.solve([session.formula.enabled(select.selector)]) !== 'sat') continue;
      const symbols = impactSymbols(session, select);
      const before = reachable(session, symbols, g.selectee);
      const condition = select.writtenCondition ? exprToString(select.writtenCondition) : 'y';
      const around = new Set(dependents(session.model, [select.selector, select.target]).map((s) => s.name));
      live.get(g)!.push({ arch, condition, symbols: symbols.map((s) => s.name), before, around });
      if (!known.has(arch)) known.set(arch, new Set(audit(session).findings.map(findingKey)));
    }
  }
  const baselineMs = performance.now() - t0;

  const results: FixResult[] = [];
  const total = groups.reduce((n, g) => n + (proposals.get(g)?.candidates.length ?? 0), 0);
  let tried = 0;
  for (const g of groups) {
    const t1 = performance.now();
    const { candidates, skipped } = proposals.get(g) ?? { candidates: [], skipped: [] };
    const verified = candidates.map((c) => {
      progress(`${g.selector} -> ${g.selectee}: trying ${c.kind}`, 0.2 + (0.8 * tried++) / total);
      return verify(options.load, g, c, live.get(g)!, known, memo);
    });
    verified.sort((a, b) => Number(b.verified) - Number(a.verified) || a.impactScore - b.impactScore || a.size - b.size);
    results.push({ finding: g, candidates: verified, skipped, ms: Math.round(performance.now() - t1) });
  }
  return { verifyArches: verifyArches.filter((a): a is string => a !== undefined), baselineMs: Math.round(baselineMs), results };
}

function findSelect(session: Session, g: AuditGroup): ReverseDependency | undefined {
  return session.model.byName
    .get(g.selector)
    ?.selects.find((r) => r.target.name === g.selectee && r.loc.file === g.loc.file && r.loc.line === g.loc.line);
}

/** The selector, the selectee and their nearest neighbours both ways: where an edit's effect shows. */
function impactSymbols(session: Session, select: ReverseDependency): KSymbol[] {
  const roots = [select.selector, select.target];
  const near = new Set([...cone(roots, IMPACT_NEIGHBOURS), ...dependents(session.model, roots, IMPACT_NEIGHBOURS)]);
  return [...near].filter((s) => s.definitions.length > 0 && !s.ownChoice);
}

function byName(values: Map<KSymbol, Set<string>>): Map<string, Set<string>> {
  return new Map([...values].map(([sym, set]) => [sym.name, set]));
}

function verify(
  load: LoadOptions,
  g: AuditGroup,
  candidate: RepairCandidate,
  live: LiveArch[],
  known: Map<string | undefined, Set<string>>,
  memo: ParseMemo,
): VerifiedRepair {
  const original = readOriginal(load, candidate.edit);
  const out: VerifiedRepair = {
    ...candidate,
    verified: true,
    checkedOn: [],
    impact: [],
    impactScore: 0,
    size: editSize(original, candidate.edit),
    patch: unifiedDiff(original, candidate.edit),
  };
  const overrides = { ...load.overrides, [candidate.edit.file]: applyEdit(original, candidate.edit) };
  for (const on of live) {
    let session: Session;
    try {
      session = Session.open({ ...withArch(load, on.arch), overrides }, memo);
    } catch (e) {
      if (!(e instanceof KconfsatError)) throw e;
      return reject(out, `the edited tree does not load${on.arch ? ` on ${on.arch}` : ''}: ${e.format()}`);
    }
    // One session per candidate and arch: its solver's engine goes to the next one.
    try {
      const rejected = verifyOn(session, out, g, candidate, on, known);
      if (rejected) return rejected;
    } finally {
      session.dispose();
    }
  }
  out.impactScore = out.impact.reduce((n, e) => (e.intended ? n : n + e.lost.length + e.gained.length + (e.guaranteeLost ? 1 : 0)), 0);
  return out;
}

/** Checks the candidate on one arch's edited tree, adding to `out`: the rejected repair, or undefined when it holds there. */
function verifyOn(
  session: Session,
  out: VerifiedRepair,
  g: AuditGroup,
  candidate: RepairCandidate,
  { arch, condition, symbols, before, around }: LiveArch,
  known: Map<string | undefined, Set<string>>,
): VerifiedRepair | undefined {
  const where = arch ? ` on ${arch}` : '';
  if (arch !== undefined) out.checkedOn.push(arch);
  const roots = [g.selector, g.selectee].flatMap((name) => session.model.byName.get(name) ?? []);
  const near = new Set([...around, ...dependents(session.model, roots).map((s) => s.name)]);
  const only = (r: ReverseDependency): boolean => near.has(r.selector.name) || near.has(r.target.name);
  const after = audit(session, { only }).findings.map((f) => ({ ...f, loc: { ...f.loc, line: originalLine(f.loc, candidate.edit) } }));
  const stillThere = after.find((f) => findingKey(f) === findingKey(g));
  if (stillThere) return reject(out, `the finding remains${where}`);
  const fresh = after.filter((f) => !known.get(arch)!.has(findingKey(f)));
  if (fresh.length > 0) {
    return reject(out, `new finding${where}: ${fresh.map((f) => `${f.selector} selects ${f.selectee} at ${f.loc.file}:${f.loc.line}`).join('; ')}`);
  }
  out.impact.push(...valueChanges(session, symbols, before, arch, g.selectee));
  const lost = guaranteeLost(session, g, condition);
  if (lost) out.impact.push({ ...(arch !== undefined ? { arch } : {}), symbol: g.selectee, lost: [], gained: [], guaranteeLost: lost });
  return undefined;
}

function readOriginal(load: LoadOptions, edit: SourceEdit): string {
  const text = load.overrides?.[edit.file] ?? openTree(load.tree, load.allowOutsideRoot).read(edit.file);
  if (text === undefined) throw new KconfsatError('io', `cannot read ${edit.file}`);
  return text;
}

function reject(out: VerifiedRepair, reason: string): VerifiedRepair {
  return { ...out, verified: false, rejected: reason };
}

/** A line number in the edited file, mapped back to the original (lines after the edit moved). */
function originalLine(loc: { file: string; line: number }, edit: SourceEdit): number {
  if (loc.file !== edit.file || loc.line < edit.line + edit.insert.length) return loc.line;
  return loc.line - edit.insert.length + edit.deleteCount;
}

function valueChanges(session: Session, names: string[], before: Reachable, arch: string | undefined, selectee: string): ImpactEntry[] {
  const symbols = names.map((n) => session.model.byName.get(n)).filter((s): s is KSymbol => s !== undefined && s.definitions.length > 0);
  const after = reachable(session, symbols, selectee);
  const where = arch !== undefined ? { arch } : {};
  const out: ImpactEntry[] = [];
  for (const name of names) {
    const [lost, gained] = difference(before.legitimate.get(name), after.legitimate.get(name));
    if (lost.length || gained.length) out.push({ ...where, symbol: name, lost, gained });
    const [lostAtAll] = difference(before.all.get(name), after.all.get(name));
    const intended = lostAtAll.filter((v) => !before.legitimate.get(name)?.has(v));
    if (intended.length) out.push({ ...where, symbol: name, lost: intended, gained: [], intended: true });
  }
  return out;
}

/** [values only in `was`, values only in `now`]. */
function difference(was = new Set<string>(), now = new Set<string>()): [string[], string[]] {
  return [[...was].filter((v) => !now.has(v)), [...now].filter((v) => !was.has(v))];
}

function reachable(session: Session, symbols: KSymbol[], selectee: string): Reachable {
  return {
    all: byName(reachableValues(session, symbols)),
    legitimate: byName(reachableValues(session, symbols, withinDependencies(session, selectee))),
  };
}

/** The selectee held within its own dependencies. */
function withinDependencies(session: Session, selectee: string): Lit[] {
  const sym = session.model.byName.get(selectee);
  if (!sym || !session.formula.isTristate(sym)) return [];
  return [-session.formula.exceeds({ kind: 'leaf', leaf: { kind: 'symbol', symbol: sym } }, directDependency(sym), sym.type === 'bool')];
}

/** Whether the edited tree lets the selectee be n while the select's term (selector ∧ condition) is on. */
function guaranteeLost(session: Session, g: AuditGroup, condition: string): string | undefined {
  const on = (text: string): Lit => session.formula.holds(resolveExpression(session, text, { undefinedAsN: true }));
  if (session.formula.solve([on(g.selector), on(condition), -on(g.selectee)]) !== 'sat') return undefined;
  return `${g.selectee} can now be n while ${g.selector}${condition === 'y' ? '' : ` (with ${condition})`} is on`;
}
