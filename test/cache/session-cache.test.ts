/**
 * The persisted session cache (src/cache/session-cache.ts): a hit answers as
 * a fresh load does, any changed input means a rebuild, and a broken,
 * unwritable or contended cache never costs the right answer.
 */
import { spawn, spawnSync, type SpawnSyncReturns } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { Session } from '../../src/analysis/session.js';
import { EditorWorkspace } from '../../src/analysis/editor.js';
import { query } from '../../src/analysis/query.js';
import { cached, type CacheSettings } from '../../src/cache/session-cache.js';
import { loadKconfig, type LoadOptions } from '../../src/model/load.js';
import { MAIN } from '../cli/run.js';
import { scratchDir } from '../helpers/scratch.js';

const dir = scratchDir('session-cache', { perTest: true });

/**
 * A tree whose answer to `A=y` hangs on $(FOO) and on a sourced file: yes with FOO=yes, unless `blocked`.
 * Its choice, menu and tristate put objects of every class into the entry (a class the reader did not
 * know once made every Linux entry unreadable).
 */
function writeTree(root: string, blocked = false): string {
  fs.mkdirSync(path.join(root, 'sub'), { recursive: true });
  fs.writeFileSync(
    path.join(root, 'Kconfig'),
    'config A\n\tbool "a"\n\tdepends on GATE\nsource "sub/Kconfig"\nmenu "m"\nchoice\n\tprompt "p"\nconfig C1\n\tbool "c1"\nconfig C2\n\tbool "c2"\nendchoice\nendmenu\n',
  );
  fs.writeFileSync(
    path.join(root, 'sub/Kconfig'),
    `config GATE\n\tbool\n\tdefault y if "$(FOO)" = "yes"\n${blocked ? '\tdepends on BLOCK\n' : ''}config BLOCK\n\tbool\n`,
  );
  return root;
}

function cli(cacheHome: string, ...args: string[]): SpawnSyncReturns<string> {
  return spawnSync(process.execPath, [MAIN, ...args], { encoding: 'utf8', env: cacheEnv(cacheHome), timeout: 60_000 });
}

function cacheEnv(cacheHome: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, XDG_CACHE_HOME: cacheHome };
  delete env.KCONFSAT_CACHE; // the suite runs with the cache off (vitest.config.ts)
  return env;
}

function entries(cacheHome: string): string[] {
  const sessions = path.join(cacheHome, 'kconfsat', 'sessions');
  return fs.existsSync(sessions) ? fs.readdirSync(sessions).map((f) => path.join(sessions, f)) : [];
}

/** The seed question with stage times: `cache read` shows the session came from the cache. */
function ask(cacheHome: string, tree: string, ...extra: string[]): { answer: string; fromCache: boolean; stderr: string } {
  const r = cli(cacheHome, '--tree', tree, ...extra, 'query', '--verbose', 'A=y');
  expect(r.status === 0 || r.status === 1, r.stderr).toBe(true);
  const notes = r.stderr.split('\n').filter((l) => l !== '' && !l.startsWith('time'));
  return { answer: r.stdout.split('\n')[0]!, fromCache: r.stderr.includes('cache read'), stderr: notes.join('\n') };
}

/** What `body` writes to this process's stderr. */
function stderrOf(body: () => void): string {
  const notes: string[] = [];
  const write = process.stderr.write.bind(process.stderr);
  process.stderr.write = ((chunk: string) => notes.push(String(chunk)) > 0) as typeof process.stderr.write;
  try {
    body();
  } finally {
    process.stderr.write = write;
  }
  return notes.join('');
}

/** Runs `body` with the cache on, under a scratch $XDG_CACHE_HOME (this process's: the suite runs with it off). */
function inCacheHome(body: () => void): void {
  const saved = { home: process.env.XDG_CACHE_HOME, off: process.env.KCONFSAT_CACHE };
  process.env.XDG_CACHE_HOME = path.join(dir(), 'cache');
  delete process.env.KCONFSAT_CACHE;
  try {
    body();
  } finally {
    for (const [name, value] of [['XDG_CACHE_HOME', saved.home], ['KCONFSAT_CACHE', saved.off]] as const) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  }
}

