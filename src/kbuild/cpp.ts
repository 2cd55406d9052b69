/**
 * Line conditions of a C file: under which configuration each line survives
 * the preprocessor, from the `#if`/`#ifdef`/`#ifndef`/`#elif`/`#else`/`#endif`
 * blocks over CONFIG_ macros as autoconf.h and include/linux/kconfig.h define
 * them (`defined(CONFIG_X)`, `IS_ENABLED`, `IS_BUILTIN`, `IS_MODULE`,
 * `IS_REACHABLE`, `CONFIG_X OP N`). Any other macro is a free input, as is a
 * CONFIG_ macro the file #defines or #undefs itself; so is
 * `MODULE` (defined when the object is compiled for a module), which the
 * build question fills in. Blocks that do not balance are an error at their
 * line. Comments and string literals are skipped, so a `#if` inside a comment
 * is no directive.
 */
import { KconfsatError, type SourceLocation } from '../errors.js';
import { and, FALSE, not, or, sym, TRUE, type Cond } from './condition.js';
import type { FreeInput } from './make.js';

export interface LineConditions {
  file: string;
  /** cond[i] is the condition of line i + 1. */
  cond: Cond[];
  /** Lines holding code (not a directive, a comment, a blank line or the continuation of a line). */
  code: boolean[];
  /** branches[i]: the lines of the #if/#elif/#else branches line i + 1 is in, outermost first. */
  branches: number[][];
}

