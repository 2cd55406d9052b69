/**
 * The unmet-dependency audit: every `select` that some valid configuration
 * lets force its target past the target's direct dependencies, the state conf
 * reports as "WARNING: unmet direct dependencies detected for T".
 *
 * conf warns when T's direct dependencies are below its reverse dependencies
 * (both with m read as y for a bool T). The reverse dependencies are the
 * highest of the selects' terms (selector ∧ condition), so that happens
 * exactly when one term is above the dependencies: one finding per select
 * whose term can be. Each select is first screened (a target without
 * dependencies, or a condition that already requires one definition's
 * dependencies, can never be), then asked of the solver; every model found
 * also settles the other selects it happens to violate.
 */
import { conjuncts, exprToString, isConst, orAll } from '../model/expr.js';
import type { KSymbol, Loc, ModelExpr, ReverseDependency } from '../model/types.js';
import { FALSE, type Lit, type Tristate } from '../formula/formula.js';
import { sourceLine } from './explain.js';
import { keepMaximalUnordered } from './maximal.js';
import type { ConfigEntry, Session } from './session.js';

export interface AuditFinding {
  arch?: string;
  selector: string;
  selectee: string;
  /** The `select` line. */
  loc: Loc;
  text: string;
  /** The selectee's direct dependencies, as conf prints them. */
  dependsOn: string;
  /** In the witness: the select's term and the dependencies' value (conf's "Selected by [y]", "Depends on [n]"). */
  selectedAt: 'y' | 'm';
  dependsAt: 'm' | 'n';
  witness: ConfigEntry[];
}

export interface AuditReport {
  arch?: string;
  /** `select` lines looked at (with a defined bool/tristate target outside a choice). */
  selects: number;
  /** Settled without the solver: the target has no dependencies or the condition implies them. */
  screened: number;
  solves: number;
  findings: AuditFinding[];
}

export interface AuditProgress {
  done: number;
  total: number;
  findings: number;
}

/** One select as the solver sees it. */
interface SelectCheck {
  select: ReverseDependency;
  /** selector ∧ condition: what this select contributes to the target's reverse dependencies. */
  term: Tristate;
  dependency: Tristate;
  /** The term is above the dependencies (tristate-aware). */
  exceeds: Lit;
}

export interface AuditOptions {
  onProgress?: (p: AuditProgress) => void;
  /** Only the selects this accepts (an editor audits the selects of the file being edited). */
  only?: (select: ReverseDependency) => boolean;
}

export function audit(session: Session, options: AuditOptions = {}): AuditReport {
  const selects = session.model.symbols.flatMap((s) => s.selects).filter((r) => auditable(session, r) && (!options.only || options.only(r)));
  const report: AuditReport = { selects: selects.length, screened: 0, solves: 0, findings: [] };
  if (session.arch) report.arch = session.arch;
  const open: SelectCheck[] = [];
  for (const select of selects) {
    const check = screenedOut(select) ? undefined : selectCheck(session, select);
    if (!check || check.exceeds === FALSE) report.screened++;
    else open.push(check);
  }
  const found = new Set<SelectCheck>();
  open.forEach((check, i) => {
    options.onProgress?.({ done: report.screened + i, total: selects.length, findings: report.findings.length });
    if (found.has(check)) return;
    report.solves++;
    if (session.formula.solve([check.exceeds]) !== 'sat') return;
    // The same model may violate selects still to come: they share its witness. A model set by a descent
    // violates no more than it must, so ask for one violating as many of the same target's as can be
    // (a fan-in of 16,384 selects is then one finding's solves, not 16,384).
    const sameTarget = open.slice(i + 1).filter((o) => o.select.target === check.select.target && !found.has(o));
    if (sameTarget.length > 0) keepMaximalUnordered(session, [check.exceeds], sameTarget.map((o) => [o.exceeds]));
    const witness = session.formula.modelConfig();
    for (const other of open.slice(i)) {
      if (found.has(other) || !session.formula.modelHolds(other.exceeds)) continue;
      found.add(other);
      report.findings.push(finding(session, other, witness));
    }
  });
  options.onProgress?.({ done: selects.length, total: selects.length, findings: report.findings.length });
  report.findings.sort((a, b) => a.loc.file.localeCompare(b.loc.file) || a.loc.line - b.loc.line);
  return report;
}

