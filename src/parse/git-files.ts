/**
 * A tree's files as a git revision holds them, read from git's object store
 * (`git ls-tree`, `git cat-file --batch`) without checking anything out: how
 * `review --rev A..B` sees both ends of a range. The Kconfig files are read
 * in one batch when first asked for; any other file on its own.
 */
import { execFileSync } from 'node:child_process';
import * as path from 'node:path';
import { KconfsatError } from '../errors.js';
import { wellFormed } from '../macro/expander.js';
import { matchGlob, MAX_KCONFIG_FILE_BYTES, OUTSIDE_ROOT, type SourceFiles } from './files.js';

interface Entry {
  mode: string;
  id: string;
}

/** git with the repository's own hooks and monitors kept out (the repository is untrusted input). */
function git(dir: string, args: string[], input?: string): Buffer {
  return execFileSync('git', ['-c', 'core.fsmonitor=false', ...args], {
    cwd: dir,
    input,
    maxBuffer: 1 << 30,
    stdio: ['pipe', 'pipe', 'pipe'],
  });
}

/** `A..B` (B defaults to HEAD) as the two commits' ids; a one-line error when either is not in the repository. */
export function parseRange(dir: string, range: string): { base: string; head: string } {
  const m = /^([^.\s][^\s]*?)\.\.([^.\s][^\s]*)?$/.exec(range);
  if (!m) throw new KconfsatError('usage', `--rev ${range}: not a range BASE..HEAD`);
  return { base: resolveCommit(dir, m[1]!), head: resolveCommit(dir, m[2] ?? 'HEAD') };
}

/** The commit a revision names; a one-line error when the directory is no git repository or lacks it. */
export function resolveCommit(dir: string, rev: string): string {
  if (rev.startsWith('-')) throw new KconfsatError('usage', `${rev}: not a revision`);
  try {
    return git(dir, ['rev-parse', '--verify', '--quiet', '--end-of-options', `${rev}^{commit}`]).toString().trim();
  } catch {
    try {
      git(dir, ['rev-parse', '--git-dir']);
    } catch {
      throw new KconfsatError('io', `${dir}: not a git repository`);
    }
    throw new KconfsatError('io', `${rev}: no such commit in ${dir}`);
  }
}

export class GitSourceFiles implements SourceFiles {
  readonly root: string;
  private readonly entries = new Map<string, Entry>();
  private readonly texts = new Map<string, string>();
  private batched = false;

  /** The tree of `commit` below `dir`'s place in its repository (the whole repository when dir is its top). */
  constructor(
    private readonly dir: string,
    readonly commit: string,
  ) {
    this.root = path.resolve(dir);
    const prefix = git(dir, ['rev-parse', '--show-prefix']).toString().trim();
    const listing = git(dir, ['ls-tree', '-r', '-z', '--full-tree', '--end-of-options', prefix ? `${commit}:${prefix}` : commit]).toString();
    for (const record of listing.split('\0')) {
      const tab = record.indexOf('\t');
      if (tab < 0) continue;
      const [mode, , id] = record.slice(0, tab).split(' ');
      this.entries.set(record.slice(tab + 1), { mode: mode!, id: id! });
    }
  }

  read(name: string): string | undefined {
    const text = this.readConfined(name);
    return text === OUTSIDE_ROOT ? undefined : text;
  }

  /** A symlink counts as leading out: where it leads is not followed in the object store. */
  readConfined(name: string): string | undefined | typeof OUTSIDE_ROOT {
    const n = path.posix.normalize(name);
    if (n.startsWith('/') || n === '..' || n.startsWith('../')) return OUTSIDE_ROOT;
    const entry = this.entries.get(n);
    if (!entry) return undefined;
    if (entry.mode === '120000') return OUTSIDE_ROOT;
    if (!entry.mode.startsWith('100')) return undefined;
    if (!this.batched && path.posix.basename(n).startsWith('Kconfig')) this.readKconfigFiles();
    const known = this.texts.get(n);
    if (known !== undefined) return known;
    const [text] = this.catFiles([n]);
    return text;
  }

  glob(pattern: string): string[] {
    return matchGlob(pattern, this.entries.keys());
  }

  private readKconfigFiles(): void {
    this.batched = true;
    const names = [...this.entries.keys()].filter((n) => path.posix.basename(n).startsWith('Kconfig') && this.entries.get(n)!.mode.startsWith('100'));
    this.catFiles(names);
  }

  /** The blobs of regular files, read with one `git cat-file --batch` and kept. */
  private catFiles(names: string[]): string[] {
    const out = git(this.dir, ['cat-file', '--batch'], names.map((n) => this.entries.get(n)!.id).join('\n') + '\n');
    let at = 0;
    return names.map((name) => {
      const headerEnd = out.indexOf(0x0a, at);
      const size = Number(out.subarray(at, headerEnd).toString().split(' ')[2]);
      if (size > MAX_KCONFIG_FILE_BYTES) throw new KconfsatError('io', `input too large: ${name}, ${size} bytes`);
      const text = wellFormed(out.subarray(headerEnd + 1, headerEnd + 1 + size).toString('utf8'));
      at = headerEnd + 1 + size + 1;
      this.texts.set(name, text);
      return text;
    });
  }
}

/** A commit of a range as `review --each` takes it: reviewed against its first parent. */
export interface RangeCommit {
  commit: string;
  parent: string;
  subject: string;
}

/**
 * The commits of base..head along first parents, oldest first, that change
 * a file named Kconfig* below `dir` (a merge counts by its difference from
 * its first parent: what it brought into the branch). Those are the files
 * `source` reads in the trees kconfsat knows; a change elsewhere cannot
 * change an answer.
 */
export function kconfigCommits(dir: string, base: string, head: string): RangeCommit[] {
  const out = git(dir, ['log', '--first-parent', '--reverse', '--format=%H%x00%P%x00%s', `${base}..${head}`, '--', ':(glob)**/Kconfig*']).toString();
  return out
    .split('\n')
    .filter(Boolean)
    .map((line) => {
      const [commit, parents, subject] = line.split('\0') as [string, string, string];
      const parent = parents.split(' ')[0];
      if (!parent) throw new KconfsatError('usage', `${commit.slice(0, 12)} in ${base.slice(0, 12)}..${head.slice(0, 12)} is a root commit: no parent to review it against`);
      return { commit, parent, subject };
    });
}
