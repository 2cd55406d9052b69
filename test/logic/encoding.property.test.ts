/**
 * The SAT encoding against the independent reference evaluator of conf's
 * algorithm (test/reference), on random small Kconfig trees:
 *  1. every configuration the evaluator computes satisfies the formula;
 *  2. every model of the formula is a fixpoint of the evaluator;
 *  3. for bool/tristate trees, the formula has exactly as many models as
 *     there are fixpoints.
 * Each in both dialects, on trees written in that dialect.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Session } from '../../src/analysis/session.js';
import { MemorySourceFiles } from '../../src/parse/files.js';
import { enumerateFixpoints, evaluate, isFixpoint } from '../reference/evaluator.js';
import { arbKconfig } from '../reference/random-kconfig.js';
import type { KconfigDialect } from '../../src/parse/dialect.js';

for (const dialect of ['6.1', '6.12'] as const) describe(`dialect ${dialect}`, () => encodingProperties(dialect));

function encodingProperties(dialect: KconfigDialect): void {
const session = (text: string): Session => Session.open({ tree: new MemorySourceFiles({ Kconfig: text }), dialect });

const arbUserValues = fc.array(fc.tuple(fc.nat(20), fc.constantFrom('y', 'm', 'n', '0', '7', '"x"')), { maxLength: 8 });

describe('encoding vs reference evaluator', () => {
  it.each([1, 2, 3])('every evaluator result satisfies the formula (part %i)', () => {
    fc.assert(
      fc.property(arbKconfig(dialect), arbUserValues, (text, picks) => {
        const s = session(text);
        const syms = s.model.symbols.filter((x) => x.definitions.length > 0 && !x.ownChoice);
        const user = new Map(picks.filter(([i]) => i < syms.length).map(([i, v]) => [syms[i]!.name, v.replace(/"/g, '')]));
        const values = evaluate(s.model, user);
        // conf is not always idempotent (an empty range clamps twice); only its fixpoints are valid configurations.
        fc.pre(isFixpoint(s.model, values).ok);
        expect(s.formula.violatedSymbols(values).map((x) => x.name)).toEqual([]);
        expect(s.formula.solve(s.assumptionsFor(values))).toBe('sat');
      }),
      { numRuns: 100, maxSkipsPerRun: 10 },
    );
  });

  it.skipIf(dialect !== '6.1')('regression: a visible int with an empty range keeps the value conf clamps its default to', () => {
    // Shrunk by fast-check: conf drops the out-of-range user value 4, clamps the
    // missing default up to the low bound 4, and so writes 4 back unchanged.
    const text = 'config MODULES\n\tbool\n\tmodules\n\nmenuconfig I2\n\tint "I2 prompt"\n\trange 4 3\n';
    const s = session(text);
    const values = evaluate(s.model, new Map());
    expect([values.get('I2'), isFixpoint(s.model, values).ok]).toEqual(['4', true]);
    expect(s.formula.violatedSymbols(values)).toEqual([]);
    expect(s.formula.solve(s.assumptionsFor(values))).toBe('sat');
  });

  it('regression: strings compare by their UTF-8 bytes, as strcmp does, not by UTF-16 units', () => {
    const text = 'config S\n\tstring "s"\n\tdefault "\u{FFFF}"\nconfig T\n\tstring "t"\n\tdefault "\u{10000}"\nconfig B\n\tbool\n\tdefault y if S < T\n';
    const s = session(text);
    const values = evaluate(s.model, new Map());
    expect(values.get('B')).toBe('y');
    expect(s.formula.violatedSymbols(values)).toEqual([]);
    expect(s.formula.solve(s.assumptionsFor(values))).toBe('sat');
  });

  it.each([1, 2, 3])('every model of the formula is a fixpoint of the evaluator (part %i)', () => {
    fc.assert(
      fc.property(arbKconfig(dialect), fc.array(fc.tuple(fc.nat(20), fc.boolean()), { maxLength: 6 }), (text, picks) => {
        const s = session(text);
        if (s.formula.solve() === 'unsat') {
          // no valid configuration at all (6.12: a visible int whose range is inverted): conf has no fixpoint either
          expect(enumerateFixpoints(s.model)).toEqual([]);
          return;
        }
        const enabled = s.model.symbols.filter((x) => s.formula.isTristate(x)).map((x) => s.formula.enabled(x));
        let lits = picks.filter(([i]) => i < enabled.length).map(([i, on]) => (on ? enabled[i]! : -enabled[i]!));
        while (s.formula.solve(lits) === 'unsat') lits = lits.slice(1);
        const config = new Map(s.formula.modelConfig().map((e) => [e.name, e.value]));
        expect(isFixpoint(s.model, config).diffs).toEqual([]);
      }),
      { numRuns: 100 },
    );
  });

  // in parts, so that each stays well inside vitest's time limits on a loaded machine
  it.each([1, 2, 3])('bool/tristate trees: as many models as fixpoints (part %i)', () => {
    fc.assert(
      fc.property(arbKconfig(dialect), (text) => {
        const s = session(text);
        const syms = s.model.symbols.filter((x) => x.definitions.length > 0 && !x.ownChoice);
        fc.pre(syms.length <= 10 && syms.every((x) => s.formula.isTristate(x)));
        const expected = enumerateFixpoints(s.model).length;
        let count = 0;
        while (s.formula.solve() === 'sat' && count <= expected) {
          count++;
          // Block this assignment of the symbols' values.
          s.formula.addClause(syms.flatMap((x) => {
            const p = { m: s.formula.enabled(x), y: s.formula.isY(x) };
            const m = s.formula.modelHolds(p.m);
            const y = s.formula.modelHolds(p.y);
            return [m ? -p.m : p.m, ...(p.y !== p.m ? [y ? -p.y : p.y] : [])];
          }));
        }
        expect(count).toBe(expected);
      }),
      { numRuns: 50 },
    );
  });
});
}
