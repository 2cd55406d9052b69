/**
 * values, dead, sample, query --config and explanations: exact answers on
 * the bundled example, and the same answers as brute force over the
 * reference evaluator's fixpoints on random small trees.
 */
import * as path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { cone } from '../../src/analysis/cone.js';
import { deadSymbols } from '../../src/analysis/dead.js';
import { query, resolveExpression } from '../../src/analysis/query.js';
import { resolve } from '../../src/analysis/resolve.js';
import { sample } from '../../src/analysis/sample.js';
import { Session } from '../../src/analysis/session.js';
import { possibleValues } from '../../src/analysis/values.js';
import { MemorySourceFiles } from '../../src/parse/files.js';
import { forSmallTrees, smallTree } from '../helpers/small-trees.js';
import { enumerateFixpoints, isFixpoint } from '../reference/evaluator.js';
import { arbKconfig } from '../reference/random-kconfig.js';
import { breather } from '../helpers/breather.js';

const example = (variant: string): string => path.resolve(__dirname, '../../corpora/examples/xen-zone-device', variant);
const sessions = new Map<string, Session>();
function exampleSession(variant: string, arch: string): Session {
  const key = `${variant}/${arch}`;
  if (!sessions.has(key)) sessions.set(key, Session.open({ tree: example(variant), arch }));
  return sessions.get(key)!;
}
const memory = (text: string): Session => Session.open({ tree: new MemorySourceFiles({ Kconfig: text }) });

describe('values', () => {
  it('64BIT follows ARCH; XEN_UNPOPULATED_ALLOC can be y on i386 only in the buggy tree', () => {
    const values = (variant: string, arch: string, name: string): string[] => {
      const s = exampleSession(variant, arch);
      return possibleValues(s, s.symbol(name)).values.sort();
    };
    expect(values('buggy', 'i386', '64BIT')).toEqual(['n']);
    expect(values('buggy', 'x86_64', '64BIT')).toEqual(['y']);
    expect(values('buggy', 'i386', 'XEN_UNPOPULATED_ALLOC')).toEqual(['n', 'y']);
    expect(values('fixed', 'i386', 'XEN_UNPOPULATED_ALLOC')).toEqual(['n']);
    expect(values('fixed', 'x86_64', 'XEN_GNTDEV')).toEqual(['m', 'n', 'y']);
  });

  it('int and string values, with "any other string" for a prompted string', () => {
    const s = memory(`
config N
\tint "n"
\trange 1 4
\tdefault 2
config S
\tstring "s"
\tdefault "a"
config T
\tstring
\tdefault "b" if N = 3
\tdefault "c"
`);
    const n = possibleValues(s, s.symbol('N'));
    expect(n.values.sort()).toEqual(['1', '2', '3', '4']);
    expect(possibleValues(s, s.symbol('S')).otherStrings).toBe(true);
    const t = possibleValues(s, s.symbol('T'));
    expect([t.values.sort(), t.otherStrings]).toEqual([['b', 'c'], false]);
  });

  it('agree with the fixpoints of the reference evaluator', async () => {
    const breathe = breather();
    await fc.assert(
      fc.asyncProperty(arbKconfig(), async (text) => {
        await breathe();
        const s = memory(text);
        const syms = s.model.symbols.filter((x) => x.definitions.length > 0 && !x.ownChoice && s.formula.isTristate(x));
        fc.pre(syms.length <= 8 && s.model.symbols.every((x) => x.definitions.length === 0 || x.ownChoice || s.formula.isTristate(x)));
        const fixpoints = enumerateFixpoints(s.model);
        for (const sym of syms) {
          const expected = [...new Set(fixpoints.map((f) => f.get(sym.name) ?? 'n'))].sort();
          expect(possibleValues(s, sym).values.sort()).toEqual(expected);
        }
      }),
      { numRuns: 60 },
    );
  });
});

