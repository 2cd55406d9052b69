/**
 * A reader for the part of GNU make that Kbuild files and arch Makefiles use
 * to say what is built: variable assignments (`obj-$(CONFIG_X) += foo.o`,
 * composite objects, `:=`, `=`, `+=`, `?=`), `ifeq`/`ifneq`/`ifdef`/`ifndef`
 * blocks and the word-list functions. It never runs make or a shell: the
 * configuration's variables take every value they can, each under its
 * condition, so a variable's value is a list of words each with the
 * condition under which it is there. What it cannot read (a `$(shell)`,
 * `$(wildcard)`, `$(call)` or a function over lists it cannot enumerate)
 * becomes a free input and is counted.
 */
import { KconfsatError, type SourceLocation } from '../errors.js';
import { and, describe, FALSE, not, or, TRUE, type Cond } from './condition.js';

export interface Word {
  word: string;
  cond: Cond;
  loc: SourceLocation;
}

/** One alternative value of a piece of text: the text and when it is that. */
interface Alt {
  text: string;
  cond: Cond;
}

type Piece = { raw: string; cond: Cond; loc: SourceLocation } | { words: Word[]; cond: Cond };

/** A free input met while reading: what it was and where. */
export interface FreeInput {
  id: number;
  text: string;
  loc: SourceLocation;
}

export interface MakeContext {
  /** The values `$(CONFIG_X)` can take, each under its condition. */
  config(name: string): Alt[] | undefined;
  /** Text of a file to `include`, by its path as written after expansion; undefined when it cannot be read. */
  include?(path: string, loc: SourceLocation): { file: string; text: string } | undefined;
  /** Numbers the free inputs across every file read with this context. */
  free: FreeInput[];
}

/** Stands in a text for a value the reader could not compute; a word holding it is dropped. */
const UNKNOWN = '\u0000';
const MAX_ALTERNATIVES = 64;
const MAX_DEPTH = 64;

/** Functions that map or filter a list word by word, so they keep each word's condition. */
const LIST_FUNCTIONS = new Set(['addprefix', 'addsuffix', 'patsubst', 'filter', 'filter-out', 'sort', 'strip', 'subst']);

export class MakeState {
  readonly vars = new Map<string, Piece[]>();
  /** Variables an `export` line names: the top Makefile passes them on to every Kbuild file. */
  readonly exported = new Set<string>();
  private depth = 0;

  constructor(readonly ctx: MakeContext) {}

  /** Sets a variable to plain words (obj, src, SRCARCH, ...). */
  set(name: string, value: string): void {
    this.vars.set(name, [{ words: splitWords(value).map((w) => ({ word: w, cond: TRUE, loc: { file: '<kbuild>', line: 0, column: 0 } })), cond: TRUE }]);
  }

  setWords(name: string, words: Word[]): void {
    this.vars.set(name, [{ words, cond: TRUE }]);
  }

  /** The words of a variable with their conditions (words that could not be read are left out). */
  words(name: string): Word[] {
    return this.varWords(name, TRUE).filter((w) => !w.word.includes(UNKNOWN));
  }

