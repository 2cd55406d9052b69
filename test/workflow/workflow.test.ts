/**
 * The workflow layer on the bundled example: auditTree is the per-arch audits
 * grouped, in this thread and on worker threads alike; treeStatistics counts
 * what the model and formula hold; fixTree verifies on every arch of the tree
 * by default; reviewTree is review on worker threads as in this thread; the scripts' target matrix reads --arch lists and the manifest.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { audit, groupFindings } from '../../src/analysis/audit.js';
import { fix } from '../../src/analysis/fix.js';
import { review, type ReviewReport } from '../../src/analysis/review.js';
import { Session } from '../../src/analysis/session.js';
import { auditTree } from '../../src/workflow/audit.js';
import { mapConcurrent } from '../../src/workflow/pool.js';
import { manifestEntry } from '../../src/workflow/reference.js';
import { treeStatistics } from '../../src/workflow/statistics.js';
import { archList, corpusArches, sweepPlan } from '../../scripts/lib/targets.js';
import { scratchDir } from '../helpers/scratch.js';

const buggy = path.resolve(__dirname, '../../corpora/examples/xen-zone-device/buggy');
const scratch = scratchDir('workflow', { perTest: true });

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

describe('work on worker threads', () => {
  it('takes no new task after one failed', async () => {
    const started: number[] = [];
    const run = mapConcurrent([0, 1, 2, 3, 4, 5], 2, async (i) => {
      started.push(i);
      await new Promise((resolve) => setTimeout(resolve, 5));
      if (i === 1) throw new Error('arch 1 does not load');
      return i;
    });
    await expect(run).rejects.toThrow('arch 1 does not load');
    await new Promise((resolve) => setTimeout(resolve, 30));
    // 0 and 1 start together; 2 may start when 0 ends, just before 1 fails; nothing after that.
    expect(started.slice(0, 2)).toEqual([0, 1]);
    expect(started.length).toBeLessThanOrEqual(3);
  });

  it("brings a worker's solver-memory and call-stack limits back as the errors the CLI reports as input too large", async () => {
    const { SolverMemoryError } = (await import(pathToFileURL(path.resolve(__dirname, '../../dist/src/formula/formula.js')).href)) as typeof import('../../src/formula/formula.js');
    const { mapOnWorkers } = (await import(pathToFileURL(path.resolve(__dirname, '../../dist/src/workflow/worker.js')).href)) as typeof import('../../src/workflow/worker.js');
    const jobs = path.join(scratch(), 'jobs.mjs');
    fs.writeFileSync(
      jobs,
      `import { SolverMemoryError } from ${JSON.stringify(pathToFileURL(path.resolve(__dirname, '../../dist/src/formula/formula.js')).href)};\n` +
        'export function memory() { throw new SolverMemoryError("2,000,000 clauses"); }\n' +
        'export function stack() { const deeper = (n) => deeper(n + 1) + 1; return deeper(0); }\n',
    );
    const module = pathToFileURL(jobs).href;
    const memory = await mapOnWorkers(module, 'memory', [null], 1).catch((e: unknown) => e);
    expect(memory).toBeInstanceOf(SolverMemoryError);
    expect((memory as Error).message).toBe(new SolverMemoryError('2,000,000 clauses').message);
    const stack = await mapOnWorkers(module, 'stack', [null], 1).catch((e: unknown) => e);
    expect(stack).toBeInstanceOf(RangeError);
    expect((stack as Error).message).toMatch(/call stack/);
  });
});

describe('jobs on a few reused workers (mapOnWorkers)', () => {
  it('runs every item on one of `jobs` workers, results in input order, messages with their index, and a user error as itself', async () => {
    const { mapOnWorkers } = (await import(pathToFileURL(path.resolve(__dirname, '../../dist/src/workflow/worker.js')).href)) as typeof import('../../src/workflow/worker.js');
    const { KconfsatError: BuiltError } = (await import(pathToFileURL(path.resolve(__dirname, '../../dist/src/errors.js')).href)) as typeof import('../../src/errors.js');
    const jobs = path.join(scratch(), 'lane-jobs.mjs');
    fs.writeFileSync(
      jobs,
      `import { threadId } from 'node:worker_threads';\n` +
        `import { KconfsatError } from ${JSON.stringify(pathToFileURL(path.resolve(__dirname, '../../dist/src/errors.js')).href)};\n` +
        'export async function square(n, post) { post(n); await new Promise((r) => setTimeout(r, 5 * (n % 3))); return [n * n, threadId]; }\n' +
        'export function fail(n) { if (n === 2) throw new KconfsatError("syntax", "bad line", { file: "Kconfig", line: n, column: 0 }); return n; }\n',
    );
    const module = pathToFileURL(jobs).href;
    const posted: [number, number][] = [];
    const results = await mapOnWorkers<number, [number, number], number>(module, 'square', [0, 1, 2, 3, 4, 5, 6], 2, (m, i) => posted.push([m, i]));
    expect(results.map(([square]) => square)).toEqual([0, 1, 4, 9, 16, 25, 36]);
    // Two workers did all seven: each started once, and warm for the rest.
    expect(new Set(results.map(([, thread]) => thread)).size).toBe(2);
    expect(posted.sort((a, b) => a[0] - b[0])).toEqual([0, 1, 2, 3, 4, 5, 6].map((n) => [n, n]));
    const error = await mapOnWorkers(module, 'fail', [0, 1, 2, 3], 2).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BuiltError);
    expect([(error as InstanceType<typeof BuiltError>).message, (error as InstanceType<typeof BuiltError>).location]).toEqual(['bad line', { file: 'Kconfig', line: 2, column: 0 }]);
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
