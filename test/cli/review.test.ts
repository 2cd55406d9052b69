/**
 * kconfsat review and upgrade on the bundled XEN example, as a user runs
 * them: a patch file, stdin, two directories and a git range give the same
 * answer; --sarif holds only the new finding; bad input is one line, exit 2,
 * and nothing is written (the trees, the git checkout, the --sarif file).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ReviewReport } from '../../src/analysis/review.js';
import type { UpgradeReport } from '../../src/analysis/upgrade.js';
import { scratchDir } from '../helpers/scratch.js';
import { ensureBuilt, expectOneLineError, MAIN, REPO, run } from './run.js';

const EXAMPLE = path.join(REPO, 'corpora/examples/xen-zone-device');
const git = (dir: string, ...args: string[]): string =>
  execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@t', ...args], { cwd: dir, encoding: 'utf8' });

/** A git repository whose two commits are the fixed and the buggy tree, and the diff between them both ways. */
function scratchRepo(dir: string): { repo: string; forward: string; reverse: string } {
  const repo = path.join(dir, 'repo');
  fs.cpSync(path.join(EXAMPLE, 'fixed'), repo, { recursive: true });
  git(repo, 'init', '-q');
  git(repo, 'add', '-A');
  git(repo, 'commit', '-qm', 'fixed');
  fs.cpSync(path.join(EXAMPLE, 'buggy'), repo, { recursive: true });
  git(repo, 'commit', '-qam', 'xen: XEN_UNPOPULATED_ALLOC select ZONE_DEVICE');
  const forward = path.join(dir, 'forward.patch');
  fs.writeFileSync(forward, git(repo, 'format-patch', '--stdout', 'HEAD~1'));
  const reverse = path.join(dir, 'reverse.patch');
  fs.writeFileSync(reverse, git(repo, 'diff', 'HEAD', 'HEAD~1'));
  git(repo, 'checkout', '-q', 'HEAD~1');
  return { repo, forward, reverse };
}

