/**
 * What an editor asks about a Kconfig tree while files are being edited:
 * diagnostics for one file, hover, definition and references of a symbol,
 * completion of names and verified fixes, for every arch of the workspace.
 *
 * One warm session per arch holds the tree as the open documents have it.
 * An edit that leaves every line the model is built from where it was (a
 * help text, a comment, blank lines) keeps the sessions and the file's
 * diagnostics; any other edit reloads the sessions on the next question, and
 * a file's diagnostics audit only the selects written in that file.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { KconfsatError, type SourceLocation } from '../errors.js';
import { symbolsOf } from '../model/expr.js';
import { isBoolOrTristate, type KconfigModel, type KSymbol } from '../model/types.js';
import { openTree, type LoadOptions } from '../model/load.js';
import type { Expr, Node, SymbolRef } from '../parse/ast.js';
import type { SourceFiles } from '../parse/files.js';
import { ParseMemo } from '../parse/memo.js';
import { audit, directDependency, groupFindings, type AuditGroup } from './audit.js';
import { deadSymbols } from './dead.js';
import { explain, type Explanation } from './explain.js';
import { fix, type VerifiedRepair } from './fix.js';
import { Session } from './session.js';
import { possibleValues, type PossibleValues } from './values.js';

export interface EditorOptions {
  /** Load options every arch shares (tree, environment, ...); `arch` and `overrides` are the workspace's own. */
  load: LoadOptions;
  /** The arches answers are given for ([undefined] for a tree without arches). */
  arches: (string | undefined)[];
}

export type EditorDiagnosticKind = 'load' | 'macro' | 'undefined' | 'unmet-dependency' | 'dead';

export interface EditorDiagnostic {
  kind: EditorDiagnosticKind;
  severity: 'error' | 'warning' | 'information';
  /** 1-based line and columns; `endColumn` is past the last character. */
  loc: SourceLocation;
  endColumn: number;
  message: string;
  symbol?: string;
  /** The arches where it holds. */
  arches: string[];
  /** unmet-dependency: the audit's finding on each arch, with its witness. */
  finding?: AuditGroup;
  /** dead: why the symbol can never be enabled (on the first arch listed). */
  reason?: Explanation;
}

export interface SymbolHover {
  symbol: string;
  type: KSymbol['type'];
  prompts: string[];
  /**
   * Per arch that defines the symbol: the values it can take (a select
   * forcing it past its dependencies included), and why it can never be y
   * with its dependencies met, when it cannot.
   */
  arches: { arch?: string; values: PossibleValues; neverY?: Explanation }[];
}

export interface EditorFix {
  title: string;
  finding: AuditGroup;
  repair: VerifiedRepair;
  /** The best verified repair of the finding. */
  preferred: boolean;
}

export interface CompletionEntry {
  name: string;
  type: KSymbol['type'];
  prompt?: string;
}

/** Where a symbol is defined and where it is named. */
interface SymbolIndex {
  definitions: Map<string, SourceLocation[]>;
  references: Map<string, SourceLocation[]>;
}

interface ArchState {
  arch?: string;
  session?: Session;
  error?: KconfsatError;
}

/** Reasons explained per file at most: each is a minimal-unsatisfiable-subset search. */
const MAX_DEAD_REASONS = 10;
const MAX_COMPLETIONS = 500;

export class EditorWorkspace {
  private readonly documents = new Map<string, string>();
  private readonly disk: SourceFiles;
  private states: ArchState[] = [];
  /** The documents' texts the sessions were loaded with. */
  private loadedTexts = new Map<string, string>();
  private stale = true;
  /** How many times the sessions were loaded: an edit that leaves the model as it was loads nothing. */
  loads = 0;
  /** Of those loads, how many updated every arch's formula in place, keeping its solver (Formula.updated). */
  updates = 0;
  private index?: SymbolIndex;
  private readonly diagnosticsCache = new Map<string, EditorDiagnostic[]>();
  private archDefined?: Set<string>;
  /** Parses of the tree's files, kept from load to load: an edit parses its file again, and what sources it. */
  private readonly memo = new ParseMemo();

  constructor(private readonly options: EditorOptions) {
    this.disk = openTree(options.load.tree, options.load.allowOutsideRoot);
  }

  get root(): string {
    return this.disk.root;
  }

  get arches(): (string | undefined)[] {
    return this.options.arches;
  }

