/**
 * cover: configurations under which every line a patch adds (or changes) is
 * compiled, each the smallest change to a base .config that `resolve` finds.
 *
 * A line counts when the build reads it: a code line of a C or assembler
 * source (its object compiled, its #if blocks taken, as `query --builds`
 * asks) or of a header (its own #if blocks taken; which sources include it
 * is not followed), a Makefile/Kbuild line (the objects it names compiled,
 * the directory it names visited, else its makefile read), a Kconfig line
 * inside a bool/tristate symbol's definition (the symbol enabled; a choice's: one of its members enabled). Lines no
 * valid configuration compiles (with the base's toolchain) are listed with the reason. When one
 * configuration cannot take every line (#ifdef and #else of one block), the
 * lines are split greedily: each configuration takes as many of the lines
 * left as can hold together, largest groups first. That keeps the count of
 * configurations low but not always the least.
 */
import * as path from 'node:path';
import { and, evaluate, FALSE, not, or, someFree, sym, toKconfig, type Cond } from '../kbuild/condition.js';
import { lineConditions } from '../kbuild/cpp.js';
import { objectOf, type KbuildTree } from '../kbuild/tree.js';
import type { KSymbol } from '../model/types.js';
import type { SourceFiles } from '../parse/files.js';
import { kbuildTree, notBuilt, objectCond, sessionTypes, withModule } from './builds.js';
import { query, resolveExpression, toolchainLiterals } from './query.js';
import { resolve, type Change } from './resolve.js';
import type { ConfigEntry, ConfigValues, Session } from './session.js';

export interface CoverLine {
  file: string;
  line: number;
  text: string;
  /** Index into `configs` of the first configuration that compiles the line; absent: none can. */
  config?: number;
  /** Why no valid configuration compiles the line. */
  reason?: string;
}

export interface CoverConfig {
  /** The base's values changed, as `resolve` counts them. */
  changes: Change[];
  /** The configuration as conf writes it. */
  config: ConfigEntry[];
  /** Lines this configuration compiles that no configuration before it does. */
  lines: number;
}

export interface CoverResult {
  arch: string;
  /** The lines that count (see the module comment), in patch order. */
  lines: CoverLine[];
  configs: CoverConfig[];
}

export interface CoverOptions {
  /** The tree with the patch applied. */
  files: SourceFiles;
  /** File → the lines the patch adds (1-based, in the patched text). */
  added: Record<string, number[]>;
  /** Largest change to the base looked for per configuration (default 12; past it the witness nearest the base). */
  maxChanges?: number;
}

interface Target {
  file: string;
  line: number;
  text: string;
  cond: Cond;
  /** Set when the line cannot be compiled for a reason found before any solving (no makefile names the source). */
  reason?: string;
}

export function cover(session: Session, base: ConfigValues, options: CoverOptions): CoverResult {
  const arch = session.arch!;
  const { files, added } = options;
  const tree = kbuildTree(session, files, [...new Set(Object.keys(added).map((f) => path.posix.dirname(f)))]);
  const targets = Object.entries(added).flatMap(([file, lines]) => fileTargets(session, tree, files, file, lines));

  // One question per distinct condition: a patch's lines share a handful.
  const types = sessionTypes(session);
  const groups = new Map<string, { cond: Cond; targets: Target[] }>();
  for (const t of targets) {
    if (t.reason !== undefined) continue;
    const cond = someFree(t.cond);
    const expr = toKconfig(cond, types);
    const g = groups.get(expr) ?? { cond, targets: [] };
    g.targets.push(t);
    groups.set(expr, g);
  }
  const exprs = new Map([...groups.keys()].map((e) => [e, resolveExpression(session, e)]));
  session.formula.coverComparisons([...exprs.values(), ...session.valueComparisons(base)]);
  // The base's toolchain holds throughout: conf run with it must accept every configuration made.
  const toolchain = toolchainLiterals(session, base);
  const lit = new Map([...exprs].map(([e, x]) => [e, session.formula.holds(x)]));
  const reasons = new Map<Target, string>();
  let left: string[] = [];
  for (const [expr, g] of groups) {
    if (session.formula.solve([...toolchain, lit.get(expr)!]) === 'sat') left.push(expr);
    else {
      const why = unsatReason(session, expr, g.cond, base);
      for (const t of g.targets) reasons.set(t, why);
    }
  }
  left.sort((a, b) => groups.get(b)!.targets.length - groups.get(a)!.targets.length);

  const configs: CoverConfig[] = [];
  const coveredBy = new Map<Target, number>();
  while (left.length > 0) {
    const pick: string[] = [];
    for (const expr of left) if (session.formula.solve([...toolchain, ...[...pick, expr].map((e) => lit.get(e)!)]) === 'sat') pick.push(expr);
    const config = nearestConfig(session, pick, base, options.maxChanges ?? 12);
    const values = new Map(config.config.map((e) => [e.name, e.value]));
    const index = configs.length;
    configs.push(config);
    // The picked groups hold by construction; the others may hold too.
    left = left.filter((expr) => {
      const g = groups.get(expr)!;
      if (!pick.includes(expr) && evaluate(g.cond, values) !== true) return true;
      for (const t of g.targets) coveredBy.set(t, index);
      config.lines += g.targets.length;
      return false;
    });
  }
  const lines = targets.map((t): CoverLine => {
    const line: CoverLine = { file: t.file, line: t.line, text: t.text };
    const index = coveredBy.get(t);
    if (index !== undefined) line.config = index;
    else line.reason = t.reason ?? reasons.get(t)!;
    return line;
  });
  return { arch, lines, configs };
}