  /** Reads a makefile's text; conditional blocks guard what they assign. */
  read(file: string, text: string): void {
    const stack: { cond: Cond; taken: Cond; loc: SourceLocation }[] = [];
    const guard = (): Cond => and(...stack.map((s) => s.cond));
    let inRule = false;
    let inDefine = 0;
    for (const { line, no } of logicalLines(text)) {
      const loc = { file, line: no, column: 0 };
      if (inDefine > 0) {
        const t = line.trim();
        if (/^define\b/.test(t)) inDefine++;
        else if (/^endef\b/.test(t)) inDefine--;
        continue;
      }
      if (line.startsWith('\t') && inRule) continue;
      const t = stripComment(line).trim();
      if (t === '') continue;
      const [word] = t.split(/\s/, 1) as [string];
      const rest = t.slice(word.length).trim();
      if (word === 'ifeq' || word === 'ifneq' || word === 'ifdef' || word === 'ifndef') {
        const c = this.condition(word, rest, guard(), loc);
        stack.push({ cond: c, taken: c, loc });
        continue;
      }
      if (word === 'else') {
        const top = stack.at(-1);
        if (!top) throw new KconfsatError('syntax', 'else without ifeq/ifdef', loc);
        const kw = rest.split(/\s/, 1)[0]!;
        const c = /^if(n?eq|n?def)$/.test(kw) ? this.condition(kw, rest.slice(kw.length).trim(), guard(), loc) : TRUE;
        top.cond = and(not(top.taken), c);
        top.taken = or(top.taken, c);
        continue;
      }
      if (word === 'endif') {
        if (!stack.pop()) throw new KconfsatError('syntax', 'endif without ifeq/ifdef', loc);
        continue;
      }
      if (word === 'define') {
        inDefine = 1;
        continue;
      }
      if (word === 'include' || word === '-include' || word === 'sinclude') {
        this.include(rest, guard(), loc);
        continue;
      }
      const body = word === 'export' || word === 'override' || word === 'private' ? rest : t;
      if (word === 'unexport' || word === 'vpath' || word === 'undefine') continue;
      const op = assignment(body);
      if (word === 'export') for (const name of splitWords(op ? body.slice(0, op.at) : body)) this.exported.add(name);
      if (op) {
        inRule = false;
        this.assign(body.slice(0, op.at).trim(), op.op, body.slice(op.at + op.op.length).replace(/^\s+/, ''), guard(), loc);
      } else if (topLevelIndex(body, ':') >= 0) inRule = true;
      else if (/\$\(eval\b/.test(body)) this.freeInput(body, loc);
    }
    if (stack.length > 0) throw new KconfsatError('syntax', 'ifeq/ifdef without endif', stack.at(-1)!.loc);
  }

  private include(rest: string, cond: Cond, loc: SourceLocation): void {
    if (cond.k === 'false') return;
    // Each file once, under the condition that some value of the line names it.
    const paths = new Map<string, Cond>();
    for (const alt of this.alternatives(rest, loc)) for (const path of splitWords(alt.text)) paths.set(path, or(paths.get(path) ?? FALSE, alt.cond));
    for (const [path, when] of paths) {
      const got = path.includes(UNKNOWN) ? undefined : this.ctx.include?.(path, loc);
      if (!got) {
        this.freeInput(`include ${rest}`, loc);
        continue;
      }
      // An include under a condition: its assignments are guarded by it, as if the file were inside the block.
      this.guarded(and(cond, when), () => this.read(got.file, got.text));
    }
  }

  private outer: Cond = TRUE;
  private guarded(cond: Cond, f: () => void): void {
    const saved = this.outer;
    this.outer = and(saved, cond);
    try {
      f();
    } finally {
      this.outer = saved;
    }
  }

  private assign(lhs: string, op: string, rhs: string, guard0: Cond, loc: SourceLocation): void {
    const guard = and(this.outer, guard0);
    if (guard.k === 'false') return;
    for (const alt of this.alternatives(lhs, loc)) {
      const name = alt.text.trim();
      if (name === '' || name.includes(UNKNOWN) || /\s/.test(name)) continue;
      const g = and(guard, alt.cond);
      if (g.k === 'false') continue;
      const old = this.vars.get(name);
      const recursive = op === '=' || (op === '+=' && (old === undefined || old.some((p) => 'raw' in p)));
      const piece: Piece = recursive ? { raw: rhs, cond: TRUE, loc } : { words: this.expandWords(rhs, TRUE, loc), cond: TRUE };
      if (op === '+=') this.vars.set(name, [...(old ?? []), { ...piece, cond: g }]);
      else if (op === '?=') {
        const unset = old === undefined ? TRUE : not(or(...old.map((p) => p.cond)));
        this.vars.set(name, [...(old ?? []), { ...piece, cond: and(g, unset) }]);
      } else this.vars.set(name, [...(old ?? []).map((p) => ({ ...p, cond: and(p.cond, not(g)) })), { ...piece, cond: g }].filter((p) => p.cond.k !== 'false'));
    }
  }

  /** The condition an `ifeq`/`ifneq`/`ifdef`/`ifndef` line states. */
  private condition(kw: string, args: string, guard: Cond, loc: SourceLocation): Cond {
    if (guard.k === 'false') return FALSE;
    if (kw === 'ifdef' || kw === 'ifndef') {
      const nonEmpty = or(...this.alternatives(`$(${args.trim()})`, loc).filter((a) => a.text.trim() !== '').map((a) => (a.text.includes(UNKNOWN) ? this.freeInput(`${kw} ${args}`, loc) : a.cond)));
      return kw === 'ifdef' ? nonEmpty : not(nonEmpty);
    }
    const sides = ifeqSides(args);
    if (!sides) throw new KconfsatError('syntax', `cannot read '${kw} ${args}'`, loc);
    const left = this.alternatives(sides[0], loc);
    const right = this.alternatives(sides[1], loc);
    const cases: Cond[] = [];
    for (const l of left)
      for (const r of right) {
        if (l.text.includes(UNKNOWN) || r.text.includes(UNKNOWN)) cases.push(and(l.cond, r.cond, this.freeInput(`${kw} ${args}`, loc)));
        else if (l.text.trim() === r.text.trim()) cases.push(and(l.cond, r.cond));
      }
    const equal = or(...cases);
    return kw === 'ifeq' ? equal : not(equal);
  }

  private freeInput(text: string, loc: SourceLocation): Cond {
    const known = this.ctx.free.find((f) => f.text === text && f.loc.file === loc.file && f.loc.line === loc.line);
    const id = known?.id ?? this.ctx.free.length;
    if (!known) this.ctx.free.push({ id, text, loc });
    return { k: 'free', id, text, loc };
  }

  /** A variable's words, each under `cond` and its own condition. */
  private varWords(name: string, cond: Cond): Word[] {
    const pieces = this.vars.get(name);
    if (!pieces) return [];
    if (++this.depth > MAX_DEPTH) throw new KconfsatError('syntax', `variable '${name}' refers to itself`);
    try {
      return pieces.flatMap((p) => {
        const c = and(cond, p.cond);
        if (c.k === 'false') return [];
        return 'raw' in p ? this.expandWords(p.raw, c, p.loc) : p.words.map((w) => ({ ...w, cond: and(c, w.cond) })).filter((w) => w.cond.k !== 'false');
      });
    } finally {
      this.depth--;
    }
  }

  /** A list, word by word: `$(VAR)` and list functions keep each word's own condition. */
  expandWords(text: string, cond: Cond, loc: SourceLocation): Word[] {
    const out: Word[] = [];
    for (const token of tokens(text)) {
      const ref = wholeReference(token);
      if (ref && !ref.startsWith('CONFIG_') && !/[\s$]/.test(ref)) {
        const sub = substitutionRef(ref);
        if (sub) out.push(...this.varWords(sub.name, cond).map((w) => ({ ...w, word: patsubst(sub.from, sub.to, w.word) })));
        else out.push(...this.varWords(ref, cond));
        continue;
      }
      const fn = ref?.match(/^([a-z-]+)\s+([\s\S]*)$/);
      if (fn && LIST_FUNCTIONS.has(fn[1]!)) {
        const words = this.listFunction(fn[1]!, splitArgs(fn[2]!), cond, loc);
        if (words) {
          out.push(...words);
          continue;
        }
      }
      for (const alt of this.alternatives(token, loc)) {
        const c = and(cond, alt.cond);
        if (c.k !== 'false') for (const w of splitWords(alt.text)) out.push({ word: w, cond: c, loc });
      }
    }
    return out;
  }

  private listFunction(name: string, args: string[], cond: Cond, loc: SourceLocation): Word[] | undefined {
    const fixed = (text: string): string | undefined => {
      const alts = this.alternatives(text, loc);
      return alts.length === 1 && alts[0]!.cond.k === 'true' && !alts[0]!.text.includes(UNKNOWN) ? alts[0]!.text.trim() : undefined;
    };
    const list = (text: string): Word[] => this.expandWords(text, cond, loc);
    switch (name) {
      case 'sort':
      case 'strip':
        return args.length === 1 ? list(args[0]!) : undefined;
      case 'addprefix':
      case 'addsuffix': {
        const affix = args.length === 2 ? fixed(args[0]!) : undefined;
        if (affix === undefined) return undefined;
        return list(args[1]!).map((w) => ({ ...w, word: name === 'addprefix' ? affix + w.word : w.word + affix }));
      }
      case 'patsubst':
      case 'subst': {
        const from = args.length === 3 ? fixed(args[0]!) : undefined;
        const to = args.length === 3 ? fixed(args[1]!) : undefined;
        if (from === undefined || to === undefined) return undefined;
        return list(args[2]!).map((w) => ({ ...w, word: name === 'subst' ? w.word.split(from).join(to) : patsubst(from, to, w.word) }));
      }
      case 'filter':
      case 'filter-out': {
        if (args.length !== 2) return undefined;
        const patterns = list(args[0]!);
        return list(args[1]!)
          .map((w) => {
            const matched = or(...patterns.filter((p) => matches(p.word, w.word)).map((p) => p.cond));
            return { ...w, cond: and(w.cond, name === 'filter' ? matched : not(matched)) };
          })
          .filter((w) => w.cond.k !== 'false');
      }
    }
    return undefined;
  }

  /** Every value a text can expand to, each under its condition (few; past the limit, unknown). */
  alternatives(text: string, loc: SourceLocation): Alt[] {
    let alts: Alt[] = [{ text: '', cond: TRUE }];
    let i = 0;
    let literal = '';
    const append = (next: Alt[]): void => {
      const joined: Alt[] = [];
      for (const a of alts)
        for (const b of next) {
          const c = and(a.cond, b.cond);
          if (c.k !== 'false') joined.push({ text: a.text + literal + b.text, cond: c });
        }
      literal = '';
      alts = joined.length > MAX_ALTERNATIVES ? [{ text: UNKNOWN, cond: TRUE }] : joined;
    };
    while (i < text.length) {
      const ch = text[i]!;
      if (ch !== '$') {
        literal += ch;
        i++;
        continue;
      }
      const next = text[i + 1];
      if (next === '$') {
        literal += '$';
        i += 2;
      } else if (next === '(' || next === '{') {
        const end = closing(text, i + 1);
        if (end < 0) throw new KconfsatError('syntax', `unterminated variable reference in '${text}'`, loc);
        append(this.reference(text.slice(i + 2, end), loc));
        i = end + 1;
      } else if (next !== undefined) {
        append(this.reference(next, loc));
        i += 2;
      } else i++;
    }
    if (literal !== '') alts = alts.map((a) => ({ text: a.text + literal, cond: a.cond }));
    return alts;
  }

  private reference(inner: string, loc: SourceLocation): Alt[] {
    const fn = inner.match(/^([a-z-]+)\s+([\s\S]*)$/);
    if (fn && !this.vars.has(inner)) return this.function(fn[1]!, fn[2]!, loc);
    const sub = fn ? undefined : substitutionRef(inner);
    if (sub) {
      return this.alternatives(`$(${sub.name})`, loc).map((a) => ({
        text: a.text.includes(UNKNOWN) ? UNKNOWN : splitWords(a.text).map((w) => patsubst(sub.from, sub.to, w)).join(' '),
        cond: a.cond,
      }));
    }
    return this.alternatives(inner, loc).flatMap((nameAlt) => {
      const name = nameAlt.text;
      let values: Alt[];
      if (name.startsWith('CONFIG_')) {
        const given = this.ctx.config(name.slice('CONFIG_'.length));
        if (!given) this.freeInput(`$(${name})`, loc);
        values = given ?? [{ text: UNKNOWN, cond: TRUE }];
      } else values = this.textAlternatives(this.varWords(name, TRUE));
      return values.map((v) => ({ text: v.text, cond: and(nameAlt.cond, v.cond) })).filter((v) => v.cond.k !== 'false');
    });
  }

  /** A list's possible texts: one per combination of its words' distinct conditions (unknown past the limit). */
  private textAlternatives(words: Word[]): Alt[] {
    const wordKeys = words.map((w) => describe(w.cond));
    const groups = new Map<string, Cond>();
    words.forEach((w, i) => groups.set(wordKeys[i]!, w.cond));
    groups.delete('y');
    const keys = [...groups.keys()];
    const varying = [...groups.values()];
    if (varying.length > 6) return [{ text: UNKNOWN, cond: TRUE }];
    const out: Alt[] = [];
    for (let mask = 0; mask < 1 << varying.length; mask++) {
      const c = and(...varying.map((g, i) => (mask & (1 << i) ? g : not(g))));
      if (c.k === 'false') continue;
      const present = new Set(['y', ...keys.filter((_, i) => mask & (1 << i))]);
      out.push({ text: words.filter((_, i) => present.has(wordKeys[i]!)).map((w) => w.word).join(' '), cond: c });
    }
    return out;
  }

  private function(name: string, argText: string, loc: SourceLocation): Alt[] {
    const args = splitArgs(argText);
    if (LIST_FUNCTIONS.has(name)) {
      const words = this.listFunction(name, args, TRUE, loc);
      if (words) return this.textAlternatives(words);
    }
    const concrete = CONCRETE[name];
    if (concrete && (concrete.arity === undefined || concrete.arity === args.length)) return this.combine(args, loc, concrete.f);
    if (name === 'if' && args.length >= 2) {
      return this.alternatives(args[0]!, loc).flatMap((c) =>
        c.text.includes(UNKNOWN)
          ? [{ text: UNKNOWN, cond: c.cond }]
          : this.alternatives(c.text.trim() !== '' ? args[1]! : (args[2] ?? ''), loc).map((v) => ({ text: v.text, cond: and(c.cond, v.cond) })),
      );
    }
    this.freeInput(`$(${name} ${argText})`, loc);
    return [{ text: UNKNOWN, cond: TRUE }];
  }

  private combine(args: string[], loc: SourceLocation, f: (values: string[]) => string): Alt[] {
    let combos: { values: string[]; cond: Cond }[] = [{ values: [], cond: TRUE }];
    for (const arg of args) {
      combos = combos.flatMap((c) => this.alternatives(arg, loc).map((a) => ({ values: [...c.values, a.text], cond: and(c.cond, a.cond) })));
      if (combos.length > MAX_ALTERNATIVES) return [{ text: UNKNOWN, cond: TRUE }];
    }
    return combos.map((c) => ({ text: c.values.some((v) => v.includes(UNKNOWN)) ? UNKNOWN : f(c.values), cond: c.cond }));
  }
}

/** make's functions on known texts: used when an argument takes several values (`$(subst y,$(CONFIG_A),$(CONFIG_B))`). */
const CONCRETE: Record<string, { arity?: number; f: (args: string[]) => string }> = {
  subst: { arity: 3, f: ([from, to, text]) => (from === '' ? text! : text!.split(from!).join(to!)) },
  patsubst: { arity: 3, f: ([from, to, text]) => splitWords(text!).map((w) => patsubst(from!.trim(), to!.trim(), w)).join(' ') },
  filter: { arity: 2, f: ([pats, text]) => splitWords(text!).filter((w) => splitWords(pats!).some((p) => matches(p, w))).join(' ') },
  'filter-out': { arity: 2, f: ([pats, text]) => splitWords(text!).filter((w) => !splitWords(pats!).some((p) => matches(p, w))).join(' ') },
  addprefix: { arity: 2, f: ([p, text]) => splitWords(text!).map((w) => p!.trim() + w).join(' ') },
  addsuffix: { arity: 2, f: ([p, text]) => splitWords(text!).map((w) => w + p!.trim()).join(' ') },
  sort: { arity: 1, f: ([text]) => [...new Set(splitWords(text!))].sort().join(' ') },
  strip: { arity: 1, f: ([text]) => splitWords(text!).join(' ') },
  findstring: { arity: 2, f: ([needle, hay]) => (hay!.includes(needle!) ? needle! : '') },
  firstword: { arity: 1, f: ([text]) => splitWords(text!)[0] ?? '' },
  lastword: { arity: 1, f: ([text]) => splitWords(text!).at(-1) ?? '' },
  words: { arity: 1, f: ([text]) => String(splitWords(text!).length) },
  or: { f: (args) => args.map((a) => a.trim()).find((a) => a !== '') ?? '' },
  and: { f: (args) => (args.every((a) => a.trim() !== '') ? args.at(-1)!.trim() : '') },
};

/** `VAR:from=to`, make's substitution reference (`from` without % means a suffix). */
function substitutionRef(inner: string): { name: string; from: string; to: string } | undefined {
  const m = /^([^:=\s$()]+):([^=]*)=(.*)$/s.exec(inner);
  if (!m) return undefined;
  const [, name, from, to] = m as unknown as [string, string, string, string];
  return from.includes('%') ? { name, from, to } : { name, from: `%${from}`, to: `%${to}` };
}

/** Lines with backslash continuations joined, each with the number of its first physical line. */
export function* logicalLines(text: string): Generator<{ line: string; no: number }> {
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const no = i + 1;
    let line = lines[i]!.replace(/\r$/, '');
    while (line.endsWith('\\') && i + 1 < lines.length) line = `${line.slice(0, -1)} ${lines[++i]!.replace(/\r$/, '').trimStart()}`;
    yield { line, no };
  }
}

