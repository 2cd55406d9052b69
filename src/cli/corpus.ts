/**
 * `kconfsat corpus list` and `kconfsat corpus fetch NAME`: the real Kconfig
 * trees of corpora/manifest.json. Fetching is scripts/fetch-corpus (bash and
 * apt, idempotent, into $XDG_CACHE_HOME/kconfsat); this runs it, passes its
 * progress lines through and prints the tree root it leaves in the cache.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Command } from 'commander';
import { listArchitectures } from '../model/arch.js';
import { openTree } from '../model/load.js';
import { cachedCorpus, fetchCorpus, manifestEntry, readManifest, type Corpus } from '../workflow/reference.js';
import { EXIT, print, printJson, type GlobalOptions } from './context.js';

/** The arches `--arch all` runs on a fetched tree (aliases such as i386 and sparc64 included); the manifest's before that. */
function archesOf(entry: Corpus, dir: string, fetched: boolean): string[] {
  const root = path.join(dir, entry.srctree ?? '.');
  if (!fetched || !fs.existsSync(path.join(root, 'arch'))) return entry.arches;
  return listArchitectures(openTree(root));
}

function runList(g: GlobalOptions): number {
  const rows = readManifest().map((e) => {
    const c = cachedCorpus(e);
    const arches = archesOf(e, c.dir, c.version !== undefined);
    return { name: e.name, kind: e.kind, version: e.version ?? 'any', rootKconfig: e.rootKconfig, arches, cachedVersion: c.version ?? null, dir: c.dir };
  });
  if (g.json) {
    printJson(g, rows);
    return EXIT.yes;
  }
  const cells = [
    ['name', 'kind', 'wanted', 'root', 'arches', 'fetched'],
    ...rows.map((r) => [r.name, r.kind, r.version, r.rootKconfig ?? '-', String(r.arches.length || '-'), r.cachedVersion ? `${r.cachedVersion} in ${r.dir}` : '-']),
  ];
  const widths = cells[0]!.map((_, i) => Math.max(...cells.map((row) => row[i]!.length)));
  print(g, cells.map((row) => row.map((c, i) => c.padEnd(widths[i]!)).join('  ').trimEnd()).join('\n'));
  return EXIT.yes;
}

/** Fetches one corpus: its progress goes to stderr as it comes; its own error line becomes this command's one-line error. */
async function runFetch(name: string, g: GlobalOptions): Promise<number> {
  print(g, await fetchCorpus(manifestEntry(name), (line) => g.output.stderr(`${line}\n`)));
  return EXIT.yes;
}

export function registerCorpusCommands(program: Command, globals: () => GlobalOptions, exit: (code: number) => void): void {
  const corpus = program.command('corpus').description('the real Kconfig trees of corpora/manifest.json (Linux 6.1 and 6.12, BusyBox, U-Boot, Xen, toybox)');
  corpus
    .command('list')
    .description('every corpus: kind, wanted version, root Kconfig, arches, and the fetched version and directory')
    .action(() => exit(runList(globals())));
  corpus
    .command('fetch')
    .description('download (from Debian) and extract one corpus into $XDG_CACHE_HOME/kconfsat, once; prints its Kconfig root')
    .argument('<name>', 'corpus name (see corpus list)')
    .action(async (name: string) => exit(await runFetch(name, globals())));
}