  /**
   * A file name relative to the tree, from a path or a name relative to the
   * root; a user error for one outside the tree.
   */
  relativeName(file: string): string {
    const absolute = path.resolve(this.root, file);
    const relative = path.relative(path.resolve(this.root), absolute);
    if (relative === '' || relative.startsWith('..') || path.isAbsolute(relative)) {
      throw new KconfsatError('io', `${file} is outside the tree ${this.root}`);
    }
    return relative.split(path.sep).join('/');
  }

  /** Opens or changes a document: the text the editor holds replaces the file's on disk. */
  update(file: string, text: string): void {
    const name = this.relativeName(file);
    this.documents.set(name, text);
    this.noteChange(name, text);
  }

  close(file: string): void {
    const name = this.relativeName(file);
    this.documents.delete(name);
    this.noteChange(name, this.disk.read(name) ?? '');
  }

  /** The text the workspace holds for a file: the open document's, else the file's on disk. */
  text(file: string): string | undefined {
    const name = this.relativeName(file);
    return this.documents.get(name) ?? this.disk.read(name);
  }

  private noteChange(name: string, text: string): void {
    if (this.stale) return;
    const before = this.loadedTexts.get(name) ?? this.disk.read(name) ?? '';
    if (modelLines(before) === modelLines(text)) return;
    this.stale = true;
  }

  /**
   * The load options of the tree as the documents have it: only documents
   * that differ from their file override it, so a tree opened but not edited
   * loads from the session cache.
   */
  private edited(): LoadOptions {
    const load = { ...this.options.load };
    delete load.overrides;
    const changed = [...this.documents].filter(([name, text]) => text !== this.disk.read(name));
    if (changed.length > 0) load.overrides = Object.fromEntries(changed);
    return load;
  }

  /** The sessions, loaded again when an edit changed what they are built from. */
  private current(): ArchState[] {
    if (!this.stale) return this.states;
    const load = this.edited();
    this.memo.reread();
    const open = new Set(this.documents.keys());
    const editable = (model: KconfigModel): Set<string> => editableSymbols(model, open);
    const previous = new Map(this.states.map((s) => [s.arch, s.session]));
    this.states = this.options.arches.map((arch) => {
      const state: ArchState = arch !== undefined ? { arch } : {};
      const options: LoadOptions = { ...load };
      delete options.arch;
      if (arch !== undefined) options.arch = arch;
      try {
        // The previous session's formula, updated where the edit changed constraints (Formula.updated).
        const before = previous.get(arch);
        state.session = before ? Session.reopen(before, options, this.memo, editable) : Session.open(options, this.memo, editable);
      } catch (e) {
        if (!(e instanceof KconfsatError)) throw e;
        state.error = e;
      }
      return state;
    });
    this.loadedTexts = new Map(this.documents);
    this.loads++;
    if (this.states.every((s) => s.session?.formula.kept)) this.updates++;
    this.index = undefined;
    this.diagnosticsCache.clear();
    this.stale = false;
    return this.states;
  }

  private sessions(): Session[] {
    return this.current().flatMap((s) => (s.session ? [s.session] : []));
  }

  /**
   * A file's diagnostics. The reasons of dead symbols are a search each:
   * `reasons: false` leaves them out, so that an editor can show the rest
   * first and the reasons when they come.
   */
  diagnostics(file: string, options: { reasons?: boolean } = {}): EditorDiagnostic[] {
    const name = this.relativeName(file);
    const reasons = options.reasons ?? true;
    this.current();
    const key = `${name}\0${reasons}`;
    let out = this.diagnosticsCache.get(key);
    if (!out) {
      out = reasons ? this.explainDead(this.diagnostics(name, { reasons: false })) : this.findDiagnostics(name);
      this.diagnosticsCache.set(key, out);
    }
    return out;
  }

