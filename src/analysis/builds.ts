/**
 * Build questions: can these files (and lines of them) be compiled together,
 * with these Kconfig expressions? The Kbuild condition of each file's object
 * and the preprocessor condition of each line (src/kbuild) become one
 * Kconfig expression that `query` answers: yes with a witness .config whose
 * Kbuild evaluation compiles every object, no with the Kconfig lines that
 * rule it out and the Kbuild lines that name the objects.
 */
import * as path from 'node:path';
import { KconfsatError, type SourceLocation } from '../errors.js';
import { and, evaluate, freeInputs, or, replaceFree, someFree, toKconfig, TRUE, type Cond, type SymbolTypes } from '../kbuild/condition.js';
import { lineConditions } from '../kbuild/cpp.js';
import type { FreeInput } from '../kbuild/make.js';
import { KbuildTree, objectOf, type ConfigAlternatives, type KbuildObject } from '../kbuild/tree.js';
import { srcArchFor } from '../model/arch.js';
import { OUTSIDE_ROOT, type SourceFiles } from '../parse/files.js';
import { openTree } from '../model/load.js';
import { query, type QueryAnswer, type QueryOptions } from './query.js';
import type { Session } from './session.js';

/** `FILE` or `FILE:LINE`, the file relative to the tree (or absolute, inside it). */
export interface BuildTarget {
  file: string;
  line?: number;
}

export interface KbuildLine {
  file: string;
  line: number;
  /** What the line does for the object: names its directory, names the object, or is an #if around the line. */
  role: 'directory' | 'object' | 'line';
  text: string;
}

export interface BuildTargetAnswer {
  target: string;
  object: string;
  /** With a witness: how the witness builds the object. */
  mode?: 'y' | 'm';
  /** The Kbuild (and, for a line, #if) lines behind the condition. */
  lines: KbuildLine[];
  /** Free inputs the condition involves (make functions, non-CONFIG macros): the answer holds for some value of them. */
  freeInputs: { text: string; loc: SourceLocation }[];
}

export interface BuildAnswer extends QueryAnswer {
  targets: BuildTargetAnswer[];
}

export interface BuildQueryOptions extends Pick<QueryOptions, 'base' | 'toolchain'> {
  /** The tree's files (default: read from the session's tree, confined to it). */
  files?: SourceFiles;
  /** Only built in (y) or only as a module (m); default either. */
  mode?: 'y' | 'm';
}

/** No makefile of the arch names the file's object: across arches, that arch's answer rather than an error. */
export class NotBuiltError extends KconfsatError {
  constructor(message: string) {
    super('usage', message);
  }
}

/** Parses `FILE[:LINE]`. */
export function parseTarget(text: string): BuildTarget {
  const m = /^(.*):([0-9]+)$/.exec(text);
  if (m && m[1] !== '') return { file: m[1]!, line: Number(m[2]) };
  return { file: text };
}

/** The Kconfig symbols' types as Kbuild's auto.conf reads them (undefined: not defined on this arch). */
export function sessionTypes(session: Session): SymbolTypes {
  return (name) => {
    const s = session.model.byName.get(name);
    return s && s.definitions.length > 0 ? s.type : undefined;
  };
}

/** The values `$(CONFIG_X)` takes on this arch: a string/int/hex value is left free. */
export function sessionAlternatives(types: SymbolTypes): ConfigAlternatives {
  return (name) => {
    const type = types(name);
    if (type === undefined) return [{ text: '', cond: TRUE }];
    if (type === 'bool') return [{ text: 'y', cond: { k: 'sym', name, value: 'y' } }, { text: '', cond: { k: 'sym', name, value: 'n' } }];
    if (type === 'tristate')
      return [
        { text: 'y', cond: { k: 'sym', name, value: 'y' } },
        { text: 'm', cond: { k: 'sym', name, value: 'm' } },
        { text: '', cond: { k: 'sym', name, value: 'n' } },
      ];
    return undefined;
  };
}

