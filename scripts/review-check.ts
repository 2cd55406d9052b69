/**
 * review-check: every claim `kconfsat review` makes about a change, checked
 * against the kernel's own conf, on real changes to Linux 6.1:
 *
 *   - the patches of Debian's `linux` source package (6.1 series) that touch
 *     Kconfig files: the tree (Debian's linux-source, patches applied) is the
 *     new tree, the patch undone on it the old one;
 *   - edits of our own: depends on -> select, select -> depends on, a default
 *     removed, a new `depends on`.
 *
 * Each claim is checked as scripts/review-claims.ts says; conf runs
 * olddefconfig through scripts/conf-reference, on the tree on disk or on a
 * symlinked copy carrying the edited files, and kconfsat runs $(shell,...)
 * with conf's environment, as conf does.
 *
 * debian.tar.xz comes from the Debian archive (scripts/lib/debian-patches.ts).
 * Exit status 0 when every claim is confirmed.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { olddefconfigOf, type ConfirmOptions } from '../src/workflow/confirm.js';
import { buildConf, confEnvironment, fetchCorpus, readManifest } from '../src/workflow/reference.js';
import { debianChanges, readTreeFile } from './lib/debian-patches.js';
import { review } from '../src/analysis/review.js';
import { Session } from '../src/analysis/session.js';
import type { LoadOptions } from '../src/model/load.js';
import { scriptOptions } from './lib/options.js';
import { archList } from './lib/targets.js';
import { checkClaims, hasClaims, type ClaimCheck, type ClaimSide } from './review-claims.js';

const USAGE = `usage: scripts/review-check [options]
  --tree DIR     Debian's Linux 6.1 tree (default: $KCONFSAT_LINUX_61, else scripts/fetch-corpus linux-6.1)
  --conf PATH    its conf binary (default: $KCONFSAT_CONF_61, else scripts/build-conf)
  --arch LIST    comma-separated ARCH values, or all (default x86_64)
  --only WHICH   debian or edits (default both)
  --json FILE    every claim and its check as JSON
Exit status 0 when every claim review makes is confirmed.
`;

/** A change: the files of the old and of the new tree that differ from the tree on disk. */
interface Change {
  name: string;
  old: Record<string, string | null>;
  new: Record<string, string | null>;
}

type Claim = ClaimCheck & { change: string; arch: string };

/** Debian's patches that touch a Kconfig file, as review-check's changes. */
function kconfigChanges(tree: string, scratch: string): { changes: Change[]; skipped: string[] } {
  const { changes, skipped, tarball } = debianChanges(tree, scratch, (text) => /^\+\+\+ \S*Kconfig/m.test(text));
  process.stderr.write(`review-check: ${path.basename(tarball)}, ${changes.length} patches touch Kconfig files\n`);
  return { changes: changes.map(({ name, old, new: after }) => ({ name, old, new: after })), skipped };
}

/** Edits of our own, each one line of drivers/xen or arch/x86/xen replaced. */
function ownEdits(tree: string): Change[] {
  const edit = (name: string, file: string, from: RegExp, to: string): Change => {
    const text = readTreeFile(tree, file);
    if (text === undefined || !from.test(text)) throw new Error(`${name}: ${file} does not hold ${from}`);
    return { name, old: {}, new: { [file]: text.replace(from, to) } };
  };
  return [
    edit('depends on -> select (the XEN seed)', 'drivers/xen/Kconfig', /(config XEN_UNPOPULATED_ALLOC\n.*\n)\tdepends on ZONE_DEVICE\n/, '$1\tselect ZONE_DEVICE\n'),
    edit('select -> depends on', 'drivers/xen/Kconfig', /(config XEN_VIRTIO\n(?:.*\n){2})\tselect XEN_GRANT_DMA_OPS\n/, '$1\tdepends on XEN_GRANT_DMA_OPS\n'),
    edit('a default removed', 'arch/x86/xen/Kconfig', /(config XEN_PV_DOM0\n)\tdef_bool y\n/, '$1\tbool\n'),
    edit('a new depends on', 'drivers/xen/Kconfig', /(config XEN_GNTDEV\n.*\n)/, '$1\tdepends on BROKEN\n'),
  ];
}

/**
 * TREE as a directory of symlinks, with `files` written over it: a tree conf can read. The top
 * Makefile is a copy: conf's environment (KERNELVERSION) is read from it by kconfsat's reader,
 * which follows no link out of the tree.
 */
function overlay(tree: string, files: Record<string, string | null>, dir: string): string {
  const linkAll = (from: string, to: string): void => {
    for (const e of fs.readdirSync(from)) fs.symlinkSync(path.join(from, e), path.join(to, e));
  };
  fs.mkdirSync(dir);
  linkAll(tree, dir);
  fs.rmSync(path.join(dir, 'Makefile'));
  fs.copyFileSync(path.join(tree, 'Makefile'), path.join(dir, 'Makefile'));
  for (const [file, text] of Object.entries(files)) {
    let rel = '';
    for (const part of file.split('/').slice(0, -1)) {
      rel = path.join(rel, part);
      const at = path.join(dir, rel);
      const st = fs.lstatSync(at, { throwIfNoEntry: false });
      if (st?.isSymbolicLink()) {
        fs.unlinkSync(at);
        fs.mkdirSync(at);
        linkAll(path.join(tree, rel), at);
      } else if (!st) fs.mkdirSync(at);
    }
    fs.rmSync(path.join(dir, file), { force: true });
    if (text !== null) fs.writeFileSync(path.join(dir, file), text);
  }
  return dir;
}