describe('review', () => {
  const dir = scratchDir('review-cli');
  let repo = '';
  let forward = '';
  let reverse = '';
  beforeAll(() => {
    ensureBuilt();
    ({ repo, forward, reverse } = scratchRepo(dir()));
  });

  const findings = (r: ReviewReport, kind: 'added' | 'removed'): string[] =>
    r.arches.flatMap((a) => a.findings[kind].map((f) => `${a.arch} ${f.selector}>${f.selectee} ${f.loc.file}:${f.loc.line}`));

  it('reports the new finding of the patch on i386 and x86_64, with the upstream repair, and exits 1', () => {
    const r = run('--tree', repo, '--arch', 'i386,x86_64', 'review', forward);
    expect(r.status).toBe(1);
    expect(r.stdout.split('\n')[0]).toBe(
      'NEW drivers/xen/Kconfig:13: XEN_UNPOPULATED_ALLOC selects ZONE_DEVICE, whose dependencies can be unmet (i386, x86_64): depends on MEMORY_HOTPLUG && MEMORY_HOTREMOVE && SPARSEMEM_VMEMMAP && ARCH_HAS_PTE_DEVMAP',
    );
    expect(r.stdout).toContain('    fix: XEN_UNPOPULATED_ALLOC: select ZONE_DEVICE -> depends on ZONE_DEVICE (verified on i386, x86_64)');
    expect(r.stdout.trimEnd().split('\n').at(-1)).toBe('1 new unmet-dependency finding(s), 0 gone, on 2 arch(es)');
  });

  it('gives the same answer from stdin, from two directories and from a git range, and leaves the checkout alone', () => {
    const fromFile = JSON.parse(run('--tree', repo, '--arch', 'i386,x86_64', '--json', 'review', '--no-fix', forward).stdout) as ReviewReport;
    const stdin = spawnSync(process.execPath, [MAIN, '--tree', repo, '--arch', 'i386,x86_64', '--json', 'review', '--no-fix', '-'], {
      input: fs.readFileSync(forward),
      encoding: 'utf8',
    });
    const dirs = run('--arch', 'i386,x86_64', '--json', 'review', '--no-fix', '--old', path.join(EXAMPLE, 'fixed'), '--new', path.join(EXAMPLE, 'buggy'));
    const range = run('--tree', repo, '--arch', 'i386,x86_64', '--json', 'review', '--no-fix', '--rev', 'HEAD..master');
    const expected = ['i386 XEN_UNPOPULATED_ALLOC>ZONE_DEVICE drivers/xen/Kconfig:13', 'x86_64 XEN_UNPOPULATED_ALLOC>ZONE_DEVICE drivers/xen/Kconfig:13'];
    for (const r of [stdin, dirs, range]) {
      expect(r.status).toBe(1);
      expect(findings(JSON.parse(r.stdout) as ReviewReport, 'added')).toEqual(expected);
    }
    expect(findings(fromFile, 'added')).toEqual(expected);
    expect(git(repo, 'status', '--porcelain')).toBe('');
    expect(fs.readFileSync(path.join(repo, 'drivers/xen/Kconfig'), 'utf8')).toBe(fs.readFileSync(path.join(EXAMPLE, 'fixed/drivers/xen/Kconfig'), 'utf8'));
  });

  it('reports the reverse patch as the finding gone and exits 0', () => {
    const r = run('--tree', path.join(EXAMPLE, 'buggy'), '--arch', 'i386,x86_64', '--json', 'review', reverse);
    expect(r.status).toBe(0);
    const report = JSON.parse(r.stdout) as ReviewReport;
    expect(findings(report, 'added')).toEqual([]);
    expect(findings(report, 'removed')).toEqual(['i386 XEN_UNPOPULATED_ALLOC>ZONE_DEVICE drivers/xen/Kconfig:13', 'x86_64 XEN_UNPOPULATED_ALLOC>ZONE_DEVICE drivers/xen/Kconfig:13']);
    // The repair makes the option unavailable on i386.
    expect(report.arches[0]!.dead.added.map((s) => s.symbol)).toEqual(['ZONE_DEVICE', 'XEN_UNPOPULATED_ALLOC']);
  });

  it('writes only the new finding to --sarif, at its select line', () => {
    const sarif = path.join(dir(), 'review.sarif');
    expect(run('--tree', repo, '--arch', 'i386,x86_64', 'review', '--no-fix', '--sarif', sarif, forward).status).toBe(1);
    const results = (JSON.parse(fs.readFileSync(sarif, 'utf8')) as { runs: { results: { ruleId: string; locations: { physicalLocation: { artifactLocation: { uri: string }; region: { startLine: number } } }[]; properties: { arches: string[] } }[] }[] }).runs[0]!.results;
    expect(results.map((x) => [x.ruleId, x.locations[0]!.physicalLocation.artifactLocation.uri, x.locations[0]!.physicalLocation.region.startLine, x.properties.arches])).toEqual([
      ['unmet-direct-dependency', 'drivers/xen/Kconfig', 13, ['i386', 'x86_64']],
    ]);
  });

  it('says in one line where bad input is wrong, exits 2 and writes nothing', () => {
    const sarif = path.join(dir(), 'bad.sarif');
    const buggy = path.join(EXAMPLE, 'buggy');
    // The forward patch does not apply to the tree it leads to.
    expectOneLineError(run('--tree', buggy, '--arch', 'i386', 'review', '--sarif', sarif, forward), `kconfsat: ${forward}:14: hunk #1 does not apply to drivers/xen/Kconfig (at its line 5)`);
    expectOneLineError(run('--tree', repo, '--arch', 'i386', 'review', '--sarif', sarif, '--rev', 'HEAD..nosuchbranch'), `kconfsat: nosuchbranch: no such commit in ${repo}`);
    expectOneLineError(run('--tree', repo, '--arch', 'i386', 'review', '--rev', 'HEAD'), 'kconfsat: --rev HEAD: not a range BASE..HEAD');
    expectOneLineError(run('--tree', repo, '--arch', 'i386', 'review', '--jobs', '2', '--rev', 'HEAD~1..HEAD'), 'kconfsat: --jobs reviews trees on disk (PATCH... or --old/--new), not --rev');
    const plain = path.join(dir(), 'plain');
    fs.cpSync(buggy, plain, { recursive: true });
    expectOneLineError(run('--tree', plain, '--arch', 'i386', 'review', '--rev', 'HEAD~1..HEAD'), `kconfsat: ${plain}: not a git repository`);
    expectOneLineError(
      run('--arch', 'i386', 'review', '--sarif', sarif, '--old', dir(), '--new', buggy),
      `kconfsat: ${dir()} is not a Kconfig tree: no Kconfig there; pass the source tree with --tree or $srctree`,
    );
    expectOneLineError(run('--tree', buggy, 'review', path.join(dir(), 'none.patch')), `kconfsat: cannot read ${path.join(dir(), 'none.patch')}`);
    expect(run('--tree', buggy, 'review').stderr).toBe('kconfsat: give the change one way: PATCH... (or - for stdin), --old DIR --new DIR, or --rev BASE..HEAD\n');
    expect(fs.existsSync(sarif)).toBe(false);
    expect(git(repo, 'status', '--porcelain')).toBe('');
  });
});

describe('upgrade', () => {
  const dir = scratchDir('upgrade-cli');
  beforeAll(ensureBuilt);

  it("lists what conf does to a .config of the fixed tree on the buggy one, and the symbols it no longer knows", () => {
    const config = path.join(dir(), 'old.config');
    // A configuration of the fixed tree on i386 with a symbol the new tree lacks.
    expect(run('--tree', path.join(EXAMPLE, 'fixed'), '--arch', 'i386', 'query', 'XEN_BALLOON=y', '--out', config).status).toBe(0);
    fs.appendFileSync(config, 'CONFIG_GONE_SYMBOL=y\n');
    const r = run('--arch', 'i386', '--json', 'upgrade', '--config', config, '--old', path.join(EXAMPLE, 'fixed'), '--new', path.join(EXAMPLE, 'buggy'));
    expect(r.status).toBe(1);
    const report = JSON.parse(r.stdout) as UpgradeReport;
    // The buggy tree offers XEN_UNPOPULATED_ALLOC on i386 (default XEN_BALLOON) and its select forces ZONE_DEVICE.
    expect(report.changes.map((c) => [c.symbol, c.kind, c.value, c.expected, c.definitionChanged])).toEqual([
      ['XEN_UNPOPULATED_ALLOC', 'added', 'n', 'y', true],
      ['ZONE_DEVICE', 'added', 'n', 'y', true],
    ]);
    expect(report.unknownSymbols.map((u) => u.name)).toEqual(['GONE_SYMBOL']);
    const text = run('--arch', 'i386', 'upgrade', '--config', config, '--old', path.join(EXAMPLE, 'fixed'), '--new', path.join(EXAMPLE, 'buggy'));
    expect(text.stdout).toContain('XEN_UNPOPULATED_ALLOC: conf adds y: ');
  });
});
