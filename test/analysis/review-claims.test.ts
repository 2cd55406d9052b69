/**
 * Every claim review makes (findings, dead and always-on symbols, values
 * lost or gained, alldefconfig values) on random trees with a line deleted or a
 * `depends on` turned into a `select`, checked against the kernel's conf
 * ($KCONFSAT_CONF) as scripts/review-check checks them on Linux: a new
 * finding's witness makes conf warn on the new tree, a value no longer
 * reachable is unreachable by the new tree's formula and reachable on the old
 * one with a witness conf keeps (and the same the other way).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { review } from '../../src/analysis/review.js';
import { Session } from '../../src/analysis/session.js';
import { KconfsatError } from '../../src/errors.js';
import { causingPairs, parseConfWarnings } from '../../src/io/conf-warnings.js';
import { MemorySourceFiles } from '../../src/parse/files.js';
import { checkClaims, hasClaims, type ClaimCheck, type ClaimSide } from '../../scripts/review-claims.js';
import { olddefconfigText, readConfigLines } from '../helpers/conf.js';
import { requireEnv } from '../helpers/requires.js';
import { arbKconfig } from '../reference/random-kconfig.js';

const CONF = requireEnv('KCONFSAT_CONF', 'review claims against conf');

const tree = (text: string): MemorySourceFiles => new MemorySourceFiles({ Kconfig: text });

/** A random tree and the same with one line deleted, or with one `depends on` made a `select`. */
const changed = arbKconfig().chain((text) => {
  const lines = text.split('\n');
  return fc.tuple(fc.nat(lines.length - 1), fc.boolean()).map(([i, toSelect]) => {
    const line = lines[i]!;
    const edited = toSelect && /^\tdepends on \w+$/.test(line) ? ['\tselect ' + line.slice('\tdepends on '.length)] : [];
    return [text, [...lines.slice(0, i), ...edited, ...lines.slice(i + 1)].join('\n')] as const;
  });
});

describe.skipIf(!CONF)('review claims against conf ($KCONFSAT_CONF)', () => {
  it('confirms every claim review makes on random changes', async () => {
    const checks: ClaimCheck[] = [];
    let crashed = 0;
    await fc.assert(
      fc.asyncProperty(changed, async ([before, after]) => {
        await new Promise((r) => setImmediate(r));
        let report;
        try {
          report = await review({ old: { tree: tree(before) }, new: { tree: tree(after) }, arches: [undefined], fixes: false });
        } catch (e) {
          if (e instanceof KconfsatError) return; // the change left a tree that does not load
          throw e;
        }
        const [arch] = report.arches;
        if (!hasClaims(arch!)) return;
        const side = (text: string): ClaimSide => ({
          session: Session.open({ tree: tree(text) }),
          olddefconfig: async (config) => {
            const out = olddefconfigText(CONF!, text, config);
            if (!out) {
              crashed++;
              return { values: new Map(), warned: new Set() };
            }
            return { values: readConfigLines(out.config), warned: causingPairs(parseConfWarnings(out.stderr)) };
          },
        });
        const found = await checkClaims(arch!, { old: side(before), new: side(after) });
        checks.push(...found);
        expect(found.filter((c) => !c.confirmed), `${before}\n----\n${after}`).toEqual([]);
      }),
      { numRuns: 150, seed: 2124 },
    );
    expect(crashed).toBe(0);
    // Enough of each kind that the checks are exercised, not skipped.
    const kinds = new Set(checks.map((c) => c.kind));
    expect(checks.length).toBeGreaterThan(40);
    expect([...kinds].sort()).toEqual(expect.arrayContaining(['became dead', 'default changed', 'new finding', 'no longer dead', 'value gained', 'value lost']));
  }, 600_000);
});
