/**
 * kconfsat review --rev A..B --each, --shard I/N and merge on a scratch git
 * history made here from a small generated tree with two arches: the
 * Kconfig-touching commits along first parents are the ones reviewed (a
 * merge as one, against its first parent), each against its parent per
 * arch; 4 shards merged print byte for byte what one run prints, also when
 * GNU parallel runs them; a missing, repeated or foreign shard and a range
 * not in the repository are one line, exit 2, nothing on stdout.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { EachReport } from '../../src/cli/review-each.js';
import { scratchDir } from '../helpers/scratch.js';
import { ensureBuilt, expectOneLineError, MAIN, run } from './run.js';

const git = (dir: string, ...args: string[]): string =>
  execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@t', '-c', 'init.defaultBranch=master', ...args], { cwd: dir, encoding: 'utf8' });

const PARALLEL = spawnSync('parallel', ['--version'], { encoding: 'utf8' }).status === 0;
if (!PARALLEL) process.stderr.write('skipped: test/cli/review-each.test.ts: the 4 shards under GNU parallel: no parallel on PATH: apt-get install parallel (.ci/run does)\n');

const BUGGY_SELECT = 'drivers: DRV_DMA selects DMA_HELPER';

/**
 * A history of 25 first-parent commits touching Kconfig files (20 that add a
 * driver, a select whose target's dependency beta lacks and its fix, a
 * syntax error and its repair, a merge of a side branch of two), with 5
 * README-only commits between them. Returns the repository and the subjects
 * review --each must take, in order.
 */
function scratchHistory(dir: string): { repo: string; subjects: string[] } {
  const repo = path.join(dir, 'repo');
  const write = (file: string, text: string): void => {
    fs.mkdirSync(path.dirname(path.join(repo, file)), { recursive: true });
    fs.writeFileSync(path.join(repo, file), text);
  };
  const append = (file: string, text: string): void => fs.appendFileSync(path.join(repo, file), text);
  const subjects: string[] = [];
  const commit = (subject: string, touchesKconfig = true): void => {
    git(repo, 'add', '-A');
    git(repo, 'commit', '-qm', subject);
    if (touchesKconfig) subjects.push(subject);
  };
  write('Kconfig', 'mainmenu "Scratch"\n\nconfig MODULES\n\tbool "modules"\n\tmodules\n\nsource "arch/$(SRCARCH)/Kconfig"\nsource "lib/Kconfig"\nsource "drivers/Kconfig"\n');
  write('arch/alpha/Kconfig', 'config ALPHA\n\tdef_bool y\n\tselect HAS_DMA\n');
  write('arch/beta/Kconfig', 'config BETA\n\tdef_bool y\n');
  write('lib/Kconfig', 'config HAS_DMA\n\tbool\n\nconfig DMA_HELPER\n\tbool\n\tdepends on HAS_DMA\n');
  write('drivers/Kconfig', 'config DRV_0\n\ttristate "driver 0"\n');
  write('README', 'scratch\n');
  fs.mkdirSync(repo, { recursive: true });
  git(repo, 'init', '-q');
  commit('base', false);
  for (let i = 1; i <= 20; i++) {
    append('drivers/Kconfig', `\nconfig DRV_${i}\n\ttristate "driver ${i}"\n\tdepends on DRV_${i - 1}\n`);
    commit(`drivers: add DRV_${i}`);
    if (i % 4 === 0) {
      append('README', `${i}\n`);
      commit(`readme ${i}`, false);
    }
    if (i === 5) {
      append('drivers/Kconfig', '\nconfig DRV_DMA\n\tbool "dma driver"\n\tselect DMA_HELPER\n');
      commit(BUGGY_SELECT);
    }
    if (i === 10) {
      const drivers = path.join(repo, 'drivers/Kconfig');
      fs.writeFileSync(drivers, fs.readFileSync(drivers, 'utf8').replace('\tselect DMA_HELPER\n', '\tdepends on HAS_DMA\n\tselect DMA_HELPER\n'));
      commit('drivers: DRV_DMA depends on HAS_DMA');
      append('lib/Kconfig', '\nconfig\n');
      commit('lib: a config entry without a name');
      write('lib/Kconfig', 'config HAS_DMA\n\tbool\n\nconfig DMA_HELPER\n\tbool\n\tdepends on HAS_DMA\n');
      commit('lib: remove the broken entry');
    }
    if (i === 15) {
      git(repo, 'checkout', '-qb', 'side');
      append('lib/Kconfig', '\nconfig SIDE_A\n\tbool "side a"\n');
      commit('side: SIDE_A', false);
      append('lib/Kconfig', '\nconfig SIDE_B\n\tbool "side b"\n');
      commit('side: SIDE_B', false);
      git(repo, 'checkout', '-q', 'master');
      git(repo, 'merge', '-q', '--no-ff', '-m', 'merge side', 'side');
      subjects.push('merge side');
    }
  }
  append('README', 'end\n');
  commit('readme end', false);
  return { repo, subjects };
}

