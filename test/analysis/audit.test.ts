/**
 * The unmet-dependency audit: the bundled example's seed finding, and the
 * findings against brute force over the reference evaluator (conf's warning
 * condition evaluated on every fixpoint) on random small trees.
 */
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { audit } from '../../src/analysis/audit.js';
import { Session } from '../../src/analysis/session.js';
import { forSmallTrees } from '../helpers/small-trees.js';
import { unmetSelects } from '../reference/evaluator.js';

const example = (variant: string): string => path.resolve(__dirname, '../../corpora/examples/xen-zone-device', variant);

describe('audit on the bundled example', () => {
  it('buggy, i386: exactly the ZONE_DEVICE finding selected by XEN_UNPOPULATED_ALLOC, with a witness', () => {
    const report = audit(Session.open({ tree: example('buggy'), arch: 'i386' }));
    expect(report.findings.map((f) => [f.selector, f.selectee, `${f.loc.file}:${f.loc.line}`, f.selectedAt, f.dependsAt])).toEqual([
      ['XEN_UNPOPULATED_ALLOC', 'ZONE_DEVICE', 'drivers/xen/Kconfig:13', 'y', 'n'],
    ]);
    const witness = new Map(report.findings[0]!.witness.map((e) => [e.name, e.value]));
    // ARCH_HAS_PTE_DEVMAP is only selected on X86_64, so on i386 ZONE_DEVICE is forced past it.
    expect([witness.get('XEN_UNPOPULATED_ALLOC'), witness.get('ZONE_DEVICE'), witness.get('ARCH_HAS_PTE_DEVMAP') ?? 'n']).toEqual(['y', 'y', 'n']);
    expect(report.findings[0]!.text).toBe('select ZONE_DEVICE');
  });

  it('fixed: no finding on any arch', () => {
    for (const arch of ['i386', 'x86_64', 'x86']) expect(audit(Session.open({ tree: example('fixed'), arch })).findings).toEqual([]);
  });
});

describe('audit vs the reference evaluator', () => {
  // 150 trees in three tests of 50: each stays well inside the timeout on a loaded machine.
  for (const batch of [0, 1, 2]) {
    it(`finds exactly the selects some fixpoint lets exceed their target's dependencies (trees ${batch * 50 + 1}-${batch * 50 + 50})`, async () => {
      await forSmallTrees(({ session: s, fixpoints }) => {
        const expected = new Set(fixpoints.flatMap((f) => unmetSelects(s.model, f)));
        const found = audit(s).findings.map((f) => `${f.selector}->${f.selectee}@${f.loc.line}`);
        expect(found.sort()).toEqual([...expected].sort());
      }, 50, batch);
    });
  }
});
