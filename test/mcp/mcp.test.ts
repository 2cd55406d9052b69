/**
 * The MCP server as an agent meets it: the SDK's own client starts
 * `kconfsat mcp` over stdio, lists the tools and asks the seed question.
 */
import { spawnSync } from 'node:child_process';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { QueryAnswer } from '../../src/analysis/query.js';
import type { ReviewReport } from '../../src/analysis/review.js';
import { ensureBuilt, MAIN, REPO } from '../cli/run.js';

const FIXED = 'corpora/examples/xen-zone-device/fixed';
const BUGGY = 'corpora/examples/xen-zone-device/buggy';

/** The seed patch: the fixed tree's `depends on ZONE_DEVICE` back to the buggy `select`, as a unified diff against the tree's root. */
function seedPatch(): string {
  const file = 'drivers/xen/Kconfig';
  const r = spawnSync('diff', ['-u', '--label', `a/${file}`, '--label', `b/${file}`, `${FIXED}/${file}`, `${BUGGY}/${file}`], { cwd: REPO, encoding: 'utf8' });
  if (r.status !== 1) throw new Error(`diff: ${r.stderr}`);
  return r.stdout;
}

interface Result {
  content: { type: string; text: string }[];
  isError?: boolean;
}

describe('kconfsat mcp', () => {
  let client: Client;
  beforeAll(async () => {
    ensureBuilt();
    client = new Client({ name: 'kconfsat-test', version: '1' });
    await client.connect(new StdioClientTransport({ command: process.execPath, args: [MAIN, '--tree', FIXED, 'mcp'], cwd: REPO, stderr: 'pipe' }));
  }, 60_000);
  afterAll(async () => {
    await client?.close();
  });

  const call = async (name: string, args: Record<string, unknown>): Promise<Result> => (await client.callTool({ name, arguments: args })) as Result;
  const json = async <T>(name: string, args: Record<string, unknown>): Promise<T> => {
    const r = await call(name, args);
    expect(r.isError ?? false).toBe(false);
    return JSON.parse(r.content[0]!.text) as T;
  };

  test('lists the tools, each with a JSON schema for its input', async () => {
    const { tools } = await client.listTools();
    expect(tools.map((t) => t.name).sort()).toEqual(['audit', 'check', 'fix', 'query', 'resolve', 'review', 'values', 'why-not']);
    const query = tools.find((t) => t.name === 'query')!;
    expect(query.inputSchema.required).toEqual(['expressions']);
  });

  test('the seed (Linux 5.10 and later, the fixed tree): no on i386 with the chain down to 64BIT, yes on x86_64 with a witness', async () => {
    const i386 = await json<QueryAnswer>('query', { arch: 'i386', expressions: ['XEN_UNPOPULATED_ALLOC=y'] });
    expect(i386.satisfiable).toBe(false);
    expect(i386.arch).toBe('i386');
    expect(i386.explanation!.chain.map((s) => s.symbol)).toEqual(['XEN_UNPOPULATED_ALLOC', 'ZONE_DEVICE', 'ARCH_HAS_PTE_DEVMAP', 'X86_64', '64BIT']);
    expect(i386.explanation!.chain[0]!.facts.map((f) => `${f.loc.file}:${f.loc.line} ${f.text}`)).toEqual(['drivers/xen/Kconfig:12 depends on ZONE_DEVICE']);
    const why = await json<QueryAnswer>('why-not', { arch: 'i386', symbol: 'XEN_UNPOPULATED_ALLOC' });
    expect(why.explanation!.chain).toEqual(i386.explanation!.chain);
    const x86 = await json<QueryAnswer>('query', { arch: 'x86_64', expressions: ['XEN_UNPOPULATED_ALLOC=y'] });
    expect(x86.satisfiable).toBe(true);
    expect(x86.witness!.config.filter((e) => ['XEN_UNPOPULATED_ALLOC', 'ZONE_DEVICE'].includes(e.name)).map((e) => e.value)).toEqual(['y', 'y']);
  }, 60_000);

  test('values, and audit and fix of another tree, in the library shapes', async () => {
    const values = await json<{ symbol: string; values: string[] }[]>('values', { arch: 'i386', symbols: ['ZONE_DEVICE', 'XEN_GNTDEV'] });
    expect(values.map((v) => [v.symbol, v.values])).toEqual([['ZONE_DEVICE', ['n']], ['XEN_GNTDEV', ['n', 'm', 'y']]]);
    const audit = await json<{ findings: { selector: string; selectee: string; loc: { file: string; line: number } }[] }>('audit', { tree: BUGGY, arch: 'i386' });
    expect(audit.findings.map((f) => [f.selector, f.selectee, f.loc.file, f.loc.line])).toEqual([['XEN_UNPOPULATED_ALLOC', 'ZONE_DEVICE', 'drivers/xen/Kconfig', 13]]);
    expect((await json<{ findings: unknown[] }>('audit', { arch: 'i386' })).findings).toEqual([]);
    const fix = await json<{ results: { candidates: { kind: string; verified: boolean; checkedOn: string[] }[] }[] }>('fix', { tree: BUGGY, arch: 'i386', verifyArches: ['i386', 'x86_64'] });
    expect(fix.results[0]!.candidates[0]).toMatchObject({ kind: 'depends-on', verified: true, checkedOn: ['i386', 'x86_64'] });
  }, 60_000);

  test('check and resolve take .config text', async () => {
    const check = await json<{ valid: boolean; violations: { symbol: string }[] }>('check', { arch: 'i386', config: 'CONFIG_ZONE_DEVICE=y\n', partial: true });
    expect(check.valid).toBe(false);
    expect(check.violations.map((v) => v.symbol)).toEqual(['ZONE_DEVICE']);
    const resolve = await json<{ satisfiable: boolean; diagnoses: unknown[] }>('resolve', { arch: 'i386', config: '', wishes: ['XEN_UNPOPULATED_ALLOC=y'] });
    expect(resolve.satisfiable).toBe(false);
    expect(resolve.diagnoses).toEqual([]);
  }, 60_000);

  test('review of the seed patch: the new finding on both arches with the upstream repair verified, as from the old and new trees', async () => {
    const findings = (r: ReviewReport): string[] => r.arches.flatMap((a) => a.findings.added.map((f) => `${a.arch} ${f.selector}>${f.selectee} ${f.loc.file}:${f.loc.line}`));
    const expected = ['i386 XEN_UNPOPULATED_ALLOC>ZONE_DEVICE drivers/xen/Kconfig:13', 'x86_64 XEN_UNPOPULATED_ALLOC>ZONE_DEVICE drivers/xen/Kconfig:13'];
    const patched = await json<ReviewReport>('review', { patch: seedPatch(), arches: ['i386', 'x86_64'] });
    expect(patched.newProblems).toBe(2);
    expect(findings(patched)).toEqual(expected);
    const repair = patched.arches[0]!.findings.added[0]!.fixes!.find((c) => c.kind === 'depends-on')!;
    expect([repair.verified, repair.checkedOn]).toEqual([true, ['i386', 'x86_64']]);
    expect(repair.patch).toContain('-\tselect ZONE_DEVICE\n+\tdepends on ZONE_DEVICE\n');
    const dirs = await json<ReviewReport>('review', { old: FIXED, new: BUGGY, arches: ['i386', 'x86_64'], fixes: false });
    expect(findings(dirs)).toEqual(expected);
    expect(dirs.arches[0]!.findings.added[0]!.fixes).toBeUndefined();
    // The patch leads to the buggy tree: it does not apply there again, and the error says where.
    const stale = await call('review', { tree: BUGGY, patch: seedPatch(), arches: ['i386'] });
    expect(stale.isError).toBe(true);
    expect(stale.content[0]!.text).toMatch(/^patch:\d+: /);
    const twoWays = await call('review', { patch: seedPatch(), old: FIXED, new: BUGGY });
    expect([twoWays.isError, twoWays.content[0]!.text]).toEqual([true, 'give the change one way: patch, or old and new']);
  }, 120_000);

  test('a user error is an isError result, and the server goes on answering', async () => {
    const unknown = await call('values', { arch: 'i386', symbols: ['NO_SUCH_SYMBOL'] });
    expect(unknown.isError).toBe(true);
    expect(unknown.content[0]!.text).toBe("unknown symbol 'NO_SUCH_SYMBOL' for i386");
    const arch = await call('query', { arch: 'sparc', expressions: ['ZONE_DEVICE=y'] });
    expect(arch.isError).toBe(true);
    expect(arch.content[0]!.text).toMatch(/^unknown architecture 'sparc'/);
    const schema = await call('query', { arch: 'i386', expressions: 'ZONE_DEVICE=y' });
    expect(schema.isError).toBe(true);
    expect((await json<QueryAnswer>('query', { arch: 'x86_64', expressions: ['ZONE_DEVICE=y'] })).satisfiable).toBe(true);
  }, 60_000);
});