describe('dead', () => {
  it('on the example: the 32-bit options are dead on x86_64 and the 64-bit ones on i386', () => {
    const names = (variant: string, arch: string): [string[], string[]] => {
      const r = deadSymbols(exampleSession(variant, arch));
      return [r.dead.map((d) => d.symbol).sort(), r.alwaysOn.map((d) => d.symbol).sort()];
    };
    expect(names('buggy', 'x86_64')[0]).toEqual(['HIGHMEM', 'M486', 'M686', 'X86_32', 'X86_PAE']);
    const [dead, alwaysOn] = names('fixed', 'i386');
    expect(dead).toContain('XEN_UNPOPULATED_ALLOC');
    expect(dead).toContain('64BIT');
    expect(alwaysOn).toEqual(expect.arrayContaining(['X86', 'X86_32']));
    expect(names('buggy', 'i386')[0]).not.toContain('XEN_UNPOPULATED_ALLOC');
  });

  it('reasons name the lines that rule the symbol out', () => {
    const r = deadSymbols(exampleSession('fixed', 'i386'), { reasons: true });
    const xen = r.dead.find((d) => d.symbol === 'XEN_UNPOPULATED_ALLOC')!;
    expect(xen.reason!.symbols[0]).toBe('XEN_UNPOPULATED_ALLOC');
    expect(xen.reason!.facts.some((f) => f.text.includes('depends on ZONE_DEVICE'))).toBe(true);
  });

  it('a comparison with a prompted string does not pin it: the user may type another value', () => {
    const s = memory(`
config S
\tstring "s"
config B
\tbool
\tdefault y
\tdepends on S = ""
`);
    const r = deadSymbols(s);
    expect([r.dead, r.alwaysOn.map((d) => d.symbol)]).toEqual([[], []]);
  });

  // 100 trees in two tests of 50: each stays well inside the timeout on a loaded machine.
  for (const batch of [0, 1]) {
    it(`agrees with the fixpoints of the reference evaluator (trees ${batch * 50 + 1}-${batch * 50 + 50})`, async () => {
      await forSmallTrees(({ session: s, fixpoints }) => {
        const report = deadSymbols(s);
        const syms = s.model.symbols.filter((x) => x.definitions.length > 0 && !x.ownChoice && s.formula.isTristate(x));
        const on = (f: Map<string, string>, name: string): boolean => ['y', 'm'].includes(f.get(name) ?? 'n');
        expect(report.dead.map((d) => d.symbol).sort()).toEqual(syms.filter((x) => !fixpoints.some((f) => on(f, x.name))).map((x) => x.name).sort());
        expect(report.alwaysOn.map((d) => d.symbol).sort()).toEqual(syms.filter((x) => fixpoints.every((f) => on(f, x.name))).map((x) => x.name).sort());
      }, 50, batch);
    });
  }
});

describe('sample', () => {
  it('gives distinct valid configurations, reproducible by seed', () => {
    const s = exampleSession('buggy', 'x86_64');
    const configs = sample(s, { count: 6, seed: 3 }).map((x) => JSON.stringify(x.config));
    expect(new Set(configs).size).toBeGreaterThan(1);
    expect(sample(s, { count: 6, seed: 3 }).map((x) => JSON.stringify(x.config))).toEqual(configs);
  });

  it('every sample is a fixpoint of the reference evaluator', async () => {
    const breathe = breather();
    await fc.assert(
      fc.asyncProperty(arbKconfig(), fc.nat(1000), async (text, seed) => {
        await breathe();
        const s = memory(text);
        for (const x of sample(s, { count: 3, seed: seed + 1, choices: 4 })) {
          const values = new Map(x.config.map((e) => [e.name, e.value]));
          expect(isFixpoint(s.model, values).diffs).toEqual([]);
        }
      }),
      { numRuns: 60 },
    );
  });
});

