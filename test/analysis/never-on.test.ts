/**
 * neverOn, read from the model alone, claims only symbols that are n in
 * every configuration: in every fixpoint of the reference evaluator (6.1),
 * and unsatisfiable when on by the encoding (6.1 and 6.12). Review leans on
 * it to call a change on an arch that never enables the changed symbols no
 * change at all.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { neverOn } from '../../src/analysis/never-on.js';
import { Session } from '../../src/analysis/session.js';
import type { KconfigDialect } from '../../src/parse/dialect.js';
import { MemorySourceFiles } from '../../src/parse/files.js';
import { breather } from '../helpers/breather.js';
import { forSmallTrees } from '../helpers/small-trees.js';
import { arbKconfig } from '../reference/random-kconfig.js';

const open = (text: string, dialect?: KconfigDialect): Session => Session.open({ tree: new MemorySourceFiles({ Kconfig: text }), ...(dialect ? { dialect } : {}) });
const claimed = (session: Session): string[] => [...neverOn(session.model).symbols].map((s) => s.name).sort();

describe('neverOn', () => {
  it('claims only symbols that are n in every fixpoint of the reference evaluator', async () => {
    let claims = 0;
    await forSmallTrees(({ session, fixpoints }) => {
      for (const sym of neverOn(session.model).symbols) {
        claims++;
        for (const values of fixpoints) expect([sym.name, values.get(sym.name) ?? 'n']).toEqual([sym.name, 'n']);
      }
    }, 30);
    // Random trees write `depends on n` and undefined symbols often enough: the property was put to work.
    expect(claims).toBeGreaterThan(5);
  });

  for (const dialect of ['6.1', '6.12'] as KconfigDialect[]) {
    it(`claims only symbols the encoding cannot turn on (${dialect})`, async () => {
      const breathe = breather();
      await fc.assert(
        fc.asyncProperty(arbKconfig(dialect), async (text) => {
          await breathe();
          const session = open(text, dialect);
          for (const sym of neverOn(session.model).symbols) {
            expect([sym.name, session.formula.solve([session.formula.enabled(sym)])]).toEqual([sym.name, 'unsat']);
          }
        }),
        { numRuns: 150 },
      );
    });
  }

  it('claims nothing in a tree whose recursive dependencies were only warned about', () => {
    const session = Session.open({ tree: new MemorySourceFiles({ Kconfig: 'config A\n\tbool "a"\n\tdepends on B\nconfig B\n\tbool "b"\n\tdepends on A\n' }), recursiveDependencies: 'warn' });
    expect(session.loaded.cycles.length).toBeGreaterThan(0);
    expect(neverOn(session.model).symbols.size).toBe(2);
    expect(neverOn(session.model, true).symbols.size).toBe(0);
  });

  it('follows dependencies and selects from an undefined symbol, and stops at a select that can act (which ignores dependencies)', () => {
    const session = open(`
menu "xen"
\tdepends on XEN
config XEN_ALLOC
\tbool "alloc"
\tselect ZONE
config XEN_OTHER
\tbool "other"
\tdepends on XEN_ALLOC || n
endmenu
config ZONE
\tbool
\tdepends on XEN
config HOTPLUG
\tbool "hotplug"
\tselect ZONE if XEN_OTHER
config NEGATED
\tbool "negated"
\tdepends on !XEN
config ANY
\tbool "any"
\tselect ZONE
`);
    expect(claimed(session)).toEqual(['XEN_ALLOC', 'XEN_OTHER']);
    const zone = session.model.byName.get('ZONE')!;
    expect(zone.selectedBy.map((r) => [r.selector.name, neverOn(session.model).acts(r)])).toEqual([
      ['XEN_ALLOC', false],
      ['HOTPLUG', false],
      ['ANY', true],
    ]);
  });
});