/** One side of a change: how kconfsat loads it and where conf reads it. */
interface Side {
  load: LoadOptions;
  conf: ConfirmOptions;
}

async function checkChange(change: Change, arch: string, sides: { old: Side; new: Side }, scratch: string): Promise<Claim[]> {
  const report = await review({ old: sides.old.load, new: sides.new.load, arches: [arch], fixes: false });
  const a = report.arches[0]!;
  if (!hasClaims(a)) return [];
  const dir = fs.mkdtempSync(path.join(scratch, 'conf-'));
  let n = 0;
  const side = (s: Side): ClaimSide => ({ session: Session.open(s.load), olddefconfig: (text) => olddefconfigOf(text, s.conf, dir, `witness-${++n}.config`) });
  const checks = await checkClaims(a, { old: side(sides.old), new: side(sides.new) });
  return checks.map((c) => ({ change: change.name, arch, ...c }));
}

async function main(): Promise<void> {
  const values = scriptOptions('review-check', USAGE, {
    tree: { type: 'string' },
    conf: { type: 'string' },
    arch: { type: 'string', default: 'x86_64' },
    only: { type: 'string' },
    json: { type: 'string' },
  });
  if (values.only !== undefined && values.only !== 'debian' && values.only !== 'edits') fail(`--only takes debian or edits, not '${values.only}'`);
  const corpus = readManifest().find((c) => c.name === 'linux-6.1')!;
  const tree = path.resolve(values.tree ?? process.env.KCONFSAT_LINUX_61 ?? (await fetchCorpus(corpus)));
  const conf = values.conf ?? process.env.KCONFSAT_CONF_61 ?? buildConf(tree);
  const arches = archList(values.arch, [], tree);
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'kconfsat-review-check-'));
  try {
    const changes: Change[] = [];
    let skipped: string[] = [];
    if (values.only !== 'edits') {
      const debian = kconfigChanges(tree, scratch);
      changes.push(...debian.changes);
      skipped = debian.skipped;
    }
    if (values.only !== 'debian') changes.push(...ownEdits(tree));
    const claims: Claim[] = [];
    for (const arch of arches) {
      const env = confEnvironment(tree, arch);
      for (const [i, change] of changes.entries()) {
        process.stderr.write(`review-check: ${arch} ${i + 1}/${changes.length} ${change.name}\n`);
        const side = (which: 'old' | 'new'): Side => {
          const files = change[which];
          const dir = Object.keys(files).length === 0 ? tree : overlay(tree, files, path.join(scratch, `${arch}-${i}-${which}`));
          return {
            load: { tree, arch, env, runShell: true, ...(Object.keys(files).length > 0 ? { overrides: files } : {}) },
            conf: { tree: dir, arch, conf },
          };
        };
        const found = await checkChange(change, arch, { old: side('old'), new: side('new') }, scratch);
        for (const c of found) process.stderr.write(`  ${c.confirmed ? 'confirmed' : 'MISMATCH'} ${c.kind}: ${c.subject}${c.why ? ` (${c.why})` : ''}\n`);
        claims.push(...found);
      }
    }
    const confirmed = claims.filter((c) => c.confirmed).length;
    const byKind = new Map<string, [number, number]>();
    for (const c of claims) {
      const [n, ok] = byKind.get(c.kind) ?? [0, 0];
      byKind.set(c.kind, [n + 1, ok + (c.confirmed ? 1 : 0)]);
    }
    const lines = [
      `${changes.length} changes (${skipped.length} Debian patches that do not undo on this tree left out), ${arches.join(', ')}: ${claims.length} claims checked, ${confirmed} confirmed, ${claims.length - confirmed} mismatches`,
      ...[...byKind].map(([kind, [n, ok]]) => `  ${kind}: ${ok}/${n}`),
      ...skipped.map((s) => `  left out: ${s}`),
      ...claims.filter((c) => !c.confirmed).map((c) => `  MISMATCH ${c.change} (${c.arch}) ${c.kind} ${c.subject}: ${c.why}`),
    ];
    process.stdout.write(`${lines.join('\n')}\n`);
    if (values.json !== undefined) fs.writeFileSync(values.json, `${JSON.stringify({ changes: changes.map((c) => c.name), skipped, claims }, null, 2)}\n`);
    process.exitCode = confirmed === claims.length ? 0 : 1;
  } finally {
    fs.rmSync(scratch, { recursive: true, force: true });
  }
}

function fail(message: string): never {
  process.stderr.write(`review-check: error: ${message}\n${USAGE}`);
  process.exit(2);
}

await main();
