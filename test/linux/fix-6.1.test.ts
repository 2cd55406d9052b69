/**
 * kconfsat fix on Linux 6.1 with the historical XEN bug put back: the top
 * repair is the upstream one (select -> depends on ZONE_DEVICE), its patch
 * applies with git apply, and afterwards the kernel's own conf no longer warns
 * on configurations that made it warn before, on i386 and x86_64.
 * Needs KCONFSAT_LINUX_61 and KCONFSAT_CONF_61 (.ci/run sets them).
 */
import { execFile, execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import type { AuditFinding } from '../../src/analysis/audit.js';
import { confirmFindings } from '../../src/workflow/confirm.js';
import type { FixReport } from '../../src/analysis/fix.js';
import type { QueryAnswer } from '../../src/analysis/query.js';
import { treeWithXenBug } from '../helpers/xen-bug.js';
import { requireEnv } from '../helpers/requires.js';

const tree = requireEnv('KCONFSAT_LINUX_61', 'Linux 6.1 fix tests');
const conf = requireEnv('KCONFSAT_CONF_61', 'Linux 6.1 fix tests against conf');
const main = path.resolve(__dirname, '../../dist/src/cli/main.js');

/**
 * The CLI in a child process (loading and auditing are minutes of synchronous
 * work), with $(shell,...) run on this host so witnesses hold for the
 * toolchain conf sees.
 */
async function kconfsat(args: string[]): Promise<string> {
  const { stdout } = await promisify(execFile)(process.execPath, [main, '--json', ...args], { maxBuffer: 1 << 28 }).catch((e: { stdout?: string; code?: number }) => {
    // Exit 1 (no / some finding unrepaired) still prints the JSON answer.
    if (e.code === 1 && e.stdout) return { stdout: e.stdout };
    throw e;
  });
  return stdout;
}

describe.skipIf(!tree || !conf)('fix on Linux 6.1 with select ZONE_DEVICE put back', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kconfsat-xen-fix-'));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('proposes depends on ZONE_DEVICE first; after git apply conf no longer warns on i386 or x86_64', async () => {
    const farm = treeWithXenBug(tree!, dir);
    const patches = path.join(dir, 'patches');
    const report = JSON.parse(
      await kconfsat(['--tree', farm, '--run-shell', '--arch', 'i386', 'fix', '--finding', 'XEN_UNPOPULATED_ALLOC:ZONE_DEVICE', '--verify-arch', 'i386', '--patch-dir', patches]),
    ) as FixReport;
    expect(report.results.map((r) => [r.finding.selector, r.finding.selectee, r.finding.loc.file])).toEqual([
      ['XEN_UNPOPULATED_ALLOC', 'ZONE_DEVICE', 'drivers/xen/Kconfig'],
    ]);
    const best = report.results[0]!.candidates[0]!;
    expect([best.kind, best.verified, best.checkedOn]).toEqual(['depends-on', true, ['i386']]);
    expect(best.patch).toContain('-\tselect ZONE_DEVICE\n+\tdepends on ZONE_DEVICE\n');

    // Configurations on which conf warns before the repair: the audit's i386 witness, and an x86_64 one with hotplug off.
    const i386 = report.results[0]!.finding.findings[0]!;
    const x86 = JSON.parse(
      await kconfsat(['--tree', farm, '--run-shell', '--arch', 'x86_64', 'query', 'XEN_UNPOPULATED_ALLOC=y', 'ZONE_DEVICE=y', '!MEMORY_HOTPLUG']),
    ) as QueryAnswer;
    expect(x86.satisfiable).toBe(true);
    const x86_64: AuditFinding = { ...i386, arch: 'x86_64', witness: x86.witness!.config };
    const warned = async (finding: AuditFinding): Promise<boolean> =>
      (await confirmFindings([finding], { tree: farm, arch: finding.arch!, conf: conf! }))[0]!.confirmed;
    expect([await warned(i386), await warned(x86_64)]).toEqual([true, true]);

    const [patch] = fs.readdirSync(patches);
    execFileSync('git', ['apply', path.join(patches, patch!)], { cwd: farm });
    expect(fs.readFileSync(path.join(farm, 'drivers/xen/Kconfig'), 'utf8')).toBe(fs.readFileSync(path.join(tree!, 'drivers/xen/Kconfig'), 'utf8'));
    expect([await warned(i386), await warned(x86_64)]).toEqual([false, false]);
  }, 1_800_000);
});
