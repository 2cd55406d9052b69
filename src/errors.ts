/**
 * Errors a user can cause. Every stage throws a KconfsatError for bad input so
 * the CLI can print one line (`file:line:col: message`) and exit 2, while the
 * library hands callers the same fields in typed form.
 */
export interface SourceLocation {
  file: string;
  line: number;
  /** 1-based; 0 when only the line is known. */
  column: number;
}

export type ErrorKind =
  | 'syntax' // malformed Kconfig text
  | 'source' // missing, looping or escaping `source`
  | 'macro' // preprocessor error ($(error-if,...), bad function call)
  | 'config' // malformed .config line
  | 'expression' // malformed query expression
  | 'symbol' // unknown symbol
  | 'arch' // unknown architecture
  | 'usage' // bad option or argument
  | 'io'; // unreadable file

export class KconfsatError extends Error {
  constructor(
    readonly kind: ErrorKind,
    message: string,
    readonly location?: SourceLocation,
  ) {
    super(message);
    this.name = 'KconfsatError';
  }

  /** The one-line form the CLI prints. */
  format(): string {
    const loc = this.location;
    if (!loc) return this.message;
    return loc.column > 0
      ? `${loc.file}:${loc.line}:${loc.column}: ${this.message}`
      : `${loc.file}:${loc.line}: ${this.message}`;
  }
}

export function formatLocation(loc: SourceLocation): string {
  return `${loc.file}:${loc.line}`;
}

/** The JavaScript call stack ran out: the input nests deeper than the recursion reading it holds. */
export function isStackOverflow(e: unknown): boolean {
  return e instanceof RangeError && /call stack/.test(e.message);
}
