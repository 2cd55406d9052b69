/**
 * The patches of Debian's `linux` source package (6.1 series), for scripts
 * that check kconfsat on real changes (review-check, kbuild-oracle --debian).
 * debian.tar.xz comes from the Debian archive (apt-get source --print-uris
 * through scripts/fetch-corpus --print-uris; the newest version a mirror
 * holds), cached under ~/.cache/kconfsat/review-check. Never committed.
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { applyPatches } from '../../src/io/apply-patch.js';
import { runHelperSync } from '../../src/workflow/reference.js';

const CACHE = path.join(process.env.XDG_CACHE_HOME ?? path.join(os.homedir(), '.cache'), 'kconfsat', 'review-check');

/** The newest debian.tar.xz of the linux 6.1 series a mirror serves, downloaded once. */
function debianTarball(): string {
  const cached = fs.existsSync(CACHE) ? fs.readdirSync(CACHE).filter((f) => /^linux_6\.1\..*\.debian\.tar\.xz$/.test(f)) : [];
  if (cached.length > 0) return path.join(CACHE, cached.sort().at(-1)!);
  fs.mkdirSync(CACHE, { recursive: true });
  process.stderr.write('debian-patches: asking apt for the linux 6.1 source versions\n');
  const uris = runHelperSync('fetch-corpus', ['--print-uris', 'linux=6.1.*']);
  for (const line of uris.split('\n')) {
    const m = /^'([^']+\.debian\.tar\.xz)' (\S+) \d+ SHA256:([0-9a-f]{64})$/.exec(line);
    if (!m) continue;
    const [, uri, name, sha] = m as unknown as [string, string, string, string];
    const file = path.join(CACHE, name);
    try {
      execFileSync('curl', ['-sSfLo', `${file}.part`, uri], { stdio: ['ignore', 'ignore', 'pipe'] });
    } catch {
      process.stderr.write(`debian-patches: ${name} is not on the mirror, trying an older version\n`);
      continue;
    }
    execFileSync('sha256sum', ['-c', '--quiet'], { input: `${sha}  ${file}.part\n` });
    fs.renameSync(`${file}.part`, file);
    return file;
  }
  throw new Error('no debian.tar.xz of linux 6.1 could be downloaded');
}

/** A patch of the series: its text, and the files it changes as they were just before it and just after it. */
export interface DebianChange {
  name: string;
  text: string;
  old: Record<string, string | null>;
  new: Record<string, string | null>;
}

/**
 * Debian's patches (in series order) that `wanted` accepts, each as the
 * change it makes. The tree on disk is Debian's linux-source, the series
 * applied; the series is undone from its end, so a patch is undone on the
 * tree as it was right after it (later patches may touch its lines).
 * `skipped`: wanted patches that do not undo on this tree.
 */
export function debianChanges(tree: string, scratch: string, wanted: (text: string) => boolean): { changes: DebianChange[]; skipped: string[]; tarball: string } {
  const tarball = debianTarball();
  const dir = path.join(scratch, 'debian');
  fs.mkdirSync(dir);
  execFileSync('tar', ['-xJf', tarball, '-C', dir, 'debian/patches']);
  const patches = path.join(dir, 'debian/patches');
  const series = fs.readFileSync(path.join(patches, 'series'), 'utf8').split('\n').map((l) => l.trim().split(/\s+/)[0]!).filter((l) => l && !l.startsWith('#'));
  const changes: DebianChange[] = [];
  const skipped: string[] = [];
  let state: Record<string, string | null> = {};
  const read = (f: string): string | undefined => (f in state ? (state[f] ?? undefined) : readTreeFile(tree, f));
  for (const name of [...series].reverse()) {
    const text = fs.readFileSync(path.join(patches, name), 'utf8');
    let undone;
    try {
      undone = applyPatches([{ name, text }], read, { reverse: true });
    } catch (e) {
      // The source tarball lacks what Debian's dfsg patches delete, and the tree may be another 6.1 version than the patches.
      if (wanted(text)) skipped.push(`${name}: ${(e as Error).message}`);
      continue;
    }
    const after = state;
    state = { ...state, ...undone };
    if (wanted(text)) changes.unshift({ name, text, old: state, new: after });
  }
  return { changes, skipped, tarball };
}

export function readTreeFile(tree: string, file: string): string | undefined {
  const p = path.join(tree, file);
  return fs.existsSync(p) ? fs.readFileSync(p, 'utf8') : undefined;
}
