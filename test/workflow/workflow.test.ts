/**
 * The workflow layer on the bundled example: auditTree is the per-arch audits
 * grouped, in this thread and on worker threads alike; treeStatistics counts
 * what the model and formula hold; fixTree verifies on every arch of the tree
 * by default; reviewTree is review on worker threads as in this thread; the scripts' target matrix reads --arch lists and the manifest.
 */
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { audit, groupFindings } from '../../src/analysis/audit.js';
import { fix } from '../../src/analysis/fix.js';
import { review, type ReviewReport } from '../../src/analysis/review.js';
import { Session } from '../../src/analysis/session.js';
import { auditTree } from '../../src/workflow/audit.js';
import { manifestEntry } from '../../src/workflow/reference.js';
import { treeStatistics } from '../../src/workflow/statistics.js';
import { archList, corpusArches, sweepPlan } from '../../scripts/lib/targets.js';

const buggy = path.resolve(__dirname, '../../corpora/examples/xen-zone-device/buggy');

/** The built package (test/setup/build.ts): a worker thread starts the compiled worker module, which vitest's .ts sources are not. */
const built = async (): Promise<typeof import('../../src/index.js')> =>
  (await import(pathToFileURL(path.resolve(__dirname, '../../dist/src/index.js')).href)) as typeof import('../../src/index.js');

describe('auditTree', () => {
  it('is the audit of each arch, counted per arch and grouped by select line, the same on worker threads', async () => {
    const arches = ['i386', 'x86', 'x86_64'];
    const direct = arches.map((arch) => audit(Session.open({ tree: buggy, arch })));
    const threaded = (await built()).auditTree;
    for (const [run, jobs] of [[auditTree, 1], [threaded, 2]] as const) {
      const result = await run({ load: { tree: buggy }, arches, jobs });
      expect(result.findings).toEqual(direct.flatMap((r) => r.findings));
      expect(result.groups).toEqual(groupFindings(direct.flatMap((r) => r.findings)));
      expect(result.groups.map((g) => [g.selector, g.selectee, g.arches])).toEqual([['XEN_UNPOPULATED_ALLOC', 'ZONE_DEVICE', arches]]);
      expect(result.arches.map(({ arch, findings, selects, screened, solves }) => ({ arch, findings, selects, screened, solves }))).toEqual(
        arches.map((arch) => ({ arch, findings: 1, selects: 5, screened: 4, solves: 1 })),
      );
      expect(result.confirmed).toBeUndefined();
    }
  });

  it('refuses to confirm a run without an arch: conf runs for one ARCH', async () => {
    await expect(auditTree({ load: { tree: buggy }, arches: [undefined], conf: '/bin/false' })).rejects.toThrow(/an arch for every run/);
  });
});

describe('treeStatistics', () => {
  it("counts the example's symbols by type, its choice, files and formula as info prints them", () => {
    const stats = treeStatistics(Session.open({ tree: buggy, arch: 'x86_64' }));
    const { timingsMs, ...counts } = stats;
    expect(counts).toEqual({
      arch: 'x86_64',
      files: 4,
      symbols: 24,
      byType: { bool: 23, tristate: 1 },
      choices: 1,
      undefinedReferences: 0,
      inputs: 0,
      variables: 79,
      clauses: 164,
    });
    expect(Object.keys(timingsMs)).toEqual(['parseMs', 'buildMs', 'encodeMs', 'loadSolverMs']);
  });
});

describe('fixTree', () => {
  it('verifies on every arch of the tree by default, with the same repairs as fix given those arches', async () => {
    const report = await (await built()).fixTree({ load: { tree: buggy }, arches: ['i386'], jobs: 2 });
    expect(report.verifyArches).toEqual(['i386', 'x86', 'x86_64']);
    const direct = await fix({ load: { tree: buggy }, arches: ['i386'], verifyArches: ['i386', 'x86', 'x86_64'] });
    const shape = (r: typeof report): unknown => r.results.map((x) => ({ finding: x.finding, candidates: x.candidates, skipped: x.skipped }));
    expect(shape(report)).toEqual(shape(direct));
  });
});

describe('reviewTree', () => {
  it('is review arch by arch, the same on worker threads', async () => {
    const fixed = path.resolve(buggy, '../fixed');
    const options = { old: { tree: fixed }, new: { tree: buggy }, arches: ['i386', 'x86_64', 'x86'], fixes: false };
    const threaded = await (await built()).reviewTree({ ...options, jobs: 2 });
    const direct = await review(options);
    const timeless = (r: ReviewReport): unknown => r.arches.map((a) => ({ ...a, ms: 0 }));
    expect(timeless(threaded)).toEqual(timeless(direct));
    expect(threaded.arches.map((a) => [a.arch, a.findings.added.length])).toEqual([['i386', 1], ['x86_64', 1], ['x86', 1]]);
  });
});

describe('the scripts target matrix', () => {
  it('reads --arch as a comma list, all (every arch of the tree) or the defaults', () => {
    expect(archList('arm64,,mips', ['x86_64'], buggy)).toEqual(['arm64', 'mips']);
    expect(archList(undefined, ['x86_64'], buggy)).toEqual(['x86_64']);
    expect(archList('all', [], buggy)).toEqual(['i386', 'x86', 'x86_64']);
  });

  it("plans corpus x arch from the manifest: '-' for a tree without arches or none asked", () => {
    const linux = manifestEntry('linux-6.1');
    const busybox = manifestEntry('busybox');
    expect(corpusArches(linux, ['i386', 'nonesuch'])).toEqual(['i386']);
    expect(corpusArches(busybox, ['i386'])).toEqual(['-']);
    expect(corpusArches(manifestEntry('xen'), ['i386'])).toEqual([]);
    expect(sweepPlan([linux, busybox, manifestEntry('xen')], ['i386', 'arm64'])).toEqual(['linux-6.1 arm64', 'linux-6.1 i386', 'busybox -', 'xen arm64']);
    expect(sweepPlan([manifestEntry('xen')], ['i386'])).toEqual(['xen -']);
  });
});
