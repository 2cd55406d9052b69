/**
 * `kconfsat mcp`: the library's analyses as Model Context Protocol tools, on
 * one warm session per (tree, arch). Inputs are zod schemas (the SDK turns
 * them into JSON Schema and validates every call); each result is the
 * library's JSON shape as text. A user error (unknown symbol, bad
 * expression, unknown arch, a tree that does not load) is a tool result with
 * isError, so the client can correct the call.
 */
import * as path from 'node:path';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import { z } from 'zod';
import { audit } from '../analysis/audit.js';
import { checkConfig } from '../analysis/check.js';
import { query } from '../analysis/query.js';
import { resolve } from '../analysis/resolve.js';
import { patchedTree, review, reviewArches } from '../analysis/review.js';
import { configValues, Session } from '../analysis/session.js';
import { possibleValues } from '../analysis/values.js';
import { KconfsatError } from '../errors.js';
import { parseDotConfig } from '../io/dotconfig.js';
import type { LoadOptions } from '../model/load.js';
import { fixTree } from '../workflow/fix.js';

export interface McpServerOptions {
  /** Load options for a tree (the server's default tree when the call names none) and arch. */
  load: (tree: string | undefined, arch: string | undefined) => LoadOptions;
  version: string;
}

type ToolResult = { content: { type: 'text'; text: string }[]; isError?: boolean };

const target = {
  tree: z.string().optional().describe("Kconfig source tree (default: the server's --tree)"),
  arch: z.string().optional().describe("ARCH value, e.g. i386 or x86_64 (default: the server's --arch, else this host's)"),
};

