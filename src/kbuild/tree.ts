/**
 * The Kbuild tree: from the top-level Kbuild file (with the arch Makefile's
 * core-y, drivers-y and libs-y, as the top Makefile hands them on as
 * ARCH_CORE, ARCH_DRIVERS and ARCH_LIB) down through every directory an
 * `obj-`/`subdir-` line names, the condition under which each directory is
 * visited and each object compiled, built in (y) or as a module (m). The
 * rules are those of scripts/Makefile.build and Makefile.lib: a directory's
 * obj-y objects are compiled only when every directory above it was named
 * in obj-y (need-builtin); obj-m objects and lib-y objects whenever the
 * directory is visited (obj-m only with MODULES=y); an object with `foo-y`,
 * `foo-objs` (or `foo-m` for a module) is a composite and its parts are
 * compiled instead.
 */
import * as path from 'node:path';
import { KconfsatError, type SourceLocation } from '../errors.js';
import { OUTSIDE_ROOT, type SourceFiles } from '../parse/files.js';
import { and, FALSE, not, or, sym, TRUE, type Cond } from './condition.js';
import { MakeState, type FreeInput, type MakeContext, type Word } from './make.js';

/** How a directory is named by the one above it. */
export interface Listing {
  parent: string;
  cond: Cond;
  /** Named in obj-y (its obj-y objects are then wanted built in). */
  builtin: boolean;
  loc: SourceLocation;
}

export interface KbuildDir {
  path: string;
  /** The Kbuild or Makefile read for it. */
  makefile: string;
  listings: Listing[];
}

/** Where an object is named, and under which local condition (the directory's condition not included). */
export interface Naming {
  kind: 'y' | 'm' | 'lib';
  cond: Cond;
  loc: SourceLocation;
}

export interface KbuildObject {
  /** Path of the .o, relative to the tree. */
  path: string;
  dir: string;
  namings: Naming[];
}

export type ConfigAlternatives = MakeContext['config'];

/** Every value a CONFIG_ variable can have in auto.conf: y, m or absent, each under its condition. */
export const anyTristate: ConfigAlternatives = (name) => [
  { text: 'y', cond: sym(name, 'y') },
  { text: 'm', cond: sym(name, 'm') },
  { text: '', cond: sym(name, 'n') },
];

export interface KbuildTreeOptions {
  files: SourceFiles;
  /** ARCH; SRCARCH is derived by the caller. */
  arch: string;
  srcarch: string;
  config?: ConfigAlternatives;
}

export class KbuildTree {
  readonly dirs = new Map<string, KbuildDir>();
  readonly objects = new Map<string, KbuildObject>();
  readonly free: FreeInput[] = [];
  /** Makefiles read. */
  makefiles = 0;
  private readonly ctx: MakeContext;
  /** The arch Makefile's exported variables (BITS, ...), which every Kbuild file sees. */
  private exported: [string, Word[]][] = [];
  private readonly visitedMemo = new Map<string, Cond>();
  private readonly builtinMemo = new Map<string, Cond>();

