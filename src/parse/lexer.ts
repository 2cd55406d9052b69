/**
 * Splits one logical Kconfig line into tokens. Words and quoted strings are
 * macro-expanded here, as conf's lexer does, so the parser only sees values.
 */
import { KconfsatError, type SourceLocation } from '../errors.js';
import { findClosingParen, type MacroExpander } from '../macro/expander.js';

export type TokenKind = 'word' | 'string' | 'op';

export interface Token {
  kind: TokenKind;
  value: string;
  /** 1-based column in the logical line. */
  column: number;
  /** A word that came out of macro expansion is never a keyword. */
  expanded: boolean;
}

const OPERATORS = ['&&', '||', '!=', '<=', '>=', ':=', '+=', '=', '<', '>', '!', '(', ')'];

function isWordChar(c: number): boolean {
  return (
    (c >= 97 && c <= 122) || // a-z
    (c >= 65 && c <= 90) || // A-Z
    (c >= 48 && c <= 57) || // 0-9
    c === 95 || // _
    c === 45 || // -
    c === 46 || // . (older trees: unquoted paths)
    c === 47 // / (older trees: unquoted paths)
  );
}

function isBlank(c: number): boolean {
  return c === 32 || c === 9 || c === 13 || c === 12 || c === 11;
}

/** Whether a line holds only blanks and perhaps a comment, as most Kconfig lines do. */
export function isEmptyLine(text: string): boolean {
  let i = 0;
  while (i < text.length && isBlank(text.charCodeAt(i))) i++;
  return i === text.length || text.charCodeAt(i) === 35 /* # */;
}

export interface LineContext {
  file: string;
  line: number;
  macros: MacroExpander;
}

export class LineLexer {
  private pos = 0;

  constructor(
    private readonly text: string,
    private readonly ctx: LineContext,
  ) {}

  /** The unconsumed rest of the line with leading blanks removed (assignment values). */
  rest(): string {
    this.skipBlanks();
    const value = this.text.slice(this.pos);
    this.pos = this.text.length;
    return value.replace(/[\s]+$/, '');
  }

  /** Peeks whether the next non-blank characters are an assignment operator. */
  peekAssignOp(): '=' | ':=' | '+=' | undefined {
    this.skipBlanks();
    const two = this.text.substr(this.pos, 2);
    if (two === ':=' || two === '+=') return two;
    if (this.text[this.pos] === '=') return '=';
    return undefined;
  }

  consumeAssignOp(op: string): void {
    this.skipBlanks();
    this.pos += op.length;
  }

  next(): Token | undefined {
    this.skipBlanks();
    const text = this.text;
    if (this.pos >= text.length) return undefined;
    const start = this.pos;
    const c = text.charCodeAt(start);
    if (c === 35 /* # */) {
      this.pos = text.length;
      return undefined;
    }
    if (c === 34 || c === 39) return this.quoted(c);
    if (isWordChar(c) || c === 36 /* $ */) return this.word();
    for (const op of OPERATORS) {
      if (text.startsWith(op, start)) {
        this.pos += op.length;
        return { kind: 'op', value: op, column: start + 1, expanded: false };
      }
    }
    throw this.error(`unexpected character '${text[start]}'`, start);
  }

  all(): Token[] {
    const tokens: Token[] = [];
    for (let t = this.next(); t; t = this.next()) tokens.push(t);
    return tokens;
  }

  private word(): Token | undefined {
    const text = this.text;
    const start = this.pos;
    let hasMacro = false;
    while (this.pos < text.length) {
      const c = text.charCodeAt(this.pos);
      if (c === 36 /* $ */) {
        if (text[this.pos + 1] === '(') {
          const close = findClosingParen(text, this.pos + 2);
          if (close < 0) throw this.error("unterminated reference: missing ')'", this.pos);
          this.pos = close + 1;
        } else {
          this.pos++;
        }
        hasMacro = true;
      } else if (isWordChar(c)) {
        this.pos++;
      } else {
        break;
      }
    }
    const raw = text.slice(start, this.pos);
    if (!hasMacro) return { kind: 'word', value: raw, column: start + 1, expanded: false };
    this.ctx.macros.setLocation(this.location(start));
    const value = this.ctx.macros.expand(raw);
    // conf drops a word that expands to nothing.
    if (value === '') return this.next();
    return { kind: 'word', value, column: start + 1, expanded: true };
  }

  private quoted(quote: number): Token {
    const text = this.text;
    const start = this.pos;
    this.pos++;
    let value = '';
    let hasMacro = false;
    // Plain characters are copied a run at a time, so most strings are one slice.
    let run = this.pos;
    while (true) {
      if (this.pos >= text.length) throw this.error('unterminated string', start);
      const c = text.charCodeAt(this.pos);
      if (c === quote) {
        value += text.slice(run, this.pos);
        this.pos++;
        break;
      }
      if (c === 92 /* \ */) {
        // A backslash escapes the next character and is itself dropped.
        value += text.slice(run, this.pos) + (text[this.pos + 1] ?? '');
        this.pos += 2;
        run = this.pos;
        continue;
      }
      if (c === 36 /* $ */ && text[this.pos + 1] === '(') {
        const close = findClosingParen(text, this.pos + 2);
        if (close < 0) throw this.error("unterminated reference: missing ')'", this.pos);
        this.ctx.macros.setLocation(this.location(this.pos));
        value += text.slice(run, this.pos) + this.ctx.macros.expand(text.slice(this.pos, close + 1));
        hasMacro = true;
        this.pos = close + 1;
        run = this.pos;
        continue;
      }
      this.pos++;
    }
    return { kind: 'string', value, column: start + 1, expanded: hasMacro };
  }

  private skipBlanks(): void {
    while (this.pos < this.text.length && isBlank(this.text.charCodeAt(this.pos))) this.pos++;
  }

  private location(index: number): SourceLocation {
    return { file: this.ctx.file, line: this.ctx.line, column: index + 1 };
  }

  error(message: string, index: number): KconfsatError {
    return new KconfsatError('syntax', message, this.location(index));
  }
}
