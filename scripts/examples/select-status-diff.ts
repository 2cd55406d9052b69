/**
 * A research script on kconfsat's public API (the package root, src/index.ts,
 * and nothing else of kconfsat): which `select`s changed their
 * unmet-dependency status between two kernel versions?
 *
 * For each arch, both trees are loaded once each (a Session), the audit
 * finds every select that some valid configuration lets force its target
 * past the target's own dependencies (conf's "unmet direct dependencies"
 * warning), and the two sets of selector → selectee pairs are compared:
 *
 *   new   possible in the newer tree, not in the older one
 *   gone  possible in the older tree, not in the newer one
 *
 * Each line also says whether the select itself was added or removed, or
 * was there in both versions (then the dependencies, not the select, changed).
 *
 *   npm run build
 *   node dist/scripts/examples/select-status-diff.js [--old DIR] [--new DIR] [--arch x86_64,i386,arm64] [--json]
 *
 * Without --old/--new the trees are Linux 6.1 and 6.12 from scripts/fetch-corpus
 * (Debian's linux-source packages, fetched once into ~/.cache/kconfsat).
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
// The public API only: what a researcher gets from `import ... from 'kconfsat'`.
import { audit, KconfsatError, Session, type AuditFinding } from '../../src/index.js';

const USAGE = `usage: node dist/scripts/examples/select-status-diff.js [--old DIR] [--new DIR] [--arch LIST] [--json]
  --old DIR    older Linux tree (default: scripts/fetch-corpus linux-6.1)
  --new DIR    newer Linux tree (default: scripts/fetch-corpus linux-6.12)
  --arch LIST  comma-separated ARCH values (default x86_64,i386,arm64)
  --json       print the result as JSON
`;

/** A select line as a pair: line numbers move between versions, names mostly do not. */
type Pair = string;
const pairOf = (selector: string, selectee: string): Pair => `${selector} -> ${selectee}`;

/** What one version says about one arch. */
interface VersionFacts {
  /** Pairs whose select can leave its target's dependencies unmet, with a finding each (the witness is in it). */
  unmet: Map<Pair, AuditFinding>;
  /** Every select pair of the tree, met or not: tells "select removed" from "dependencies now met". */
  selects: Set<Pair>;
}

interface Change {
  pair: Pair;
  status: 'new' | 'gone';
  /** Whether the select line exists in the other version. */
  select: 'in both versions' | 'added' | 'removed';
  /** The select line in the version where the unmet dependency is possible. */
  at: string;
  dependsOn: string;
}

function versionFacts(tree: string, arch: string): VersionFacts {
  // One Session per (tree, arch): parsed, resolved and encoded once; every analysis reuses it.
  const session = Session.open({ tree, arch });
  const unmet = new Map<Pair, AuditFinding>();
  for (const f of audit(session).findings) unmet.set(pairOf(f.selector, f.selectee), f);
  // The model is plain data: each symbol's `selects` are its select (and imply) lines.
  const selects = new Set<Pair>();
  for (const sym of session.model.symbols) {
    for (const r of sym.selects) if (r.kind === 'select') selects.add(pairOf(r.selector.name, r.target.name));
  }
  return { unmet, selects };
}

function compare(older: VersionFacts, newer: VersionFacts): Change[] {
  const change = (pair: Pair, status: Change['status'], finding: AuditFinding, other: VersionFacts): Change => ({
    pair,
    status,
    select: other.selects.has(pair) ? 'in both versions' : status === 'new' ? 'added' : 'removed',
    at: `${finding.loc.file}:${finding.loc.line}`,
    dependsOn: finding.dependsOn,
  });
  const changes: Change[] = [];
  for (const [pair, f] of newer.unmet) if (!older.unmet.has(pair)) changes.push(change(pair, 'new', f, older));
  for (const [pair, f] of older.unmet) if (!newer.unmet.has(pair)) changes.push(change(pair, 'gone', f, newer));
  return changes.sort((a, b) => a.status.localeCompare(b.status) || a.pair.localeCompare(b.pair));
}

/** The tree root scripts/fetch-corpus prints (its last stdout line), fetching once if needed. */
function fetchedTree(name: string): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  while (!fs.existsSync(path.join(dir, 'package.json'))) dir = path.dirname(dir);
  const out = execFileSync('bash', [path.join(dir, 'scripts/fetch-corpus'), name], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
  return out.trim().split('\n').pop()!;
}

function main(): void {
  const { values } = parseArgs({
    options: { old: { type: 'string' }, new: { type: 'string' }, arch: { type: 'string', default: 'x86_64,i386,arm64' }, json: { type: 'boolean', default: false }, help: { type: 'boolean', short: 'h' } },
  });
  if (values.help) return void process.stdout.write(USAGE);
  const oldTree = values.old ?? fetchedTree('linux-6.1');
  const newTree = values.new ?? fetchedTree('linux-6.12');
  const results = values.arch.split(',').filter(Boolean).map((arch) => {
    process.stderr.write(`select-status-diff: ${arch} ...\n`);
    const older = versionFacts(oldTree, arch);
    const newer = versionFacts(newTree, arch);
    return { arch, oldFindings: older.unmet.size, newFindings: newer.unmet.size, changes: compare(older, newer) };
  });
  if (values.json) return void process.stdout.write(`${JSON.stringify({ old: oldTree, new: newTree, arches: results }, null, 2)}\n`);
  for (const r of results) {
    process.stdout.write(`${r.arch}: ${r.oldFindings} selects with a possible unmet dependency in ${oldTree}, ${r.newFindings} in ${newTree}\n`);
    for (const c of r.changes) process.stdout.write(`  ${c.status.padEnd(4)}  ${c.pair}  (${c.at}; select ${c.select}; depends on ${c.dependsOn})\n`);
  }
}

try {
  main();
} catch (e) {
  // A tree that does not load, an unknown arch: one line, as the kconfsat CLI does.
  if (!(e instanceof KconfsatError)) throw e;
  process.stderr.write(`select-status-diff: ${e.format()}\n`);
  process.exit(2);
}
