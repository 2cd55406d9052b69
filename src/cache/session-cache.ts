/**
 * The persisted session cache: a loaded tree and its encoding, kept in
 * $XDG_CACHE_HOME/kconfsat/sessions (default ~/.cache/kconfsat/sessions) so
 * that the next process on the same inputs skips parsing, resolving and
 * encoding.
 *
 * An entry's file name is a hash of what selects the answer before any file
 * is read: the kconfsat version and build (packageVersion), the V8 version (the tables are V8's
 * serialization), the tree, Kconfig file, arch, --env, dialect and options.
 * Inside, it lists every read the load made of the tree (file texts, missing
 * files, glob listings) with a digest of what each gave; a hit does each read
 * again and compares, so an edited, added or removed file means a rebuild,
 * never a stale answer. `--run-shell` sessions are not kept: a `$(shell,...)`
 * answer depends on the host (compilers, PATH, files anywhere), which no
 * cheap key covers, and running the commands again to compare would cost
 * more than the load it saves.
 */
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as v8 from 'node:v8';
import { packageRoot } from '../io/package-root.js';
import { OUTSIDE_ROOT, type SourceFiles } from '../parse/files.js';
import { loadKconfig, openTree, type LoadedTree, type LoadOptions } from '../model/load.js';
import type { ParsedTree } from '../parse/ast.js';
import { flatten, unflatten, UnflattenableError, type FlatGraph } from './graph.js';

/** Bumped when the entry layout changes (the version covers the rest). */
const FORMAT = 1;
const MAGIC = Buffer.from('KCSATC01');
const DIGEST_BYTES = 20;
/** Default size bound of the sessions folder: a Linux entry is about 25 MB. */
const DEFAULT_MAX_MB = 1024;
/** A temp file this old is a writer's that died: removed when the folder is trimmed. */
const STALE_TEMP_MS = 60 * 60 * 1000;

export interface CacheSettings {
  dir: string;
  /** Entries, newest use first, are kept up to this total. */
  maxBytes: number;
  /** kconfsat's version: an entry of another version is never read. */
  version: string;
}

/** Where and how big: $XDG_CACHE_HOME, $KCONFSAT_CACHE_MAX_MB; undefined with KCONFSAT_CACHE=off. */
export function cacheSettings(env: NodeJS.ProcessEnv = process.env): CacheSettings | undefined {
  if (env.KCONFSAT_CACHE === 'off') return undefined;
  const base = env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache');
  const mb = Number(env.KCONFSAT_CACHE_MAX_MB ?? DEFAULT_MAX_MB);
  return { dir: path.join(base, 'kconfsat', 'sessions'), maxBytes: (Number.isFinite(mb) && mb >= 0 ? mb : DEFAULT_MAX_MB) * 2 ** 20, version: packageVersion() };
}

let version: string | undefined;
/**
 * The package version and the identity of the code running (each module's
 * name, size and modification time): a build between two releases, which
 * may read or make the model differently, never reads another's entries
 * (declaration files change with the modules and are left out).
 */
function packageVersion(): string {
  if (version !== undefined) return version;
  const code = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
  const hash = crypto.createHash('sha256');
  for (const name of (fs.readdirSync(code, { recursive: true }) as string[]).filter((n) => /\.[jt]s$/.test(n) && !n.endsWith('.d.ts')).sort()) {
    const stat = fs.statSync(path.join(code, name));
    hash.update(`${name}\u0000${stat.size}\u0000${stat.mtimeMs}\u0000`);
  }
  const pkg = JSON.parse(fs.readFileSync(path.join(packageRoot(), 'package.json'), 'utf8')) as { version: string };
  return (version = `${pkg.version}+${hash.digest('hex').slice(0, 16)}`);
}

/** What a cached value is made from and made again from. */
export interface CachedBuild<T, S extends object> {
  /** Loads from these files (which record what is read), or as the options say when nothing is kept, and returns the value and what of it to keep. */
  build(files: SourceFiles | undefined): { value: T; saved: S };
  /** The value again from what build kept, with the tree's files opened afresh, read from the cache in `cacheMs`. */
  restore(saved: S, files: SourceFiles, cacheMs: number): T;
  /** A small graph of the classes build's saved objects belong to: their prototypes are found there, so this module names none. */
  sample(): object;
}

/** What an entry holds besides the graph. */
interface EntryHeader {
  format: number;
  version: string;
  v8: string;
  key: string;
  reads: Read[];
  readsDigest: string;
}

/** A read the load made: r read, c readConfined, g glob. */
type Read = [op: 'r' | 'c' | 'g', name: string];

/**
 * The value for these load options, from the cache when an entry for them
 * holds and every file it read reads the same, else built (and kept).
 */
export function cached<T, S extends object>(options: LoadOptions, settings: CacheSettings | undefined, how: CachedBuild<T, S>): T {
  if (!settings || !keepable(options)) return how.build(undefined).value;
  const { key, file } = entryOf(options, settings);
  const hit = readEntry(file, key, settings, options, how, 'rebuilding it');
  if (hit !== undefined) return hit;
  const files = new RecordingSourceFiles(openTree(options.tree, options.allowOutsideRoot));
  const { value, saved } = how.build(files);
  const reads = files.stop();
  writeEntry(file, settings, { format: FORMAT, version: settings.version, v8: process.versions.v8, key, reads: reads.reads, readsDigest: reads.digest }, saved, how);
  return value;
}

