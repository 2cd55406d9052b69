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
 *
 * Each check asks the whole formula, not review's cone of changed symbols,
 * so a symbol review left out of its recheck shows up as a mismatch.
 */
import { audit } from '../src/analysis/audit.js';
import type { OlddefconfigResult } from '../src/analysis/confirm.js';
import type { ArchReview } from '../src/analysis/review.js';
import type { Session } from '../src/analysis/session.js';
import { pairKey } from '../src/io/conf-warnings.js';
import { writeDotConfig } from '../src/io/dotconfig.js';

export interface ClaimSide {
  session: Session;
  olddefconfig(text: string): Promise<OlddefconfigResult>;
}

export interface ClaimCheck {
  kind: 'new finding' | 'finding gone' | 'became dead' | 'no longer dead' | 'became always on' | 'no longer always on';
  subject: string;
  confirmed: boolean;
  /** For a mismatch: which check failed. */
  why?: string;
}

export function hasClaims(a: ArchReview): boolean {
  return [a.findings.added, a.findings.removed, a.dead.added, a.dead.removed, a.alwaysOn.added, a.alwaysOn.removed].some((l) => l.length > 0);
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
  /** `symbol` cannot be enabled (disabled) by `lost`'s formula, can be by the other's, and conf keeps that witness's value. */
  const valueLost = async (kind: ClaimCheck['kind'], symbol: string, enable: boolean, lost: 'old' | 'new'): Promise<void> => {
    const kept = lost === 'new' ? 'old' : 'new';
    const lit = (s: Session): number | undefined => {
      const sym = s.model.byName.get(symbol);
      const m = sym && s.encoding.pairOf(sym)?.m;
      return m === undefined ? undefined : enable ? m : -m;
    };
    const lostLit = lit(sides[lost].session);
    if (lostLit === undefined || sides[lost].session.solve([lostLit]) !== 'unsat') return claim(kind, symbol, false, `the ${lost} tree's formula reaches it`);
    const keptLit = lit(sides[kept].session);
    // A new symbol can be dead (always on) from the start; a removed one is no longer anything.
    if (keptLit === undefined) return claim(kind, `${symbol} (new)`, lost === 'new', `the ${kept} tree has no bool or tristate ${symbol}`);
    if (sides[kept].session.solve([keptLit]) !== 'sat') return claim(kind, symbol, false, `the ${kept} tree's formula does not reach it either`);
    const conf = await sides[kept].olddefconfig(writeDotConfig(sides[kept].session.modelConfig()));
    const value = conf.values.get(symbol) ?? 'n';
    claim(kind, symbol, enable ? value !== 'n' : value === 'n', `conf makes it ${value} in the ${kept} tree's witness`);
  };
  for (const s of a.dead.added) await valueLost('became dead', s.symbol, true, 'new');
  for (const s of a.dead.removed) await valueLost('no longer dead', s.symbol, true, 'old');
  for (const s of a.alwaysOn.added) await valueLost('became always on', s.symbol, false, 'new');
  for (const s of a.alwaysOn.removed) await valueLost('no longer always on', s.symbol, false, 'old');
  return out;
}
