/**
 * A scratch directory for a test file or describe block: made before its
 * tests (each test, with `perTest`) and removed after them. Call at the top
 * of the file or block; read the path inside tests and later hooks.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach } from 'vitest';

export function scratchDir(prefix: string, options: { perTest?: boolean } = {}): () => string {
  let dir = '';
  (options.perTest ? beforeEach : beforeAll)(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), `kconfsat-${prefix}-`));
  });
  (options.perTest ? afterEach : afterAll)(() => fs.rmSync(dir, { recursive: true, force: true }));
  return () => dir;
}