/** The value from an entry for these load options that holds; undefined when there is none (nothing is built or kept). */
export function cachedOnly<T, S extends object>(options: LoadOptions, settings: CacheSettings | undefined, how: Omit<CachedBuild<T, S>, 'build'>): T | undefined {
  if (!settings || !keepable(options)) return undefined;
  const { key, file } = entryOf(options, settings);
  return readEntry(file, key, settings, options, how, 'loading the tree without it');
}

function entryOf(options: LoadOptions, settings: CacheSettings): { key: string; file: string } {
  const key = entryKey(options, settings.version);
  return { key, file: path.join(settings.dir, `${key.slice(0, 40)}.bin`) };
}

/**
 * Whether these load options can have an entry: a tree on disk, no `$(shell,...)` run, no
 * files overridden in memory (a patch under review: its text would have to be in the key).
 */
function keepable(options: LoadOptions): boolean {
  return typeof options.tree === 'string' && !options.runShell && !options.overrides;
}

function entryKey(options: LoadOptions, kconfsatVersion: string): string {
  const env = Object.entries(options.env ?? {}).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const parts = [
    FORMAT,
    kconfsatVersion,
    process.versions.v8,
    path.resolve(options.tree as string),
    options.rootFile ?? 'Kconfig',
    options.arch ?? null,
    env,
    options.allowOutsideRoot ?? false,
    options.recursiveDependencies ?? 'error',
    options.dialect ?? null,
  ];
  return crypto.createHash('sha256').update(JSON.stringify(parts)).digest('hex');
}

/** The entry's value; undefined when there is none, or it is stale (a file reads differently) or corrupt (a note says so, then what the caller does instead). */
function readEntry<T, S extends object>(file: string, key: string, settings: CacheSettings, options: LoadOptions, how: Omit<CachedBuild<T, S>, 'build'>, instead: string): T | undefined {
  const start = performance.now();
  let bytes: Buffer;
  try {
    bytes = fs.readFileSync(file);
  } catch {
    return undefined;
  }
  let header: EntryHeader;
  let graph: FlatGraph;
  try {
    ({ header, graph } = decodeEntry(bytes));
  } catch (e) {
    note(`cache entry ${file} is corrupt (${(e as Error).message}); ${instead}`);
    return undefined;
  }
  // A hash collision of the name, or an entry of another version copied in: not ours.
  if (header.format !== FORMAT || header.version !== settings.version || header.v8 !== process.versions.v8 || header.key !== key) return undefined;
  const files = openTree(options.tree, options.allowOutsideRoot);
  try {
    if (replay(files, header.reads) !== header.readsDigest) return undefined;
  } catch {
    return undefined; // The load itself then says what is wrong with the files.
  }
  let value: T;
  try {
    const saved = unflatten(graph, flatten(how.sample()).prototypes) as S;
    value = how.restore(saved, files, performance.now() - start);
  } catch (e) {
    note(`cache entry ${file} is corrupt (${(e as Error).message}); ${instead}`);
    return undefined;
  }
  touch(file);
  return value;
}

function decodeEntry(bytes: Buffer): { header: EntryHeader; graph: FlatGraph } {
  const start = MAGIC.length + DIGEST_BYTES;
  if (bytes.length < start || !bytes.subarray(0, MAGIC.length).equals(MAGIC)) throw new Error('not a kconfsat cache file');
  const payload = bytes.subarray(start);
  if (!crypto.createHash('sha1').update(payload).digest().equals(bytes.subarray(MAGIC.length, start))) throw new Error('checksum mismatch');
  const entry = v8.deserialize(payload) as { header: EntryHeader; graph: FlatGraph };
  if (typeof entry !== 'object' || entry === null || !entry.header || !entry.graph) throw new Error('no header');
  return entry;
}

