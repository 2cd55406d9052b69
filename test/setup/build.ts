/**
 * The tests run dist/: built here (once, as vitest's global setup, before any test file) when missing
 * or older than a TypeScript source, the rule scripts/lib/launch applies, so no test runs stale code.
 * No vitest import: a global setup runs outside the test context.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const REPO = fileURLToPath(new URL('../../', import.meta.url));
const MAIN = path.join(REPO, 'dist/src/cli/main.js');

export function ensureBuilt(): void {
  if (!isStale()) return;
  const build = spawnSync('npm', ['run', '--silent', 'build'], { cwd: REPO, encoding: 'utf8' });
  if (build.status !== 0) throw new Error(`build failed:\n${build.stdout}${build.stderr}`);
}

function isStale(): boolean {
  if (!fs.existsSync(MAIN)) return true;
  const built = fs.statSync(MAIN).mtimeMs;
  const newer = (file: string): boolean => fs.statSync(file).mtimeMs > built;
  if (newer(path.join(REPO, 'tsconfig.json'))) return true;
  return ['src', 'scripts'].some((dir) =>
    fs.readdirSync(path.join(REPO, dir), { recursive: true, encoding: 'utf8' }).some((f) => f.endsWith('.ts') && newer(path.join(REPO, dir, f))),
  );
}

export default ensureBuilt;
