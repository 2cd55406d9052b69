/**
 * kconfsat review of the seed change on Linux 6.1: the 2020 patch that turned
 * XEN_UNPOPULATED_ALLOC's `depends on ZONE_DEVICE` into `select ZONE_DEVICE`
 * (drivers/xen/Kconfig), reviewed as a patch file and as a commit of a
 * scratch git repository made from the tree's Kconfig files. The new finding
 * shows on i386 and x86_64, its witnesses make the kernel's own conf warn on
 * the patched tree, the top verified repair is `depends on ZONE_DEVICE`, and
 * the reverse patch reports the finding gone.
 * Needs KCONFSAT_LINUX_61 and KCONFSAT_CONF_61 (.ci/run sets them).
 */
import { execFile, execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { confirmFindings } from '../../src/workflow/confirm.js';
import type { ReviewReport } from '../../src/analysis/review.js';
import { requireEnv } from '../helpers/requires.js';
import { scratchDir } from '../helpers/scratch.js';
import { treeWithXenBug } from '../helpers/xen-bug.js';

const tree = requireEnv('KCONFSAT_LINUX_61', 'Linux 6.1 review tests');
const conf = requireEnv('KCONFSAT_CONF_61', 'Linux 6.1 review tests against conf');
const main = path.resolve(__dirname, '../../dist/src/cli/main.js');

/** The CLI in a child process (minutes of synchronous work), JSON answer and exit code. */
async function review(args: string[]): Promise<{ report: ReviewReport; status: number }> {
  const { stdout, status } = await promisify(execFile)(process.execPath, [main, '--json', ...args], { maxBuffer: 1 << 28 })
    .then((r) => ({ stdout: r.stdout, status: 0 }))
    .catch((e: { stdout?: string; code?: number; stderr?: string }) => {
      if (e.code === 1 && e.stdout) return { stdout: e.stdout, status: 1 };
      throw new Error(`kconfsat ${args.join(' ')} failed: ${e.stderr}`);
    });
  return { report: JSON.parse(stdout) as ReviewReport, status };
}

const git = (dir: string, ...args: string[]): string =>
  execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@t', ...args], { cwd: dir, encoding: 'utf8', maxBuffer: 1 << 28 });

const SEED = ['XEN_UNPOPULATED_ALLOC', 'ZONE_DEVICE', 'drivers/xen/Kconfig'];

describe.skipIf(!tree || !conf)('review of the XEN select ZONE_DEVICE change on Linux 6.1', () => {
  const dir = scratchDir('review-6.1');

  it('as a patch: a new finding on i386 and x86_64 whose witnesses make conf warn, repaired by depends on ZONE_DEVICE; the reverse patch removes it', async () => {
    const farm = treeWithXenBug(tree!, dir());
    const forward = path.join(dir(), 'forward.patch');
    const reverse = path.join(dir(), 'reverse.patch');
    // diff exits 1 when the files differ.
    const diff = (a: string, b: string): string =>
      execFileSync('diff', ['-u', '--label', 'a/drivers/xen/Kconfig', '--label', 'b/drivers/xen/Kconfig', a, b], { encoding: 'utf8' });
    const original = path.join(tree!, 'drivers/xen/Kconfig');
    const patched = path.join(farm, 'drivers/xen/Kconfig');
    for (const [file, a, b] of [[forward, original, patched], [reverse, patched, original]] as const) {
      try {
        diff(a, b);
      } catch (e) {
        fs.writeFileSync(file, (e as { stdout: string }).stdout);
      }
    }

    const { report, status } = await review(['--tree', tree!, '--run-shell', '--arch', 'i386,x86_64', 'review', forward]);
    expect(status).toBe(1);
    const added = report.arches.flatMap((a) => a.findings.added.filter((f) => f.selector === SEED[0] && f.selectee === SEED[1] && f.loc.file === SEED[2]));
    expect(added.map((f) => f.arch)).toEqual(['i386', 'x86_64']);
    for (const f of added) {
      const best = f.fixes!.find((c) => c.verified)!;
      expect([f.fixes![0]!.kind, f.fixes![0]!.verified]).toEqual(['depends-on', true]);
      expect(best.patch).toContain('-\tselect ZONE_DEVICE\n+\tdepends on ZONE_DEVICE\n');
    }
    // Only the change's dependents were rechecked, not the whole tree.
    for (const a of report.arches) expect(a.rechecked).toBeLessThan(2000);
    // Every new finding's witness makes conf warn on the patched tree: the seed's, and on i386 DEVICE_PRIVATE's
    // select of GET_FREE_REGION (depends on SPARSEMEM), which ZONE_DEVICE, now selectable, brings within reach.
    const all = report.arches.flatMap((a) => a.findings.added);
    expect(all.map((f) => [f.arch, f.selector, f.selectee])).toEqual([
      ['i386', ...SEED.slice(0, 2)],
      ['i386', 'DEVICE_PRIVATE', 'GET_FREE_REGION'],
      ['x86_64', ...SEED.slice(0, 2)],
    ]);
    for (const f of all) {
      const [confirmed] = await confirmFindings([f], { tree: farm, arch: f.arch!, conf: conf! });
      expect([f.arch, f.selector, confirmed!.confirmed]).toEqual([f.arch, f.selector, true]);
    }

    const back = await review(['--tree', farm, '--arch', 'i386,x86_64', 'review', reverse]);
    expect(back.status).toBe(0);
    expect(back.report.newProblems).toBe(0);
    const removed = back.report.arches.flatMap((a) => a.findings.removed.filter((f) => f.selector === SEED[0] && f.selectee === SEED[1]));
    expect(removed.map((f) => [f.arch, f.loc.file])).toEqual([
      ['i386', SEED[2]],
      ['x86_64', SEED[2]],
    ]);
  }, 1_800_000);

  it('as a commit of a git repository made from the tree, read from the object store', async () => {
    const repo = path.join(dir(), 'repo');
    fs.mkdirSync(repo);
    // The tree's Kconfig files, its top Makefile (the version) and scripts/kconfig (the dialect).
    const files = execFileSync('find', ['.', '(', '-name', 'Kconfig*', '-o', '-path', './scripts/kconfig/*', '-o', '-path', './Makefile', ')', '-type', 'f'], {
      cwd: tree!,
      encoding: 'utf8',
      maxBuffer: 1 << 26,
    })
      .split('\n')
      .filter(Boolean);
    for (const f of files) {
      fs.mkdirSync(path.join(repo, path.dirname(f)), { recursive: true });
      fs.copyFileSync(path.join(tree!, f), path.join(repo, f));
    }
    git(repo, 'init', '-q');
    git(repo, 'add', '-A');
    git(repo, 'commit', '-qm', 'Linux 6.1 Kconfig files');
    const file = path.join(repo, 'drivers/xen/Kconfig');
    fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace(/(\nconfig XEN_UNPOPULATED_ALLOC\n(?:\t.*\n)*?)\tdepends on ZONE_DEVICE\n/, '$1\tselect ZONE_DEVICE\n'));
    git(repo, 'commit', '-qam', 'xen: XEN_UNPOPULATED_ALLOC select ZONE_DEVICE');
    git(repo, 'checkout', '-q', 'HEAD~1');

    const { report, status } = await review(['--tree', repo, '--arch', 'i386,x86_64', 'review', '--no-fix', '--rev', 'HEAD..master']);
    expect(status).toBe(1);
    expect(report.arches.map((a) => a.findings.added.map((f) => [f.arch, f.selector, f.selectee, f.loc.file]))).toEqual([
      [
        ['i386', ...SEED],
        ['i386', 'DEVICE_PRIVATE', 'GET_FREE_REGION', 'mm/Kconfig'],
      ],
      [['x86_64', ...SEED]],
    ]);
    expect(git(repo, 'status', '--porcelain')).toBe('');
  }, 1_800_000);
});