describe('explanations', () => {
  it('a no agrees with the fixpoints, and its reason is a minimal set of definitions that rules the query out', async () => {
    const breathe = breather();
    let explained = 0;
    let narrowed = 0;
    await fc.assert(
      fc.asyncProperty(arbKconfig(), fc.array(fc.tuple(fc.nat(100), fc.constantFrom('y', 'm', 'n')), { minLength: 1, maxLength: 2 }), async (text, picks) => {
        await breathe();
        const { session: s, fixpoints } = smallTree(text);
        const candidates = s.model.symbols.filter((x) => x.definitions.length > 0 && !x.ownChoice && s.formula.isTristate(x));
        fc.pre(candidates.length > 0);
        // A bool is never m: such a query is no before any definition is read.
        const wanted = picks.map(([pick, value]) => {
          const target = candidates[pick % candidates.length]!;
          return { name: target.name, value: target.type === 'bool' && value === 'm' ? 'y' : value };
        });
        const expression = wanted.map((w) => `${w.name}=${w.value}`).join(' && ');
        const answer = query(s, [expression]);
        expect(answer.satisfiable).toBe(fixpoints.some((f) => wanted.every((w) => (f.get(w.name) ?? 'n') === w.value)));
        if (answer.satisfiable) return;
        explained++;
        const lits = [s.formula.holds(resolveExpression(s, expression))];
        const reason = answer.explanation!.symbols.map((name) => s.model.byName.get(name)!);
        const unsatWith = (group: typeof reason): boolean =>
          s.formula.solveWithGroups(lits, group) === 'unsat';
        expect(unsatWith(reason)).toBe(true);
        for (const left of reason) expect(unsatWith(reason.filter((x) => x !== left))).toBe(false);
        if (reason.length < cone(wanted.map((w) => s.model.byName.get(w.name)!)).filter((x) => s.formula.isGroup(x)).length) narrowed++;
        const facts = new Set(answer.explanation!.facts.map((f) => f.symbol));
        expect([...facts].sort()).toEqual(reason.map((x) => x.name).sort());
      }),
      { numRuns: 80 },
    );
    // The property must have met enough answers of no, and reasons smaller than the query's cone, to mean something.
    expect([explained > 20, narrowed > 5]).toEqual([true, true]);
  });
});

describe('a solver for one explanation', () => {
  it('answers every question over subsets of a cone as the solver of the whole tree does', async () => {
    const breathe = breather();
    await fc.assert(
      fc.asyncProperty(arbKconfig(), fc.nat(100), fc.array(fc.array(fc.boolean(), { maxLength: 12 }), { minLength: 1, maxLength: 6 }), async (text, pick, subsets) => {
        await breathe();
        const s = memory(text);
        const candidates = s.model.symbols.filter((x) => x.definitions.length > 0 && s.formula.isTristate(x));
        fc.pre(candidates.length > 0);
        const root = candidates[pick % candidates.length]!;
        const groups = cone([root]).filter((x) => s.formula.isGroup(x));
        const lits = [s.formula.isY(root)];
        const focused = s.formula.groupSolver(groups, lits);
        for (const mask of subsets) {
          const subset = groups.filter((_, i) => mask[i % mask.length] ?? true);
          expect(focused.solve(subset)).toBe(s.formula.solveWithGroups(lits, subset));
        }
      }),
      { numRuns: 80 },
    );
  });
});

describe("the formula's failed assumptions", () => {
  it('name the assumptions to blame, through solve and solveWithGroups, not the groups switched on', () => {
    const s = memory('config A\n\tbool "a"\n\tdepends on B\nconfig B\n\tbool "b"\nconfig C\n\tbool "c"\n');
    const [a, b, c] = ['A', 'B', 'C'].map((n) => s.symbol(n));
    const lits = [s.formula.is(c!, 'y'), s.formula.is(a!, 'y'), s.formula.is(b!, 'n')];
    const blamed = [lits[1], lits[2]].sort();
    expect(s.formula.solve(lits)).toBe('unsat');
    expect(s.formula.failed().sort()).toEqual(blamed);
    expect(s.formula.solveWithGroups(lits, [a!, b!, c!])).toBe('unsat');
    expect(s.formula.failed().sort()).toEqual(blamed);
    // Without A's group its dependency is off: nothing to blame, and no answer to ask about.
    expect(s.formula.solveWithGroups(lits, [b!, c!])).toBe('sat');
    expect(() => s.formula.failed()).toThrow(/unsat/);
  });
});

describe('scratch scopes', () => {
  const tree = (): Session => memory(Array.from({ length: 30 }, (_, i) => `config S${i}\n\tbool "s${i}"\n`).join(''));

  it('are in force only for the solves given them, and never after their release', () => {
    const s = tree();
    const scope = s.formula.scratch();
    scope.clause([]);
    expect(s.formula.solve([], { scratch: scope })).toBe('unsat');
    expect(s.formula.solve([])).toBe('sat');
    scope.release();
    expect(() => s.formula.solve([], { scratch: scope })).toThrow(/release/);
    expect(() => scope.clause([])).toThrow(/release/);
    expect(s.formula.solve([])).toBe('sat');
  });

  it('released, leave the SAT engine: a session answers question after question within its fixed heap', () => {
    const s = tree();
    const lits = Array.from({ length: 30 }, (_, i) => s.formula.is(s.symbol(`S${i}`)!, 'y'));
    let seed = 1;
    const pick = (): number => ((seed = (seed * 1103515245 + 12345) % 2 ** 31), lits[seed % 30]! * (seed & 64 ? 1 : -1));
    // 20 questions of 100,000 clauses: about 80 MB in one MiniSat core were they all kept.
    for (let q = 0; q < 20; q++) {
      const scope = s.formula.scratch();
      for (let c = 0; c < 100_000; c++) scope.clause([pick(), pick(), pick(), lits[q % 30]!]);
      expect(s.formula.solve([lits[q % 30]!], { scratch: scope })).toBe('sat');
      scope.release();
      expect(s.formula.solve([-lits[q % 30]!])).toBe('sat');
    }
  }, 60_000);
});

