/**
 * Formula.updated against the reference evaluator: a formula made from the
 * formula of another version of a tree (option lines dropped or added back)
 * must have exactly the models a fresh encoding of the new tree has, with
 * its solvers carried over (every symbol editable) or loaded again (none).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Formula } from '../../src/formula/formula.js';
import type { KconfigDialect } from '../../src/parse/dialect.js';
import type { KconfigModel } from '../../src/model/types.js';
import { enumerateFixpoints, isFixpoint } from '../reference/evaluator.js';
import { arbKconfig, modelFromText } from '../reference/random-kconfig.js';

const OPTION_LINE = /^\t(depends on|default|def_bool|def_tristate|select|imply|range|visible if)\b/;

/** The text with the option lines `drop` picks left out (cycling through it). */
function withoutLines(text: string, drop: readonly boolean[]): string {
  let k = 0;
  return text
    .split('\n')
    .filter((line) => !(OPTION_LINE.test(line) && drop[k++ % drop.length]))
    .join('\n');
}

/**
 * The models of the formula, counted by blocking each one's symbol values in
 * turn (at most `limit` + 1); each must be a fixpoint of conf's computation.
 */
function countModels(formula: Formula, model: KconfigModel, limit: number): number {
  const syms = model.symbols.filter((x) => x.definitions.length > 0 && !x.ownChoice);
  let count = 0;
  while (formula.solve() === 'sat' && count <= limit) {
    count++;
    expect(isFixpoint(model, new Map(formula.modelConfig().map((e) => [e.name, e.value]))).diffs).toEqual([]);
    formula.addClause(
      syms.flatMap((x) => {
        const m = formula.enabled(x);
        const y = formula.isY(x);
        return [formula.modelHolds(m) ? -m : m, ...(y !== m ? [formula.modelHolds(y) ? -y : y] : [])];
      }),
    );
  }
  return count;
}

/** The same symbols, in the same order and of the same types, defined in both or in neither. */
function sameSymbols(a: KconfigModel, b: KconfigModel): boolean {
  return a.symbols.length === b.symbols.length && a.symbols.every((x, i) => {
    const y = b.symbols[i]!;
    return x.name === y.name && x.type === y.type && (x.definitions.length > 0) === (y.definitions.length > 0);
  });
}