  private findDiagnostics(name: string): EditorDiagnostic[] {
    const states = this.current();
    const lines = (this.text(name) ?? '').split('\n');
    const out: EditorDiagnostic[] = [];
    const add = (d: Omit<EditorDiagnostic, 'arches'>, arch: string | undefined): void => {
      const same = out.find((o) => o.kind === d.kind && o.message === d.message && o.loc.line === d.loc.line);
      if (same) {
        if (arch !== undefined) same.arches.push(arch);
      } else out.push({ ...d, arches: arch !== undefined ? [arch] : [] });
    };
    for (const state of states) {
      if (state.error) {
        const loc = state.error.location;
        const here = loc?.file === name;
        const at = here ? loc! : { file: name, line: 1, column: 0 };
        add({ kind: 'load', severity: 'error', loc: at, endColumn: lineEnd(lines, at.line), message: here ? state.error.message : `the tree does not load: ${state.error.format()}` }, state.arch);
      }
      for (const m of state.session?.loaded.diagnostics ?? []) {
        if (m.location.file !== name) continue;
        add({ kind: 'macro', severity: m.kind === 'warning' ? 'warning' : 'information', loc: m.location, endColumn: lineEnd(lines, m.location.line), message: m.message }, state.arch);
      }
    }
    out.push(...this.undefinedSymbols(name), ...this.unmetDependencies(name, lines), ...this.deadDiagnostics(name, lines));
    out.sort((a, b) => a.loc.line - b.loc.line || a.loc.column - b.loc.column);
    return out;
  }

  /** The dead symbols' diagnostics with their reasons (the first MAX_DEAD_REASONS), found on the first arch listed. */
  private explainDead(diagnostics: EditorDiagnostic[]): EditorDiagnostic[] {
    let explained = 0;
    return diagnostics.map((d) => {
      if (d.kind !== 'dead' || explained++ >= MAX_DEAD_REASONS) return d;
      const session = this.sessions().find((s) => d.arches.length === 0 || s.arch === d.arches[0])!;
      const sym = session.model.byName.get(d.symbol!)!;
      const reason = explain(session, [session.formula.enabled(sym)], [sym]);
      const because = reason.chain.length ? `: ${reason.chain.map((step) => step.symbol).join(' ← ')}` : '';
      return { ...d, message: `${d.message}${because}`, reason };
    });
  }

  private undefinedSymbols(name: string): EditorDiagnostic[] {
    const sessions = this.sessions();
    const where = this.options.arches.filter((a): a is string => a !== undefined);
    const out: EditorDiagnostic[] = [];
    const seen = new Set<string>();
    this.walk((kind, symbol, at) => {
      const key = `${symbol}\0${at.line}`;
      if (kind !== 'reference' || seen.has(key) || sessions.some((s) => (s.model.byName.get(symbol)?.definitions.length ?? 0) > 0)) return;
      seen.add(key);
      const elsewhere = this.definedInSomeArch(symbol);
      const message = elsewhere
        ? `${symbol} is not defined on ${where.join(', ')} (only by another arch's Kconfig): it is n here`
        : `${symbol} is not defined anywhere in the tree: it is always n`;
      const loc = this.withColumn(symbol, at);
      out.push({ kind: 'undefined', severity: elsewhere ? 'information' : 'warning', loc, endColumn: loc.column + symbol.length, message, symbol, arches: where });
    }, name);
    return out;
  }

  /**
   * Whether any arch's own Kconfig files (arch/NAME/..., which the workspace's
   * arches do not source) define the symbol: read once, without following
   * symlinks, so a name one arch defines is not reported as a typo.
   */
  private definedInSomeArch(symbol: string): boolean {
    if (!this.archDefined) {
      const defined = new Set<string>();
      const walk = (dir: string, depth: number): void => {
        let entries: fs.Dirent[];
        try {
          entries = fs.readdirSync(path.join(this.root, dir), { withFileTypes: true });
        } catch {
          return;
        }
        for (const e of entries) {
          const rel = `${dir}/${e.name}`;
          if (e.isDirectory() && depth < 4) walk(rel, depth + 1);
          else if (e.isFile() && e.name.startsWith('Kconfig')) {
            for (const m of (this.disk.read(rel) ?? '').matchAll(/^\s*(?:menu)?config\s+([A-Za-z0-9_]+)/gm)) defined.add(m[1]!);
          }
        }
      };
      walk('arch', 0);
      this.archDefined = defined;
    }
    return this.archDefined.has(symbol);
  }

  private unmetDependencies(name: string, lines: string[]): EditorDiagnostic[] {
    const findings = this.sessions().flatMap((session) => audit(session, { only: (r) => r.loc.file === name }).findings);
    return groupFindings(findings).map((g) => {
      const column = wordColumn(lines[g.loc.line - 1] ?? '', g.selectee, g.loc.column);
      const first = g.findings[0]!;
      const on = g.arches.length ? ` on ${g.arches.join(', ')}` : '';
      const message =
        `select ${g.selectee}: unmet direct dependencies${on}: ${g.selector}=${first.selectedAt} forces ${g.selectee} ` +
        `while its dependencies (${g.dependsOn}) are ${first.dependsAt} (conf warns "unmet direct dependencies detected for ${g.selectee}")`;
      return { kind: 'unmet-dependency', severity: 'warning', loc: { file: name, line: g.loc.line, column }, endColumn: column + g.selectee.length, message, symbol: g.selectee, arches: g.arches, finding: g };
    });
  }