export function createMcpServer(options: McpServerOptions): McpServer {
  const server = new McpServer({ name: 'kconfsat', version: options.version });
  const sessions = new Map<string, Session>();
  const session = (tree: string | undefined, arch: string | undefined): Session => {
    const load = options.load(tree, arch);
    const key = JSON.stringify([typeof load.tree === 'string' ? path.resolve(load.tree) : load.tree.root, load.arch ?? null]);
    let s = sessions.get(key);
    if (!s) sessions.set(key, (s = Session.open(load)));
    return s;
  };
  /** Runs a tool: its value as JSON text, a user error as an isError result. */
  const run = async (work: () => unknown): Promise<ToolResult> => {
    try {
      return { content: [{ type: 'text', text: JSON.stringify(await work(), null, 2) }] };
    } catch (e) {
      if (e instanceof KconfsatError) return { content: [{ type: 'text', text: e.format() }], isError: true };
      throw e;
    }
  };

  server.registerTool(
    'query',
    {
      description: 'Can all these Kconfig expressions hold together in a valid configuration? Yes: a witness .config; no: the Kconfig lines that rule it out (QueryAnswer).',
      inputSchema: { ...target, expressions: z.array(z.string()).min(1).describe("Kconfig expressions, e.g. 'XEN_UNPOPULATED_ALLOC=y', 'A && !B', 'NR_CPUS>=64'") },
    },
    ({ tree, arch, expressions }) => run(() => query(session(tree, arch), expressions)),
  );

  server.registerTool(
    'why-not',
    {
      description: 'Why can SYMBOL not take VALUE (default y)? The chain of Kconfig lines from the symbol to the root cause, or a witness when it can (QueryAnswer).',
      inputSchema: { ...target, symbol: z.string().describe('symbol name, without CONFIG_'), value: z.string().default('y').describe('y, m, n, a number or a quoted string') },
    },
    ({ tree, arch, symbol, value }) => run(() => query(session(tree, arch), [`${symbol}=${value}`])),
  );

  server.registerTool(
    'values',
    {
      description: 'The values each symbol can take in some valid configuration (PossibleValues[]).',
      inputSchema: { ...target, symbols: z.array(z.string()).min(1) },
    },
    ({ tree, arch, symbols }) =>
      run(() => {
        const s = session(tree, arch);
        return symbols.map((name) => possibleValues(s, s.symbol(name)));
      }),
  );

  server.registerTool(
    'check',
    {
      description: "What conf's olddefconfig does to this .config: valid, or every line it would change, drop or add, with the reason (CheckResult).",
      inputSchema: { ...target, config: z.string().describe('the .config text'), partial: z.boolean().default(false).describe('a defconfig or fragment: only the values it sets that do not survive') },
    },
    ({ tree, arch, config, partial }) => run(() => checkConfig(session(tree, arch), parseDotConfig(config, '.config'), { partial })),
  );

  server.registerTool(
    'resolve',
    {
      description: 'The minimal sets of changes to a .config that make the wishes hold in a valid configuration (ResolveResult).',
      inputSchema: {
        ...target,
        config: z.string().describe('the .config text'),
        wishes: z.array(z.string()).min(1).describe("Kconfig expressions, e.g. 'XEN_UNPOPULATED_ALLOC=y'"),
        max: z.number().int().min(1).max(100).default(10),
      },
    },
    ({ tree, arch, config, wishes, max }) => run(() => resolve(session(tree, arch), wishes, configValues(parseDotConfig(config, '.config')), { max })),
  );

  server.registerTool(
    'audit',
    {
      description: "Every select that some valid configuration lets force its target past the target's own dependencies (conf's unmet-dependency warning), with a witness each (AuditReport).",
      inputSchema: { ...target },
    },
    ({ tree, arch }) => run(() => audit(session(tree, arch))),
  );

  server.registerTool(
    'fix',
    {
      description: 'Verified Kconfig repairs of the audit findings on the arch, each checked on the verification arches and ranked by impact, with patches (FixReport).',
      inputSchema: {
        ...target,
        findings: z.array(z.string().regex(/^[A-Za-z0-9_]+:[A-Za-z0-9_]+$/)).optional().describe('only these findings, as SELECTOR:SELECTEE'),
        verifyArches: z.array(z.string()).optional().describe('arches each repair is verified on (default: the arch)'),
      },
    },
    ({ tree, arch, findings, verifyArches }) =>
      run(() => {
        const load = options.load(tree, arch);
        return fixTree({ load, arches: [load.arch], verifyArches: verifyArches ?? [load.arch], only: findings });
      }),
  );

  server.registerTool(
    'review',
    {
      description:
        'What a Kconfig change does, per arch: unmet-dependency findings added and removed (with verified repairs of the added ones), symbols that became dead or always on or came back, symbols added, removed or retyped (ReviewReport). Give the change as a patch against the tree, or as the old and new trees.',
      inputSchema: {
        tree: target.tree.describe("the Kconfig source tree the patch applies to (default: the server's --tree)"),
        patch: z.string().optional().describe('a unified diff (git diff, git format-patch) applied in memory to the tree'),
        old: z.string().optional().describe('the tree before the change (with new, instead of a patch)'),
        new: z.string().optional().describe('the tree after the change'),
        arches: z.array(z.string()).min(1).optional().describe("ARCH values, or ['all'] for every arch of the tree (default: the server's --arch, else this host's)"),
        fixes: z.boolean().default(true).describe('look for verified repairs of the added findings'),
      },
    },
    ({ tree, patch, old, new: now, arches, fixes }) =>
      run(async () => {
        if ((patch !== undefined) === (old !== undefined || now !== undefined)) throw new KconfsatError('usage', 'give the change one way: patch, or old and new');
        if (patch === undefined && (old === undefined || now === undefined)) throw new KconfsatError('usage', 'old and new go together');
        const before = options.load(old ?? tree, undefined);
        const after = patch !== undefined ? patchedTree(before, [{ name: 'patch', text: patch }]) : options.load(now, undefined);
        return review({ old: before, new: after, arches: reviewArches(before, arches ?? [before.arch]), fixes });
      }),
  );

  return server;
}

/** Serves on a transport (stdio for `kconfsat mcp`) until it closes. */
export async function startMcpServer(options: McpServerOptions, transport: Transport): Promise<McpServer> {
  const server = createMcpServer(options);
  await server.connect(transport);
  return server;
}
