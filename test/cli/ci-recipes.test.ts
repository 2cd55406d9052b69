/**
 * The CI recipes of docs/ci.md, run as written: the GitHub Actions review
 * step's command line (with the variables Actions sets) and the pre-push hook,
 * against a scratch git repository whose second commit is the XEN bug, with
 * `kconfsat` on PATH as the built CLI.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { scratchDir } from '../helpers/scratch.js';
import { ensureBuilt, MAIN, REPO } from './run.js';

const EXAMPLE = path.join(REPO, 'corpora/examples/xen-zone-device');
const DOC = fs.readFileSync(path.join(REPO, 'docs/ci.md'), 'utf8');

function block(language: string): string {
  const m = new RegExp('```' + language + '\\n([\\s\\S]*?)```').exec(DOC);
  if (!m) throw new Error(`docs/ci.md has no ${language} block`);
  return m[1]!;
}

describe('docs/ci.md', () => {
  const dir = scratchDir('ci-recipes');
  let env: NodeJS.ProcessEnv = {};
  const sh = (cwd: string, script: string, extra: NodeJS.ProcessEnv = {}) => spawnSync('sh', ['-c', script], { cwd, env: { ...env, ...extra }, encoding: 'utf8' });
  const git = (cwd: string, ...args: string[]): string => execFileSync('git', args, { cwd, env, encoding: 'utf8' });

  /** origin (bare) with the fixed tree on main, and a clone at `work` with the buggy tree committed on top. */
  function repositories(): { origin: string; work: string } {
    const origin = path.join(dir(), 'origin.git');
    const work = path.join(dir(), 'work');
    fs.rmSync(origin, { recursive: true, force: true });
    fs.rmSync(work, { recursive: true, force: true });
    git(dir(), 'init', '-q', '--bare', '-b', 'main', origin);
    fs.cpSync(path.join(EXAMPLE, 'fixed'), work, { recursive: true });
    git(work, 'init', '-q', '-b', 'main');
    git(work, 'add', '-A');
    git(work, 'commit', '-qm', 'fixed');
    git(work, 'remote', 'add', 'origin', origin);
    git(work, 'push', '-q', 'origin', 'main');
    git(work, 'remote', 'set-head', 'origin', 'main');
    fs.cpSync(path.join(EXAMPLE, 'buggy'), work, { recursive: true });
    git(work, 'commit', '-qam', 'xen: XEN_UNPOPULATED_ALLOC select ZONE_DEVICE');
    return { origin, work };
  }

  beforeAll(() => {
    ensureBuilt();
    const bin = path.join(dir(), 'bin');
    fs.mkdirSync(bin);
    fs.writeFileSync(path.join(bin, 'kconfsat'), `#!/bin/sh\nexec "${process.execPath}" "${MAIN}" "$@"\n`, { mode: 0o755 });
    env = { PATH: `${bin}:${process.env.PATH}`, HOME: dir(), GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@t', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@t', KCONFSAT_ARCHES: 'i386,x86_64' };
  });

  it("GitHub Actions: the review step fails on the bug's commit and its SARIF holds the finding", () => {
    const { work } = repositories();
    const step = /run: (kconfsat .*)\n/.exec(block('yaml'))![1]!;
    const r = sh(work, step, { GITHUB_BASE_REF: 'main', ARCH: 'x86_64' });
    expect(r.status).toBe(1);
    expect(r.stdout).toContain('NEW drivers/xen/Kconfig:13: XEN_UNPOPULATED_ALLOC selects ZONE_DEVICE');
    const sarif = JSON.parse(fs.readFileSync(path.join(work, 'kconfsat.sarif'), 'utf8')) as { runs: { results: { properties: { arches: string[] } }[] }[] };
    expect(sarif.runs[0]!.results.map((x) => x.properties.arches)).toEqual([['i386', 'x86', 'x86_64']]);
    // On the base commit itself there is nothing new.
    fs.rmSync(path.join(work, 'kconfsat.sarif'));
    git(work, 'reset', '-q', '--hard', 'origin/main');
    expect(sh(work, step, { GITHUB_BASE_REF: 'main' }).status).toBe(0);
  });

  it('pre-push hook: refuses the push of the bug, lets the repair through', () => {
    const { origin, work } = repositories();
    const hook = path.join(work, '.git/hooks/pre-push');
    fs.writeFileSync(hook, block('sh'), { mode: 0o755 });
    const pushed = (): string => git(origin, 'rev-parse', 'main');
    const before = pushed();
    const refused = sh(work, 'git push -q origin main');
    expect(refused.status).not.toBe(0);
    expect(refused.stderr).toContain('pre-push: kconfsat review found a problem (exit 1)');
    expect(pushed()).toBe(before);
    // The repair on top: the range now holds the bug and its fix, and nothing new remains.
    fs.cpSync(path.join(EXAMPLE, 'fixed'), work, { recursive: true });
    git(work, 'commit', '-qam', 'xen: depend on ZONE_DEVICE');
    expect(sh(work, 'git push -q origin main').status).toBe(0);
    expect(pushed()).toBe(git(work, 'rev-parse', 'HEAD'));
    // A new branch is compared with what the remote's default branch points at.
    git(work, 'checkout', '-q', '-b', 'topic');
    fs.cpSync(path.join(EXAMPLE, 'buggy'), work, { recursive: true });
    git(work, 'commit', '-qam', 'the bug again');
    expect(sh(work, 'git push -q origin topic').status).not.toBe(0);
  });
});
