/**
 * Where kconfsat itself is installed: the nearest directory above this module
 * (src/io or dist/src/io) holding a package.json. The corpus manifest and the
 * helper scripts (fetch-corpus, conf-reference) live there.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { KconfsatError } from '../errors.js';

let cached: string | undefined;

export function packageRoot(): string {
  if (cached !== undefined) return cached;
  let dir = path.dirname(fileURLToPath(import.meta.url));
  while (!fs.existsSync(path.join(dir, 'package.json'))) {
    if (dir === path.dirname(dir)) throw new KconfsatError('io', 'cannot find the kconfsat package (no package.json above its modules)');
    dir = path.dirname(dir);
  }
  return (cached = dir);
}
