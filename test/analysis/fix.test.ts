/**
 * Verified repairs: the bundled example's seed gets the upstream fix first,
 * its patch turns the buggy tree into one without findings, and a repair that
 * would close a dependency cycle is rejected the way conf rejects the tree;
 * on random trees, each candidate is verified or rejected exactly as full
 * audits of the tree before and after its edit say (fix audits only the
 * selects around the edit).
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { audit } from '../../src/analysis/audit.js';
import { fix } from '../../src/analysis/fix.js';
import { Session } from '../../src/analysis/session.js';
import { applyEdit } from '../../src/io/patch.js';
import { MemorySourceFiles } from '../../src/parse/files.js';
import { breather } from '../helpers/breather.js';
import { arbKconfig } from '../reference/random-kconfig.js';

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

describe('fix rejects a repair that moves the finding to another select', () => {
  it('S depending on T (or on T\'s dependency) leaves U, which selects S, selecting it past its new dependency', async () => {
    const text = 'config T\n\tbool "t"\n\tdepends on D\nconfig D\n\tbool "d"\nconfig S\n\tbool "s"\n\tselect T\nconfig U\n\tbool "u"\n\tselect S\n';
    const report = await fix({ load: { tree: new MemorySourceFiles({ Kconfig: text }) }, arches: [undefined] });
    const verdicts = report.results[0]!.candidates.map((c) => [c.kind, c.verified, c.rejected ?? '']).sort();
    expect(verdicts).toEqual([
      ['add-dependencies', false, 'new finding: U selects S at Kconfig:11'],
      ['conditional-select', true, ''],
      ['depends-on', false, 'new finding: U selects S at Kconfig:11'],
      ['imply', true, ''],
    ]);
  });
});

describe('fix on random trees', () => {
  it('verifies a candidate exactly when full audits before and after its edit find the finding gone and nothing new', async () => {
    const breathe = breather();
    // A finding by its select line (one selector may select one target on two lines), read in the tree before the edit.
    type Located = { selector: string; selectee: string; loc: { line: number } };
    const keys = (findings: Located[], line: (n: number) => number = (n) => n): Set<string> =>
      new Set(findings.map((f) => `${f.selector} ${f.selectee} ${line(f.loc.line)}`));
    let judged = 0;
    let rejected = 0;
    await fc.assert(
      fc.asyncProperty(arbKconfig(), async (text) => {
        await breathe();
        let before: Set<string>;
        try {
          before = keys(audit(Session.open({ tree: new MemorySourceFiles({ Kconfig: text }) })).findings);
        } catch {
          return fc.pre(false);
        }
        fc.pre(before.size > 0);
        const report = await fix({ load: { tree: new MemorySourceFiles({ Kconfig: text }) }, arches: [undefined] });
        for (const { finding, candidates } of report.results) {
          for (const c of candidates) {
            let after: Set<string> | undefined;
            const { line, insert, deleteCount } = c.edit;
            const shift = insert.length - deleteCount;
            try {
              const edited = audit(Session.open({ tree: new MemorySourceFiles({ Kconfig: applyEdit(text, c.edit) }) })).findings;
              after = keys(edited, (n) => (n >= line + insert.length ? n - shift : n));
            } catch {
              after = undefined; // the edited tree does not load: rejected
            }
            const holds = after !== undefined && !after.has(`${finding.selector} ${finding.selectee} ${finding.loc.line}`) && [...after].every((k) => before.has(k));
            expect([c.summary, c.verified]).toEqual([c.summary, holds]);
            judged++;
            if (!holds) rejected++;
          }
        }
      }),
      { numRuns: 70 },
    );
    // Enough candidates of both verdicts for the property to say something.
    expect(judged).toBeGreaterThan(50);
    expect(rejected).toBeGreaterThan(5);
  }, 300_000);
});
