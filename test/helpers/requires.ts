/**
 * Tests that need something outside the repository (a Linux tree, the
 * kernel's conf, a browser): the value when it is there; when it is not, one
 * line on stderr saying which tests skip and how to enable them, so that a
 * skipped test is never silent.
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';

const HOW: Record<string, string> = {
  KCONFSAT_LINUX_61: 'KCONFSAT_LINUX_61=$(scripts/fetch-corpus linux-6.1)',
  KCONFSAT_CONF_61: 'KCONFSAT_CONF_61=$(scripts/build-conf "$KCONFSAT_LINUX_61")',
  KCONFSAT_CONF: 'KCONFSAT_CONF=$(scripts/build-conf "$(scripts/fetch-corpus linux-6.1)")',
  KCONFSAT_LINUX_612: 'KCONFSAT_LINUX_612=$(scripts/fetch-corpus linux-6.12)',
  KCONFSAT_CONF_612: 'KCONFSAT_CONF_612=$(scripts/build-conf "$KCONFSAT_LINUX_612")',
};

/** $NAME, or undefined after saying which tests skip without it (.ci/run sets them all). */
export function requireEnv(name: string, tests: string): string | undefined {
  const value = process.env[name];
  if (!value) skipped(tests, `set ${HOW[name] ?? name} (.ci/run does)`);
  return value || undefined;
}

/** Whether FILE exists, after saying which tests skip without it and how to get it. */
export function requireFile(file: string, tests: string, how: string): boolean {
  if (fs.existsSync(file)) return true;
  skipped(tests, `no ${file}: ${how}`);
  return false;
}

/** Whether `command --version` runs, after saying which tests skip without it. */
export function requireCommand(command: string, tests: string): boolean {
  try {
    execFileSync(command, ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    skipped(tests, `no ${command} on the PATH`);
    return false;
  }
}

function skipped(tests: string, how: string): void {
  process.stderr.write(`skipped: ${tests}: ${how}\n`);
}