function writeEntry<S extends object>(file: string, settings: CacheSettings, header: EntryHeader, saved: S, how: CachedBuild<unknown, S>): void {
  let payload: Buffer;
  try {
    const { graph, prototypes } = flatten(saved);
    // An entry whose classes a reader cannot find (or finds another class of that name) would be rebuilt on every read.
    const known = flatten(how.sample()).prototypes;
    const unknown = graph.classes.filter((name) => known.get(name) !== prototypes.get(name));
    if (unknown.length > 0) throw new UnflattenableError(`objects of ${unknown.join(', ')}, which the sample lacks`);
    payload = v8.serialize({ header, graph });
  } catch (e) {
    if (!(e instanceof UnflattenableError)) throw e;
    note(`session not cached: ${e.message}`);
    return;
  }
  const digest = crypto.createHash('sha1').update(payload).digest();
  // An exclusive temp file renamed into place: readers see the old entry or the whole new one, and
  // of two writers of one key the last rename wins with a complete entry.
  const temp = `${file}.${process.pid}.${crypto.randomBytes(6).toString('hex')}.tmp`;
  try {
    fs.mkdirSync(settings.dir, { recursive: true });
    const fd = fs.openSync(temp, 'wx', 0o644);
    try {
      for (const part of [MAGIC, digest, payload]) fs.writeSync(fd, part);
    } finally {
      fs.closeSync(fd);
    }
    fs.renameSync(temp, file);
    trim(settings, file);
  } catch (e) {
    removeQuietly(temp);
    note(`cache skipped: cannot write ${settings.dir} (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
}

/** Removes a file if it is there and can be removed: a cache that cannot be cleaned is no error. */
function removeQuietly(file: string): void {
  try {
    fs.rmSync(file, { force: true });
  } catch {
    // Left for the next trim.
  }
}

/** Removes the least recently used entries past the size bound (never `keep`), and dead writers' temp files. */
function trim(settings: CacheSettings, keep: string): void {
  const now = Date.now();
  const entries: { file: string; size: number; used: number }[] = [];
  for (const name of fs.readdirSync(settings.dir)) {
    const file = path.join(settings.dir, name);
    const stat = fs.statSync(file, { throwIfNoEntry: false });
    if (!stat) continue;
    if (name.endsWith('.tmp')) {
      if (now - stat.mtimeMs > STALE_TEMP_MS) removeQuietly(file);
    } else if (name.endsWith('.bin')) entries.push({ file, size: stat.size, used: stat.mtimeMs });
  }
  let total = entries.reduce((sum, e) => sum + e.size, 0);
  for (const e of entries.sort((a, b) => a.used - b.used)) {
    if (total <= settings.maxBytes) break;
    if (e.file === keep) continue;
    removeQuietly(e.file);
    total -= e.size;
  }
}

/** Marks an entry used now, for the size bound's eviction order (a read-only cache stays as it is). */
function touch(file: string): void {
  const now = new Date();
  try {
    fs.utimesSync(file, now, now);
  } catch {
    // Read-only: the order does not matter there, nothing is written.
  }
}

function note(text: string): void {
  process.stderr.write(`kconfsat: ${text}\n`);
}

/** Each read's result, fed to one digest: what a load saw of the tree. */
function digestRead(hash: crypto.Hash, op: Read[0], name: string, result: string | string[] | undefined | typeof OUTSIDE_ROOT): void {
  const text = result === undefined ? '\u0000missing' : result === OUTSIDE_ROOT ? '\u0000outside' : Array.isArray(result) ? result.join('\u0000') : result;
  hash.update(`${op}\u0000${name}\u0000${text.length}\u0000`).update(text);
}

function replay(files: SourceFiles, reads: readonly Read[]): string {
  const hash = crypto.createHash('sha256');
  for (const [op, name] of reads) digestRead(hash, op, name, op === 'r' ? files.read(name) : op === 'c' ? files.readConfined(name) : files.glob(name));
  return hash.digest('hex');
}

/** SourceFiles that remember each read for the entry, until stop(). */
class RecordingSourceFiles implements SourceFiles {
  private reads: Read[] | undefined = [];
  private readonly hash = crypto.createHash('sha256');

  constructor(private readonly inner: SourceFiles) {}

  get root(): string {
    return this.inner.root;
  }

  read(name: string): string | undefined {
    return this.record('r', name, this.inner.read(name));
  }

  readConfined(name: string): string | undefined | typeof OUTSIDE_ROOT {
    return this.record('c', name, this.inner.readConfined(name));
  }

  glob(pattern: string): string[] {
    return this.record('g', pattern, this.inner.glob(pattern));
  }

  stop(): { reads: Read[]; digest: string } {
    const reads = this.reads ?? [];
    this.reads = undefined;
    return { reads, digest: this.hash.digest('hex') };
  }

  private record<R extends string | string[] | undefined | typeof OUTSIDE_ROOT>(op: Read[0], name: string, result: R): R {
    if (this.reads) {
      this.reads.push([op, name]);
      digestRead(this.hash, op, name, result);
    }
    return result;
  }
}

/**
 * A loaded tree as a cache entry keeps it: without its files, which are
 * opened again, and without its parse tree, a third of the objects, which
 * only the language server reads (restoredTree parses again when asked).
 */
export type SavedTree = Omit<LoadedTree, 'files' | 'parsed' | 'timings'>;

export function savedTree(loaded: LoadedTree): SavedTree {
  const { model, arch, diagnostics, cycles } = loaded;
  return arch === undefined ? { model, diagnostics, cycles } : { model, arch, diagnostics, cycles };
}

/** The loaded tree of a saved one, read from the cache in `cacheMs`. */
export function restoredTree(saved: SavedTree, files: SourceFiles, options: LoadOptions, cacheMs: number): LoadedTree {
  let parsed: ParsedTree | undefined;
  const loaded = { ...saved, files, timings: { parseMs: 0, buildMs: 0, cacheMs } };
  return Object.defineProperty(loaded, 'parsed', { enumerable: true, get: () => (parsed ??= loadKconfig({ ...options, tree: files }).parsed) }) as LoadedTree;
}
