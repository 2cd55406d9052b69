/**
 * Where Kconfig text comes from: a directory on disk (confined to the tree
 * root, symlinks included) or an in-memory map for tests and generated trees.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { KconfsatError } from '../errors.js';
import { readRegularFile } from '../io/files.js';
import { wellFormed } from '../macro/expander.js';

/** What readConfined() gives for a name that leads out of the tree root. */
export const OUTSIDE_ROOT = Symbol('outside the tree root');

export interface SourceFiles {
  /** Shown in messages; file names are relative to it. */
  readonly root: string;
  /** The text of a file, or undefined when it does not exist. */
  read(name: string): string | undefined;
  /**
   * The text of a file a `source` names: OUTSIDE_ROOT when the name, or a
   * symlink on its way, leads out of the root (the file is then not read),
   * undefined when it does not exist.
   */
  readConfined(name: string): string | undefined | typeof OUTSIDE_ROOT;
  /** Names matching a pattern with `*`, `?` and `[...]`, sorted. */
  glob(pattern: string): string[];
}

/** read() confined like readConfined(): a name leading out of the root reads as missing. */
export function readInside(files: Pick<SourceFiles, 'readConfined'>, name: string): string | undefined {
  const text = files.readConfined(name);
  return text === OUTSIDE_ROOT ? undefined : text;
}