function updateProperties(dialect: KconfigDialect): void {
  const names = (model: KconfigModel): Set<string> => new Set(model.symbols.map((s) => s.name));

  it.each([1, 2])('an updated formula has the fresh encoding\'s models (part %i)', () => {
    let updated = 0;
    let runs = 0;
    fc.assert(
      fc.property(
        arbKconfig(dialect),
        fc.array(fc.boolean(), { minLength: 1, maxLength: 12 }),
        fc.boolean(),
        fc.array(fc.tuple(fc.nat(20), fc.boolean()), { maxLength: 6 }),
        (text, drop, editableAll, picks) => {
          const other = withoutLines(text, drop);
          fc.pre(other !== text);
          runs++;
          for (const [from, to] of [[text, other], [other, text]] as const) {
            const before = modelFromText(from, dialect);
            const after = modelFromText(to, dialect);
            const previous = new Formula(before, undefined, { editable: editableAll ? names(before) : new Set() });
            previous.load();
            previous.solve();
            const next = Formula.updated(previous, after);
            // A line dropped can take the last mention of a constant or an undefined word with it: the symbols differ.
            if (!sameSymbols(before, after)) expect(next).toBeUndefined();
            if (!next) continue;
            updated++;
            next.load();
            expect(() => previous.solve()).toThrow(/updated/);
            if (next.solve() === 'unsat') {
              expect(enumerateFixpoints(after)).toEqual([]);
              continue;
            }
            // A model under some wishes is a fixpoint of conf's computation on the new tree.
            const enabled = after.symbols.filter((x) => next.isTristate(x)).map((x) => next.enabled(x));
            let lits = picks.filter(([i]) => i < enabled.length).map(([i, on]) => (on ? enabled[i]! : -enabled[i]!));
            while (next.solve(lits) === 'unsat') lits = lits.slice(1);
            const config = new Map(next.modelConfig().map((e) => [e.name, e.value]));
            expect(isFixpoint(after, config).diffs).toEqual([]);
            // And as many models as fixpoints, where they can be counted.
            const syms = after.symbols.filter((x) => x.definitions.length > 0 && !x.ownChoice);
            if (syms.length <= 10 && syms.every((x) => next.isTristate(x))) {
              const expected = enumerateFixpoints(after).length;
              expect(countModels(next, after, expected)).toBe(expected);
            }
          }
        },
      ),
      { numRuns: 100 },
    );
    // The property is about updated formulas, not the fallback: enough of them are made.
    expect(updated).toBeGreaterThan(runs / 4);
  });

  it('keeps the solvers when every changed symbol is editable, and loads new ones otherwise', () => {
    const text = 'config A\n\tbool "a"\nconfig B\n\tbool "b"\n\tdefault y\nconfig C\n\tbool\n\tdefault A\n';
    const edited = text.replace('\tdefault A\n', '\tdefault B\n');
    const before = modelFromText(text, dialect);
    for (const editable of [new Set(['C']), new Set<string>()]) {
      const previous = new Formula(before, undefined, { editable });
      previous.load();
      expect(previous.solve()).toBe('sat');
      const next = Formula.updated(previous, modelFromText(edited, dialect))!;
      expect(next.kept).toBe(editable.size > 0);
      const after = next.model;
      const c = after.byName.get('C')!;
      const b = after.byName.get('B')!;
      // C now follows B, not A.
      expect(next.solve([next.enabled(b), -next.enabled(c)])).toBe('unsat');
      expect(next.solve([-next.enabled(b), next.enabled(c)])).toBe('unsat');
      expect(next.solve([-next.enabled(b), -next.enabled(c), next.enabled(after.byName.get('A')!)])).toBe('sat');
    }
  });

  it('encodes a choice again when a member\'s prompt changed (the choice reads its members\' visibility)', () => {
    const text = 'config A\n\tbool "a"\nchoice\n\tprompt "c"\nconfig C1\n\tbool "c1"\n\tdepends on A\nconfig C2\n\tbool "c2"\nendchoice\n';
    const edited = text.replace('\tdepends on A\n', '');
    const after = modelFromText(edited, dialect);
    const previous = new Formula(modelFromText(text, dialect), undefined, { editable: new Set(['C1', '<choice 1>']) });
    previous.load();
    previous.solve();
    const next = Formula.updated(previous, after)!;
    expect(next.kept).toBe(true);
    const fresh = new Formula(after);
    fresh.load();
    const expected = enumerateFixpoints(after).length;
    expect(countModels(fresh, after, expected)).toBe(expected);
    expect(countModels(next, after, expected)).toBe(expected);
  });

  it('encodes afresh once updates have doubled the CNF, each formula on the way right', () => {
    const texts = ['config A\n\tbool "a"\nconfig B\n\tbool\n\tdefault A\n', 'config A\n\tbool "a"\nconfig B\n\tbool\n\tdefault !A\n'];
    let formula = new Formula(modelFromText(texts[0]!, dialect), undefined, { editable: new Set(['B']) });
    formula.load();
    let updates = 0;
    for (let i = 1; i < 100; i++) {
      const model = modelFromText(texts[i % 2]!, dialect);
      const next = Formula.updated(formula, model);
      if (!next) break;
      updates++;
      formula = next;
      const [a, b] = [model.byName.get('A')!, model.byName.get('B')!];
      // B follows A (even steps) or its negation (odd ones).
      expect(formula.solve([formula.enabled(a), i % 2 === 0 ? -formula.enabled(b) : formula.enabled(b)])).toBe('unsat');
      expect(formula.solve([formula.enabled(a)])).toBe('sat');
    }
    expect(updates).toBeGreaterThan(0);
    expect(updates).toBeLessThan(99);
  });

  it('is refused for a symbol added or retyped', () => {
    const text = 'config A\n\tbool "a"\n';
    for (const edited of ['config A\n\tbool "a"\nconfig B\n\tbool "b"\n', 'config A\n\ttristate "a"\n']) {
      const previous = new Formula(modelFromText(text, dialect));
      previous.load();
      expect(Formula.updated(previous, modelFromText(edited, dialect))).toBeUndefined();
      expect(previous.solve()).toBe('sat');
    }
  });
}

for (const dialect of ['6.1', '6.12'] as const) describe(`Formula.updated, dialect ${dialect}`, () => updateProperties(dialect));