describe('session cache through the CLI', () => {
  it('a hit answers as --no-cache does, and edits to a sourced file or to --env are seen at once', () => {
    const tree = writeTree(path.join(dir(), 'tree'));
    const home = path.join(dir(), 'cache');
    const fresh = cli(home, '--no-cache', '--tree', tree, '--env', 'FOO=yes', 'query', 'A=y', 'GATE=y');
    expect(entries(home)).toEqual([]);
    const first = ask(home, tree, '--env', 'FOO=yes');
    const second = ask(home, tree, '--env', 'FOO=yes');
    expect([first.fromCache, second.fromCache]).toEqual([false, true]);
    expect(cli(home, '--tree', tree, '--env', 'FOO=yes', 'query', 'A=y', 'GATE=y').stdout).toBe(fresh.stdout);
    expect(second.answer).toBe(first.answer);
    expect(second.answer).toMatch(/: yes$/);

    const otherEnv = ask(home, tree, '--env', 'FOO=no');
    expect(otherEnv.fromCache).toBe(false);
    expect(otherEnv.answer).toMatch(/: no$/);

    writeTree(tree, true);
    const edited = ask(home, tree, '--env', 'FOO=yes');
    expect(edited.fromCache).toBe(false);
    expect(edited.answer).toMatch(/: no$/);
    expect(ask(home, tree, '--env', 'FOO=yes').fromCache).toBe(true);
    expect(first.stderr + second.stderr + edited.stderr).toBe('');
  });

  it('an edit that changes the answer is never answered from the entry before it', () => {
    const tree = writeTree(path.join(dir(), 'tree'));
    const home = path.join(dir(), 'cache');
    expect(ask(home, tree, '--env', 'FOO=yes').answer).toMatch(/: yes$/);
    // Same size, same second: only the text differs.
    const file = path.join(tree, 'sub/Kconfig');
    const { mtime } = fs.statSync(file);
    fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace('"yes"', '"yez"'));
    fs.utimesSync(file, mtime, mtime);
    const after = ask(home, tree, '--env', 'FOO=yes');
    expect(after).toMatchObject({ fromCache: false });
    expect(after.answer).toMatch(/: no$/);
  });

  it('a write that keeps size and modification time, seconds after the entry, and a directory symlinked out of the tree are seen', async () => {
    const tree = writeTree(path.join(dir(), 'tree'));
    const home = path.join(dir(), 'cache');
    // Old files, as a stat-based check (git's index) would trust them: the entry reads every file again instead, since a
    // write through mmap or an NFS attribute cache can leave every timestamp as it was.
    const settle = (): Promise<unknown> => new Promise((resolve) => setTimeout(resolve, 2100));
    await settle();
    expect(ask(home, tree, '--env', 'FOO=yes')).toMatchObject({ fromCache: false, answer: expect.stringMatching(/: yes$/) });
    expect(ask(home, tree, '--env', 'FOO=yes')).toMatchObject({ fromCache: true, answer: expect.stringMatching(/: yes$/) });
    // Same size and modification time to the nanosecond (touch -r), and past the two seconds: the write moved only its change time.
    const file = path.join(tree, 'sub/Kconfig');
    const before = fs.statSync(file, { bigint: true });
    const reference = path.join(dir(), 'reference');
    expect(spawnSync('cp', ['-p', file, reference]).status).toBe(0);
    fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace('"yes"', '"yez"'));
    expect(spawnSync('touch', ['-r', reference, file]).status).toBe(0);
    const after = fs.statSync(file, { bigint: true });
    expect([after.size, after.mtimeNs, after.ino]).toEqual([before.size, before.mtimeNs, before.ino]);
    await settle();
    expect(ask(home, tree, '--env', 'FOO=yes')).toMatchObject({ fromCache: false, answer: expect.stringMatching(/: no$/) });
    expect(ask(home, tree, '--env', 'FOO=yes')).toMatchObject({ fromCache: true, answer: expect.stringMatching(/: no$/) });
    // The same files behind a symlinked directory that leads out of the tree: refused as a fresh load refuses them.
    const outside = path.join(dir(), 'outside');
    fs.renameSync(path.join(tree, 'sub'), outside);
    fs.symlinkSync(outside, path.join(tree, 'sub'));
    const fresh = cli(home, '--no-cache', '--tree', tree, '--env', 'FOO=yes', 'query', 'A=y');
    const again = cli(home, '--tree', tree, '--env', 'FOO=yes', 'query', 'A=y');
    expect(fresh.status).toBe(2);
    expect([again.status, again.stdout, again.stderr]).toEqual([fresh.status, fresh.stdout, fresh.stderr]);
  });

  it('a truncated or overwritten entry is rebuilt with a one-line note', () => {
    const tree = writeTree(path.join(dir(), 'tree'));
    const home = path.join(dir(), 'cache');
    const good = ask(home, tree, '--env', 'FOO=yes');
    const [entry] = entries(home);
    for (const damage of [(b: Buffer) => b.subarray(0, b.length >> 1), (b: Buffer) => Buffer.concat([b.subarray(0, 40), Buffer.alloc(64, 0x5a), b.subarray(104)])]) {
      fs.writeFileSync(entry!, damage(fs.readFileSync(entry!)));
      const r = ask(home, tree, '--env', 'FOO=yes');
      expect(r.answer).toBe(good.answer);
      expect(r.fromCache).toBe(false);
      expect(r.stderr).toMatch(/^kconfsat: cache entry .*\.bin is corrupt \((checksum mismatch|.*)\); rebuilding it$/);
      const again = ask(home, tree, '--env', 'FOO=yes');
      expect(again).toMatchObject({ fromCache: true, stderr: '', answer: good.answer });
    }
  });

  it('an unwritable cache gives a note and the right answer; an entry there is still read', () => {
    const tree = writeTree(path.join(dir(), 'tree'));
    const home = path.join(dir(), 'cache');
    const expected = ask(home, tree, '--env', 'FOO=yes').answer;
    const sessions = path.dirname(entries(home)[0]!);
    // root writes through permission bits: there a file stands where the folder would be made.
    const root = process.getuid?.() === 0;
    const blocked = root ? path.join(dir(), 'file') : path.join(dir(), 'ro');
    if (root) fs.writeFileSync(blocked, '');
    else fs.mkdirSync(blocked, { mode: 0o555 });
    const unwritable = ask(blocked, tree, '--env', 'FOO=yes');
    expect(unwritable.answer).toBe(expected);
    expect(unwritable.stderr).toMatch(/^kconfsat: cache skipped: cannot write .*sessions \(E[A-Z]+\)$/);
    if (!root) {
      fs.chmodSync(sessions, 0o555);
      const hit = ask(home, tree, '--env', 'FOO=yes');
      fs.chmodSync(sessions, 0o755);
      expect(hit).toMatchObject({ fromCache: true, stderr: '', answer: expected });
    }
  });

  it('--run-shell sessions are not kept: a $(shell,...) answer is read afresh each time', () => {
    const tree = path.join(dir(), 'tree');
    fs.mkdirSync(tree);
    fs.writeFileSync(path.join(tree, 'Kconfig'), 'config A\n\tbool "a"\n\tdepends on "$(shell,cat marker)" = "on"\n');
    const home = path.join(dir(), 'cache');
    const answers = ['on', 'off'].map((marker) => {
      fs.writeFileSync(path.join(tree, 'marker'), marker);
      return cli(home, '--tree', tree, '--run-shell', 'query', 'A=y').stdout.split('\n')[0];
    });
    expect(answers).toEqual(['A=y: yes', 'A=y: no']);
    expect(entries(home)).toEqual([]);
  });

  it('two processes writing one entry both answer right and leave one valid entry', async () => {
    const tree = writeTree(path.join(dir(), 'tree'));
    const home = path.join(dir(), 'cache');
    const expected = cli(home, '--no-cache', '--tree', tree, '--env', 'FOO=yes', 'query', 'A=y').stdout;
    const once = (): Promise<{ status: number | null; stdout: string; stderr: string }> =>
      new Promise((resolve) => {
        const child = spawn(process.execPath, [MAIN, '--tree', tree, '--env', 'FOO=yes', 'query', 'A=y'], { env: cacheEnv(home) });
        let stdout = '';
        let stderr = '';
        child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
        child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
        child.on('close', (status) => resolve({ status, stdout, stderr }));
      });
    const results = await Promise.all([once(), once(), once()]);
    for (const r of results) expect(r).toEqual({ status: 0, stdout: expected, stderr: '' });
    expect(entries(home).map((f) => path.extname(f))).toEqual(['.bin']);
    expect(ask(home, tree, '--env', 'FOO=yes')).toMatchObject({ fromCache: true, stderr: '' });
  });
});

