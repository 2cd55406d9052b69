/**
 * Running the kernel's own conf (through scripts/conf-reference) for tests
 * that compare kconfsat with it on a real tree.
 */
import { execFile, execFileSync, spawnSync } from 'node:child_process';
import { promisify } from 'node:util';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const script = path.resolve(__dirname, '../../scripts/conf-reference');

export interface ConfReference {
  dir: string;
  /** The environment conf ran with (what the kernel Makefile exports). */
  env: Record<string, string>;
  config(name: 'allno' | 'allyes' | 'allmod' | 'def'): string;
}

/** allno/allyes/allmod/defconfig for one arch, made by conf in a temp dir (asynchronously: it takes a while). */
export async function confReference(tree: string, arch: string, conf: string): Promise<ConfReference> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `kconfsat-conf-${arch}-`));
  await promisify(execFile)('bash', [script, tree, arch, dir, '--conf', conf]);
  const env = Object.fromEntries(
    fs
      .readFileSync(path.join(dir, 'env.txt'), 'utf8')
      .trim()
      .split('\n')
      .map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]),
  );
  return { dir, env, config: (name) => path.join(dir, `${name}.config`) };
}

/** `count` randconfigs made by conf (seeds seed..seed+count-1), as file paths. */
export async function confRandconfigs(tree: string, arch: string, conf: string, count: number, seed: number): Promise<string[]> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `kconfsat-rand-${arch}-`));
  await promisify(execFile)('bash', [script, tree, arch, dir, '--randconfig', String(count), '--seed', String(seed), '--conf', conf]);
  return Array.from({ length: count }, (_, k) => path.join(dir, `rand-${k + 1}.config`));
}

/** The values conf's olddefconfig changes in a .config (empty when it accepts it unchanged). */
export function olddefconfigChanges(tree: string, arch: string, conf: string, file: string): string[] {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `kconfsat-olddef-${arch}-`));
  const out = execFileSync('bash', [script, tree, arch, dir, '--olddefconfig', file, '--conf', conf], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return out.split('\n').filter((l) => l.trim() !== '');
}

/** What conf writes after olddefconfig; undefined when conf crashes (6.12's dies of SIGSEGV on some menus with `visible if`). */
export function runConf(conf: string, kconfig: string, user: [string, string][], types: (name: string) => string | undefined): Map<string, string> | undefined {
  const lines = user.map(([n, v]) => `CONFIG_${n}=${types(n) === 'string' ? JSON.stringify(v) : v}`);
  const out = olddefconfigText(conf, kconfig, lines.join('\n') + '\n');
  return out && readConfigLines(out.config);
}

/** conf --olddefconfig on a .config's text in a scratch directory: what it writes and its stderr (the warnings); undefined when conf crashes. */
export function olddefconfigText(conf: string, kconfig: string, text: string): { config: string; stderr: string } | undefined {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kconfsat-conf-'));
  try {
    fs.writeFileSync(path.join(dir, 'Kconfig'), kconfig);
    fs.writeFileSync(path.join(dir, '.config'), text);
    const r = spawnSync(conf, ['-s', '--olddefconfig', 'Kconfig'], { cwd: dir, env: { ...process.env, KCONFIG_CONFIG: '.config' }, encoding: 'utf8' });
    if (r.signal === 'SIGSEGV') return undefined;
    if (r.status !== 0) throw new Error(`conf --olddefconfig failed (${r.status ?? r.signal}): ${r.stderr}`);
    return { config: fs.readFileSync(path.join(dir, '.config'), 'utf8'), stderr: r.stderr };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** The values of a .config conf wrote, in file order: `# CONFIG_X is not set` as n, strings unquoted. */
export function readConfigLines(text: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const line of text.split('\n')) {
    let g: RegExpExecArray | null;
    if ((g = /^# CONFIG_(\w+) is not set$/.exec(line))) out.set(g[1]!, 'n');
    else if ((g = /^CONFIG_(\w+)=(.*)$/.exec(line))) out.set(g[1]!, g[2]!.startsWith('"') ? (JSON.parse(g[2]!) as string) : g[2]!);
  }
  return out;
}

/**
 * conf run as the kernel's own tests run it: `conf ARGS Kconfig` in a temp
 * dir, `user` as .config (undefined: no .config), `stdin` on stdin (then end
 * of file). stdout without the closing "configuration written" / "No change"
 * note; timedOut when conf asks forever.
 */
export function runConfInteractive(
  conf: string,
  kconfig: string,
  args: string[],
  user: [string, string][] | undefined,
  types: (name: string) => string | undefined,
  stdin = '',
): { stdout: string; status: number | null; timedOut: boolean; crashed: boolean } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kconfsat-conf-'));
  try {
    fs.writeFileSync(path.join(dir, 'Kconfig'), kconfig);
    if (user) fs.writeFileSync(path.join(dir, '.config'), user.map(([n, v]) => `CONFIG_${n}=${types(n) === 'string' ? JSON.stringify(v) : v}\n`).join(''));
    const r = spawnSync(conf, [...args, 'Kconfig'], {
      cwd: dir,
      input: stdin,
      encoding: 'utf8',
      timeout: 20_000,
      maxBuffer: 1 << 20,
      env: { ...process.env, KCONFIG_CONFIG: '.config', KCONFIG_DEFCONFIG_LIST: '' },
    });
    // Killed at the timeout, or its endless output overflowed the buffer. Not EPIPE: conf ended
    // before reading all the keys (on a loaded machine it may end before the first is written).
    const timedOut = (r.error !== undefined && (r.error as NodeJS.ErrnoException).code !== 'EPIPE') || r.signal === 'SIGTERM';
    // expr.c's parse-time notes go to stdout too; they are no part of the dialogue
    const stdout = (r.stdout ?? '').replace(/^boolean symbol \S+ tested for 'm'\? test forced to '[yn]'\n/gm, '').replace(/#\n# (configuration written to \.config|No change to \.config)\n#\n$/, '');
    return { stdout, status: r.status, timedOut, crashed: r.signal === 'SIGSEGV' || r.signal === 'SIGABRT' };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
