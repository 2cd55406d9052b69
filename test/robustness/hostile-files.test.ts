/**
 * Issue 18, files: a hostile tree or a careless path never makes kconfsat
 * write outside the directory it was given, replace what is not a regular
 * file, read a FIFO or a device, or read and name files outside the tree;
 * every such case is exit 0/1 with the answer or a one-line error (exit 2).
 * The trees are made here, not stored.
 */
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt, expectOneLineError, REPO, run } from '../cli/run.js';
import { scratchDir } from '../helpers/scratch.js';

beforeAll(ensureBuilt);
const tmp = scratchDir('hostile-files', { perTest: true });

/** Writes `files` (name -> text) under a new directory `name` of the scratch directory. */
function tree(name: string, files: Record<string, string>): string {
  const root = path.join(tmp(), name);
  for (const [file, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    fs.writeFileSync(path.join(root, file), text);
  }
  return root;
}

/** Every file under `dir`, relative to it, sorted. */
function listFiles(dir: string): string[] {
  return (fs.readdirSync(dir, { recursive: true, withFileTypes: true }) as fs.Dirent[])
    .filter((d) => !d.isDirectory())
    .map((d) => path.relative(dir, path.join(d.parentPath, d.name)))
    .sort();
}

const UNMET = 'config TARGET\n\tbool\n\tdepends on DEP\n\nconfig DEP\n\tbool "dep"\n\n';

describe('output names derived from a tree', () => {
  it('a selector named ../../escaped/EVIL writes its witness inside --out-dir', () => {
    const root = tree('t', { Kconfig: `${UNMET}config ../../escaped/EVIL\n\tbool "evil"\n\tselect TARGET\n` });
    const out = path.join(tmp(), 'out', 'w');
    const r = run('--json', '--tree', root, 'audit', '--out-dir', out);
    // exit 1: audit found the finding
    expect([r.status, r.stderr]).toEqual([1, '']);
    const written = listFiles(tmp()).filter((f) => !f.startsWith('t/'));
    expect(written).toHaveLength(1);
    expect(written[0]).toMatch(/^out\/w\/_\._\.\._escaped_EVIL-TARGET-10-[0-9a-f]{10}\.config$/);
    const report = JSON.parse(r.stdout) as { findings: { findings: { witnessFile: string }[] }[] };
    expect(report.findings[0]!.findings[0]!.witnessFile).toBe(path.join(tmp(), written[0]!));
  });

  it('the same selector in two files, same line: two witnesses, two patches, the same names on a second run', () => {
    const selector = (file: string) => `config S\n\tbool "s in ${file}"\n\tselect TARGET\n`;
    const root = tree('t', { Kconfig: `${UNMET}source "a/Kconfig"\nsource "b/Kconfig"\n`, 'a/Kconfig': selector('a'), 'b/Kconfig': selector('b') });
    // audit exits 1 on its findings, fix 0 when each got a verified repair
    const names = (dir: string, ...args: string[]) => {
      const r = run('--force', '--tree', root, ...args, dir);
      expect(r.status).toBe(args[0] === 'audit' ? 1 : 0);
      return fs.readdirSync(dir).sort();
    };
    const witnesses = names(path.join(tmp(), 'w'), 'audit', '--out-dir');
    expect(witnesses).toHaveLength(2);
    expect(witnesses.every((n) => /^S-TARGET-3-[0-9a-f]{10}\.config$/.test(n))).toBe(true);
    expect(names(path.join(tmp(), 'w'), 'audit', '--out-dir')).toEqual(witnesses);
    const patches = names(path.join(tmp(), 'p'), 'fix', '--patch-dir');
    expect(patches).toHaveLength(2);
    expect(patches.every((n) => /^S-TARGET-Kconfig-3-[0-9a-f]{10}\.patch$/.test(n))).toBe(true);
  });
});

describe('output paths', () => {
  const QUERY = ['query', '--tree', 'corpora/examples/xen-zone-device/fixed', '--arch', 'x86_64'];
  const WISH = 'XEN_UNPOPULATED_ALLOC=y';

  it('--force never replaces what is not a regular file: /dev/null, a symlink', () => {
    expectOneLineError(run('--force', ...QUERY, '--out', '/dev/null', WISH), 'kconfsat: /dev/null is not a regular file (--force replaces only regular files)');
    expect(fs.statSync('/dev/null').isCharacterDevice()).toBe(true);
    const target = path.join(tmp(), 'precious');
    fs.writeFileSync(target, 'precious\n');
    const link = path.join(tmp(), 'link.config');
    fs.symlinkSync(target, link);
    expectOneLineError(run(...QUERY, '--out', link, WISH), `kconfsat: ${link} exists (use --force to overwrite)`);
    expectOneLineError(run('--force', ...QUERY, '--out', link, WISH), `kconfsat: ${link} is not a regular file (--force replaces only regular files)`);
    expect(fs.readFileSync(target, 'utf8')).toBe('precious\n');
    expect(fs.readdirSync(tmp()).sort()).toEqual(['link.config', 'precious']);
  });

  it('a path under a regular file, an --out-dir that is a file, an empty name: one line, exit 2', () => {
    const file = path.join(tmp(), 'file');
    fs.writeFileSync(file, 'x\n');
    expectOneLineError(run(...QUERY, '--out', path.join(file, 'x'), WISH), `kconfsat: cannot write ${file}/x: a part of the path is not a directory`);
    expectOneLineError(
      run('sample', '--tree', 'corpora/examples/xen-zone-device/fixed', '--arch', 'x86_64', '-n', '2', '--out-dir', file),
      `kconfsat: cannot make directory ${file}: it exists and is not a directory`,
    );
    expectOneLineError(run(...QUERY, '--out', '', WISH), 'kconfsat: an output file name is empty');
    expect(fs.readdirSync(tmp())).toEqual(['file']);
  });

  it('a 250-character file name is written; one past the file system limit is one line', () => {
    const long = path.join(tmp(), 'w'.repeat(250));
    expect(run(...QUERY, '--out', long, WISH).status).toBe(0);
    expect(fs.readFileSync(long, 'utf8')).toContain(`CONFIG_${WISH}\n`);
    const tooLong = path.join(tmp(), 'w'.repeat(300));
    expectOneLineError(run(...QUERY, '--out', tooLong, WISH), `kconfsat: cannot write ${tooLong}: file name too long`);
    expect(fs.readdirSync(tmp())).toEqual(['w'.repeat(250)]);
  });
});

describe('files that are not regular files', () => {
  it('a FIFO sourced by the tree or given as .config: one line at once, with and without --timeout', () => {
    const root = tree('t', { Kconfig: 'config A\n\tbool "a"\nsource "fifo"\n' });
    spawnSync('mkfifo', [path.join(root, 'fifo')]);
    for (const deadline of [[], ['--timeout', '30']]) {
      const t0 = performance.now();
      expectOneLineError(run(...deadline, '--tree', root, 'query', 'A=y'), 'kconfsat: fifo is not a regular file (a FIFO, device or socket cannot be read)');
      expect(performance.now() - t0).toBeLessThan(10_000);
    }
    fs.writeFileSync(path.join(root, 'Kconfig'), 'config A\n\tbool "a"\n');
    expectOneLineError(run('--tree', root, 'check', path.join(root, 'fifo')), `kconfsat: cannot read ${path.join(root, 'fifo')}: not a regular file`);
  });

  it('/dev/zero sourced with --allow-outside-tree is refused, not read', () => {
    const root = tree('t', { Kconfig: 'source "/dev/zero"\n' });
    expectOneLineError(run('--allow-outside-tree', '--timeout', '30', '--tree', root, 'info'), 'kconfsat: /dev/zero is not a regular file (a FIFO, device or socket cannot be read)');
  });
});

describe('control characters', () => {
  it('a NUL in a Kconfig line is named in the one line of the error, escaped', () => {
    const root = tree('nul', { Kconfig: 'config X\n\tbool "x"\nconfig Y\u0000Z\n\tbool\n' });
    expectOneLineError(run('--tree', root, 'info'), "kconfsat: Kconfig:3:9: unexpected character '\\x00'");
  });

  it('a newline in a query is no second line of the error', () => {
    const root = tree('plain', { Kconfig: 'config X\n\tbool "x"\n' });
    expectOneLineError(run('--tree', root, 'query', 'X=\nY'), "kconfsat: <query>:1:3: unexpected character '\\x0a'");
  });
});

describe('reads outside the tree', () => {
  it('a top-level Kconfig that is a symlink out of the tree is not read', () => {
    const secret = path.join(tmp(), 'secret');
    fs.writeFileSync(secret, 'hunter2 is the password\n');
    const root = tree('t', { 'sub/Kconfig': '' });
    fs.symlinkSync(secret, path.join(root, 'Kconfig'));
    expectOneLineError(run('--tree', root, 'info'), 'kconfsat: Kconfig:0: Kconfig is outside the tree root');
  });

  it('a glob outside the tree names the pattern, never what it found', () => {
    const root = tree('t', { Kconfig: 'osource "/etc/pass*"\n' });
    expectOneLineError(run('--tree', root, 'info'), 'kconfsat: Kconfig:1:1: "/etc/pass*" is outside the tree root');
    fs.symlinkSync('/etc', path.join(root, 'etclink'));
    // Through a symlinked directory the glob lists nothing: it reads as no match, and names nothing.
    fs.writeFileSync(path.join(root, 'Kconfig'), 'osource "etclink/pass*"\n');
    const r = run('--tree', root, 'info');
    expect([r.status, r.stderr, r.stdout]).toEqual([0, '', expect.stringMatching(/^t: 0 symbols/)]);
    fs.writeFileSync(path.join(root, 'Kconfig'), 'source "etclink/pass*"\n');
    expectOneLineError(run('--tree', root, 'info'), 'kconfsat: Kconfig:1:1: can\'t open file "etclink/pass*"');
  });
});

describe('a batch interrupted', () => {
  /**
   * A child writes a batch of 2,000 files through the CLI's output path and
   * gets SIGINT or SIGTERM once the first is on disk: it stops between two
   * files, leaves no temporary file, and says how many it wrote.
   */
  it.each([
    ['SIGINT', 130],
    ['SIGTERM', 143],
  ] as const)('%s: stops between files, no temporary file left, the count said', async (signal, status) => {
    const dir = path.join(tmp(), 'batch');
    const script = `
      import * as path from 'node:path';
      import { directOutput } from ${JSON.stringify(path.join(REPO, 'dist/src/cli/output.js'))};
      const files = Array.from({ length: 2000 }, (_, i) => ({ file: path.join(${JSON.stringify(dir)}, 'config-' + (i + 1)), content: 'CONFIG_A=y\\n'.repeat(20000) }));
      await directOutput.writeFiles({ files, force: false, directory: ${JSON.stringify(dir)} });
    `;
    const child = spawn(process.execPath, ['--input-type=module', '-e', script], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    while (!fs.existsSync(path.join(dir, 'config-1'))) await new Promise((resolve) => setTimeout(resolve, 5));
    child.kill(signal);
    const code = await new Promise((resolve) => child.once('exit', resolve));
    const left = fs.readdirSync(dir);
    expect(code).toBe(status);
    expect(left.filter((f) => !/^config-\d+$/.test(f))).toEqual([]);
    expect(left.length).toBeLessThan(2000);
    expect(stderr).toBe(`kconfsat: interrupted by ${signal}: ${left.length} of 2000 files written to ${dir}\n`);
  });
});
