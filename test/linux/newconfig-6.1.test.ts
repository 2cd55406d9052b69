/**
 * listnewconfig on Linux 6.1 x86_64 against the tree's own conf
 * --listnewconfig, with the host toolchain (--run-shell) and conf's
 * environment: no .config, allnoconfig, and allnoconfig with lines taken out
 * (what a kernel upgrade does to an old .config). Gated on KCONFSAT_LINUX_61
 * and KCONFSAT_CONF_61. Without a .config conf would start from the first file
 * of KCONFIG_DEFCONFIG_LIST, which kconfsat does not read: the list is empty here.
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { formatNewConfig, listNewConfig } from '../../src/analysis/newconfig.js';
import { Session } from '../../src/analysis/session.js';
import { parseDotConfig } from '../../src/io/dotconfig.js';
import { scratchDir } from '../helpers/scratch.js';
import { requireEnv } from '../helpers/requires.js';

const tree = requireEnv('KCONFSAT_LINUX_61', 'listnewconfig on Linux 6.1');
const conf = requireEnv('KCONFSAT_CONF_61', 'listnewconfig on Linux 6.1 against conf');
const tmp = scratchDir('newconfig-6.1');
const ARCH = 'x86_64';

describe.skipIf(!tree || !conf)('Linux 6.1 listnewconfig against conf', () => {
  let env: Record<string, string> = {};
  let session: Session;
  /** conf in the tree with its Makefile's environment, KCONFIG_CONFIG=file. */
  const runConf = (args: string[], file: string): string =>
    execFileSync(conf!, [...args, 'Kconfig'], {
      cwd: tree!,
      encoding: 'utf8',
      maxBuffer: 1 << 26,
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', LC_ALL: 'C', ...env, KCONFIG_DEFCONFIG_LIST: '', KCONFIG_CONFIG: file, KCONFIG_AUTOCONFIG: path.join(tmp(), 'auto.conf'), KCONFIG_AUTOHEADER: path.join(tmp(), 'autoconf.h'), KCONFIG_RUSTCCFG: path.join(tmp(), 'rustc_cfg') },
    });
  let allno = '';

  beforeAll(() => {
    const dir = tmp();
    execFileSync('bash', [path.resolve(__dirname, '../../scripts/conf-reference'), tree!, ARCH, dir, '--env-only', '--conf', conf!], { stdio: 'ignore' });
    env = Object.fromEntries(
      fs.readFileSync(path.join(dir, 'env.txt'), 'utf8').trim().split('\n').map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]),
    );
    allno = path.join(dir, 'allno.config');
    runConf(['-s', '--allnoconfig'], allno);
    session = Session.open({ tree: tree!, arch: ARCH, env, runShell: true });
  }, 600_000);

  const variants: [string, (lines: string[]) => string[] | undefined, boolean][] = [
    ['no .config', () => undefined, true],
    ['allnoconfig', (l) => l, false],
    ['allnoconfig without every 5th line', (l) => l.filter((_, i) => i % 5 !== 0), true],
    ['allnoconfig without its first half', (l) => l.slice(Math.floor(l.length / 2)), true],
  ];
  const breathe = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));
  for (const [name, edit, someNew] of variants) {
    it(`${name}: the lines conf prints`, async () => {
      await breathe();
      const lines = edit(fs.readFileSync(allno, 'utf8').split('\n').filter((l) => l !== ''));
      const file = path.join(tmp(), 'config');
      fs.rmSync(file, { force: true });
      if (lines) fs.writeFileSync(file, lines.join('\n') + '\n');
      const expected = runConf(['--listnewconfig'], file);
      await breathe();
      const ours = formatNewConfig(listNewConfig(session, lines ? parseDotConfig(fs.readFileSync(file, 'utf8'), file) : undefined));
      expect(ours).toBe(expected);
      expect(ours !== '').toBe(someNew);
    }, 600_000);
  }
});
