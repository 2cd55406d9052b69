/**
 * --timeout: a query the solver cannot finish in time stops and answers
 * "unknown (timeout)" with exit code 3, promptly and with nothing else on
 * stdout; a query that finishes in time answers exactly as without it. The
 * same for the library's queryWithTimeout.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { query } from '../../src/analysis/query.js';
import { Session } from '../../src/analysis/session.js';
import { MemorySourceFiles } from '../../src/parse/files.js';
import { ensureBuilt, REPO, run } from '../cli/run.js';
import { scratchDir } from '../helpers/scratch.js';

const FIXED = 'corpora/examples/xen-zone-device/fixed';

/** Deterministic numbers in [0, 1) (mulberry32), so the instance is the same on every run. */
function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Random 3-SAT at the hard ratio (4.26 clauses per variable) as Kconfig: a
 * prompted bool per variable, a def_bool per clause, and ALL, the conjunction
 * of the clauses, so that `query ALL=y` is the SAT instance. With 250
 * variables and seed 1 the query ran past 120 s (kconfsat --timeout 120, exit 3);
 * loading the tree takes about 2 s.
 */
function randomThreeSat(variables: number, seed: number): string {
  const random = seeded(seed);
  const clauses = Math.round(variables * 4.26);
  const lines: string[] = [];
  for (let v = 1; v <= variables; v++) lines.push(`config V${v}`, `\tbool "v${v}"`, '');
  for (let c = 1; c <= clauses; c++) {
    const chosen = new Set<number>();
    while (chosen.size < 3) chosen.add(1 + Math.floor(random() * variables));
    const literals = [...chosen].map((v) => `${random() < 0.5 ? '!' : ''}V${v}`);
    lines.push(`config C${c}`, `\tdef_bool ${literals.join(' || ')}`, '');
  }
  lines.push('config ALL', `\tdef_bool ${Array.from({ length: clauses }, (_, i) => `C${i + 1}`).join(' && ')}`, '');
  return lines.join('\n');
}

const tmp = scratchDir('timeout');
let hard: string;

beforeAll(() => {
  ensureBuilt();
  hard = path.join(tmp(), 'three-sat');
  fs.mkdirSync(hard);
  fs.writeFileSync(path.join(hard, 'Kconfig'), randomThreeSat(250, 1));
});

function timed<T>(f: () => T): { result: T; seconds: number } {
  const t0 = performance.now();
  const result = f();
  return { result, seconds: (performance.now() - t0) / 1000 };
}

describe('a query past its deadline', () => {
  // Long enough for the tree to load on a busy machine, so the worker is stopped inside the solver.
  const timeout = 10;

  it('loads within the deadline (so what the deadline stops below is the solver)', () => {
    const r = run('--timeout', String(timeout), '--tree', hard, 'info');
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^three-sat: 1316 symbols/);
  });

  it('stops at the deadline: "unknown (timeout)", exit 3, nothing else', () => {
    const out = path.join(tmp(), 'never.config');
    const { result: r, seconds } = timed(() => run('--timeout', String(timeout), '--tree', hard, 'query', '--out', out, 'ALL=y'));
    expect(r.stdout).toBe(`query ALL=y: unknown (timeout after ${timeout}s)\n`);
    expect(r.status).toBe(3);
    expect(seconds).toBeGreaterThanOrEqual(timeout);
    expect(seconds).toBeLessThan(timeout + 5);
    expect(fs.existsSync(out)).toBe(false);
  });

  it('says so in JSON with --json', () => {
    const r = run('--json', '--timeout', '1', '--tree', hard, 'query', 'ALL=y', 'V1');
    expect(r.status).toBe(3);
    expect(JSON.parse(r.stdout)).toEqual({ command: 'query', args: ['ALL=y', 'V1'], result: 'unknown', reason: 'timeout', seconds: 1 });
  });
});

