/**
 * randconfig-unmet: the audit's recall and precision against the kernel's own
 * conf, per arch.
 *
 *   recall      conf's randconfig runs N times (scripts/conf-reference, which
 *               keeps conf's stderr in rand-<k>.log); every (selectee,
 *               selector) pair it warns about as causing (see
 *               src/io/conf-warnings.ts) must be among kconfsat's findings.
 *   precision   every finding's witness makes conf's olddefconfig warn for
 *               that pair (confirmFindings).
 *
 * kconfsat audits with $(shell,...) run on this host and conf's environment,
 * as conf evaluates them. Usage: see USAGE, or scripts/randconfig-unmet --help.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { KconfsatError } from '../src/errors.js';
import { causingPairs, pairKey, parseConfWarnings } from '../src/io/conf-warnings.js';
import { auditTree } from '../src/workflow/audit.js';
import { mapConcurrent } from '../src/workflow/pool.js';
import { buildConf, confRandconfig, fetchCorpus, manifestEntry } from '../src/workflow/reference.js';
import { countOption, scriptOptions, stringOptions } from './lib/options.js';
import { archList } from './lib/targets.js';

const USAGE = `usage: scripts/randconfig-unmet [options]
  --tree DIR    Linux tree (default: scripts/fetch-corpus linux-6.1)
  --arch LIST   comma-separated ARCH values, or all (default x86_64,i386,arm64)
  -n N          randconfigs per arch (default 20)
  --seed S      first KCONFIG_SEED (default 1)
  --jobs J      conf processes at once (default 2)
  --conf PATH   conf binary (default: built by scripts/build-conf)
  --work DIR    keeps conf's randconfigs and logs (default: a temporary directory, removed)
  --json        print the results as JSON
Exit status 0 when every warned pair was found and every finding confirmed.
`;

interface ArchResult {
  arch: string;
  randconfigs: number;
  /** Causing pairs conf warned about in its randconfigs, as SELECTEE<-SELECTOR. */
  warned: string[];
  /** Warned pairs among kconfsat's findings. */
  found: number;
  /** Warned pairs kconfsat did not report. */
  missed: string[];
  findings: string[];
  confirmed: number;
  unconfirmed: string[];
  auditMs: number;
}

async function main(): Promise<void> {
  const values = scriptOptions('randconfig-unmet', USAGE, {
    tree: { type: 'string' },
    arch: { type: 'string' },
    n: { type: 'string', short: 'n' },
    ...stringOptions('seed', 'jobs', 'conf', 'work'),
    json: { type: 'boolean', default: false },
  });
  const tree = path.resolve(values.tree ?? (await fetchCorpus(manifestEntry('linux-6.1'))));
  const arches = archList(values.arch, ['x86_64', 'i386', 'arm64'], tree);
  const n = countOption('randconfig-unmet', '-n', values.n, 20, 1);
  const seed = countOption('randconfig-unmet', '--seed', values.seed, 1, 1);
  const jobs = countOption('randconfig-unmet', '--jobs', values.jobs, 2, 1);
  const conf = values.conf ?? buildConf(tree);
  const work = values.work ? path.resolve(values.work) : fs.mkdtempSync(path.join(os.tmpdir(), 'kconfsat-randconfig-unmet-'));
  const results: ArchResult[] = [];
  try {
    for (const arch of arches) {
      const result = await checkArch(tree, arch, conf, { n, seed, jobs, work: path.join(work, arch) });
      results.push(result);
      if (!values.json) report(result);
    }
  } finally {
    if (!values.work) fs.rmSync(work, { recursive: true, force: true });
  }
  if (values.json) process.stdout.write(`${JSON.stringify({ tree, randconfigsPerArch: n, seed, results }, null, 2)}\n`);
  else {
    const sum = (f: (r: ArchResult) => number): number => results.reduce((a, r) => a + f(r), 0);
    process.stdout.write(
      `all: recall ${sum((r) => r.found)}/${sum((r) => r.warned.length)}, confirmed ${sum((r) => r.confirmed)}/${sum((r) => r.findings.length)}\n`,
    );
  }
  process.exitCode = results.every((r) => r.missed.length === 0 && r.unconfirmed.length === 0) ? 0 : 1;
}

async function checkArch(tree: string, arch: string, conf: string, o: { n: number; seed: number; jobs: number; work: string }): Promise<ArchResult> {
  // conf's randconfigs in J slices of consecutive seeds, running while kconfsat audits.
  const slices = Array.from({ length: Math.min(o.jobs, o.n) }, (_, j) => {
    const size = Math.floor(o.n / o.jobs) + (j < o.n % o.jobs ? 1 : 0);
    const first = j * Math.floor(o.n / o.jobs) + Math.min(j, o.n % o.jobs);
    return { dir: path.join(o.work, `slice-${j + 1}`), size, seed: o.seed + first };
  });
  const confRuns = mapConcurrent(slices, o.jobs, (s) => confRandconfig({ tree, arch, conf }, s.dir, s.size, s.seed));
  // Let the conf processes start before the synchronous audit takes this thread.
  await new Promise((resolve) => setTimeout(resolve, 100));
  // The audit as `audit --confirm` runs it: $(shell,...) on this host with conf's environment, every witness through conf.
  const audited = await auditTree({ load: { tree }, arches: [arch], conf, jobs: o.jobs });
  await confRuns;
  const logs = slices.flatMap((s) => Array.from({ length: s.size }, (_, k) => path.join(s.dir, `rand-${k + 1}.log`)));
  const warned = causingPairs(logs.flatMap((log) => parseConfWarnings(fs.readFileSync(log, 'utf8'))));
  const findings = audited.findings;
  const findingPairs = new Set(findings.map((f) => pairKey(f.selectee, f.selector)));
  const label = (f: { selectee: string; selector: string; loc: { file: string; line: number } }): string =>
    `${pairKey(f.selectee, f.selector)} (${f.loc.file}:${f.loc.line})`;
  return {
    arch,
    randconfigs: logs.length,
    warned: [...warned].sort(),
    found: [...warned].filter((p) => findingPairs.has(p)).length,
    missed: [...warned].filter((p) => !findingPairs.has(p)).sort(),
    findings: findings.map(label),
    confirmed: audited.confirmed!.confirmed,
    unconfirmed: findings.filter((f) => !f.confirmed).map(label),
    auditMs: audited.arches[0]!.ms,
  };
}

function report(r: ArchResult): void {
  const lines = [
    `${r.arch}: ${r.randconfigs} randconfigs, ${r.warned.length} warned pairs, recall ${r.found}/${r.warned.length}; ` +
      `${r.findings.length} kconfsat findings, confirmed by conf ${r.confirmed}/${r.findings.length}; audit ${(r.auditMs / 1000).toFixed(1)} s`,
    ...r.warned.map((p) => `  warned: ${p}${r.missed.includes(p) ? '  MISSED' : ''}`),
    ...r.findings.map((f) => `  finding: ${f}${r.unconfirmed.includes(f) ? '  UNCONFIRMED' : ''}`),
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
}

await main().catch((e: unknown) => {
  if (!(e instanceof KconfsatError)) throw e;
  process.stderr.write(`randconfig-unmet: error: ${e.format()}\n`);
  process.exit(2);
});
