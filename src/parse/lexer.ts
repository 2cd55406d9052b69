/**
 * Splits one logical Kconfig line into tokens. Words and quoted strings are
 * macro-expanded here, as conf's lexer does, so the parser only sees values.
 */
import { KconfsatError, type SourceLocation } from '../errors.js';
import { findClosingParen, type MacroExpander } from '../macro/expander.js';

/** A keyword is a word conf's lexer knows, written as such (a word that came out of macro expansion never is one). */
export type TokenKind = 'keyword' | 'word' | 'string' | 'op';

/**
 * Each keyword mapped to itself: a keyword token's value is this string
 * literal, so the parser's comparisons with keywords find the same string.
 */
const KEYWORDS = new Map(
  [
    'bool', 'boolean', 'choice', 'comment', 'config', 'def_bool', 'def_tristate', 'default',
    'depends', 'endchoice', 'endif', 'endmenu', 'help', '---help---', 'hex', 'if', 'imply', 'int',
    'mainmenu', 'menu', 'menuconfig', 'modules', 'on', 'optional', 'option', 'prompt', 'range',
    'select', 'source', 'rsource', 'osource', 'orsource', 'string', 'tristate', 'visible',
  ].map((k) => [k, k]),
);

/**
 * The tokens of one statement, as parallel lists that the next statement
 * reuses (only the first `count` entries are this statement's): Linux has a
 * quarter of a million tokens, and an object per token and a list per
 * statement were about 27 MB of the 160 MB a load of it allocated.
 */
export class Tokens {
  count = 0;
  readonly kinds: TokenKind[] = [];
  readonly values: string[] = [];
  /** 1-based columns in the logical line. */
  readonly columns: number[] = [];

  clear(): void {
    this.count = 0;
  }

  push(kind: TokenKind, value: string, column: number): void {
    const i = this.count++;
    this.kinds[i] = kind;
    this.values[i] = value;
    this.columns[i] = column;
  }
}

/** ASCII character classes, so that the scanning loops test one table entry per character. */
const WORD = 1;
const BLANK = 2;
const CHAR_CLASS = new Uint8Array(128);
for (let c = 0; c < 128; c++) {
  const word =
    (c >= 97 && c <= 122) || // a-z
    (c >= 65 && c <= 90) || // A-Z
    (c >= 48 && c <= 57) || // 0-9
    c === 95 || // _
    c === 45 || // -
    c === 46 || // . (older trees: unquoted paths)
    c === 47; // / (older trees: unquoted paths)
  CHAR_CLASS[c] = word ? WORD : c === 32 || c === 9 || c === 13 || c === 12 || c === 11 ? BLANK : 0;
}

function isWordChar(c: number): boolean {
  return c < 128 && CHAR_CLASS[c] === WORD;
}

function isBlank(c: number): boolean {
  return c < 128 && CHAR_CLASS[c] === BLANK;
}

/** The operator starting with `c` (followed by `next`), or undefined: two-character operators win. */
function operatorAt(c: number, next: number): string | undefined {
  switch (c) {
    case 38: // &
      return next === 38 ? '&&' : undefined;
    case 124: // |
      return next === 124 ? '||' : undefined;
    case 33: // !
      return next === 61 ? '!=' : '!';
    case 60: // <
      return next === 61 ? '<=' : '<';
    case 62: // >
      return next === 61 ? '>=' : '>';
    case 58: // :
      return next === 61 ? ':=' : undefined;
    case 43: // +
      return next === 61 ? '+=' : undefined;
    case 61:
      return '=';
    case 40:
      return '(';
    case 41:
      return ')';
    default:
      return undefined;
  }
}

/** Whether text[start, end) holds only blanks and perhaps a comment, as most Kconfig lines do. */
export function isEmptyLine(text: string, start: number, end: number): boolean {
  let i = start;
  while (i < end && isBlank(text.charCodeAt(i))) i++;
  return i === end || text.charCodeAt(i) === 35 /* # */;
}

/**
 * Reads one logical line, text[start, end) of a whole file's text (or a line
 * joined from continued ones); reset() moves it to the next, so one lexer
 * serves a whole parse. Columns count from `start`.
 */
export class LineLexer {
  private text = '';
  private start = 0;
  private end = 0;
  private pos = 0;
  /** Where the line is, for errors and for the macros' messages. */
  private file = '';
  private line = 0;

  constructor(private readonly macros: MacroExpander) {}

  reset(text: string, start: number, end: number, file: string, line: number): void {
    this.text = text;
    this.start = start;
    this.end = end;
    this.pos = start;
    this.file = file;
    this.line = line;
  }

