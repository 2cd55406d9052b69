/**
 * Where Kconfig text comes from: a directory on disk (confined to the tree
 * root, symlinks included) or an in-memory map for tests and generated trees.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

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
 * open(2) flags that refuse a final symlink (ELOOP). Node takes numeric flags
 * ("File system flags" in its fs docs); its type declarations only list strings.
 */
const NO_FOLLOW = (fs.constants.O_RDONLY | fs.constants.O_NOFOLLOW) as unknown as string;

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
    return readText(path.resolve(this.root, name));
  }

  /**
   * Symlinks may point anywhere, so the directory is judged by its real path
   * and the file is opened without following a final symlink: the file's own
   * check costs no system call of its own (an lstat per file was 20-40 ms of
   * Linux's load). A symlinked file is judged by where it leads.
   */
  readConfined(name: string): string | undefined | typeof OUTSIDE_ROOT {
    const full = path.resolve(this.root, name);
    if (this.allowOutsideRoot) return readText(full);
    if (!isInside(this.root, full)) return OUTSIDE_ROOT;
    if (full === this.root) return undefined; // a directory: nothing to read
    const dir = this.resolved(path.dirname(full));
    if (dir === undefined) return undefined;
    // Missing files are reported as missing, not as escapes (an osource of one is no error).
    if (!isInside(this.realRoot, dir)) return fs.existsSync(full) ? OUTSIDE_ROOT : undefined;
    try {
      return fs.readFileSync(full, { encoding: 'utf8', flag: NO_FOLLOW });
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ELOOP') return undefined;
    }
    const real = this.resolved(full);
    if (real === undefined) return undefined; // a dangling link: missing
    return isInside(this.realRoot, real) ? readText(real) : OUTSIDE_ROOT;
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

  glob(pattern: string): string[] {
    const absolute = path.isAbsolute(pattern);
    let candidates = [absolute ? '/' : ''];
    for (const segment of pattern.split('/').filter((s) => s !== '')) {
      const next: string[] = [];
      for (const dir of candidates) {
        if (!hasGlobChars(segment)) {
          next.push(path.join(dir, segment));
          continue;
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

function readText(file: string): string | undefined {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
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
    this.files = new Map(Object.entries(files).map(([k, v]) => [path.posix.normalize(k), v]));
  }

  read(name: string): string | undefined {
    return this.files.get(path.posix.normalize(name));
  }

  readConfined(name: string): string | undefined | typeof OUTSIDE_ROOT {
    if (isParentReference(path.posix.normalize(name), '/') || name.startsWith('/')) return OUTSIDE_ROOT;
    return this.read(name);
  }

  glob(pattern: string): string[] {
    const segments = pattern.split('/').map(globSegmentToRegExp);
    return [...this.files.keys()]
      .filter((name) => {
        const parts = name.split('/');
        return parts.length === segments.length && parts.every((p, i) => segments[i]!.test(p));
      })
      .sort();
  }
}
