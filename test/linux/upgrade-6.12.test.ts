/**
 * kconfsat upgrade of Debian's real amd64 config of Linux 6.1 to Linux 6.12:
 * the lines upgrade predicts conf's olddefconfig on 6.12 changes, adds or
 * drops are exactly those conf 6.12 changes (both ways), each with a reason.
 * $(shell,...) runs on this host with conf's environment, as conf runs it.
 * Needs KCONFSAT_LINUX_61, KCONFSAT_LINUX_612, KCONFSAT_CONF_612 and Debian's
 * linux-config-6.1 package.
 */
import { execFile, execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { upgrade } from '../../src/analysis/upgrade.js';
import { lineChanges, parseDotConfig } from '../../src/io/dotconfig.js';
import { requireEnv, requireFile } from '../helpers/requires.js';
import { scratchDir } from '../helpers/scratch.js';

const old = requireEnv('KCONFSAT_LINUX_61', 'Linux 6.1 -> 6.12 upgrade test');
const tree = requireEnv('KCONFSAT_LINUX_612', 'Linux 6.1 -> 6.12 upgrade test');
const conf = requireEnv('KCONFSAT_CONF_612', 'Linux 6.1 -> 6.12 upgrade test against conf');
const DEBIAN = '/usr/src/linux-config-6.1/config.amd64_none_amd64.xz';
const available = requireFile(DEBIAN, 'Linux 6.1 -> 6.12 upgrade test', 'apt-get install linux-config-6.1');
const script = path.resolve(__dirname, '../../scripts/conf-reference');

describe.skipIf(!old || !tree || !conf || !available)("upgrade of Debian's 6.1 amd64 config to Linux 6.12", () => {
  const dir = scratchDir('upgrade-6.12');

  it("predicts exactly the lines conf 6.12's olddefconfig changes, each with a reason", async () => {
    await promisify(execFile)('bash', [script, tree!, 'x86_64', dir(), '--olddefconfig', DEBIAN, '--conf', conf!], { maxBuffer: 1 << 26 });
    const env = Object.fromEntries(
      fs
        .readFileSync(path.join(dir(), 'env.txt'), 'utf8')
        .trim()
        .split('\n')
        .map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]),
    );
    const config = parseDotConfig(execFileSync('xz', ['-dc', DEBIAN], { encoding: 'utf8', maxBuffer: 1 << 28 }), DEBIAN);
    const after = parseDotConfig(fs.readFileSync(path.join(dir(), 'olddef-config.amd64_none_amd64.config'), 'utf8'), 'conf');
    const report = upgrade({ old: { tree: old!, arch: 'x86_64' }, new: { tree: tree!, arch: 'x86_64', env, runShell: true }, config });

    const predicted = new Map<string, string | undefined>();
    for (const c of report.changes) predicted.set(c.symbol, c.kind === 'dropped' ? undefined : c.expected);
    for (const u of [...report.removedSymbols, ...report.unknownSymbols]) predicted.set(u.name, undefined);
    const actual = lineChanges(config, after);
    const mismatched = [...new Set([...actual.keys(), ...predicted.keys()])].filter((n) => actual.get(n) !== predicted.get(n) || actual.has(n) !== predicted.has(n));
    expect(mismatched).toEqual([]);
    expect(actual.size).toBeGreaterThan(1000);
    expect(report.changes.every((c) => c.reason.length > 0)).toBe(true);
    // Symbols 6.1 defined and 6.12 does not, set in the file: dropped for that reason, not as unknown.
    expect(report.removedSymbols.length).toBeGreaterThan(100);
    expect(report.unknownSymbols).toEqual([]);
  }, 1_800_000);
});
