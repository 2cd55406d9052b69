/**
 * The built command line, run as a user runs it: for the CLI tests and for
 * the robustness tests of what it promises (exit codes, files, timeouts).
 */
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';

export const REPO = fileURLToPath(new URL('../../', import.meta.url));
export const MAIN = path.join(REPO, 'dist/src/cli/main.js');

export { ensureBuilt } from '../setup/build.js';

export function run(...args: string[]): SpawnSyncReturns<string> {
  // The CLI takes --tree and --arch defaults from srctree and ARCH: keep the caller's out.
  const env = { ...process.env };
  delete env.srctree;
  delete env.ARCH;
  delete env.SRCARCH;
  delete env.KCONFIG_CONFIG;
  return spawnSync(process.execPath, [MAIN, ...args], { cwd: REPO, encoding: 'utf8', env, timeout: 60_000, maxBuffer: 256 << 20 });
}

/** A one-line error: exit 2, exactly `line` on stderr, no stack trace, nothing on stdout. */
export function expectOneLineError(r: SpawnSyncReturns<string>, line: string): void {
  expect(r.stderr).not.toContain('    at ');
  expect(r.stderr).toBe(`${line}\n`);
  expect(r.stdout).toBe('');
  expect(r.status).toBe(2);
}