/** The lines of one patched file that count, each with the condition under which the build reads it. */
function fileTargets(session: Session, tree: KbuildTree, files: SourceFiles, file: string, added: number[]): Target[] {
  const text = files.read(file);
  if (text === undefined) return [];
  const all = text.split('\n');
  const target = (line: number, cond: Cond, reason?: string): Target => ({ file, line, text: all[line - 1]!.trim(), cond, ...(reason !== undefined ? { reason } : {}) });
  const base = path.posix.basename(file);
  const object = objectOf(file);
  if (object !== undefined || file.endsWith('.h')) {
    const lc = lineConditions(file, text, tree.free);
    const code = added.filter((l) => lc.code[l - 1]);
    if (object === undefined) return code.map((l) => target(l, lc.cond[l - 1]!));
    const obj = tree.objects.get(object);
    if (!obj) {
      const reason = notBuilt(tree, object, file, session.arch!).message;
      return code.map((l) => target(l, FALSE, reason));
    }
    const built = objectCond(tree, obj);
    const moduleCond = tree.moduleCond(obj);
    return code.map((l) => target(l, and(built, withModule(lc.cond[l - 1]!, moduleCond))));
  }
  const meaningful = added.filter((l) => !/^\s*(#.*)?$/.test(all[l - 1] ?? ''));
  if (base === 'Makefile' || base === 'Kbuild') {
    const dir = path.posix.dirname(file);
    const at = new Map<number, Cond[]>();
    const note = (line: number, c: Cond): void => void at.set(line, [...(at.get(line) ?? []), c]);
    for (const obj of tree.objects.values()) for (const n of obj.namings) if (n.loc.file === file) note(n.loc.line, objectCond(tree, obj));
    for (const d of tree.dirs.values()) for (const l of d.listings) if (l.loc.file === file) note(l.loc.line, tree.visited(d.path));
    return meaningful.map((l) => target(l, at.has(l) ? or(...at.get(l)!) : tree.visited(dir)));
  }
  if (base.startsWith('Kconfig')) {
    // The definition a line belongs to: the nearest one above it in the file. A choice has no name an
    // expression can hold: its lines count when one of its members is enabled.
    const enabled = (s: KSymbol): Cond => (s.ownChoice ? or(...s.ownChoice.members.map(enabled)) : not(sym(s.name, 'n')));
    const defs = session.model.symbols.flatMap((s) => (s.type === 'bool' || s.type === 'tristate' ? s.definitions.filter((d) => d.loc.file === file).map((d) => ({ s, line: d.loc.line })) : []));
    defs.sort((a, b) => a.line - b.line);
    return meaningful.flatMap((l) => {
      const def = defs.filter((d) => d.line <= l).pop();
      return def ? [target(l, enabled(def.s))] : [];
    });
  }
  return [];
}

/** Why no valid configuration satisfies the condition: the decisive Kconfig lines, or the #if/Kbuild lines alone. */
function unsatReason(session: Session, expr: string, cond: Cond, base: ConfigValues): string {
  if (cond.k === 'false') return `its #if and Kbuild conditions never hold on ${session.arch}`;
  const chain = query(session, [expr], { toolchain: base }).explanation?.chain ?? [];
  const facts = chain.flatMap((c) => c.facts).slice(0, 3);
  const where = facts.map((f) => `${f.loc.file}:${f.loc.line}: ${f.text}`).join('; ');
  return `no valid configuration on ${session.arch} compiles it${where ? ` (${where})` : ''}`;
}

/** The configuration closest to the base where every wish holds: resolve's first diagnosis, else the query witness nearest the base. */
function nearestConfig(session: Session, wishes: string[], base: ConfigValues, maxChanges: number): CoverConfig {
  const d = resolve(session, wishes, base, { max: 1, maxChanges, toolchain: base }).diagnoses[0];
  if (d) return { changes: d.changes, config: d.config, lines: 0 };
  const a = query(session, wishes, { base, explain: false });
  const changes = (a.changedFromBase ?? []).map((c) => ({ name: c.name, from: c.base, to: c.witness }));
  return { changes, config: a.witness!.config, lines: 0 };
}