  constructor(readonly options: KbuildTreeOptions) {
    const files = options.files;
    this.ctx = {
      config: options.config ?? anyTristate,
      free: this.free,
      include: (name) => {
        const rel = path.posix.normalize(name.replace(/^\$\(srctree\)\//, ''));
        if (path.posix.isAbsolute(rel) || rel.startsWith('..')) return undefined;
        const text = files.readConfined(rel);
        return typeof text === 'string' ? { file: rel, text } : undefined;
      },
    };
  }

  /**
   * Reads the makefiles from the top down: every directory, or with `toward`
   * only those on the way to these directories (what a file's question needs).
   */
  walk(toward?: string[]): this {
    const arch = this.archLists();
    const queue: string[] = ['.'];
    this.dirs.set('.', { path: '.', makefile: 'Kbuild', listings: [] });
    const leadsTo = (dir: string): boolean => toward === undefined || toward.some((t) => t === dir || t.startsWith(`${dir}/`));
    for (let i = 0; i < queue.length; i++) {
      const dir = queue[i]!;
      for (const child of this.readDir(dir, dir === '.' ? arch : [])) {
        if (!leadsTo(child)) continue;
        if (!queue.includes(child)) queue.push(child);
      }
    }
    return this;
  }

  /** The arch Makefile's lists, as the top Makefile exports them to the top Kbuild. */
  private archLists(): [string, Word[]][] {
    const { srcarch } = this.options;
    const file = `arch/${srcarch}/Makefile`;
    const text = this.options.files.readConfined(file);
    const state = this.state('.');
    state.set('libs-y', 'lib/');
    state.set('core-y', '');
    state.set('drivers-y', '');
    if (typeof text === 'string') {
      this.makefiles++;
      state.read(file, text);
    }
    const dirsOnly = (words: Word[]): Word[] => words.filter((w) => w.word.endsWith('/'));
    this.exported = [...state.exported].filter((name) => /^[A-Za-z_][A-Za-z0-9_]*$/.test(name)).map((name) => [name, state.words(name)]);
    return [
      ['ARCH_CORE', state.words('core-y')],
      ['ARCH_LIB', dirsOnly(state.words('libs-y'))],
      ['ARCH_DRIVERS', [...state.words('drivers-y'), ...state.words('drivers-m')]],
    ];
  }

  private state(dir: string): MakeState {
    const state = new MakeState(this.ctx);
    state.set('srctree', '.');
    state.set('objtree', '.');
    state.set('obj', dir);
    state.set('src', dir);
    state.set('ARCH', this.options.arch);
    state.set('SRCARCH', this.options.srcarch);
    return state;
  }

  /** Reads one directory's makefile; returns the directories it names. */
  private readDir(dir: string, preset: [string, Word[]][]): string[] {
    const entry = this.dirs.get(dir)!;
    const kbuild = dir === '.' ? 'Kbuild' : `${dir}/Kbuild`;
    let name = kbuild;
    let text = this.options.files.readConfined(kbuild);
    if (typeof text !== 'string') {
      name = dir === '.' ? 'Makefile' : `${dir}/Makefile`;
      text = this.options.files.readConfined(name);
    }
    if (text === OUTSIDE_ROOT) throw new KconfsatError('io', `${name} leads outside the tree`);
    entry.makefile = name;
    if (text === undefined) return [];
    this.makefiles++;
    const state = this.state(dir);
    for (const [v, words] of [...this.exported, ...preset]) state.setWords(v, words);
    state.read(name, text);

    const objY = state.words('obj-y');
    const inY = (w: string): Cond => or(...objY.filter((x) => x.word === w).map((x) => x.cond));
    const objM = state.words('obj-m').map((w) => ({ ...w, cond: and(w.cond, not(inY(w.word))) }));
    const children: string[] = [];
    const child = (w: Word, builtin: boolean): void => {
      const rel = resolveIn(dir, w.word.replace(/\/$/, ''));
      if (rel === undefined || w.cond.k === 'false') return;
      let c = this.dirs.get(rel);
      if (!c) this.dirs.set(rel, (c = { path: rel, makefile: '', listings: [] }));
      c.listings.push({ parent: dir, cond: w.cond, builtin, loc: w.loc });
      if (!children.includes(rel)) children.push(rel);
    };
    for (const w of objY) if (w.word.endsWith('/')) child(w, true);
    for (const w of objM) if (w.word.endsWith('/')) child(w, false);
    for (const v of ['subdir-y', 'subdir-m']) for (const w of state.words(v)) child(w, false);

    const parts = (base: string, suffixes: string[]): Word[] => suffixes.flatMap((s) => state.words(`${base}${s}`));
    const add = (obj: string, naming: Naming): void => {
      const rel = resolveIn(dir, obj);
      if (rel === undefined || naming.cond.k === 'false') return;
      let o = this.objects.get(rel);
      if (!o) this.objects.set(rel, (o = { path: rel, dir, namings: [] }));
      o.namings.push(naming);
    };
    const objects = (words: Word[], kind: 'y' | 'm', suffixes: string[]): void => {
      for (const w of words) {
        if (!w.word.endsWith('.o')) continue;
        const base = w.word.slice(0, -2);
        const components = parts(base, suffixes);
        const composite = or(...[...components, ...parts(base, ['-'])].map((c) => c.cond));
        add(w.word, { kind, cond: and(w.cond, not(composite)), loc: w.loc });
        for (const c of components) if (c.word.endsWith('.o')) add(c.word, { kind, cond: and(w.cond, c.cond), loc: c.loc });
      }
    };
    objects(objY, 'y', ['-objs', '-y']);
    objects(objM, 'm', ['-objs', '-y', '-m']);
    for (const w of [...state.words('lib-y'), ...state.words('lib-m')]) {
      if (w.word.endsWith('.o')) add(w.word, { kind: 'lib', cond: and(w.cond, not(inY(w.word))), loc: w.loc });
    }
    return children;
  }

  /** When make visits the directory at all. */
  visited(dir: string): Cond {
    return this.dirCond(dir, this.visitedMemo, false);
  }

  /** When the directory's obj-y objects are wanted built in (every directory above named it in obj-y). */
  builtin(dir: string): Cond {
    return this.dirCond(dir, this.builtinMemo, true);
  }

  private dirCond(dir: string, memo: Map<string, Cond>, builtin: boolean): Cond {
    if (dir === '.') return TRUE;
    const known = memo.get(dir);
    if (known) return known;
    memo.set(dir, FALSE); // a directory that names its own ancestor adds nothing
    const listings = this.dirs.get(dir)?.listings ?? [];
    const c = or(...listings.filter((l) => !builtin || l.builtin).map((l) => and(this.dirCond(l.parent, memo, builtin), l.cond)));
    memo.set(dir, c);
    return c;
  }

  /** When the object is compiled to be built in. */
  builtinCond(obj: KbuildObject): Cond {
    const y = or(...obj.namings.filter((n) => n.kind === 'y').map((n) => n.cond));
    const lib = or(...obj.namings.filter((n) => n.kind === 'lib').map((n) => n.cond));
    return or(and(this.builtin(obj.dir), y), and(this.visited(obj.dir), lib));
  }

  /** When the object is compiled as (part of) a module: make builds modules only with MODULES=y. */
  moduleCond(obj: KbuildObject): Cond {
    const m = or(...obj.namings.filter((n) => n.kind === 'm').map((n) => n.cond));
    return and(this.visited(obj.dir), sym('MODULES', 'y'), m);
  }

  /** The directories from the top down to `dir` that name it, with their lines (for explanations). */
  path(dir: string): Listing[] {
    const out: Listing[] = [];
    const seen = new Set<string>();
    const visit = (d: string): void => {
      if (d === '.' || seen.has(d)) return;
      seen.add(d);
      for (const l of this.dirs.get(d)?.listings ?? []) {
        visit(l.parent);
        out.push(l);
      }
    };
    visit(dir);
    return out;
  }
}

/** A path a makefile in `dir` names, relative to the tree; undefined when it leads out. */
function resolveIn(dir: string, name: string): string | undefined {
  if (name === '' || name.includes('$') || path.posix.isAbsolute(name)) return undefined;
  const rel = path.posix.normalize(dir === '.' ? name : `${dir}/${name}`);
  return rel.startsWith('..') ? undefined : rel;
}

/** The object a C or assembler source compiles to (`foo.c`, `foo.S` → `foo.o`). */
export function objectOf(source: string): string | undefined {
  const m = /^(.*)\.(c|S|rs)$/.exec(source);
  return m ? `${m[1]}.o` : undefined;
}