// Each test runs the CLI several times: room for a loaded 2-core machine.
describe('review --each, --shard and merge', () => {
  const dir = scratchDir('review-each');
  let repo = '';
  let subjects: string[] = [];
  let single = '';
  const each = (...args: string[]) => run('--tree', repo, '--arch', 'all', '--json', 'review', '--no-fix', '--rev', 'master~31..master', '--each', ...args);
  beforeAll(() => {
    ensureBuilt();
    ({ repo, subjects } = scratchHistory(dir()));
    const r = each();
    expect(r.stderr).toBe('');
    single = r.stdout;
  });

  it('reviews each first-parent commit that touches a Kconfig file, per arch, against its parent', () => {
    expect(git(repo, 'rev-list', '--count', '--first-parent', 'master~31..master').trim()).toBe('31');
    const report = JSON.parse(single) as EachReport;
    expect(report.commits.map((c) => c.subject)).toEqual(subjects);
    expect(subjects.length).toBe(25);
    expect(report.targets.length).toBe(50);
    const merge = report.commits.find((c) => c.subject === 'merge side')!;
    expect(merge.parent).toBe(git(repo, 'rev-parse', `${merge.commit}^1`).trim());
    expect(merge.parent).not.toBe(git(repo, 'rev-parse', 'side').trim());
    const at = (subject: string, arch: string) => report.results.find((r) => r.arch === arch && r.commit === report.commits.find((c) => c.subject === subject)!.commit)!;
    // The select is unmet where no arch selects HAS_DMA: beta only.
    expect(at(BUGGY_SELECT, 'beta').review!.findings.added.map((f) => `${f.selector}>${f.selectee} ${f.loc.file}:${f.loc.line}`)).toEqual(['DRV_DMA>DMA_HELPER drivers/Kconfig:26']);
    expect(at(BUGGY_SELECT, 'alpha').review!.findings.added).toEqual([]);
    expect(at('drivers: DRV_DMA depends on HAS_DMA', 'beta').review!.findings.removed.map((f) => f.selector)).toEqual(['DRV_DMA']);
    expect(at('merge side', 'alpha').review!.symbols.added.map((s) => s.symbol)).toEqual(['SIDE_A', 'SIDE_B']);
    expect(at('drivers: add DRV_7', 'alpha').review!.symbols.added.map((s) => s.symbol)).toEqual(['DRV_7']);
    // The broken commit and the one after it (whose parent is broken) are errors on both arches, and only they.
    const errors = report.results.filter((r) => r.error !== undefined);
    expect(errors.map((r) => `${report.commits.find((c) => c.commit === r.commit)!.subject} ${r.arch}`)).toEqual([
      'lib: a config entry without a name alpha',
      'lib: a config entry without a name beta',
      'lib: remove the broken entry alpha',
      'lib: remove the broken entry beta',
    ]);
    expect(errors[0]!.error).toMatch(/^lib\/Kconfig:\d+/);
    expect(report).toMatchObject({ newProblems: 1, errors: 4 });
    expect(report.shard).toBeUndefined();
  });

  it('merges 4 shards into exactly the single run, as JSON and as text', () => {
    const files = [0, 1, 2, 3].map((i) => {
      const r = each('--shard', `${i}/4`);
      const file = path.join(dir(), `shard-${i}.json`);
      fs.writeFileSync(file, r.stdout);
      const part = JSON.parse(r.stdout) as EachReport;
      expect(part.shard).toEqual({ index: i, count: 4 });
      expect(part.results.length).toBe(i < 2 ? 13 : 12);
      // Target k goes to shard k mod 4.
      expect(part.results.map((x) => `${x.commit} ${x.arch}`)).toEqual(part.targets.filter((_, k) => k % 4 === i).map((x) => `${x.commit} ${x.arch}`));
      return file;
    });
    const merged = run('--json', 'merge', ...[...files].reverse());
    expect(merged.status).toBe(1);
    expect(merged.stdout).toBe(single);
    const text = run('--tree', repo, '--arch', 'all', 'review', '--no-fix', '--rev', 'master~31..master', '--each');
    expect(run('merge', ...files).stdout).toBe(text.stdout);
    expect(text.stdout).toContain(`NEW drivers/Kconfig:26: DRV_DMA selects DMA_HELPER, whose dependencies can be unmet (beta): depends on HAS_DMA`);
    expect(text.stdout.trimEnd().split('\n').at(-1)).toMatch(/^[0-9a-f]{12}\.\.[0-9a-f]{12}: 25 commit\(s\) touching Kconfig, 50 target\(s\): 1 new finding\(s\), 4 not reviewed$/);
  }, 600_000);

  it.skipIf(!PARALLEL)('runs the README line under GNU parallel, and the merge equals the single run', () => {
    const out = path.join(dir(), 'parallel');
    fs.mkdirSync(out);
    const line = `parallel -j 4 node ${MAIN} --tree ${repo} --arch all --json review --no-fix --rev master~31..master --each --shard {}/4 '>' ${out}/shard-{}.json ::: 0 1 2 3`;
    const r = spawnSync('sh', ['-c', line], { encoding: 'utf8', timeout: 120_000 });
    // parallel's status counts the jobs that failed: each shard holds one of the 4 targets that are errors, so exits 1.
    expect(r.status).toBe(4);
    const merged = run('--json', 'merge', ...[0, 1, 2, 3].map((i) => `${out}/shard-${i}.json`));
    expect(merged.stdout).toBe(single);
  }, 600_000);

  it('refuses a missing, repeated or foreign shard, and a range not in the repository, in one line with exit 2', () => {
    const shard = (i: number) => path.join(dir(), `shard-${i}.json`);
    if (!fs.existsSync(shard(3))) for (const i of [0, 1, 2, 3]) fs.writeFileSync(shard(i), each('--shard', `${i}/4`).stdout);
    expectOneLineError(run('merge', shard(0), shard(1), shard(3)), 'kconfsat: shard 2/4 missing: merge needs all 4');
    expectOneLineError(run('merge', shard(0), shard(1), shard(1), shard(2), shard(3)), `kconfsat: ${shard(1)}: shard 1/4 again (${shard(1)} is that shard too)`);
    const other = path.join(dir(), 'other.json');
    fs.writeFileSync(other, run('--tree', repo, '--arch', 'all', '--json', 'review', '--no-fix', '--rev', 'master~30..master', '--each', '--shard', '2/4').stdout);
    expectOneLineError(run('merge', shard(0), shard(1), other, shard(3)), `kconfsat: ${other}: not a shard of the run ${shard(0)} is from (their target lists differ)`);
    const cut = path.join(dir(), 'cut.json');
    const part = JSON.parse(fs.readFileSync(shard(2), 'utf8')) as EachReport;
    fs.writeFileSync(cut, JSON.stringify({ ...part, results: part.results.slice(0, 5) }));
    expectOneLineError(run('merge', shard(0), shard(1), cut, shard(3)), `kconfsat: ${cut}: 5 result(s) for 12 target(s): an unfinished run?`);
    expectOneLineError(each('--shard', '4/4'), 'kconfsat: --shard 4/4: expected I/N with 0 <= I < N (I counts from 0)');
    expectOneLineError(run('--tree', repo, 'review', '--rev', 'master~2..nosuchbranch', '--each'), `kconfsat: nosuchbranch: no such commit in ${repo}`);
    expectOneLineError(run('--tree', repo, 'review', '--each'), 'kconfsat: --each reviews the commits of a --rev range (and --shard splits them): give --rev BASE..HEAD --each');
    expect(git(repo, 'status', '--porcelain')).toBe('');
  }, 600_000);
});