  /** Symbols defined in the file that no valid configuration of any arch defining them enables. */
  private deadDiagnostics(name: string, lines: string[]): EditorDiagnostic[] {
    const candidates = new Map<string, { where: string[]; live: boolean; loc: SourceLocation }>();
    for (const session of this.sessions()) {
      const symbols = session.model.symbols.filter((s) => isBoolOrTristate(s) && !s.ownChoice && s.definitions.some((d) => d.loc.file === name));
      // The backbone search: a few models settle most symbols at once (asking each value of each symbol took 3-5 times as long).
      const dead = new Set(deadSymbols(session, { only: new Set(symbols.map((s) => s.name)), alwaysOn: false }).dead.map((d) => d.symbol));
      for (const sym of symbols) {
        const entry = candidates.get(sym.name) ?? { where: [], live: false, loc: sym.definitions.find((d) => d.loc.file === name)!.loc };
        candidates.set(sym.name, entry);
        if (!dead.has(sym.name)) entry.live = true;
        else if (session.arch !== undefined) entry.where.push(session.arch);
      }
    }
    const out: EditorDiagnostic[] = [];
    for (const [symbol, entry] of candidates) {
      if (entry.live) continue;
      const column = wordColumn(lines[entry.loc.line - 1] ?? '', symbol, entry.loc.column);
      const on = entry.where.length ? ` on ${entry.where.join(', ')}` : '';
      out.push({
        kind: 'dead',
        severity: 'information',
        loc: { file: name, line: entry.loc.line, column },
        endColumn: column + symbol.length,
        message: `${symbol} can never be enabled${on}`,
        symbol,
        arches: entry.where,
      });
    }
    return out;
  }

  /** The symbol name at a 1-based line and column of a file, if any. */
  symbolAt(file: string, line: number, column: number): string | undefined {
    const text = (this.text(file) ?? '').split('\n')[line - 1];
    if (text === undefined) return undefined;
    const word = wordAround(text, column);
    return word && /^[A-Za-z0-9_]+$/.test(word) ? word : undefined;
  }

  hover(file: string, line: number, column: number): SymbolHover | undefined {
    const name = this.symbolAt(file, line, column);
    if (name === undefined) return undefined;
    let out: SymbolHover | undefined;
    for (const session of this.sessions()) {
      const sym = session.model.byName.get(name);
      if (!sym || sym.definitions.length === 0) continue;
      out ??= { symbol: name, type: sym.type, prompts: [...new Set(sym.prompts.map((p) => p.text))], arches: [] };
      const entry: SymbolHover['arches'][number] = { values: possibleValues(session, sym) };
      if (session.arch !== undefined) entry.arch = session.arch;
      if (session.formula.isTristate(sym)) {
        // y with its dependencies met: what a select forcing it past them reaches does not count.
        const dependency = directDependency(sym);
        const lits = [session.formula.isY(sym), session.formula.holds(dependency)];
        if (session.formula.solve(lits) === 'unsat') entry.neverY = explain(session, lits, [sym, ...[...symbolsOf(dependency)].filter((s) => s.definitions.length > 0)]);
      }
      out.arches.push(entry);
    }
    return out;
  }

  /** The `config` lines of the symbol at the position, over every file any arch sources. */
  definition(file: string, line: number, column: number): SourceLocation[] {
    const name = this.symbolAt(file, line, column);
    return name === undefined ? [] : (this.symbolIndex().definitions.get(name) ?? []).map((loc) => this.withColumn(name, loc));
  }

  /** Every line naming the symbol at the position (its definitions first). */
  references(file: string, line: number, column: number): SourceLocation[] {
    const name = this.symbolAt(file, line, column);
    if (name === undefined) return [];
    const index = this.symbolIndex();
    return [...(index.definitions.get(name) ?? []), ...(index.references.get(name) ?? [])].map((loc) => this.withColumn(name, loc));
  }