export function hasGlobChars(name: string): boolean {
  return /[*?[]/.test(name);
}

function globSegmentToRegExp(segment: string): RegExp {
  let re = '';
  for (let i = 0; i < segment.length; i++) {
    const c = segment[i]!;
    if (c === '*') re += '[^/]*';
    else if (c === '?') re += '[^/]';
    else if (c === '[') {
      const end = segment.indexOf(']', i + 1);
      if (end < 0) re += '\\[';
      else {
        re += `[${segment.slice(i + 1, end).replace(/^!/, '^').replace(/\\/g, '\\\\')}]`;
        i = end;
      }
    } else re += c.replace(/[.+^${}()|\\]/g, '\\$&');
  }
  return new RegExp(`^${re}$`);
}

/**
 * Largest Kconfig file read: Linux's largest is about 150 KB. Beyond this a
 * file is an input error rather than a heap the process cannot survive.
 */
export const MAX_KCONFIG_FILE_BYTES = 16 << 20;

export class DiskSourceFiles implements SourceFiles {
  readonly root: string;
  private readonly realRoot: string;
  /** resolved()'s answers: directories are asked for once per file beneath them. */
  private readonly realPaths = new Map<string, string>();

  constructor(
    root: string,
    private readonly allowOutsideRoot = false,
  ) {
    this.root = path.resolve(root);
    this.realRoot = fs.realpathSync.native(this.root);
  }

  read(name: string): string | undefined {
    return readInside(this, name);
  }

  /**
   * Symlinks may point anywhere, so the directory is judged by its real path
   * and the file is opened without following a final symlink: the file's own
   * check costs no system call of its own (an lstat per file was 20-40 ms of
   * Linux's load). A symlinked file is judged by where it leads.
   */
  readConfined(name: string): string | undefined | typeof OUTSIDE_ROOT {
    const full = path.resolve(this.root, name);
    if (this.allowOutsideRoot) return readFollowing(full, name);
    if (!isInside(this.root, full)) return OUTSIDE_ROOT;
    if (full === this.root) return undefined; // a directory: nothing to read
    const dir = this.resolved(path.dirname(full));
    if (dir === undefined) return undefined;
    // Missing files are reported as missing, not as escapes (an osource of one is no error).
    if (!isInside(this.realRoot, dir)) return fs.existsSync(full) ? OUTSIDE_ROOT : undefined;
    const text = readText(full, name, fs.constants.O_NOFOLLOW);
    if (text !== FINAL_SYMLINK) return text;
    const real = this.resolved(full);
    if (real === undefined) return undefined; // a dangling link: missing
    return isInside(this.realRoot, real) ? readFollowing(real, name) : OUTSIDE_ROOT;
  }

  /**
   * The real path of `full`, a directory or a symlink lexically inside the
   * root (undefined when it does not exist). Each is resolved once, with one
   * lstat, from its parent's real path; realpath per file would test every
   * component of every path again (a system call per component, for each of
   * Linux's 1,500 files).
   */
  private resolved(full: string): string | undefined {
    if (full === this.root) return this.realRoot;
    const known = this.realPaths.get(full);
    if (known !== undefined) return known;
    const stat = fs.lstatSync(full, { throwIfNoEntry: false });
    if (!stat) return undefined;
    let real: string | undefined;
    if (stat.isSymbolicLink()) {
      try {
        real = fs.realpathSync.native(full);
      } catch {
        return undefined; // a dangling link: missing
      }
    } else {
      const parent = this.resolved(path.dirname(full));
      if (parent === undefined) return undefined;
      real = path.join(parent, path.basename(full));
    }
    this.realPaths.set(full, real);
    return real;
  }

  /**
   * Confined: when the pattern, or a directory it lists, leads out of the
   * root, the answer is the pattern itself, which readConfined then refuses
   * as outside; what lies outside is never listed.
   */
  glob(pattern: string): string[] {
    const absolute = path.isAbsolute(pattern);
    if (!this.allowOutsideRoot && !isInside(this.root, path.resolve(this.root, pattern))) return [pattern];
    let candidates = [absolute ? '/' : ''];
    for (const segment of pattern.split('/').filter((s) => s !== '')) {
      const next: string[] = [];
      for (const dir of candidates) {
        if (!hasGlobChars(segment)) {
          next.push(path.join(dir, segment));
          continue;
        }
        if (!this.allowOutsideRoot) {
          const real = this.resolved(path.resolve(this.root, dir || '.'));
          if (real !== undefined && !isInside(this.realRoot, real)) return [pattern];
        }
        const re = globSegmentToRegExp(segment);
        let entries: string[];
        try {
          entries = fs.readdirSync(path.resolve(this.root, dir || '.'));
        } catch {
          continue;
        }
        for (const e of entries) if (re.test(e)) next.push(path.join(dir, e));
      }
      candidates = next;
    }
    return candidates.filter((c) => fs.existsSync(path.resolve(this.root, c))).sort();
  }
}

const FINAL_SYMLINK = Symbol('a symlink, not followed');

/**
 * A Kconfig file's text; undefined when it is missing or a directory (conf
 * cannot open either). A FIFO, device or socket is an error: reading one
 * could block or never end. `extraFlags` O_NOFOLLOW gives FINAL_SYMLINK for a symlink.
 */
function readText(file: string, shown: string, extraFlags = 0): string | undefined | typeof FINAL_SYMLINK {
  const read = readRegularFile(file, { extraFlags, maxBytes: MAX_KCONFIG_FILE_BYTES });
  if ('text' in read) return read.text;
  switch (read.problem) {
    case 'missing':
      return undefined;
    case 'symlink':
      return FINAL_SYMLINK;
    case 'too large':
      throw new KconfsatError('source', `input too large: ${shown}, ${fs.statSync(file).size} bytes (a Kconfig file may have at most ${MAX_KCONFIG_FILE_BYTES} bytes)`);
    case 'not a regular file':
      if (fs.statSync(file).isDirectory()) return undefined;
      throw new KconfsatError('source', `${shown} is not a regular file (a FIFO, device or socket cannot be read)`);
  }
}

/** readText without O_NOFOLLOW, which never gives FINAL_SYMLINK. */
function readFollowing(file: string, shown: string): string | undefined {
  const text = readText(file, shown);
  return text === FINAL_SYMLINK ? undefined : text;
}

/** Whether `full` is `root` or beneath it; both absolute and normalized (path.resolve, realpath give them so). */
function isInside(root: string, full: string): boolean {
  return full === root || full.startsWith(root.endsWith(path.sep) ? root : root + path.sep);
}

/** `..` or `../x`, but not a name that merely starts with two dots (`..config`). */
function isParentReference(relative: string, separator: string): boolean {
  return relative === '..' || relative.startsWith(`..${separator}`);
}

/** Files held in memory, keyed by name relative to a virtual root. */
export class MemorySourceFiles implements SourceFiles {
  readonly root = '.';
  private readonly files: Map<string, string>;

  constructor(files: Record<string, string>) {
    // As if read from disk: a lone surrogate (which no UTF-8 file holds) could spell a macro marker.
    this.files = new Map(Object.entries(files).map(([k, v]) => [path.posix.normalize(k), wellFormed(v)]));
  }

  read(name: string): string | undefined {
    return this.files.get(path.posix.normalize(name));
  }

  readConfined(name: string): string | undefined | typeof OUTSIDE_ROOT {
    if (isParentReference(path.posix.normalize(name), '/') || name.startsWith('/')) return OUTSIDE_ROOT;
    return this.read(name);
  }

  glob(pattern: string): string[] {
    return matchGlob(pattern, this.files.keys());
  }
}

/** The names among `names` a glob pattern matches, sorted (a `*` never crosses a `/`). */
export function matchGlob(pattern: string, names: Iterable<string>): string[] {
  const segments = pattern.split('/').map(globSegmentToRegExp);
  return [...names]
    .filter((name) => {
      const parts = name.split('/');
      return parts.length === segments.length && parts.every((p, i) => segments[i]!.test(p));
    })
    .sort();
}