describe('query --config BASE', () => {
  it('keeps the base values that do not conflict and names those that had to change', () => {
    const s = exampleSession('fixed', 'x86_64');
    const base = new Map([
      ['XEN', 'y'],
      ['XEN_UNPOPULATED_ALLOC', 'n'],
      ['ZONE_DEVICE', 'n'],
      ['XEN_GNTDEV', 'y'],
    ]);
    const answer = query(s, ['XEN_UNPOPULATED_ALLOC=y'], { base });
    expect(answer.satisfiable).toBe(true);
    expect(answer.changedFromBase).toEqual([
      { name: 'XEN_UNPOPULATED_ALLOC', base: 'n', witness: 'y' },
      { name: 'ZONE_DEVICE', base: 'n', witness: 'y' },
    ]);
    const written = new Map(answer.witness!.config.map((e) => [e.name, e.value]));
    expect(written.get('XEN_GNTDEV')).toBe('y');
  });
});

describe('query expressions that fold to a constant', () => {
  // The encoder folds `A && !A` to FALSE and `A || !A` to TRUE before the solver sees them.
  it('a contradiction is no and a tautology yes', () => {
    const s = memory('config A\n\tbool "a"\n');
    const answer = (e: string): boolean => query(s, [e], { explain: false }).satisfiable;
    expect([answer('A && !A'), answer('A || !A'), answer('n'), answer('y')]).toEqual([false, true, false, true]);
  });
});

describe('values the tree never mentions', () => {
  const tree = `
config S
\tstring "s"
config COPY
\tstring
\tdefault S
config N
\tint "n"
\trange 1 4096
\tdefault 64
config B
\tbool
\tdefault y
\tdepends on S != ""
`;
  const yes = (s: Session, ...e: string[]): boolean => query(s, e, { explain: false }).satisfiable;

  it('a query may name any string or number a user can type, and the witness holds it', () => {
    const s = memory(tree);
    const answer = query(s, ['S="-test"', 'N=100']);
    expect(answer.satisfiable).toBe(true);
    const written = new Map(answer.witness!.config.map((e) => [e.name, e.value]));
    expect([written.get('S'), written.get('COPY'), written.get('N')]).toEqual(['-test', '-test', '100']);
    expect(yes(s, 'S="a"', 'S="b"')).toBe(false);
    expect(yes(s, 'N>=100', 'N<=99')).toBe(false);
    expect(yes(s, 'N=5000')).toBe(false);
    // COPY is S's value: it cannot differ from it, whatever the strings.
    expect([yes(s, 'S="x"', 'COPY="y"'), yes(s, 'S="x"', 'COPY="x"')]).toEqual([false, true]);
  });

  it('a witness never shows a placeholder: an unmentioned string is written as a real one', () => {
    const s = memory(tree);
    const answer = query(s, ['B', 'S!="kconfsat-other"']);
    const value = answer.witness!.config.find((e) => e.name === 'S')!.value;
    expect(value).not.toBe('');
    expect(value).not.toBe('kconfsat-other');
    expect(value).not.toContain(':');
  });

  it('a session that has run resolve still widens for a later question', () => {
    const s = memory(tree);
    expect(resolve(s, ['B'], new Map()).satisfiable).toBe(true);
    expect(yes(s, 'S="late"', 'N=1000')).toBe(true);
  });

  it('a base .config keeps its own strings and numbers', () => {
    const s = memory(tree);
    const answer = query(s, ['B'], { base: new Map([['S', 'mine'], ['N', '77']]) });
    expect(answer.changedFromBase).toEqual([]);
    const written = new Map(answer.witness!.config.map((e) => [e.name, e.value]));
    expect([written.get('S'), written.get('N')]).toEqual(['mine', '77']);
  });
});