  /** Defined symbols whose names start with the word typed before the position. */
  completion(file: string, line: number, column: number): CompletionEntry[] {
    const text = (this.text(file) ?? '').split('\n')[line - 1] ?? '';
    const prefix = /[A-Za-z0-9_]*$/.exec(text.slice(0, Math.max(0, column - 1)))![0];
    const out = new Map<string, CompletionEntry>();
    for (const session of this.sessions()) {
      for (const sym of session.model.symbols) {
        if (out.size >= MAX_COMPLETIONS) break;
        if (sym.definitions.length === 0 || sym.ownChoice || out.has(sym.name) || !sym.name.startsWith(prefix)) continue;
        const entry: CompletionEntry = { name: sym.name, type: sym.type };
        if (sym.prompts[0]) entry.prompt = sym.prompts[0].text;
        out.set(sym.name, entry);
      }
    }
    return [...out.values()];
  }

  /**
   * Verified repairs of the unmet-dependency findings on a line, each checked
   * on every arch of the workspace (fix), best first.
   */
  async fixes(file: string, line: number): Promise<EditorFix[]> {
    const name = this.relativeName(file);
    const groups = this.diagnostics(name, { reasons: false }).flatMap((d) => (d.finding && d.loc.line === line ? [d.finding] : []));
    const out: EditorFix[] = [];
    for (const g of groups) {
      const report = await fix({
        load: this.edited(),
        arches: g.arches.length ? g.arches : [undefined],
        verifyArches: this.options.arches,
        only: [`${g.selector}:${g.selectee}`],
      });
      const verified = report.results.flatMap((r) => r.candidates.filter((c) => c.verified && c.edit.file === name));
      verified.forEach((repair, i) => out.push({ title: `${repair.summary} (verified on ${repair.checkedOn.join(', ') || 'this tree'})`, finding: g, repair, preferred: i === 0 }));
    }
    return out;
  }

  /**
   * Every definition and reference by line, over the files any arch sources.
   * Columns are found when a location is given out (withColumn): finding them
   * for all of Linux's 100,000 references would cost more than the load.
   */
  private symbolIndex(): SymbolIndex {
    if (this.index) return this.index;
    const index: SymbolIndex = { definitions: new Map(), references: new Map() };
    const seen = new Set<string>();
    this.walk((kind, symbol, loc) => {
      const key = `${kind}\0${symbol}\0${loc.file}\0${loc.line}`;
      if (seen.has(key)) return;
      seen.add(key);
      const map = kind === 'definition' ? index.definitions : index.references;
      let list = map.get(symbol);
      if (!list) map.set(symbol, (list = []));
      list.push({ file: loc.file, line: loc.line, column: 0 });
    });
    this.index = index;
    return index;
  }

  /** Every definition and reference of a symbol in the files any arch sources (of one file: `only`), by line. */
  private walk(visit: (kind: 'definition' | 'reference', symbol: string, loc: SourceLocation) => void, only?: string): void {
    // The names are gathered only for lines of the file asked about: one file's diagnostics need not read every expression of the tree.
    const refer = (loc: SourceLocation, names: () => string[]): void => {
      if (only !== undefined && loc.file !== only) return;
      for (const symbol of names()) if (isSymbolName(symbol)) visit('reference', symbol, loc);
    };
    const nodes = (list: Node[]): void => {
      for (const node of list) {
        if (node.kind === 'if') {
          refer(node.loc, () => exprNames(node.condition));
          nodes(node.children);
          continue;
        }
        if ((node.kind === 'config' || node.kind === 'menuconfig' || (node.kind === 'choice' && node.name)) && (only === undefined || node.loc.file === only)) {
          visit('definition', node.name!, node.loc);
        }
        for (const p of node.props) {
          const condition = (): string[] => ('condition' in p && p.condition ? exprNames(p.condition) : []);
          if (p.kind === 'select' || p.kind === 'imply') refer(p.loc, () => [p.target, ...condition()]);
          else if (p.kind === 'depends') refer(p.loc, () => exprNames(p.expr));
          else if (p.kind === 'default') refer(p.loc, () => [...exprNames(p.value), ...condition()]);
          else if (p.kind === 'range') refer(p.loc, () => [...refNames(p.low), ...refNames(p.high), ...condition()]);
          else if (p.kind === 'prompt' || p.kind === 'visible') refer(p.loc, condition);
        }
        if (node.kind === 'choice' || node.kind === 'menu') nodes(node.children);
      }
    };
    for (const session of this.sessions()) nodes(session.loaded.parsed.nodes);
  }

