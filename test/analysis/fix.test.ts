/**
 * Verified repairs: the bundled example's seed gets the upstream fix first,
 * its patch turns the buggy tree into one without findings, and a repair that
 * would close a dependency cycle is rejected the way conf rejects the tree.
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { audit } from '../../src/analysis/audit.js';
import { fix } from '../../src/analysis/fix.js';
import { Session } from '../../src/analysis/session.js';
import { MemorySourceFiles } from '../../src/parse/files.js';

const example = (variant: string): string => path.resolve(__dirname, '../../corpora/examples/xen-zone-device', variant);

describe('fix on the bundled example', () => {
  it('proposes select -> depends on first; its only effect is the intended one: XEN_UNPOPULATED_ALLOC cannot be y on i386', async () => {
    const report = await fix({ load: { tree: example('buggy') }, arches: ['i386'], verifyArches: ['i386', 'x86_64'] });
    expect(report.results).toHaveLength(1);
    const [best, second, ...rest] = report.results[0]!.candidates;
    expect(best!.kind).toBe('depends-on');
    expect(best!.verified).toBe(true);
    expect(best!.checkedOn).toEqual(['i386', 'x86_64']);
    // Both were reachable only with ZONE_DEVICE forced past its dependencies.
    expect(best!.impact).toEqual([
      { arch: 'i386', symbol: 'XEN_UNPOPULATED_ALLOC', lost: ['y'], gained: [], intended: true },
      { arch: 'i386', symbol: 'ZONE_DEVICE', lost: ['y'], gained: [], intended: true },
    ]);
    expect(best!.impactScore).toBe(0);
    // Adding ZONE_DEVICE's dependencies has the same effect but a longer edit.
    expect([second!.kind, second!.impactScore, second!.size > best!.size]).toEqual(['add-dependencies', 0, true]);
    // imply and a conditional select keep XEN_UNPOPULATED_ALLOC but let it run without ZONE_DEVICE.
    for (const c of rest) {
      expect(c.verified).toBe(true);
      expect(c.impact.filter((e) => e.guaranteeLost).map((e) => e.arch)).toEqual(['i386', 'x86_64']);
    }
    expect(rest.map((c) => c.kind).sort()).toEqual(['conditional-select', 'imply']);
  });

  it("the top patch applies with git apply and leaves a tree with no finding, whose edited file is the upstream fix's", async () => {
    const report = await fix({ load: { tree: example('buggy') }, arches: ['i386'], verifyArches: ['i386'] });
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kconfsat-fix-'));
    fs.cpSync(example('buggy'), dir, { recursive: true });
    fs.writeFileSync(path.join(dir, 'fix.patch'), report.results[0]!.candidates[0]!.patch);
    execFileSync('git', ['apply', 'fix.patch'], { cwd: dir });
    for (const arch of ['i386', 'x86_64']) expect(audit(Session.open({ tree: dir, arch })).findings).toEqual([]);
    const line = (tree: string): string | undefined =>
      fs.readFileSync(path.join(tree, 'drivers/xen/Kconfig'), 'utf8').split('\n').find((l) => l.includes('ZONE_DEVICE') && !l.startsWith('#'));
    expect(line(dir)).toBe(line(example('fixed')));
    fs.rmSync(dir, { recursive: true });
  });

  it('has nothing to repair in the fixed variant', async () => {
    expect((await fix({ load: { tree: example('fixed') }, arches: ['i386', 'x86_64'] })).results).toEqual([]);
  });
});

describe('fix candidates that conf would reject', () => {
  // S selects T, T depends on A, A depends on S: S on with A off forces T past its dependency.
  const tree = new MemorySourceFiles({
    Kconfig: [
      'config S',
      '\tbool "s"',
      '\tselect T',
      '',
      'config A',
      '\tbool "a"',
      '\tdepends on S',
      '',
      'config T',
      '\tbool',
      '\tdepends on A',
      '',
    ].join('\n'),
  });

  it('drops `depends on` edits that close a dependency cycle, saying why, and keeps the conditional select', async () => {
    const report = await fix({ load: { tree }, arches: [undefined] });
    const byKind = new Map(report.results[0]!.candidates.map((c) => [c.kind, c]));
    for (const kind of ['depends-on', 'add-dependencies'] as const) {
      expect(byKind.get(kind)!.verified).toBe(false);
      expect(byKind.get(kind)!.rejected).toMatch(/recursive dependency/);
    }
    expect(byKind.get('conditional-select')!.verified).toBe(true);
    expect(byKind.get('conditional-select')!.edit.insert).toEqual(['\tselect T if A']);
    expect(report.results[0]!.candidates[0]!.kind).toBe('conditional-select');
    // T has no prompt: imply could never turn it on.
    expect(report.results[0]!.skipped.map((s) => s.kind)).toEqual(['imply']);
  });
});

describe('fix on a select whose condition names a symbol the tree never defines', () => {
  it('reads the undefined symbol as n (conf does), as in ISCSI_TARGET `select CRYPTO_CRC32C_INTEL if X86` on arm64', async () => {
    const tree = new MemorySourceFiles({
      Kconfig: ['config S', '\tbool "s"', '\tselect T if !X86', '', 'config A', '\tbool "a"', '', 'config T', '\tbool "t"', '\tdepends on A', ''].join('\n'),
    });
    const [result] = (await fix({ load: { tree }, arches: [undefined] })).results;
    const dependsOn = result!.candidates.find((c) => c.kind === 'depends-on')!;
    expect([dependsOn.verified, dependsOn.edit.insert]).toEqual([true, ['\tdepends on T || X86']]);
    const imply = result!.candidates.find((c) => c.kind === 'imply')!;
    expect(imply.impact.map((e) => e.guaranteeLost)).toEqual(['T can now be n while S (with !X86) is on']);
  });
});