/** conf checks the warning for bool/tristate symbols outside choices (members take the choice's branch). */
function auditable(session: Session, select: ReverseDependency): boolean {
  const t = select.target;
  return t.definitions.length > 0 && !t.ownChoice && !t.memberOf && session.formula.isTristate(t);
}

/**
 * conf's dir_dep: the OR of the definitions' dependencies, where a definition
 * without any (conf's NULL) adds nothing; none at all reads as y.
 */
export function directDependency(sym: KSymbol): ModelExpr {
  const deps = sym.definitions.map((d) => d.dependency).filter((d) => !isConst(d, 'y'));
  return deps.length ? orAll(deps) : { kind: 'leaf', leaf: { kind: 'const', text: 'y' } };
}

function selectCheck(session: Session, select: ReverseDependency): SelectCheck | undefined {
  const { formula } = session;
  if (!formula.isTristate(select.selector)) return undefined;
  const termExpr: ModelExpr = { kind: 'and', left: { kind: 'leaf', leaf: { kind: 'symbol', symbol: select.selector } }, right: select.condition };
  const dependencyExpr = directDependency(select.target);
  const exceeds = formula.exceeds(termExpr, dependencyExpr, select.target.type === 'bool');
  return { select, term: formula.tristate(termExpr), dependency: formula.tristate(dependencyExpr), exceeds };
}

/** The select's condition (selector's own dependencies included) requires some definition's dependencies. */
function screenedOut(select: ReverseDependency): boolean {
  const have = new Set(conjuncts(select.condition).map(exprToString));
  return select.target.definitions.some((d) => conjuncts(d.dependency).every((c) => have.has(exprToString(c))));
}

function finding(session: Session, check: SelectCheck, witness: ConfigEntry[]): AuditFinding {
  const { select } = check;
  const depM = session.formula.modelHolds(check.dependency.m);
  const out: AuditFinding = {
    selector: select.selector.name,
    selectee: select.target.name,
    loc: select.loc,
    text: sourceLine(session, select.loc),
    dependsOn: exprToString(directDependency(select.target)),
    selectedAt: session.formula.modelHolds(check.term.y) ? 'y' : 'm',
    // conf prints a bool's dependencies after reading m as y.
    dependsAt: depM && !session.formula.modelHolds(check.dependency.y) && select.target.type !== 'bool' ? 'm' : 'n',
    witness,
  };
  if (session.arch) out.arch = session.arch;
  return out;
}

/** Identifies a finding's select line across arches and edits: selector, selectee, file and line. */
export function findingKey(f: Pick<AuditFinding, 'selector' | 'selectee' | 'loc'>): string {
  return `${f.selector}\0${f.selectee}\0${f.loc.file}\0${f.loc.line}`;
}

/** One select that some arches let exceed its target's dependencies, with the finding on each. */
export interface AuditGroup {
  selector: string;
  selectee: string;
  loc: Loc;
  text: string;
  /** As on the first arch listed (arch-specific definitions can make it differ). */
  dependsOn: string;
  arches: string[];
  findings: (AuditFinding & { confirmed?: boolean })[];
}

/** The findings of several arches, one group per select line (a select reachable on several arches is one group), in file and line order. */
export function groupFindings(findings: (AuditFinding & { confirmed?: boolean })[]): AuditGroup[] {
  const groups = new Map<string, AuditGroup>();
  for (const f of findings) {
    const key = findingKey(f);
    let g = groups.get(key);
    if (!g) groups.set(key, (g = { selector: f.selector, selectee: f.selectee, loc: f.loc, text: f.text, dependsOn: f.dependsOn, arches: [], findings: [] }));
    if (f.arch !== undefined) g.arches.push(f.arch);
    g.findings.push(f);
  }
  return [...groups.values()].sort((a, b) => a.loc.file.localeCompare(b.loc.file) || a.loc.line - b.loc.line);
}
