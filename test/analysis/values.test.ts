/**
 * reachableValues, asked about every symbol of a tree at once (as fix and
 * review ask about a select's neighbourhood): the values of the reference
 * evaluator's fixpoints, also within a condition, and the answers of the
 * clause-per-model search it replaced (test/helpers/reachable-by-clause.ts),
 * int, hex and string symbols included; far fewer solves on Linux.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { dependents, cone } from '../../src/analysis/cone.js';
import { Session } from '../../src/analysis/session.js';
import { reachableValues } from '../../src/analysis/values.js';
import type { KSymbol } from '../../src/model/types.js';
import type { KconfigDialect } from '../../src/parse/dialect.js';
import { breather } from '../helpers/breather.js';
import { reachableValuesByClause } from '../helpers/reachable-by-clause.js';
import { requireEnv } from '../helpers/requires.js';
import { forSmallTrees, joinedTrees } from '../helpers/small-trees.js';
import { arbKconfig } from '../reference/random-kconfig.js';

const asLists = (m: Map<KSymbol, Set<string>>): [string, string[]][] => [...m].map(([sym, values]) => [sym.name, [...values].sort()]);

describe('reachableValues', () => {
  it('gives every bool and tristate symbol at once the values of the fixpoints, and within X=y those of the fixpoints with X=y', async () => {
    let within = 0;
    await forSmallTrees(({ session, fixpoints }) => {
      const syms = session.model.symbols.filter((s) => s.definitions.length > 0 && !s.ownChoice && session.formula.isTristate(s));
      const expected = (configs: Map<string, string>[]): [string, string[]][] =>
        syms.map((s) => [s.name, [...new Set(configs.map((f) => f.get(s.name) ?? 'n'))].sort()]);
      expect(asLists(reachableValues(session, syms))).toEqual(expected(fixpoints));
      const x = syms[0];
      if (!x) return;
      within++;
      const withX = fixpoints.filter((f) => f.get(x.name) === 'y');
      const got = asLists(reachableValues(session, syms, session.formula.valueLiterals(x, 'y')));
      expect(got).toEqual(withX.length > 0 ? expected(withX) : syms.map((s) => [s.name, []]));
    }, 30);
    expect(within).toBeGreaterThan(15);
  });

  for (const dialect of ['6.1', '6.12'] as KconfigDialect[]) {
    it(`agrees with the clause-per-model search on random trees of every type (${dialect})`, async () => {
      const breathe = breather();
      await fc.assert(
        fc.asyncProperty(fc.array(arbKconfig(dialect), { minLength: 1, maxLength: 4 }), async (texts) => {
          await breathe();
          const session = joinedTrees(texts, dialect);
          if (!session) return fc.pre(false);
          const syms = session.model.symbols.filter((s) => s.definitions.length > 0 && !s.ownChoice);
          expect(asLists(reachableValues(session, syms))).toEqual(asLists(reachableValuesByClause(session, syms)));
        }),
        { numRuns: 100 },
      );
    });
  }
});

describe('reachableValues on Linux 6.1', () => {
  const tree = requireEnv('KCONFSAT_LINUX_61', 'the Linux comparison');
  it.runIf(tree)("gives the seed select's neighbourhood on x86_64 the old search's values in a fraction of its solves", () => {
    const session = Session.open({ tree: tree!, arch: 'x86_64' });
    const roots = ['XEN_UNPOPULATED_ALLOC', 'ZONE_DEVICE'].map((n) => session.symbol(n));
    const near = [...new Set([...cone(roots, 64), ...dependents(session.model, roots, 64)])].filter((s) => s.definitions.length > 0 && !s.ownChoice);
    const formula = session.formula;
    let solves = 0;
    const solve = formula.solve.bind(formula);
    formula.solve = (...args) => {
      solves++;
      return solve(...args);
    };
    const now = reachableValues(session, near);
    const runs = solves;
    solves = 0;
    const before = reachableValuesByClause(session, near);
    expect(asLists(now)).toEqual(asLists(before));
    // 147 symbols, 343 values: the clause search finds about one new value per model (130-140 solves).
    expect(near.length).toBe(147);
    expect(solves).toBeGreaterThan(100);
    expect(runs).toBeLessThan(40);
  }, 120_000);
});