describe('a session from the cache', () => {
  it("has the fresh session's formula, variable names, parse tree and answers", () => {
    const tree = writeTree(path.join(dir(), 'tree'));
    inCacheHome(() => {
      const options = { tree, env: { FOO: 'yes' } };
      const fresh = Session.open(options);
      expect(Session.open({ ...options, cache: true }).timings.cacheMs).toBeUndefined();
      const hit = Session.open({ ...options, cache: true });
      expect(hit.timings.cacheMs).toBeGreaterThan(0);
      const cnf = (s: Session) => {
        const d = s.formula.dimacs();
        return { vars: d.numVars, clauses: [...d.clauses], names: d.names };
      };
      expect(cnf(hit)).toEqual(cnf(fresh));
      expect(cnf(hit).names.get(fresh.formula.isY(fresh.symbol('A')))).toBe('A=y');
      expect(hit.loaded.parsed).toEqual(fresh.loaded.parsed);
      for (const q of ['A=y', 'A=n && GATE=y', 'BLOCK=y']) expect(query(hit, [q])).toEqual(query(fresh, [q]));
    });
  });
});

describe('a tree loaded for comparing (review, upgrade)', () => {
  it('comes from the cache with its session when an entry holds it, and is only parsed (and not kept) otherwise', () => {
    const tree = writeTree(path.join(dir(), 'tree'));
    inCacheHome(() => {
      expect(Session.loadTree({ tree }).session).toBeUndefined();
      // A miss is parsed only: an arch review finds unchanged is never encoded, nor its 20 MB entry written.
      expect(Session.loadTree({ tree, cache: true }).session).toBeUndefined();
      expect(entries(path.join(dir(), 'cache'))).toEqual([]);
      Session.open({ tree, cache: true });
      const hit = Session.loadTree({ tree, cache: true });
      expect(hit.session?.timings.cacheMs).toBeGreaterThan(0);
      expect(hit.loaded.model.symbols.map((s) => s.name)).toEqual(Session.loadTree({ tree }).loaded.model.symbols.map((s) => s.name));
      // Files overridden in memory (a patch under review) are never kept.
      expect(Session.loadTree({ tree, cache: true, overrides: { Kconfig: 'config A\n\tbool "a"\n' } }).session).toBeUndefined();
      // A corrupt entry is noted and left for the next load that keeps one to make again.
      const [entry] = entries(path.join(dir(), 'cache'));
      fs.writeFileSync(entry!, 'not an entry');
      const notes = stderrOf(() => expect(Session.loadTree({ tree, cache: true }).session).toBeUndefined());
      expect(notes).toBe(`kconfsat: cache entry ${entry} is corrupt (not a kconfsat cache file); loading the tree without it\n`);
    });
  });
});