function stripComment(line: string): string {
  for (let i = 0; i < line.length; i++) {
    if (line[i] === '\\') i++;
    else if (line[i] === '#') return line.slice(0, i);
  }
  return line;
}

/** Where a line's assignment operator is, when the line is an assignment and not a rule. */
function assignment(line: string): { at: number; op: string } | undefined {
  let depth = 0;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i]!;
    if (ch === '$' && (line[i + 1] === '(' || line[i + 1] === '{')) {
      depth++;
      i++;
    } else if ((ch === ')' || ch === '}') && depth > 0) depth--;
    else if (depth === 0) {
      if (ch === '=') return { at: i, op: '=' };
      if (ch === ':' && line[i + 1] === ':' && line[i + 2] === '=') return { at: i, op: '::=' };
      if (ch === ':' && line[i + 1] === '=') return { at: i, op: ':=' };
      if (ch === ':') return undefined;
      if ((ch === '+' || ch === '?' || ch === '!') && line[i + 1] === '=') return ch === '!' ? undefined : { at: i, op: `${ch}=` };
    }
  }
  return undefined;
}

function topLevelIndex(text: string, ch: string): number {
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === '(' || c === '{') depth++;
    else if ((c === ')' || c === '}') && depth > 0) depth--;
    else if (depth === 0 && c === ch) return i;
  }
  return -1;
}

