/**
 * resolve-defconfig: minimal diagnoses on a real kernel config, checked by the
 * kernel's own conf. For each wish defconfig does not satisfy, every minimal
 * diagnosis (up to --max) is computed from conf's defconfig, written as a
 * .config and run through conf's olddefconfig, which must leave it unchanged
 * and make the wish hold. Prints one row per wish and the median and max time.
 * Usage: see USAGE, or scripts/resolve-defconfig --help.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { mapConcurrent } from '../src/workflow/pool.js';
import { configValues, parseDotConfig, resolve, Session, writeDotConfig } from '../src/index.js';
import { buildConf, confEnvironment, confOlddefconfig, confReferenceConfigs, fetchCorpus, manifestEntry } from '../src/workflow/reference.js';
import { scriptOptions } from './lib/options.js';

const USAGE = `usage: scripts/resolve-defconfig [options]
  --tree DIR    Linux tree (default: scripts/fetch-corpus linux-6.1)
  --arch ARCH   ARCH value (default x86_64)
  --max N       diagnoses per wish (default 10)
  --wishes N    wishes to try (default 20)
  --min-changes K  only wishes needing at least K changes (default 2)
  --jobs J      conf processes at once (default 2)
  --conf PATH   conf binary (default: built by scripts/build-conf)
  --json        print the rows as JSON
Exit status 0 when conf accepts every diagnosis unchanged and the wish holds in it.
`;

/** Options a developer may want that x86_64 defconfig leaves off, most needing other options first (each SYMBOL=value). */
const CANDIDATE_WISHES = [
  'XEN_UNPOPULATED_ALLOC=y', 'KVM_AMD_SEV=y', 'DEBUG_INFO_BTF=y', 'BPF_LSM=y', 'ZRAM=m', 'VIRTIO_FS=m', 'MLX5_CORE_EN=y',
  'IWLMVM=m', 'BT_HCIBTUSB=m', 'CAN_PEAK_USB=m', 'SND_SOC_SOF_TIGERLAKE=m', 'NET_DSA_MV88E6XXX=m', 'NVME_TARGET_TCP=m',
  'INFINIBAND_IPOIB=m', 'MLX5_INFINIBAND=m', 'VFIO_PCI=m', 'XEN_NETDEV_BACKEND=m', 'HYPERV_NET=m', 'KVM_INTEL=m',
  'MTD_SPI_NOR=m', 'CEPH_FS_POSIX_ACL=y', 'RTW88_8822CE=m', 'DRM_I915_GVT_KVMGT=m', 'NFSD_V4=y', 'THUNDERBOLT_NET=m',
  'BTRFS_FS=y', 'DRM_AMDGPU=m', 'CEPH_FS=m', 'WIREGUARD=m', 'F2FS_FS=y', 'KASAN=y',
];

interface Row {
  wish: string;
  diagnoses: number;
  sizes: number[];
  complete: boolean;
  ms: number;
  confAccepted: number;
  wishHolds: number;
}

async function main(): Promise<void> {
  const values = scriptOptions('resolve-defconfig', USAGE, {
    tree: { type: 'string' },
    arch: { type: 'string', default: 'x86_64' },
    max: { type: 'string', default: '10' },
    wishes: { type: 'string', default: '20' },
    'min-changes': { type: 'string', default: '2' },
    jobs: { type: 'string', default: '2' },
    conf: { type: 'string' },
    json: { type: 'boolean', default: false },
  });
  const tree = values.tree ?? (await fetchCorpus(manifestEntry('linux-6.1')));
  const arch = values.arch;
  const conf = values.conf ?? buildConf(tree);
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'kconfsat-resolve-'));
  await confReferenceConfigs({ tree, arch, conf }, work);
  const defconfig = parseDotConfig(fs.readFileSync(path.join(work, 'def.config'), 'utf8'), 'def.config');
  const base = configValues(defconfig);
  // $(shell,...) run under conf's environment, so the formula sees the same toolchain conf does.
  const session = Session.open({ tree, arch, env: confEnvironment(tree, arch), runShell: true });

  const rows: Row[] = [];
  for (const wish of CANDIDATE_WISHES) {
    if (rows.length >= Number(values.wishes)) break;
    if (!session.model.byName.get(wish.split('=')[0]!)?.definitions.length) continue;
    const t0 = performance.now();
    const result = resolve(session, [wish], base, { max: Number(values.max) });
    const ms = performance.now() - t0;
    // Wishes defconfig already satisfies, or that one change grants, say little.
    if (result.satisfiable && (result.diagnoses[0]?.changes.length ?? Infinity) < Number(values['min-changes'])) continue;
    const files = result.diagnoses.map((d, i) => {
      const file = path.join(work, `${wish.replace(/[^A-Za-z0-9_]/g, '_')}-${i + 1}.config`);
      fs.writeFileSync(file, writeDotConfig(d.config));
      return file;
    });
    const checks = await mapConcurrent(files, Number(values.jobs), async (file) => {
      const { changed: stdout } = await confOlddefconfig({ tree, arch, conf }, work, file);
      const changed = stdout.split('\n').filter((l) => l.trim() !== '').length === 0;
      const written = parseDotConfig(fs.readFileSync(path.join(work, `olddef-${path.basename(file)}.config`), 'utf8'), file);
      const [name, value] = wish.split('=') as [string, string];
      const holds = (configValues(written).get(name) ?? 'n') === value;
      return { changed, holds };
    });
    rows.push({
      wish,
      diagnoses: result.diagnoses.length,
      sizes: result.diagnoses.map((d) => d.changes.length),
      complete: result.complete,
      ms: Math.round(ms),
      confAccepted: checks.filter((c) => c.changed).length,
      wishHolds: checks.filter((c) => c.holds).length,
    });
    const r = rows[rows.length - 1]!;
    process.stderr.write(`${wish}: ${r.diagnoses} diagnoses (sizes ${r.sizes.join(',')}), ${r.ms} ms, conf accepted ${r.confAccepted}/${r.diagnoses}\n`);
  }
  fs.rmSync(work, { recursive: true, force: true });
  const times = rows.map((r) => r.ms).sort((a, b) => a - b);
  const summary = {
    arch,
    wishes: rows.length,
    diagnoses: rows.reduce((n, r) => n + r.diagnoses, 0),
    confAccepted: rows.reduce((n, r) => n + r.confAccepted, 0),
    wishHolds: rows.reduce((n, r) => n + r.wishHolds, 0),
    medianMs: times[Math.floor(times.length / 2)] ?? 0,
    maxMs: times[times.length - 1] ?? 0,
  };
  if (values.json) process.stdout.write(`${JSON.stringify({ summary, rows }, null, 2)}\n`);
  else {
    for (const r of rows) {
      process.stdout.write(`${r.wish.padEnd(26)} ${String(r.diagnoses).padStart(2)} diagnoses, sizes ${r.sizes.join(',').padEnd(22)} ${String(r.ms).padStart(6)} ms  conf ${r.confAccepted}/${r.diagnoses}\n`);
    }
    process.stdout.write(`${summary.wishes} wishes, ${summary.diagnoses} diagnoses, conf accepted ${summary.confAccepted}, wish holds in ${summary.wishHolds}; median ${summary.medianMs} ms, max ${summary.maxMs} ms\n`);
  }
  process.exitCode = summary.confAccepted === summary.diagnoses && summary.wishHolds === summary.diagnoses ? 0 : 1;
}

await main();