describe('a query within its deadline', () => {
  const both = (...args: string[]) => [run(...args), run('--timeout', '60', ...args)] as const;

  it.each([
    ['yes', 0, ['query', '--tree', FIXED, '--arch', 'x86_64', 'XEN_UNPOPULATED_ALLOC=y']],
    ['no, with its explanation', 1, ['query', '--tree', FIXED, '--arch', 'i386', 'XEN_UNPOPULATED_ALLOC=y']],
    ['JSON', 1, ['--json', 'query', '--tree', FIXED, '--arch', 'i386', 'XEN_UNPOPULATED_ALLOC=y']],
    ['an input error', 2, ['query', '--tree', FIXED, '--arch', 'i386', 'NO_SUCH_SYMBOL=y']],
  ] as const)('answers as without --timeout: %s', (_, status, args) => {
    const [direct, deadline] = both(...args);
    expect(direct.status).toBe(status);
    expect([deadline.status, deadline.stdout, deadline.stderr]).toEqual([direct.status, direct.stdout, direct.stderr]);
  });

  it('writes --out once the command has finished', () => {
    const out = path.join(tmp(), 'witness.config');
    const r = run('--timeout', '60', 'query', '--tree', FIXED, '--arch', 'x86_64', '--out', out, 'XEN_UNPOPULATED_ALLOC=y');
    expect(r.status).toBe(0);
    expect(r.stdout).toContain(`witness written to ${out}`);
    expect(fs.readFileSync(out, 'utf8')).toContain('CONFIG_XEN_UNPOPULATED_ALLOC=y\n');
  });

  it('rejects a --timeout that is not a positive number of seconds', () => {
    for (const bad of ['0', '-1', 'soon', '1e99']) {
      const r = run('--timeout', bad, 'query', '--tree', FIXED, 'XEN=y');
      expect(r.status).toBe(2);
      expect(r.stderr.split('\n')[0]).toBe(`kconfsat: option '--timeout <seconds>' argument '${bad}' is invalid. expected seconds, a number above 0 and at most 2147483`);
    }
  });
});

describe('library: queryWithTimeout', () => {
  // The worker runs the built module (a worker thread cannot load the TypeScript sources).
  const library = async (): Promise<typeof import('../../src/index.js')> =>
    (await import(pathToFileURL(path.join(REPO, 'dist/src/index.js')).href)) as typeof import('../../src/index.js');

  it('gives up on the hard instance at the deadline', async () => {
    const { queryWithTimeout } = await library();
    const t0 = performance.now();
    const answer = await queryWithTimeout({ tree: hard }, ['ALL=y'], { timeoutMs: 8000 });
    const seconds = (performance.now() - t0) / 1000;
    expect(answer).toEqual({ timedOut: true, timeoutMs: 8000 });
    expect(seconds).toBeGreaterThanOrEqual(8);
    expect(seconds).toBeLessThan(8 + 3);
  });

  it('answers in time exactly as query() does', async () => {
    const { queryWithTimeout } = await library();
    const options = { tree: FIXED, arch: 'i386' };
    const base = new Map([['XEN', 'y']]);
    for (const exprs of [['XEN_UNPOPULATED_ALLOC=y'], ['XEN_GNTDEV=m']]) {
      expect(await queryWithTimeout(options, exprs, { timeoutMs: 60_000, base })).toEqual(query(Session.open(options), exprs, { base }));
    }
  });

  it('rejects with the KconfsatError the query raised', async () => {
    const { queryWithTimeout, KconfsatError } = await library();
    const error = await queryWithTimeout({ tree: FIXED, arch: 'i386' }, ['NO_SUCH=y'], { timeoutMs: 60_000 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(KconfsatError);
    expect((error as InstanceType<typeof KconfsatError>).format()).toBe("unknown symbol 'NO_SUCH' for i386 in 'NO_SUCH=y'");
  });

  it('rejects a timeoutMs that is not a delay setTimeout can keep, and arguments of the wrong type, each with a clear KconfsatError', async () => {
    const { queryWithTimeout, KconfsatError } = await library();
    const tree = { tree: FIXED, arch: 'i386' };
    const limit = 'timeoutMs must be a number of milliseconds above 0 and at most 2147483647, got';
    for (const timeoutMs of [3e9, NaN, -5, 0, Infinity, '100']) {
      const error = await queryWithTimeout(tree, ['XEN=y'], { timeoutMs: timeoutMs as number }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(KconfsatError);
      expect((error as Error).message).toBe(`${limit} ${String(timeoutMs)}`);
    }
    const wrong = (f: () => Promise<unknown>) => f().catch((e: unknown) => [e instanceof KconfsatError, (e as Error).message]);
    expect(await wrong(() => queryWithTimeout(tree, 'XEN=y' as unknown as string[], { timeoutMs: 1000 }))).toEqual([true, 'queryWithTimeout expects the expressions as an array of strings']);
    expect(await wrong(() => queryWithTimeout(null as unknown as typeof tree, ['XEN=y'], { timeoutMs: 1000 }))).toEqual([true, 'queryWithTimeout needs the tree as a path (session.tree, a string)']);
    expect(await wrong(() => queryWithTimeout(tree, ['XEN=y'], undefined as unknown as { timeoutMs: number }))).toEqual([true, 'queryWithTimeout expects options with timeoutMs']);
  });

  it('needs the tree as a path', async () => {
    const { queryWithTimeout } = await library();
    await expect(queryWithTimeout({ tree: new MemorySourceFiles({ Kconfig: '' }) }, ['A'], { timeoutMs: 1000 })).rejects.toThrow('queryWithTimeout needs the tree as a path');
  });
});