/** The index of the bracket closing the one at `open`. */
function closing(text: string, open: number): number {
  const want = text[open] === '(' ? ')' : '}';
  const opener = text[open]!;
  let depth = 0;
  for (let i = open; i < text.length; i++) {
    if (text[i] === opener) depth++;
    else if (text[i] === want && --depth === 0) return i;
  }
  return -1;
}

/** Top-level whitespace-separated tokens (a reference with spaces inside stays one token). */
function tokens(text: string): string[] {
  return splitTopLevel(text, (ch) => /\s/.test(ch)).filter((t) => t !== '');
}

/** Pieces of the text between the separators that are outside any parentheses or braces. */
function splitTopLevel(text: string, separator: (ch: string) => boolean): string[] {
  const out: string[] = [];
  let depth = 0;
  let cur = '';
  for (const ch of text) {
    if (ch === '(' || ch === '{') depth++;
    else if ((ch === ')' || ch === '}') && depth > 0) depth--;
    if (depth === 0 && separator(ch)) {
      out.push(cur);
      cur = '';
    } else cur += ch;
  }
  out.push(cur);
  return out;
}

/** The inside of a token that is one `$(...)` reference. */
function wholeReference(token: string): string | undefined {
  if (!token.startsWith('$(') && !token.startsWith('${')) return undefined;
  return closing(token, 1) === token.length - 1 ? token.slice(2, -1) : undefined;
}