export function lineConditions(file: string, text: string, free: FreeInput[] = []): LineConditions {
  const lines = text.split('\n');
  const cond: Cond[] = [];
  const code: boolean[] = [];
  const stack: { taken: Cond; cur: Cond; line: number; branch: number; elseSeen: boolean }[] = [];
  const branches: number[][] = [];
  const here = (): Cond => and(...stack.map((s) => s.cur));
  let inComment = false;
  const ctx: Ctx = { free, own: new Set(lines.flatMap((l) => /^\s*#\s*(?:define|undef)\s+(CONFIG_\w+)/.exec(l)?.[1] ?? [])) };
  for (let i = 0; i < lines.length; i++) {
    const start = i;
    const first = lines[i]!.replace(/\r$/, '');
    // A line ending in a backslash continues on the next (for a directive, its expression does).
    let joined = first;
    while (joined.endsWith('\\') && i + 1 < lines.length) joined = `${joined.slice(0, -1)} ${lines[++i]!.replace(/\r$/, '')}`;
    const { text: visible, inComment: after } = stripComments(joined, inComment);
    const wasInComment = inComment;
    inComment = after;
    const directive = wasInComment ? undefined : /^\s*#\s*([a-z_]+)\s*(.*)$/.exec(visible);
    const loc: SourceLocation = { file, line: start + 1, column: 0 };
    const before = here();
    const outer = stack.map((s) => s.branch);
    let isCode = false;
    if (directive) {
      const [, name, rest] = directive as unknown as [string, string, string];
      switch (name) {
        case 'if':
        case 'ifdef':
        case 'ifndef': {
          const c = name === 'if' ? expression(rest, loc, ctx) : macroDefined(rest.trim(), loc, ctx, name === 'ifndef');
          stack.push({ taken: c, cur: c, line: start + 1, branch: start + 1, elseSeen: false });
          break;
        }
        case 'elif':
        case 'elifdef':
        case 'elifndef':
        case 'else': {
          const top = stack.at(-1);
          if (!top) throw new KconfsatError('syntax', `#${name} without #if`, loc);
          if (top.elseSeen) throw new KconfsatError('syntax', `#${name} after #else (the #if is at line ${top.line})`, loc);
          const c = name === 'else' ? TRUE : name === 'elif' ? expression(rest, loc, ctx) : macroDefined(rest.trim(), loc, ctx, name === 'elifndef');
          top.cur = and(not(top.taken), c);
          top.taken = or(top.taken, c);
          top.elseSeen = name === 'else';
          top.branch = start + 1;
          break;
        }
        case 'endif':
          if (!stack.pop()) throw new KconfsatError('syntax', '#endif without #if', loc);
          break;
      }
    } else isCode = visible.trim() !== '';
    for (let j = start; j <= i; j++) {
      // A directive line belongs to the block around it (its own #if is read whatever it says).
      cond.push(directive ? before : here());
      code.push(isCode && j === start);
      branches.push(directive ? outer : stack.map((s) => s.branch));
    }
  }
  if (stack.length > 0) throw new KconfsatError('syntax', `#if without #endif`, { file, line: stack.at(-1)!.line, column: 0 });
  return { file, cond, code, branches };
}

/** The line without its comments and string contents; whether a block comment is still open at its end. */
function stripComments(line: string, inComment: boolean): { text: string; inComment: boolean } {
  let out = '';
  for (let i = 0; i < line.length; i++) {
    const ch = line[i]!;
    if (inComment) {
      if (ch === '*' && line[i + 1] === '/') {
        inComment = false;
        i++;
        out += ' ';
      }
      continue;
    }
    if (ch === '/' && line[i + 1] === '*') {
      inComment = true;
      i++;
    } else if (ch === '/' && line[i + 1] === '/') break;
    else if (ch === '"' || ch === "'") {
      const end = closingQuote(line, i);
      out += `${ch}${ch}`;
      i = end;
    } else out += ch;
  }
  return { text: out, inComment };
}

function closingQuote(line: string, open: number): number {
  for (let i = open + 1; i < line.length; i++) {
    if (line[i] === '\\') i++;
    else if (line[i] === line[open]) return i;
  }
  return line.length - 1;
}

function freeInput(text: string, loc: SourceLocation, free: FreeInput[]): Cond {
  const known = free.find((f) => f.text === text && f.loc.file === loc.file && f.loc.line === loc.line);
  const id = known?.id ?? free.length;
  if (!known) free.push({ id, text, loc });
  return { k: 'free', id, text, loc };
}

/** `defined(NAME)`: a CONFIG_ macro is the configuration's (unless the file defines it); any other macro a free input. */
function macroDefined(name: string, loc: SourceLocation, ctx: Ctx, negate = false): Cond {
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) throw new KconfsatError('syntax', `macro name expected, got '${name}'`, loc);
  const c = isConfig(name, ctx) ? ({ k: 'defined', macro: name } as Cond) : freeInput(`defined(${name})`, loc, ctx.free);
  return negate ? not(c) : c;
}

/** What a subexpression of `#if` stands for. */
type Value = { kind: 'cond'; cond: Cond } | { kind: 'num'; value: number } | { kind: 'macro'; name: string };

const TOKEN = /\s*(0[xX][0-9a-fA-F]+|[0-9]+|[A-Za-z_][A-Za-z0-9_]*|\|\||&&|==|!=|<=|>=|<<|>>|[-+*/%<>!()?:,~^|&])/y;

/** The condition an `#if` or `#elif` expression states. */
function expression(text: string, loc: SourceLocation, ctx: Ctx): Cond {
  const toks: string[] = [];
  TOKEN.lastIndex = 0;
  const src = text.trim();
  if (src === '') return freeInput('', loc, ctx.free);
  while (TOKEN.lastIndex < src.length) {
    const m = TOKEN.exec(src);
    if (!m) return freeInput(src, loc, ctx.free);
    toks.push(m[1]!.replace(/^([0-9]+)[uUlL]*$/, '$1'));
  }
  let pos = 0;
  const peek = (): string | undefined => toks[pos];
  const fail = (): never => {
    throw new Unreadable();
  };
  const eat = (t: string): void => {
    if (toks[pos] !== t) fail();
    pos++;
  };
  const truth = (v: Value): Cond =>
    v.kind === 'cond' ? v.cond : v.kind === 'num' ? (v.value !== 0 ? TRUE : FALSE) : isConfig(v.name, ctx) ? { k: 'defined', macro: v.name } : freeInput(v.name, loc, ctx.free);
  const primary = (): Value => {
    const t = toks[pos++];
    if (t === undefined) return fail();
    if (t === '(') {
      const v = ternary();
      eat(')');
      return v;
    }
    if (t === '!') return { kind: 'cond', cond: not(truth(primary())) };
    if (/^[0-9]/.test(t)) return { kind: 'num', value: Number(t) };
    if (t === 'defined') {
      const paren = peek() === '(';
      if (paren) pos++;
      const name = toks[pos++] ?? fail();
      if (paren) eat(')');
      return { kind: 'cond', cond: macroDefined(name, loc, ctx) };
    }
    if (/^IS_(ENABLED|BUILTIN|MODULE|REACHABLE)$/.test(t) && peek() === '(') {
      pos++;
      const name = toks[pos++] ?? fail();
      eat(')');
      if (!isConfig(name, ctx)) return { kind: 'cond', cond: freeInput(`${t}(${name})`, loc, ctx.free) };
      const s = name.slice('CONFIG_'.length);
      const y = sym(s, 'y');
      const m = sym(s, 'm');
      const c = t === 'IS_ENABLED' ? or(y, m) : t === 'IS_BUILTIN' ? y : t === 'IS_MODULE' ? m : or(y, and(m, freeInput('MODULE', loc, ctx.free)));
      return { kind: 'cond', cond: c };
    }
    if (/^[A-Za-z_]/.test(t)) {
      // A function-like macro call of an unknown macro: the whole call is one free input.
      if (peek() === '(') {
        let depth = 0;
        const from = pos - 1;
        do {
          if (toks[pos] === '(') depth++;
          else if (toks[pos] === ')') depth--;
          pos++;
        } while (depth > 0 && pos < toks.length);
        return { kind: 'cond', cond: freeInput(toks.slice(from, pos).join(''), loc, ctx.free) };
      }
      return { kind: 'macro', name: t };
    }
    return fail();
  };
  const compare = (): Value => {
    const left = primary();
    const op = peek();
    if (op === '==' || op === '!=' || op === '<' || op === '<=' || op === '>' || op === '>=') {
      pos++;
      const right = primary();
      if (left.kind === 'macro' && isConfig(left.name, ctx) && right.kind === 'num') {
        return { kind: 'cond', cond: { k: 'cmp', name: left.name.slice('CONFIG_'.length), op: op === '==' ? '=' : op, value: String(right.value) } };
      }
      if (left.kind === 'num' && right.kind === 'num') {
        const r = { '==': left.value === right.value, '!=': left.value !== right.value, '<': left.value < right.value, '<=': left.value <= right.value, '>': left.value > right.value, '>=': left.value >= right.value }[op];
        return { kind: 'num', value: r ? 1 : 0 };
      }
      return fail();
    }
    if (op !== undefined && !['&&', '||', ')', '?', ':'].includes(op)) fail();
    return left;
  };
  /** `operand (op operand)*`, left to right. */
  const chain = (op: '&&' | '||', operand: () => Value, join: (a: Cond, b: Cond) => Cond) => (): Value => {
    let v = operand();
    while (peek() === op) {
      pos++;
      v = { kind: 'cond', cond: join(truth(v), truth(operand())) };
    }
    return v;
  };
  const conj = chain('&&', compare, (a, b) => and(a, b));
  const disj = chain('||', conj, (a, b) => or(a, b));
  const ternary = (): Value => {
    const c = disj();
    if (peek() !== '?') return c;
    pos++;
    const a = truth(ternary());
    eat(':');
    const b = truth(ternary());
    const t = truth(c);
    return { kind: 'cond', cond: or(and(t, a), and(not(t), b)) };
  };
  try {
    const v = ternary();
    if (pos !== toks.length) fail();
    return truth(v);
  } catch (e) {
    if (!(e instanceof Unreadable)) throw e;
    // Arithmetic and the like over other macros: the whole expression is one free input.
    return freeInput(src, loc, ctx.free);
  }
}

class Unreadable extends Error {}

/** The file's own reading context: its free inputs, and the CONFIG_ names it #defines or #undefs itself. */
interface Ctx {
  free: FreeInput[];
  own: Set<string>;
}

/**
 * A CONFIG_ macro is the configuration's, from autoconf.h, unless the file
 * sets it itself (dib0090.c's `#define CONFIG_BAND_VHF`): then it is a free
 * input like any other macro.
 */
function isConfig(name: string, ctx: Ctx): boolean {
  return name.startsWith('CONFIG_') && !ctx.own.has(name);
}
