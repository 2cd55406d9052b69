/**
 * Output files: written atomically (temporary file, then rename) so an
 * interrupted run never leaves half a .config or patch behind, and never onto
 * an existing file unless the caller forces it.
 */
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
  if (!force) {
    const existing = files.find((f) => fs.existsSync(f.file));
    if (existing) throw exists(existing.file);
  }
  for (const f of files) writeOne(f, force);
}

function writeOne({ file, content }: OutputFile, force: boolean): void {
  const temp = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.tmp`);
  try {
    fs.writeFileSync(temp, content);
    if (force) fs.renameSync(temp, file);
    else publishNew(temp, file);
  } catch (e) {
    if (e instanceof KconfsatError) throw e;
    throw new KconfsatError('io', `cannot write ${file}: ${(e as Error).message}`);
  } finally {
    fs.rmSync(temp, { force: true });
  }
}

/** A hard link fails if `file` appeared since the check (rename would silently replace it). */
function publishNew(temp: string, file: string): void {
  try {
    fs.linkSync(temp, file);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') throw exists(file);
    // File systems without hard links (FAT, some network mounts): the existence check has to do.
    if (code === 'EPERM' || code === 'ENOTSUP' || code === 'EOPNOTSUPP') fs.renameSync(temp, file);
    else throw e;
  }
}

function exists(file: string): KconfsatError {
  return new KconfsatError('io', `${file} exists (use --force to overwrite)`);
}
