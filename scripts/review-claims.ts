/**
 * What confirms each claim `review` makes about one arch, given both trees'
 * sessions and a way to run conf's olddefconfig on each (scripts/review-check
 * on Linux, the review-claims test on generated trees):
 *
 *   new finding        its witness makes conf warn for the pair on the new tree
 *   finding gone       its witness makes conf warn on the old tree, and an audit
 *                      of that select on the whole new formula finds nothing
 *   became dead        the new tree's formula cannot enable the symbol, the old
 *                      one's can, and conf keeps it enabled in that witness
 *   became always on   the same with "disable"
 *   no longer ...      the same with the trees swapped (a symbol the new
 *                      tree no longer has as a bool or tristate is a mismatch)
 *   value lost/gained  the same for one value of a changed symbol
 *   default changed    conf's alldefconfig (olddefconfig on an empty .config)
 *                      gives the old value on the old tree and the new one on the new
 *
 * Each check asks the whole formula, not review's cone of changed symbols,
 * so a symbol review left out of its recheck shows up as a mismatch.
 */
import { audit } from '../src/analysis/audit.js';
import type { OlddefconfigResult } from '../src/workflow/confirm.js';
import type { ArchReview } from '../src/analysis/review.js';
import type { Session } from '../src/analysis/session.js';
import type { Lit } from '../src/formula/formula.js';
import type { KSymbol } from '../src/model/types.js';
import { pairKey } from '../src/io/conf-warnings.js';
import { writeDotConfig } from '../src/io/dotconfig.js';

export interface ClaimSide {
  session: Session;
  olddefconfig(text: string): Promise<OlddefconfigResult>;
}

export interface ClaimCheck {
  kind: 'new finding' | 'finding gone' | 'became dead' | 'no longer dead' | 'became always on' | 'no longer always on' | 'value lost' | 'value gained' | 'default changed';
  subject: string;
  confirmed: boolean;
  /** For a mismatch: which check failed. */
  why?: string;
}

export function hasClaims(a: ArchReview): boolean {
  return [a.findings.added, a.findings.removed, a.dead.added, a.dead.removed, a.alwaysOn.added, a.alwaysOn.removed, a.values, a.defaults].some((l) => l.length > 0);
}

/** A symbol's value in what conf wrote: one it leaves out is n, or the empty text for a string or number. */
function confValue(values: Map<string, string>, sym: KSymbol): string {
  return values.get(sym.name) ?? (sym.type === 'bool' || sym.type === 'tristate' ? 'n' : '');
}

export async function checkClaims(a: ArchReview, sides: { old: ClaimSide; new: ClaimSide }): Promise<ClaimCheck[]> {
  const out: ClaimCheck[] = [];
  const claim = (kind: ClaimCheck['kind'], subject: string, confirmed: boolean, why: string): void => {
    out.push({ kind, subject, confirmed, ...(confirmed ? {} : { why }) });
  };
  const warns = async (side: ClaimSide, f: ArchReview['findings']['added'][number]): Promise<boolean> =>
    (await side.olddefconfig(writeDotConfig(f.witness))).warned.has(pairKey(f.selectee, f.selector));
  for (const f of a.findings.added) {
    claim('new finding', `${f.selector} -> ${f.selectee}`, await warns(sides.new, f), 'conf does not warn with its witness on the new tree');
  }
  for (const f of a.findings.removed) {
    const same = (r: { selector: { name: string }; target: { name: string } }): boolean => r.selector.name === f.selector && r.target.name === f.selectee;
    const still = audit(sides.new.session, { only: same }).findings.some((g) => g.text === f.text);
    const warned = await warns(sides.old, f);
    claim('finding gone', `${f.selector} -> ${f.selectee}`, warned && !still, warned ? 'the whole new formula still lets the select exceed' : 'conf does not warn with its witness on the old tree');
  }
  /**
   * The value `wanted` names cannot be had with `symbol` in `lost`'s formula, can in the other's,
   * and conf keeps the value that witness gives it. `wanted`: the literals for it and whether conf's value is it.
   */
  const valueLost = async (kind: ClaimCheck['kind'], symbol: string, lost: 'old' | 'new', wanted: { lits(s: Session, sym: KSymbol): Lit[] | undefined; holds(value: string): boolean }): Promise<void> => {
    const kept = lost === 'new' ? 'old' : 'new';
    const lits = (s: Session): Lit[] | undefined => {
      const sym = s.model.byName.get(symbol);
      return sym && sym.definitions.length > 0 ? wanted.lits(s, sym) : undefined;
    };
    const lostLits = lits(sides[lost].session);
    if (lostLits === undefined || sides[lost].session.formula.solve(lostLits) !== 'unsat') return claim(kind, symbol, false, `the ${lost} tree's formula reaches it`);
    const keptLits = lits(sides[kept].session);
    // A new symbol can be dead (always on) from the start; a removed one is no longer anything.
    if (keptLits === undefined) return claim(kind, `${symbol} (new)`, lost === 'new', `the ${kept} tree has no such ${symbol}`);
    if (sides[kept].session.formula.solve(keptLits) !== 'sat') return claim(kind, symbol, false, `the ${kept} tree's formula does not reach it either`);
    const conf = await sides[kept].olddefconfig(writeDotConfig(sides[kept].session.formula.modelConfig()));
    const value = confValue(conf.values, sides[kept].session.model.byName.get(symbol)!);
    claim(kind, symbol, wanted.holds(value), `conf makes it ${value} in the ${kept} tree's witness`);
  };
  const enabled = (on: boolean) => ({
    lits: (s: Session, sym: KSymbol): Lit[] | undefined => {
      if (!s.formula.isTristate(sym)) return undefined;
      const m = s.formula.enabled(sym);
      return [on ? m : -m];
    },
    holds: (value: string): boolean => (value !== 'n') === on,
  });
  const exactly = (text: string) => ({ lits: (s: Session, sym: KSymbol): Lit[] => s.formula.valueLiterals(sym, text), holds: (value: string): boolean => value === text });
  for (const s of a.dead.added) await valueLost('became dead', s.symbol, 'new', enabled(true));
  for (const s of a.dead.removed) await valueLost('no longer dead', s.symbol, 'old', enabled(true));
  for (const s of a.alwaysOn.added) await valueLost('became always on', s.symbol, 'new', enabled(false));
  for (const s of a.alwaysOn.removed) await valueLost('no longer always on', s.symbol, 'old', enabled(false));
  for (const v of a.values) {
    for (const text of v.lost) await valueLost('value lost', v.symbol, 'new', exactly(text));
    for (const text of v.gained) await valueLost('value gained', v.symbol, 'old', exactly(text));
  }
  if (a.defaults.length > 0) {
    // alldefconfig is olddefconfig with no .config.
    const byDefault = { old: (await sides.old.olddefconfig('')).values, new: (await sides.new.olddefconfig('')).values };
    for (const d of a.defaults) {
      const was = confValue(byDefault.old, sides.old.session.model.byName.get(d.symbol)!);
      const now = confValue(byDefault.new, sides.new.session.model.byName.get(d.symbol)!);
      claim('default changed', `${d.symbol} ${d.oldValue} -> ${d.newValue}`, was === d.oldValue && now === d.newValue, `conf's alldefconfig gives ${was} -> ${now}`);
    }
  }
  return out;
}