describe('an editor workspace', () => {
  it('loads a tree whose open documents are as on disk from the cache, and an edited one afresh', () => {
    const tree = writeTree(path.join(dir(), 'tree'));
    const file = path.join(tree, 'Kconfig');
    inCacheHome(() => {
      const workspace = new EditorWorkspace({ load: { tree, cache: true }, arches: [undefined] });
      workspace.update(file, fs.readFileSync(file, 'utf8'));
      workspace.diagnostics(file);
      expect(entries(path.join(dir(), 'cache'))).toHaveLength(1);
      workspace.update(file, fs.readFileSync(file, 'utf8') + 'config NEW\n\tbool "new"\n');
      expect(workspace.completion(file, 1, 1).map((c) => c.name)).toContain('NEW');
      expect(entries(path.join(dir(), 'cache'))).toHaveLength(1);
    });
  });
});

describe('session cache entries', () => {
  /** A cached value that counts how often it was built. */
  function counter(options: LoadOptions): { get: (settings: CacheSettings) => string[]; builds: () => number } {
    let builds = 0;
    return {
      builds: () => builds,
      get: (settings) =>
        cached(options, settings, {
          build: (files) => {
            builds++;
            const names = loadKconfig(files ? { ...options, tree: files } : options).model.symbols.map((s) => s.name);
            return { value: names, saved: { names } };
          },
          restore: (saved) => saved.names,
          sample: () => ({}),
        }),
    };
  }

  it('is not written when it holds an object of a class the reader would not find, with a note', () => {
    const tree = writeTree(path.join(dir(), 'tree'));
    const settings = { dir: path.join(dir(), 'sessions'), maxBytes: 1 << 30, version: '1' };
    class Unsampled {
      constructor(readonly names: string[]) {}
    }
    const notes = stderrOf(() => {
      const value = cached({ tree, cache: true }, settings, {
        build: () => ({ value: 'built', saved: new Unsampled(['A']) }),
        restore: () => 'restored',
        sample: () => ({}),
      });
      expect(value).toBe('built');
    });
    expect(fs.existsSync(settings.dir) ? fs.readdirSync(settings.dir) : []).toEqual([]);
    expect(notes).toBe('kconfsat: session not cached: objects of Unsampled, which the sample lacks\n');
  });

  it('an entry of another kconfsat version is never read', () => {
    const tree = writeTree(path.join(dir(), 'tree'));
    const settings = { dir: path.join(dir(), 'sessions'), maxBytes: 1 << 30, version: '1.0.0' };
    const c = counter({ tree, cache: true });
    expect(c.get(settings)).toEqual(['A', 'GATE', 'BLOCK', '<choice 1>', 'C1', 'C2']);
    expect(c.get(settings)).toEqual(['A', 'GATE', 'BLOCK', '<choice 1>', 'C1', 'C2']);
    expect(c.builds()).toBe(1);
    const [older] = fs.readdirSync(settings.dir).map((f) => path.join(settings.dir, f));
    expect(c.get({ ...settings, version: '1.0.1' })).toEqual(['A', 'GATE', 'BLOCK', '<choice 1>', 'C1', 'C2']);
    expect(c.builds()).toBe(2);
    // Nor under the other version's file name.
    const newer = fs.readdirSync(settings.dir).map((f) => path.join(settings.dir, f)).find((f) => f !== older);
    fs.copyFileSync(older!, newer!);
    expect(c.get({ ...settings, version: '1.0.1' })).toEqual(['A', 'GATE', 'BLOCK', '<choice 1>', 'C1', 'C2']);
    expect(c.builds()).toBe(3);
  });

  it('the size bound evicts the least recently used entries', () => {
    const tree = writeTree(path.join(dir(), 'tree'));
    const settings = { dir: path.join(dir(), 'sessions'), maxBytes: 1 << 30, version: '1' };
    const env = (v: string): LoadOptions => ({ tree, env: { FOO: v }, cache: true });
    counter(env('a')).get(settings);
    const size = fs.statSync(fs.readdirSync(settings.dir).map((f) => path.join(settings.dir, f))[0]!).size;
    const small = { ...settings, maxBytes: Math.floor(size * 2.5) };
    const first = counter(env('a'));
    counter(env('b')).get(small);
    // Using a makes b the oldest.
    const past = new Date(Date.now() - 60_000);
    for (const f of fs.readdirSync(settings.dir)) fs.utimesSync(path.join(settings.dir, f), past, past);
    first.get(small);
    expect(first.builds()).toBe(0);
    counter(env('c')).get(small);
    expect(fs.readdirSync(settings.dir)).toHaveLength(2);
    first.get(small);
    expect(first.builds()).toBe(0);
    const b = counter(env('b'));
    b.get(small);
    expect(b.builds()).toBe(1);
  });
});
