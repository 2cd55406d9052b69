/**
 * The backbone search of deadSymbols gives the answers of the group halving it
 * replaced (test/helpers/dead-groups.ts): the same dead and always-on symbols,
 * in the same order, on random trees and on Linux 6.1 x86_64 and i386.
 */
import { execFile } from 'node:child_process';
import * as path from 'node:path';
import { promisify } from 'node:util';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { deadSymbols } from '../../src/analysis/dead.js';
import { Session } from '../../src/analysis/session.js';
import type { KconfigDialect } from '../../src/parse/dialect.js';
import { MemorySourceFiles } from '../../src/parse/files.js';
import { breather } from '../helpers/breather.js';
import { deadSymbolsByGroups } from '../helpers/dead-groups.js';
import { requireEnv } from '../helpers/requires.js';
import { joinedTrees } from '../helpers/small-trees.js';
import { arbKconfig } from '../reference/random-kconfig.js';

const names = (r: { dead: { symbol: string }[]; alwaysOn: { symbol: string }[] }): { dead: string[]; alwaysOn: string[] } => ({
  dead: r.dead.map((d) => d.symbol),
  alwaysOn: r.alwaysOn.map((d) => d.symbol),
});

describe('dead and always-on by backbone', () => {
  for (const dialect of ['6.1', '6.12'] as KconfigDialect[]) {
    it(`agrees with the group search on random trees (${dialect}), several trees' symbols per file`, async () => {
      const breathe = breather();
      await fc.assert(
        fc.asyncProperty(fc.array(arbKconfig(dialect), { minLength: 1, maxLength: 6 }), fc.boolean(), async (texts, promptOnly) => {
          await breathe();
          const session = joinedTrees(texts, dialect);
          if (!session) return fc.pre(false);
          const { dead, alwaysOn } = deadSymbolsByGroups(session, { promptOnly });
          expect(names(deadSymbols(session, { promptOnly }))).toEqual({ dead, alwaysOn });
          // The dead side alone (the editor's question) is the same list.
          expect(names(deadSymbols(session, { promptOnly, alwaysOn: false }))).toEqual({ dead, alwaysOn: [] });
        }),
        { numRuns: 150 },
      );
    });
  }

  it('symbols that unit propagation proves dead or always on cost no solve of their own', () => {
    // Forty symbols under one that depends on n, and forty that a select keeps on: each is backbone,
    // and assuming it flipped propagates to a conflict. Asked one by one, they were a solve each (over 80).
    const chain = (prefix: string, extra: string): string =>
      Array.from({ length: 40 }, (_, i) => `config ${prefix}${i}\n\tbool "${prefix}${i}"\n${extra}\n`).join('');
    const text = `config OFF\n\tbool "off"\n\tdepends on n\n${chain('D', '\tdepends on OFF')}config ON\n\tdef_bool y\n${chain('A', '\tdefault y')}`;
    const selects = Array.from({ length: 40 }, (_, i) => `\tselect A${i}`).join('\n');
    const session = Session.open({ tree: new MemorySourceFiles({ Kconfig: `${text}config SEL\n\tdef_bool y\n${selects}\n` }) });
    const report = deadSymbols(session);
    const { dead, alwaysOn } = deadSymbolsByGroups(session);
    expect(names(report)).toEqual({ dead, alwaysOn });
    expect(report.dead).toHaveLength(41);
    expect(report.alwaysOn.map((d) => d.symbol)).toEqual(['ON', ...Array.from({ length: 40 }, (_, i) => `A${i}`), 'SEL']);
    expect(report.solves).toBeLessThan(5);
  });

  it('once a symbol is proven dead, those that need it are proven by propagation, not a solve each', () => {
    // X's dependency is false for every A and B, but only a search shows it; forty symbols depend on X.
    // Before propagation knew X dead, each of them was one solve of its own after X's (over 40).
    const users = Array.from({ length: 40 }, (_, i) => `config D${i}\n\tbool "d${i}"\n\tdepends on X\n`).join('');
    const text = `config A\n\tbool "a"\nconfig B\n\tbool "b"\nconfig X\n\tbool "x"\n\tdepends on (A || B) && (!A || !B) && (A || !B) && (!A || B)\n${users}`;
    const session = Session.open({ tree: new MemorySourceFiles({ Kconfig: text }) });
    const report = deadSymbols(session, { alwaysOn: false });
    expect(report.dead.map((d) => d.symbol)).toEqual(['X', ...Array.from({ length: 40 }, (_, i) => `D${i}`)]);
    expect(names(report).dead).toEqual(deadSymbolsByGroups(session).dead);
    expect(report.solves).toBeLessThan(12);
  });

  it('asks members of one choice to flip in separate runs, never together', () => {
    // Ten bool choices of four members: a run of two members of one choice can never flip, so runs in
    // definition order failed and halved around every member (36 solves).
    const choice = (c: number): string =>
      `choice\n\tprompt "c${c}"\n${[0, 1, 2, 3].map((m) => `config C${c}_${m}\n\tbool "c${c}_${m}"\n`).join('')}endchoice\n`;
    const session = Session.open({ tree: new MemorySourceFiles({ Kconfig: Array.from({ length: 10 }, (_, c) => choice(c)).join('') }) });
    const report = deadSymbols(session, { alwaysOn: false });
    expect(report.dead).toEqual([]);
    expect(report.solves).toBeLessThan(12);
  });

  it('a tree without any valid configuration: every open symbol is both, as before', () => {
    const session = Session.open({ tree: new MemorySourceFiles({ Kconfig: 'config A\n\tbool "a"\nconfig B\n\tbool "b"\n' }) });
    session.formula.addClause([-session.formula.enabled(session.symbol('A'))]);
    session.formula.addClause([session.formula.enabled(session.symbol('A'))]);
    const { dead, alwaysOn } = deadSymbolsByGroups(session);
    expect(dead).toEqual(['A', 'B']);
    expect(names(deadSymbols(session))).toEqual({ dead, alwaysOn });
  });
});

const linux = requireEnv('KCONFSAT_LINUX_61', 'dead backbone against the group search on Linux 6.1');
const MAIN = path.resolve(__dirname, '../../dist/src/cli/main.js');
const VITE_NODE = path.resolve(__dirname, '../../node_modules/vite-node/vite-node.mjs');
const REFERENCE = path.resolve(__dirname, '../helpers/dead-groups-run.ts');

describe.skipIf(!linux)('dead and always-on by backbone on Linux 6.1', () => {
  for (const arch of ['x86_64', 'i386']) {
    it(
      `${arch}: the CLI's answer is the group search's`,
      async () => {
        // Both in child processes, side by side: each is a minute of synchronous work under load.
        const run = promisify(execFile);
        const cli = run(process.execPath, [MAIN, '--json', '--tree', linux!, '--arch', arch, 'dead'], { maxBuffer: 1 << 28 }).catch(
          (e: { stdout: string; code: number }) => {
            if (e.code !== 1) throw e;
            return e;
          },
        );
        const reference = run(process.execPath, [VITE_NODE, REFERENCE, linux!, arch], { maxBuffer: 1 << 28 });
        const [now, before] = await Promise.all([cli, reference]);
        const expected = JSON.parse(before.stdout) as { dead: string[]; alwaysOn: string[] };
        expect(names(JSON.parse(now.stdout) as Parameters<typeof names>[0])).toEqual({ dead: expected.dead, alwaysOn: expected.alwaysOn });
        expect(expected.dead.length).toBeGreaterThan(1000);
      },
      30 * 60_000,
    );
  }
});