  /** The unconsumed rest of the line with leading blanks removed (assignment values). */
  rest(): string {
    this.skipBlanks();
    const value = this.text.slice(this.pos, this.end);
    this.pos = this.end;
    return value.replace(/[\s]+$/, '');
  }

  /** Peeks whether the next non-blank characters are an assignment operator. */
  peekAssignOp(): '=' | ':=' | '+=' | undefined {
    this.skipBlanks();
    if (this.pos >= this.end) return undefined;
    const c = this.text.charCodeAt(this.pos);
    if (c === 61 /* = */) return '=';
    if (this.pos + 1 < this.end && this.text.charCodeAt(this.pos + 1) === 61) {
      if (c === 58 /* : */) return ':=';
      if (c === 43 /* + */) return '+=';
    }
    return undefined;
  }

  consumeAssignOp(op: string): void {
    this.skipBlanks();
    this.pos += op.length;
  }

  /** Appends the next token to `out`; false at the end of the line. */
  next(out: Tokens): boolean {
    this.skipBlanks();
    const text = this.text;
    if (this.pos >= this.end) return false;
    const start = this.pos;
    const c = text.charCodeAt(start);
    if (c === 35 /* # */) {
      this.pos = this.end;
      return false;
    }
    if (c === 34 || c === 39) {
      this.quoted(c, out);
      return true;
    }
    if (isWordChar(c) || c === 36 /* $ */) return this.word(out);
    const op = operatorAt(c, start + 1 < this.end ? text.charCodeAt(start + 1) : 0);
    if (op === undefined) throw this.error(`unexpected character '${text[start]}'`, start);
    this.pos += op.length;
    out.push('op', op, this.column(start));
    return true;
  }

  /** Appends every token left on the line. */
  all(out: Tokens): void {
    while (this.next(out));
  }

  private word(out: Tokens): boolean {
    const { text, end } = this;
    const start = this.pos;
    let pos = start;
    let hasMacro = false;
    while (pos < end) {
      const c = text.charCodeAt(pos);
      if (isWordChar(c)) {
        pos++;
      } else if (c === 36 /* $ */) {
        if (pos + 1 < end && text.charCodeAt(pos + 1) === 40 /* ( */) {
          const close = findClosingParen(text, pos + 2, end);
          if (close < 0) throw this.error("unterminated reference: missing ')'", pos);
          pos = close + 1;
        } else {
          pos++;
        }
        hasMacro = true;
      } else {
        break;
      }
    }
    this.pos = pos;
    const raw = text.slice(start, pos);
    if (!hasMacro) {
      const keyword = KEYWORDS.get(raw);
      out.push(keyword === undefined ? 'word' : 'keyword', keyword ?? raw, this.column(start));
      return true;
    }
    this.macros.setLocation(this.location(start));
    const value = this.macros.expand(raw);
    // conf drops a word that expands to nothing.
    if (value === '') return this.next(out);
    out.push('word', value, this.column(start));
    return true;
  }

  private quoted(quote: number, out: Tokens): void {
    const text = this.text;
    const start = this.pos;
    this.pos++;
    let value = '';
    // Plain characters are copied a run at a time, so most strings are one slice.
    let run = this.pos;
    while (true) {
      if (this.pos >= this.end) throw this.error('unterminated string', start);
      const c = text.charCodeAt(this.pos);
      if (c === quote) {
        value += text.slice(run, this.pos);
        this.pos++;
        break;
      }
      if (c === 92 /* \ */) {
        // A backslash escapes the next character and is itself dropped.
        value += text.slice(run, this.pos) + (this.pos + 1 < this.end ? text[this.pos + 1] : '');
        this.pos += 2;
        run = this.pos;
        continue;
      }
      if (c === 36 /* $ */ && this.pos + 1 < this.end && text.charCodeAt(this.pos + 1) === 40 /* ( */) {
        const close = findClosingParen(text, this.pos + 2, this.end);
        if (close < 0) throw this.error("unterminated reference: missing ')'", this.pos);
        this.macros.setLocation(this.location(this.pos));
        value += text.slice(run, this.pos) + this.macros.expand(text.slice(this.pos, close + 1));
        this.pos = close + 1;
        run = this.pos;
        continue;
      }
      this.pos++;
    }
    out.push('string', value, this.column(start));
  }

  private skipBlanks(): void {
    const { text, end } = this;
    let pos = this.pos;
    while (pos < end && isBlank(text.charCodeAt(pos))) pos++;
    this.pos = pos;
  }

  private column(index: number): number {
    return index - this.start + 1;
  }

  private location(index: number): SourceLocation {
    return { file: this.file, line: this.line, column: this.column(index) };
  }

  error(message: string, index: number): KconfsatError {
    return new KconfsatError('syntax', message, this.location(index));
  }
}
