/**
 * Output files: written atomically (a temporary file, then a link or rename)
 * so an interrupted run never leaves half a .config or patch behind, and never
 * onto an existing file unless the caller forces it. The temporary file gets a
 * random name and is created exclusively without following symlinks, so a
 * name planted in the target's directory cannot redirect the write; --force
 * replaces regular files only (never a device, directory or symlink).
 *
 * Input files: read only when they are regular files (a FIFO or a device
 * would block or never end), and opened so that opening cannot block.
 */
import { createHash, randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { KconfsatError } from '../errors.js';

export interface OutputFile {
  file: string;
  content: string;
}

export interface WriteOptions {
  /** Replace files that exist. Default false: refuse, before anything is written. */
  force?: boolean;
}

export function writeFileAtomic(file: string, content: string, options: WriteOptions = {}): void {
  writeFilesAtomic([{ file, content }], options);
}

/** Several files, all or none refused: an existing one stops the batch before the first write. */
export function writeFilesAtomic(files: OutputFile[], options: WriteOptions = {}): void {
  const force = options.force ?? false;
  checkTargets(files, force);
  files.forEach((f, i) => writeOutputFile(f, force, { written: i, total: files.length }));
}

/**
 * Refuses the batch before anything is written: an empty name, a file that
 * exists (without `force`), or, with `force`, one that is not a regular file.
 */
export function checkTargets(files: OutputFile[], force: boolean): void {
  for (const { file } of files) {
    if (file === '') throw new KconfsatError('usage', 'an output file name is empty');
    const stat = lstat(file);
    if (!stat) continue;
    if (!force) throw new KconfsatError('io', `${file} exists (use --force to overwrite)`);
    if (!stat.isFile()) throw new KconfsatError('io', `${file} is not a regular file (--force replaces only regular files)`);
  }
}

/** O_CREAT|O_EXCL refuses any existing name, a symlink included; O_NOFOLLOW says so twice. */
const CREATE_NEW = fs.constants.O_WRONLY | fs.constants.O_CREAT | fs.constants.O_EXCL | fs.constants.O_NOFOLLOW;

/**
 * Writes one file of a checked batch. `progress` (files of the batch written
 * before this one) goes into the error message, so a failure midway says what
 * is already on disk.
 */
export function writeOutputFile({ file, content }: OutputFile, force: boolean, progress: { written: number; total: number }): void {
  const temp = path.join(path.dirname(file), `.kconfsat-${randomBytes(8).toString('hex')}.tmp`);
  let created = false;
  try {
    const fd = fs.openSync(temp, CREATE_NEW, 0o666);
    created = true;
    try {
      fs.writeFileSync(fd, content);
    } finally {
      fs.closeSync(fd);
    }
    if (force) replaceRegular(temp, file);
    else publishNew(temp, file);
  } catch (e) {
    if (e instanceof KconfsatError) throw e;
    const before = progress.total > 1 ? ` (${progress.written} of ${progress.total} files written before it)` : '';
    throw new KconfsatError('io', `cannot write ${file}: ${describeError(e)}${before}`);
  } finally {
    if (created) fs.rmSync(temp, { force: true });
  }
}

/** --force: a rename replaces what is there, so what is there is checked again just before. */
function replaceRegular(temp: string, file: string): void {
  const stat = lstat(file);
  if (stat && !stat.isFile()) throw new KconfsatError('io', `${file} is not a regular file (--force replaces only regular files)`);
  fs.renameSync(temp, file);
}

/** A hard link fails if `file` appeared since the check (rename would silently replace it). */
function publishNew(temp: string, file: string): void {
  try {
    fs.linkSync(temp, file);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') throw new KconfsatError('io', `${file} exists (use --force to overwrite)`);
    // File systems without hard links (FAT, some network mounts): the existence check has to do.
    if (code === 'EPERM' || code === 'ENOTSUP' || code === 'EOPNOTSUPP') fs.renameSync(temp, file);
    else throw e;
  }
}

/** lstat, or undefined when nothing is there; a parent that is not a directory is a user error. */
function lstat(file: string): fs.Stats | undefined {
  try {
    return fs.lstatSync(file, { throwIfNoEntry: false });
  } catch (e) {
    throw new KconfsatError('io', `cannot write ${file}: ${describeError(e)}`);
  }
}

/** An output directory: made when missing; anything else there is a one-line error. */
export function makeOutputDirectory(dir: string): void {
  if (dir === '') throw new KconfsatError('usage', 'an output directory name is empty');
  try {
    fs.mkdirSync(dir, { recursive: true });
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const why = code === 'EEXIST' ? 'it exists and is not a directory' : describeError(e);
    throw new KconfsatError('io', `cannot make directory ${dir}: ${why}`);
  }
}

const ERRNO_TEXT: Record<string, string> = {
  ENOTDIR: 'a part of the path is not a directory',
  ENAMETOOLONG: 'file name too long',
  EISDIR: 'is a directory',
  ENOENT: 'no such file or directory',
  EACCES: 'permission denied',
  EROFS: 'read-only file system',
  ENOSPC: 'no space left on device',
  ELOOP: 'too many symlinks',
};

function describeError(e: unknown): string {
  const code = (e as NodeJS.ErrnoException).code;
  return (code && ERRNO_TEXT[code]) ?? (e instanceof Error ? e.message : String(e));
}

/**
 * O_NONBLOCK: opening a FIFO would otherwise wait for a writer. It changes
 * nothing for a regular file, the only kind read.
 */
const READ_NONBLOCKING = fs.constants.O_RDONLY | fs.constants.O_NONBLOCK;

/** What readRegularFile found instead of a regular file. */
export type NotRegular = 'missing' | 'symlink' | 'not a regular file' | 'too large';

/**
 * The text of a regular file (UTF-8), or why there is none. `extraFlags`
 * adds open(2) flags such as O_NOFOLLOW. `maxBytes` refuses bigger files
 * before reading them.
 */
export function readRegularFile(file: string, options: { extraFlags?: number; maxBytes?: number } = {}): { text: string } | { problem: NotRegular } {
  let fd: number;
  try {
    fd = fs.openSync(file, READ_NONBLOCKING | (options.extraFlags ?? 0));
  } catch (e) {
    // ELOOP: the final component is a symlink and the caller asked for O_NOFOLLOW.
    return { problem: (e as NodeJS.ErrnoException).code === 'ELOOP' ? 'symlink' : 'missing' };
  }
  try {
    const stat = fs.fstatSync(fd);
    if (!stat.isFile()) return { problem: 'not a regular file' };
    if (options.maxBytes !== undefined && stat.size > options.maxBytes) return { problem: 'too large' };
    return { text: fs.readFileSync(fd, 'utf8') };
  } finally {
    fs.closeSync(fd);
  }
}

/** Longest piece of a generated file name taken from one part (a symbol name can be any length). */
const MAX_PART = 64;

/**
 * File names made of parts a tree chooses (symbol names, file names), for
 * one output directory. A Kconfig symbol name may hold `/` and `.`, so each
 * part keeps only letters, digits, `_`, `.` and `-` (anything else becomes
 * `_`) and at most MAX_PART characters, and no name starts with a dot. A name
 * that had to change, or that two items would share, gets a hash of the
 * item's `identity`: names are distinct, and the same from run to run.
 */
export function safeFileNames(items: { parts: string[]; identity: string }[], extension: string): string[] {
  const bases = items.map(({ parts }) => {
    const cleaned = parts.map((p) => p.replace(/[^A-Za-z0-9_.-]/g, '_').slice(0, MAX_PART));
    const base = cleaned.join('-').replace(/^\.|^$/, '_');
    return { base, altered: base !== parts.join('-') };
  });
  const count = new Map<string, number>();
  for (const { base } of bases) count.set(base, (count.get(base) ?? 0) + 1);
  const used = new Set<string>();
  return bases.map(({ base, altered }, i) => {
    let name = altered || count.get(base)! > 1 ? `${base}-${createHash('sha256').update(items[i]!.identity).digest('hex').slice(0, 10)}` : base;
    // Equal identities (a caller's duplicate) still get distinct names, in order.
    for (let k = 2; used.has(name); k++) name = `${name.replace(/~\d+$/, '')}~${k}`;
    used.add(name);
    return `${name}${extension}`;
  });
}
