/**
 * The unmet-dependency audit on Linux 6.1 with the historical XEN bug put back
 * (drivers/xen/Kconfig's `depends on ZONE_DEVICE` under XEN_UNPOPULATED_ALLOC
 * turned back into `select ZONE_DEVICE`), confirmed by the kernel's own conf.
 * Needs KCONFSAT_LINUX_61 and KCONFSAT_CONF_61 (.ci/run sets them).
 */
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import type { AuditGroup } from '../../src/analysis/audit.js';
import { treeWithXenBug } from '../helpers/xen-bug.js';
import { requireEnv } from '../helpers/requires.js';

const tree = requireEnv('KCONFSAT_LINUX_61', 'Linux 6.1 audit tests');
const conf = requireEnv('KCONFSAT_CONF_61', 'Linux 6.1 audit tests against conf');
const main = path.resolve(__dirname, '../../dist/src/cli/main.js');

describe.skipIf(!tree || !conf)('Linux 6.1 with select ZONE_DEVICE put back', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kconfsat-xen-bug-'));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('i386: audit --confirm finds XEN_UNPOPULATED_ALLOC forcing ZONE_DEVICE, and conf confirms every finding', async () => {
    const farm = treeWithXenBug(tree!, dir);
    // The CLI in a child process: loading and auditing take a minute of synchronous work.
    // Findings make audit exit 1, which execFile reports as an error carrying the output.
    const { stdout, code } = await promisify(execFile)(
      process.execPath,
      [main, '--json', '--tree', farm, '--arch', 'i386', 'audit', '--confirm', '--conf', conf!, '--jobs', '2', '--out-dir', path.join(dir, 'witnesses')],
      { maxBuffer: 1 << 28 },
    ).then(
      (r) => ({ ...r, code: 0 }),
      (e: { stdout: string; code: number }) => e,
    );
    expect(code).toBe(1);
    const out = JSON.parse(stdout) as { findings: AuditGroup[]; confirmed: { confirmed: number; total: number } };
    const xen = out.findings.filter((g) => g.selectee === 'ZONE_DEVICE');
    expect(xen.map((g) => [g.selector, g.loc.file, g.text, g.arches])).toEqual([['XEN_UNPOPULATED_ALLOC', 'drivers/xen/Kconfig', 'select ZONE_DEVICE', ['i386']]]);
    const finding = xen[0]!.findings[0]!;
    expect([finding.selectedAt, finding.dependsAt, finding.confirmed]).toEqual(['y', 'n', true]);
    const witness = new Map(finding.witness.map((e) => [e.name, e.value]));
    expect([witness.get('XEN_UNPOPULATED_ALLOC'), witness.get('ZONE_DEVICE'), witness.get('X86_32')]).toEqual(['y', 'y', 'y']);
    expect(out.confirmed.confirmed).toBe(out.confirmed.total);
  });
});
