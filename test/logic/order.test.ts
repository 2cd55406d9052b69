/**
 * Order chains (issue 18): comparisons between two int/hex symbols over many
 * constants, and many ranges on one symbol, encoded through chains of OR
 * gates instead of one gate per pair. The chained formula has exactly the
 * models of the pairwise one (random trees, every comparison and range
 * chained), orderKey orders operands as compareValues does, and the large
 * generated cases stay linear and answer right.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { query } from '../../src/analysis/query.js';
import { Session } from '../../src/analysis/session.js';
import { encodeModel, type Encoding } from '../../src/logic/encode.js';
import { compareValues, orderKey, type OperandType } from '../../src/model/values.js';
import type { KconfigModel } from '../../src/model/types.js';
import { MemorySourceFiles } from '../../src/parse/files.js';
import { createMiniSat } from '../../src/sat/minisat.js';
import { breather } from '../helpers/breather.js';
import { arbKconfig, modelFromText } from '../reference/random-kconfig.js';

/** Every model of the encoding, as symbol values (sorted lines), or undefined past `cap` models. */
function models(model: KconfigModel, encoding: Encoding, cap = 300): string[] | undefined {
  const solver = createMiniSat();
  solver.addClauses(encoding.cnf.rawClauses());
  const symbols = model.symbols.filter((s) => s.definitions.length > 0);
  const out: string[] = [];
  while (solver.solve() === 'sat') {
    if (out.length === cap) return undefined;
    const blocking: number[] = [];
    const line: string[] = [];
    for (const sym of symbols) {
      const pair = encoding.pairOf(sym);
      const lits = pair ? [pair.m, pair.y] : [...(encoding.valuesOf(sym)?.values() ?? [])];
      for (const l of lits) blocking.push(solver.value(l) ? -l : l);
      if (pair) line.push(`${sym.name}=${solver.value(pair.y) ? 'y' : solver.value(pair.m) ? 'm' : 'n'}`);
      else for (const [text, l] of encoding.valuesOf(sym) ?? []) if (solver.value(l)) line.push(`${sym.name}=${JSON.stringify(text)}`);
    }
    out.push(line.join(' '));
    solver.addClause(blocking);
  }
  return out.sort();
}

describe('order chains', () => {
  for (const dialect of ['6.1', '6.12'] as const) {
    it(`have exactly the models of the pairwise encoding on random trees (${dialect})`, async () => {
      const breathe = breather();
      let compared = 0;
      await fc.assert(
        fc.asyncProperty(arbKconfig(dialect), async (text) => {
          await breathe();
          const model = modelFromText(text, dialect);
          const pairwise = models(model, encodeModel(model));
          fc.pre(pairwise !== undefined);
          expect(models(model, encodeModel(model, { orderChainMinPairs: 0 }))).toEqual(pairwise);
          compared++;
        }),
        { numRuns: 80, maxSkipsPerRun: 20 },
      );
      expect(compared).toBeGreaterThan(50);
    });
  }

  it('orderKey orders two operands as compareValues compares them', () => {
    const types: OperandType[] = ['int', 'hex', 'string', 'unknown', 'tristate'];
    const text = fc.oneof(
      fc.integer({ min: -300, max: 300 }).map(String),
      fc.integer({ min: 0, max: 600 }).map((n) => `0x${n.toString(16)}`),
      fc.constantFrom('', 'y', 'n', 'm', 'abc', '0x', '-', '18446744073709551615', '-9223372036854775808', '0xffffffffffffffff', ' 7'),
    );
    fc.assert(
      fc.property(text, fc.constantFrom(...types), text, fc.constantFrom(...types), (a, at, b, bt) => {
        const ka = orderKey(a, at, bt);
        const kb = orderKey(b, bt, at);
        fc.pre(ka !== undefined && kb !== undefined);
        expect(compareValues('<', a, at, b, bt)).toBe(ka! < kb!);
        expect(compareValues('=', a, at, b, bt)).toBe(ka === kb);
      }),
      { numRuns: 5000 },
    );
  });

  const session = (text: string): Session => Session.open({ tree: new MemorySourceFiles({ Kconfig: text }) });
  const repeat = (n: number, line: (i: number) => string): string => Array.from({ length: n }, (_, i) => line(i)).join('');

  it('two ints compared over 180 constants each: linear, and exact', () => {
    const xs = repeat(180, (i) => `config X${i}\n\tbool "x${i}"\n\tdepends on A = ${i * 7} || B = ${i * 11}\n`);
    const s = session(`config A\n\tint "a"\n\nconfig B\n\tint "b"\n\nconfig C\n\tbool "c"\n\tdepends on A < B\n${xs}`);
    // 369,832 clauses pairwise
    expect(s.formula.size.clauses).toBeLessThan(30_000);
    const yes = (...q: string[]): boolean => query(s, q).satisfiable;
    expect([yes('C', 'A=1239', 'B=1239'), yes('C', 'A=1239', 'B=1240'), yes('C', 'A=1240', 'B=1239'), yes('C', 'A=-5', 'B=0')]).toEqual([false, true, false, true]);
    expect([yes('X3', 'A!=21', 'B!=33'), yes('!C', 'A=3', 'B=1000'), yes('!C', 'A=0', 'B=1000', 'X0')]).toEqual([false, true, true]);
  });

  it('1,000 ranges on one int: linear, and the first active range bounds the value', () => {
    const ranges = repeat(1000, (i) => `\trange ${i * 3} ${i * 3 + 1000} if C${i}\n`);
    const s = session(`config N\n\tint "n"\n${ranges}\tdefault 5000\n${repeat(1000, (i) => `config C${i}\n\tbool "c${i}"\n`)}config H\n\tint\n${ranges}\tdefault 5000\n`);
    // 597,113 clauses pairwise (without H)
    expect(s.formula.size.clauses).toBeLessThan(200_000);
    const yes = (...q: string[]): boolean => query(s, q).satisfiable;
    expect([yes('N=1500', 'C0'), yes('N=1005', '!C0', '!C1', 'C2'), yes('N=1003', '!C0', 'C1'), yes('N=1004', '!C0', 'C1'), yes('N=2')]).toEqual([false, true, true, false, true]);
    // A hidden int is clamped to the active range's high bound; with no range active it keeps its default.
    expect([yes('H=1000', 'C0'), yes('H=1006', '!C0', '!C1', 'C2'), yes('H=5000', 'C999'), yes('H=3997', 'C999')]).toEqual([true, true, false, true]);
    expect(yes('H=5000', ...repeat(1000, (i) => `!C${i} `).trim().split(' '))).toBe(true);
  });
});
