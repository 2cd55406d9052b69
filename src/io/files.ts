/**
 * Output files: written atomically (temporary file, then rename) so an
 * interrupted run never leaves half a .config or patch behind.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { KconfsatError } from '../errors.js';

export function writeFileAtomic(file: string, content: string, options: { force?: boolean } = { force: true }): void {
  if (!options.force && fs.existsSync(file)) {
    throw new KconfsatError('io', `${file} exists (use --force to overwrite)`);
  }
  const temp = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.tmp`);
  try {
    fs.writeFileSync(temp, content);
    fs.renameSync(temp, file);
  } catch (e) {
    fs.rmSync(temp, { force: true });
    throw new KconfsatError('io', `cannot write ${file}: ${(e as Error).message}`);
  }
}