/** A function's arguments: split at top-level commas. */
function splitArgs(text: string): string[] {
  return splitTopLevel(text, (ch) => ch === ',');
}

function ifeqSides(args: string): [string, string] | undefined {
  const t = args.trim();
  if (t.startsWith('(') && t.endsWith(')')) {
    const parts = splitArgs(t.slice(1, -1));
    return parts.length === 2 ? [parts[0]!, parts[1]!] : undefined;
  }
  const quoted = t.match(/^(["'])(.*?)\1\s+(["'])(.*?)\3$/);
  return quoted ? [quoted[2]!, quoted[4]!] : undefined;
}

export function splitWords(text: string): string[] {
  return text.split(/\s+/).filter((w) => w !== '');
}

/** make's `%` pattern match. */
function matches(pattern: string, word: string): boolean {
  const pct = pattern.indexOf('%');
  if (pct < 0) return pattern === word;
  const pre = pattern.slice(0, pct);
  const post = pattern.slice(pct + 1);
  return word.length >= pre.length + post.length && word.startsWith(pre) && word.endsWith(post);
}

function patsubst(from: string, to: string, word: string): string {
  const pct = from.indexOf('%');
  if (pct < 0) return word === from ? to : word;
  if (!matches(from, word)) return word;
  const stem = word.slice(pct, word.length - (from.length - pct - 1));
  return to.includes('%') ? to.replace('%', stem) : to;
}