/** The Kbuild tree of the session's tree and arch, read down to the given directories only (all when none). */
export function kbuildTree(session: Session, files: SourceFiles, toward?: string[]): KbuildTree {
  const arch = session.arch;
  if (arch === undefined) throw new KconfsatError('usage', 'a build question needs --arch');
  const tree = new KbuildTree({ files, arch, srcarch: srcArchFor(arch), config: sessionAlternatives(sessionTypes(session)) });
  return tree.walk(toward);
}

/** A target's file relative to the tree; an error when it leads out of the tree or is not there. */
export function treeRelative(files: SourceFiles, file: string): string {
  const rel = path.isAbsolute(file) ? path.relative(files.root, file) : path.posix.normalize(file);
  if (rel === '' || rel.startsWith('..') || path.isAbsolute(rel)) throw new KconfsatError('usage', `${file} is outside the tree ${files.root}`);
  const text = files.readConfined(rel);
  if (text === OUTSIDE_ROOT) throw new KconfsatError('usage', `${file} leads outside the tree ${files.root}`);
  if (text === undefined) throw new KconfsatError('io', `${file}: no such file in the tree ${files.root}`);
  return rel;
}

interface Prepared {
  answer: BuildTargetAnswer;
  cond: Cond;
  built: Cond;
  moduleCond: Cond;
}

export function buildQuery(session: Session, targetTexts: string[], expressions: string[] = [], options: BuildQueryOptions = {}): BuildAnswer {
  const files = options.files ?? openTree(session.options.tree);
  const targets = targetTexts.map((t) => {
    const target = parseTarget(t);
    const file = treeRelative(files, target.file);
    const object = objectOf(file);
    if (!object) throw new KconfsatError('usage', `${target.file}: not a .c, .S or .rs file (its object is what the build compiles)`);
    return { text: t, target, file, object };
  });
  const tree = kbuildTree(session, files, [...new Set(targets.map((t) => path.posix.dirname(t.object)))]);
  const free: FreeInput[] = tree.free;
  const prepared: Prepared[] = targets.map(({ text, target, file, object }) => {
    const obj = tree.objects.get(object);
    if (!obj) throw notBuilt(tree, object, target.file, session.arch!);
    const moduleCond = tree.moduleCond(obj);
    const built = objectCond(tree, obj, options.mode);
    const lines: Omit<KbuildLine, 'text'>[] = [
      ...tree.path(obj.dir).map((l) => ({ file: l.loc.file, line: l.loc.line, role: 'directory' as const })),
      ...obj.namings.map((n) => ({ file: n.loc.file, line: n.loc.line, role: 'object' as const })),
    ];
    let cond = built;
    if (target.line !== undefined) {
      const lc = lineConditions(file, files.read(file) ?? '', free);
      if (target.line < 1 || target.line > lc.cond.length) throw new KconfsatError('usage', `${text}: ${file} has ${lc.cond.length} lines`);
      cond = and(cond, withModule(lc.cond[target.line - 1]!, moduleCond));
      for (const line of lc.branches[target.line - 1]!) lines.push({ file, line, role: 'line' });
    }
    const answer: BuildTargetAnswer = {
      target: text,
      object,
      lines: dedupe(lines).map((l) => ({ ...l, text: lineText(files, l.file, l.line) })),
      freeInputs: [...freeInputs(cond).values()].map((f) => ({ text: f.text, loc: f.loc })),
    };
    return { answer, cond, built, moduleCond };
  });
  const types = sessionTypes(session);
  const condition = toKconfig(someFree(and(...prepared.map((p) => p.cond))), types);
  const answer = query(session, [condition, ...expressions], { ...(options.base ? { base: options.base } : {}), ...(options.toolchain ? { toolchain: options.toolchain } : {}) });
  const result: BuildAnswer = { ...answer, expressions, targets: prepared.map((p) => p.answer) };
  if (answer.witness) {
    const values = new Map(answer.witness.config.map((e) => [e.name, e.value]));
    for (const p of prepared) {
      // The witness's own Kbuild evaluation: undefined only where a free input decides.
      const built = evaluate(p.built, values);
      if (built === false) throw new Error(`internal: the witness does not build ${p.answer.object}`);
      p.answer.mode = options.mode ?? (evaluate(p.moduleCond, values) === true ? 'm' : 'y');
    }
  }
  return result;
}

