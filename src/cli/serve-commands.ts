/**
 * The two servers for tools that stay open: `lsp` (editors) and `mcp` (AI
 * agents), both on stdin/stdout, configured by the global options. The
 * protocol libraries are imported only when a server starts, so that every
 * other command starts as fast as before.
 */
import type { Command } from 'commander';
import { architectures, loadOptions, type GlobalOptions } from './context.js';

export function registerServeCommands(program: Command, globals: () => GlobalOptions, version: string): void {
  program
    .command('lsp')
    .description("Language Server Protocol on stdio for Kconfig files (tree: the client's root folder; arches: --arch LIST, 'all', or the client's initializationOptions.arches)")
    .action(async () => {
      const g = globals();
      const { startLspServer } = await import('../lsp/server.js');
      startLspServer({
        defaultTree: g.tree,
        input: process.stdin,
        output: process.stdout,
        workspace: (tree) => {
          const options = { ...g, tree };
          return { load: loadOptions(options), arches: g.arch?.includes(',') ? g.arch.split(',').filter((a) => a !== '') : architectures(options) };
        },
      });
    });

  program
    .command('mcp')
    .description('Model Context Protocol server on stdio: query, why-not, values, check, resolve, audit and fix as tools')
    .action(async () => {
      const g = globals();
      const [{ startMcpServer }, { StdioServerTransport }] = await Promise.all([import('../mcp/server.js'), import('@modelcontextprotocol/sdk/server/stdio.js')]);
      await startMcpServer({ version, load: (tree, arch) => loadOptions({ ...g, tree: tree ?? g.tree }, arch ?? undefined) }, new StdioServerTransport());
    });
}
