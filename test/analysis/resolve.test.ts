/**
 * Minimal diagnoses: the bundled example, and every minimal diagnosis against
 * brute force on random small trees, where a diagnosis is what a user does:
 * edit some entries of a valid .config, run conf (the reference evaluator),
 * and get a configuration where the wish holds.
 */
import * as path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { resolve } from '../../src/analysis/resolve.js';
import { Session } from '../../src/analysis/session.js';
import { evaluate } from '../reference/evaluator.js';
import { arbKconfig } from '../reference/random-kconfig.js';
import { smallTree } from '../helpers/small-trees.js';
import { breather } from '../helpers/breather.js';

const example = (variant: string): string => path.resolve(__dirname, '../../corpora/examples/xen-zone-device', variant);

/** An x86_64 .config of the example with XEN on and ZONE_DEVICE's options off (as `kconfsat sample` wrote one). */
const BASE = new Map(
  Object.entries({
    MODULES: 'y', '64BIT': 'y', X86_64: 'y', X86: 'y', GENERIC_CPU: 'y', PARAVIRT: 'y', XEN: 'y',
    ARCH_ENABLE_MEMORY_HOTPLUG: 'y', ARCH_HAS_PTE_DEVMAP: 'y', SPARSEMEM_VMEMMAP_ENABLE: 'y', SPARSEMEM: 'y', SPARSEMEM_VMEMMAP: 'y',
  }),
);

const changesOf = (r: ReturnType<typeof resolve>): string[][] => r.diagnoses.map((d) => d.changes.map((c) => `${c.name}=${c.to}`));

describe('resolve on the bundled example', () => {
  it('fixed tree, x86_64: the one minimal diagnosis turns on the hotplug chain the wish depends on', () => {
    const session = Session.open({ tree: example('fixed'), arch: 'x86_64' });
    const r = resolve(session, ['XEN_UNPOPULATED_ALLOC=y'], BASE);
    expect(changesOf(r)).toEqual([['MEMORY_HOTPLUG=y', 'MEMORY_HOTREMOVE=y', 'ZONE_DEVICE=y', 'XEN_UNPOPULATED_ALLOC=y']]);
    expect(r.complete).toBe(true);
    const config = new Map(r.diagnoses[0]!.config.map((e) => [e.name, e.value]));
    expect(session.formula.violatedSymbols(config)).toEqual([]);
  });

  it('buggy tree: the select drags ZONE_DEVICE along, so one change is enough', () => {
    const r = resolve(Session.open({ tree: example('buggy'), arch: 'x86_64' }), ['XEN_UNPOPULATED_ALLOC=y'], BASE);
    expect(changesOf(r)).toEqual([['XEN_UNPOPULATED_ALLOC=y']]);
  });

  it('alternatives come smallest first: XEN goes off directly or through PARAVIRT', () => {
    const r = resolve(Session.open({ tree: example('fixed'), arch: 'x86_64' }), ['!XEN'], BASE);
    expect(changesOf(r).map((d) => d.join(' ')).sort()).toEqual(['PARAVIRT=n', 'XEN=n']);
  });

  it('i386: no change can help, and the explanation says why', () => {
    const r = resolve(Session.open({ tree: example('fixed'), arch: 'i386' }), ['XEN_UNPOPULATED_ALLOC=y'], BASE);
    expect([r.satisfiable, r.diagnoses]).toEqual([false, []]);
    expect(r.explanation!.symbols).toContain('ARCH_HAS_PTE_DEVMAP');
  });

  it('a wish the base already fits needs no change', () => {
    const r = resolve(Session.open({ tree: example('fixed'), arch: 'x86_64' }), ['XEN=y'], BASE);
    expect(changesOf(r)).toEqual([[]]);
  });
});

describe('resolve vs brute force on the reference evaluator', () => {
  it('finds exactly the subset-minimal sets of entries a user must edit, smallest first', async () => {
    const breathe = breather();
    await fc.assert(
      fc.asyncProperty(arbKconfig(), fc.nat(), fc.nat(), async (text, pickBase, pickWish) => {
        await breathe();
        // Choices and int/hex/string entries have rules of their own; these trees are bool/tristate only.
        fc.pre(!/^\s*(choice|int|hex|string|def_int|def_hex|def_string)\b/m.test(text));
        const { session, fixpoints } = smallTree(text, 6);
        const model = session.model;
        const defined = model.symbols.filter((s) => s.definitions.length > 0);
        fc.pre(fixpoints.length > 0 && model.choices.length === 0 && defined.every((s) => s.type === 'bool' || s.type === 'tristate'));
        const base = fixpoints[pickBase % fixpoints.length]!;
        const target = defined[pickWish % defined.length]!;
        const wanted = base.get(target.name) === 'n' ? 'y' : 'n';
        const wish = `${target.name}=${wanted}`;

        // Brute force: edit sets by increasing size, keeping those no smaller edit set is inside.
        const editable = defined.filter((s) => s.prompts.length > 0);
        const minimal: string[][] = [];
        const values = (s: (typeof defined)[number]): string[] => (s.type === 'tristate' ? ['n', 'm', 'y'] : ['n', 'y']);
        for (let size = 0; size <= editable.length; size++) {
          for (const subset of subsetsOfSize(editable, size)) {
            const names = subset.map((s) => s.name);
            if (minimal.some((m) => m.every((n) => names.includes(n)))) continue;
            const works = assignments(subset.map((s) => values(s).filter((v) => v !== base.get(s.name)))).some((edit) => {
              const user = new Map(base);
              subset.forEach((s, i) => user.set(s.name, edit[i]!));
              return evaluate(model, user).get(target.name) === wanted;
            });
            if (works) minimal.push(names);
          }
        }

        const r = resolve(session, [wish], base, { max: 1000, maxChanges: editable.length });
        const found = r.diagnoses.map((d) => d.changes.map((c) => c.name).sort());
        expect(found.map((d) => d.join(' ')).sort()).toEqual(minimal.map((d) => [...d].sort().join(' ')).sort());
        // Cardinality-minimal first.
        if (found.length) expect(found[0]!.length).toBe(Math.min(...minimal.map((m) => m.length)));
        for (const d of r.diagnoses) expect(session.formula.violatedSymbols(new Map(d.config.map((e) => [e.name, e.value])))).toEqual([]);
      }),
      { numRuns: 60 },
    );
  }, 300_000);
});

function subsetsOfSize<T>(items: T[], size: number): T[][] {
  if (size === 0) return [[]];
  return items.flatMap((item, i) => subsetsOfSize(items.slice(i + 1), size - 1).map((rest) => [item, ...rest]));
}

function assignments(domains: string[][]): string[][] {
  return domains.reduce<string[][]>((acc, d) => acc.flatMap((a) => d.map((v) => [...a, v])), [[]]);
}
