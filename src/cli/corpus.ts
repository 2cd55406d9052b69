/**
 * `kconfsat corpus list` and `kconfsat corpus fetch NAME`: the real Kconfig
 * trees of corpora/manifest.json. Fetching is scripts/fetch-corpus (bash and
 * apt, idempotent, into $XDG_CACHE_HOME/kconfsat); this runs it, passes its
 * progress lines through and prints the tree root it leaves in the cache.
 */
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Command } from 'commander';
import { KconfsatError } from '../errors.js';
import { packageRoot } from '../io/package-root.js';
import { listArchitectures } from '../model/arch.js';
import { openTree } from '../model/load.js';
import { EXIT } from './context.js';
import { writeStderr, writeStdout } from './output.js';

/** The manifest fields `corpus list` shows (scripts/corpora.ts has the whole entry). */
interface ManifestEntry {
  name: string;
  kind: string;
  version?: string;
  srctree?: string;
  rootKconfig: string | null;
  arches: string[];
  path?: string;
}

function readManifest(): ManifestEntry[] {
  const file = process.env.KCONFSAT_MANIFEST ?? path.join(packageRoot(), 'corpora/manifest.json');
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8')) as ManifestEntry[];
  } catch (e) {
    throw new KconfsatError('io', `${file}: ${(e as Error).message}`);
  }
}

/** Where scripts/fetch-corpus puts NAME, and the version its completion marker records. */
function cached(entry: ManifestEntry): { dir: string; version?: string } {
  if (entry.kind === 'bundled') return { dir: path.join(packageRoot(), entry.path ?? ''), version: 'bundled' };
  const dir = path.join(process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache'), 'kconfsat', entry.name);
  const marker = path.join(dir, '.kconfsat-complete');
  return fs.existsSync(marker) ? { dir, version: fs.readFileSync(marker, 'utf8').split('\n')[0]! } : { dir };
}

/** The arches `--arch all` runs on a fetched tree (aliases such as i386 and sparc64 included); the manifest's before that. */
function archesOf(entry: ManifestEntry, dir: string, fetched: boolean): string[] {
  const root = path.join(dir, entry.srctree ?? '.');
  if (!fetched || !fs.existsSync(path.join(root, 'arch'))) return entry.arches;
  return listArchitectures(openTree(root));
}

function runList(json: boolean): number {
  const rows = readManifest().map((e) => {
    const c = cached(e);
    const arches = archesOf(e, c.dir, c.version !== undefined);
    return { name: e.name, kind: e.kind, version: e.version ?? 'any', rootKconfig: e.rootKconfig, arches, cachedVersion: c.version ?? null, dir: c.dir };
  });
  if (json) {
    writeStdout(`${JSON.stringify(rows, null, 2)}\n`);
    return EXIT.yes;
  }
  const cells = [
    ['name', 'kind', 'wanted', 'root', 'arches', 'fetched'],
    ...rows.map((r) => [r.name, r.kind, r.version, r.rootKconfig ?? '-', String(r.arches.length || '-'), r.cachedVersion ? `${r.cachedVersion} in ${r.dir}` : '-']),
  ];
  const widths = cells[0]!.map((_, i) => Math.max(...cells.map((row) => row[i]!.length)));
  writeStdout(cells.map((row) => row.map((c, i) => c.padEnd(widths[i]!)).join('  ').trimEnd()).join('\n') + '\n');
  return EXIT.yes;
}

/**
 * Runs scripts/fetch-corpus NAME: its progress goes to stderr as it comes; its
 * own error line becomes this command's one-line error.
 */
function runFetch(name: string): Promise<number> {
  const entry = readManifest().find((e) => e.name === name);
  if (!entry) {
    throw new KconfsatError('usage', `no corpus named '${name}' (known: ${readManifest().map((e) => e.name).join(', ')})`);
  }
  const child = spawn('bash', [path.join(packageRoot(), 'scripts/fetch-corpus'), name], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let pending = '';
  let failure: string | undefined;
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => {
    const lines = (pending + chunk.toString()).split('\n');
    pending = lines.pop()!;
    for (const line of lines) {
      const error = /^fetch-corpus: error: (.*)$/.exec(line);
      if (error) failure = error[1];
      else writeStderr(`${line}\n`);
    }
  });
  return new Promise((resolve, reject) => {
    child.on('error', (e) => reject(new KconfsatError('io', `cannot run scripts/fetch-corpus: ${e.message}`)));
    child.on('close', (code) => {
      if (pending) writeStderr(`${pending}\n`);
      if (code !== 0) return reject(new KconfsatError('io', `${name}: ${failure ?? `fetch-corpus exited with status ${code}`}`));
      // The tree root is the script's last line; the Kconfig root may sit below it (Xen: xen/).
      const dir = stdout.trim().split('\n').pop()!;
      writeStdout(`${path.resolve(dir, entry.srctree ?? '.')}\n`);
      resolve(EXIT.yes);
    });
  });
}

export function registerCorpusCommands(program: Command, json: () => boolean, exit: (code: number) => void): void {
  const corpus = program.command('corpus').description('the real Kconfig trees of corpora/manifest.json (Linux 6.1 and 6.12, BusyBox, U-Boot, Xen, toybox)');
  corpus
    .command('list')
    .description('every corpus: kind, wanted version, root Kconfig, arches, and the fetched version and directory')
    .action(() => exit(runList(json())));
  corpus
    .command('fetch')
    .description('download (from Debian) and extract one corpus into $XDG_CACHE_HOME/kconfsat, once; prints its Kconfig root')
    .argument('<name>', 'corpus name (see corpus list)')
    .action(async (name: string) => exit(await runFetch(name)));
}