/** The error for a source whose object no makefile of the arch names, saying which makefile stops short. */
export function notBuilt(tree: KbuildTree, object: string, file: string, arch: string): NotBuiltError {
  const dir = path.posix.dirname(object);
  const entry = tree.dirs.get(dir);
  const why = entry?.makefile ? `${entry.makefile} names no ${path.posix.basename(object)}` : `no makefile names the directory ${dir}/`;
  return new NotBuiltError(`${file}: no makefile builds it for ${arch} (${why})`);
}

/** When the object is compiled: built in, as a module, or (no mode) either. */
export function objectCond(tree: KbuildTree, obj: KbuildObject, mode?: 'y' | 'm'): Cond {
  if (mode === 'y') return tree.builtinCond(obj);
  if (mode === 'm') return tree.moduleCond(obj);
  return or(tree.builtinCond(obj), tree.moduleCond(obj));
}

/** A line's #if condition with MODULE read: it is defined exactly when the object is compiled for a module. */
export function withModule(lineCond: Cond, moduleCond: Cond): Cond {
  let c = lineCond;
  // `MODULE` (IS_REACHABLE, `#if MODULE`) and `defined(MODULE)` (`#ifdef MODULE`): Kbuild's -DMODULE.
  for (const f of freeInputs(c).values()) if (f.text === 'MODULE' || f.text === 'defined(MODULE)') c = replaceFree(c, f.id, moduleCond);
  return c;
}

/** `values --builds`: how one file's object can be compiled on the session's arch, each way with a witness or the reason not. */
export interface BuildValues {
  target: string;
  arch: string;
  /** Built in (y), as a module (m): the ways some valid configuration compiles it; [] none. */
  values: ('y' | 'm')[];
  y?: BuildAnswer;
  m?: BuildAnswer;
  /** No makefile of this arch names the object. */
  error?: string;
}

export function buildValues(session: Session, target: string, options: Omit<BuildQueryOptions, 'mode'> = {}): BuildValues {
  const arch = session.arch!;
  const ask = (mode: 'y' | 'm'): BuildAnswer => buildQuery(session, [target], [], { ...options, mode });
  let y: BuildAnswer;
  try {
    y = ask('y');
  } catch (e) {
    if (e instanceof NotBuiltError) return { target, arch, values: [], error: e.message };
    throw e;
  }
  const m = ask('m');
  return { target, arch, values: [...(y.satisfiable ? ['y' as const] : []), ...(m.satisfiable ? ['m' as const] : [])], y, m };
}

function lineText(files: SourceFiles, file: string, line: number): string {
  return (files.read(file) ?? '').split('\n')[line - 1]?.trim() ?? '';
}

function dedupe<T extends { file: string; line: number; role: string }>(lines: T[]): T[] {
  const seen = new Set<string>();
  return lines.filter((l) => {
    const key = `${l.file}:${l.line}:${l.role}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

export interface KbuildInfo {
  arch: string;
  makefiles: number;
  directories: number;
  objects: number;
  /** Constructs read as free inputs, by file:line. */
  freeInputs: { text: string; loc: SourceLocation }[];
}

/** The whole Kbuild tree of the session's arch: what it reads and what it could not. */
export function kbuildInfo(session: Session, options: BuildQueryOptions = {}): KbuildInfo {
  const tree = kbuildTree(session, options.files ?? openTree(session.options.tree));
  return {
    arch: session.arch!,
    makefiles: tree.makefiles,
    directories: tree.dirs.size,
    objects: tree.objects.size,
    freeInputs: tree.free.map((f) => ({ text: f.text, loc: f.loc })),
  };
}