  /** The location with the column where `symbol` is written on its line. */
  private withColumn(symbol: string, loc: SourceLocation): SourceLocation {
    const line = (this.text(loc.file) ?? '').split('\n')[loc.line - 1] ?? '';
    return { file: loc.file, line: loc.line, column: wordColumn(line, symbol, 1) };
  }
}

/**
 * The symbols whose constraints an edit of these files can change without
 * touching another file: those defined there, those a select or imply written
 * there names, and the choices of all of them (a choice reads its members'
 * prompts). The sessions' solvers assume their groups, so an edit changing
 * only them keeps the solvers (Formula.updated).
 */
function editableSymbols(model: KconfigModel, files: ReadonlySet<string>): Set<string> {
  const out = new Set<string>();
  for (const sym of model.symbols) {
    const here = sym.definitions.some((d) => files.has(d.loc.file)) || sym.selectedBy.some((r) => files.has(r.loc.file)) || sym.impliedBy.some((r) => files.has(r.loc.file));
    if (!here) continue;
    out.add(sym.name);
    if (sym.memberOf) out.add(sym.memberOf.symbol.name);
  }
  return out;
}

/** y, m, n and numbers are constants, not symbols. */
function isSymbolName(name: string): boolean {
  return /^[A-Za-z0-9_]+$/.test(name) && !/^[ymn]$/.test(name) && !/^(-?[0-9]+|0[xX][0-9a-fA-F]+)$/.test(name);
}

function refNames(ref: SymbolRef): string[] {
  return ref.kind === 'symbol' ? [ref.name] : [];
}

function exprNames(e: Expr): string[] {
  switch (e.kind) {
    case 'ref':
      return refNames(e.ref);
    case 'not':
      return exprNames(e.operand);
    case 'and':
    case 'or':
      return [...exprNames(e.left), ...exprNames(e.right)];
    case 'compare':
      return [...refNames(e.left), ...refNames(e.right)];
  }
}

/** 1-based column of the first whole-word occurrence of `word` in `line` at or after `from`; `from` when absent. */
function wordColumn(line: string, word: string, from: number): number {
  const re = new RegExp(`(?<![A-Za-z0-9_])${word}(?![A-Za-z0-9_])`, 'g');
  re.lastIndex = Math.max(0, from - 1);
  const m = re.exec(line) ?? new RegExp(re.source).exec(line);
  return m ? m.index + 1 : Math.max(1, from);
}

function wordAround(line: string, column: number): string | undefined {
  const at = column - 1;
  let start = at;
  let end = at;
  while (start > 0 && /[A-Za-z0-9_]/.test(line[start - 1]!)) start--;
  while (end < line.length && /[A-Za-z0-9_]/.test(line[end]!)) end++;
  return end > start ? line.slice(start, end) : undefined;
}

function lineEnd(lines: string[], line: number): number {
  return (lines[line - 1] ?? '').length + 1;
}

/**
 * The lines a model is built from, each at its position: comments, blank
 * lines and help texts read as empty, and the blank end is left out. Two texts with the same model lines
 * give the same model, with every location the same.
 */
export function modelLines(text: string): string {
  const lines = text.split('\n');
  const out: string[] = [];
  let helpIndent: number | undefined; // set inside a help text: the indentation of its first line
  let inHelp = false;
  let continued = false; // the line before ended in a backslash: this one is part of its statement
  for (const line of lines) {
    const trimmed = line.trim();
    if (continued || line.endsWith('\\')) {
      continued = line.endsWith('\\');
      out.push(line);
      continue;
    }
    if (inHelp) {
      if (trimmed === '') {
        out.push('');
        continue;
      }
      const indent = indentation(line);
      helpIndent ??= indent;
      // The help keyword's line itself must be indented less than the text, which conf also requires.
      if (indent >= helpIndent && indent > 0) {
        out.push('');
        continue;
      }
      inHelp = false;
    }
    // The keyword only starts a text no analysis reads.
    const help = trimmed === 'help' || trimmed === '---help---';
    if (help) {
      inHelp = true;
      helpIndent = undefined;
    }
    out.push(help || trimmed.startsWith('#') ? '' : line);
  }
  // Blank lines added at the end move nothing.
  return out.join('\n').trimEnd();
}

/** Columns of leading whitespace, a tab reaching the next multiple of 8 as conf counts it. */
function indentation(line: string): number {
  let n = 0;
  for (const c of line) {
    if (c === ' ') n++;
    else if (c === '\t') n = (n & ~7) + 8;
    else break;
  }
  return n;
}
