/**
 * conf's rules for string and number values, evaluated on concrete strings:
 * how `=`/`<`/... compare two operands (expr_calc_value), which text is a
 * valid int/hex value (sym_string_valid), and how ranges read numbers.
 * One copy serves both the simulation of conf (evaluate.ts) and the encoding
 * (src/logic), so the two can only disagree on structure, never on a number.
 */
import type { CompareOp, SymbolType } from './types.js';

const INT64_MIN = -(1n << 63n);
const INT64_MAX = (1n << 63n) - 1n;
const UINT64_MAX = (1n << 64n) - 1n;

export interface ParsedNumber {
  value: bigint;
  /** Index just past the last character used; 0 when no digits were read. */
  end: number;
  overflow: boolean;
}

/** Below this, `n * 16 + 15` is still an exact double. */
const EXACT_DOUBLE_LIMIT = 2 ** 48;

/** C's isspace in the C locale. */
function isCSpace(code: number): boolean {
  return code === 32 || (code >= 9 && code <= 13);
}

function digitValue(c: string): number {
  const code = c.charCodeAt(0);
  if (code >= 48 && code <= 57) return code - 48;
  if (code >= 97 && code <= 102) return code - 87;
  if (code >= 65 && code <= 70) return code - 55;
  return 99;
}

/** C's strtoll/strtoull: leading blanks, sign, base prefix (base 0 or 16), longest digit run. */
export function parseCNumber(text: string, base: 0 | 10 | 16, unsigned = false): ParsedNumber {
  let i = 0;
  while (i < text.length && isCSpace(text.charCodeAt(i))) i++;
  let negative = false;
  if (text[i] === '+' || text[i] === '-') {
    negative = text[i] === '-';
    i++;
  }
  let radix: number = base;
  const hasHexPrefix = text[i] === '0' && (text[i + 1] === 'x' || text[i + 1] === 'X') && digitValue(text[i + 2] ?? 'z') < 16;
  if ((base === 0 || base === 16) && hasHexPrefix) {
    radix = 16;
    i += 2;
  } else if (base === 0) {
    radix = text[i] === '0' ? 8 : 10;
  }
  const start = i;
  // Digits are summed as a double while that is exact, and as a bigint beyond: most numbers never get there.
  let small = 0;
  let big: bigint | undefined;
  for (let d: number; i < text.length && (d = digitValue(text[i]!)) < radix; i++) {
    if (big === undefined && small < EXACT_DOUBLE_LIMIT) small = small * radix + d;
    else big = (big ?? BigInt(small)) * BigInt(radix) + BigInt(d);
  }
  if (i === start) return { value: 0n, end: 0, overflow: false };
  let value = big ?? BigInt(small);
  let overflow: boolean;
  if (unsigned) {
    overflow = value > UINT64_MAX;
    value = overflow ? UINT64_MAX : negative ? BigInt.asUintN(64, -value) : value;
  } else {
    const signed = negative ? -value : value;
    overflow = signed > INT64_MAX || signed < INT64_MIN;
    value = signed > INT64_MAX ? INT64_MAX : signed < INT64_MIN ? INT64_MIN : signed;
  }
  return { value, end: i, overflow };
}

type Parsed = { kind: 'string' } | { kind: 'signed' | 'unsigned'; value: bigint };

/** conf's expr_parse_string: how a comparison reads an operand of a given type. */
function parseOperand(text: string, type: OperandType): Parsed {
  if (type === 'bool' || type === 'tristate') {
    return { kind: 'signed', value: text === 'n' ? 0n : text === 'm' ? 1n : text === 'y' ? 2n : -1n };
  }
  const unsigned = type === 'hex';
  const n = parseCNumber(text, type === 'int' ? 10 : type === 'hex' ? 16 : 0, unsigned);
  const numeric = !n.overflow && n.end === text.length && n.end > 0 && /[0-9a-fA-F]/.test(text[n.end - 1]!);
  return numeric ? { kind: unsigned ? 'unsigned' : 'signed', value: n.value } : { kind: 'string' };
}

/** Operand types as conf sees them: y/m/n constants are tristate, other constants unknown. */
export type OperandType = SymbolType;

export function constantType(text: string): OperandType {
  return text === 'y' || text === 'm' || text === 'n' ? 'tristate' : 'unknown';
}

/** The result of `a op b` in conf, for concrete operand strings and types. */
export function compareValues(op: CompareOp, a: string, aType: OperandType, b: string, bType: OperandType): boolean {
  let res: number;
  const pa: Parsed = aType === 'string' && bType === 'string' ? { kind: 'string' } : parseOperand(a, aType);
  const pb: Parsed = aType === 'string' && bType === 'string' ? { kind: 'string' } : parseOperand(b, bType);
  if (pa.kind === 'string' || pb.kind === 'string') {
    res = strcmp(a, b);
  } else if (pa.kind === 'unsigned' || pb.kind === 'unsigned') {
    const x = BigInt.asUintN(64, pa.value);
    const y = BigInt.asUintN(64, pb.value);
    res = x > y ? 1 : x < y ? -1 : 0;
  } else {
    res = pa.value > pb.value ? 1 : pa.value < pb.value ? -1 : 0;
  }
  switch (op) {
    case '=':
      return res === 0;
    case '!=':
      return res !== 0;
    case '<':
      return res < 0;
    case '<=':
      return res <= 0;
    case '>':
      return res > 0;
    case '>=':
      return res >= 0;
  }
}

/** C's strcmp on the UTF-8 bytes: JavaScript's `<` orders UTF-16 units, which puts U+10000 before U+FFFF. */
function strcmp(a: string, b: string): number {
  return a === b ? 0 : Math.sign(Buffer.compare(Buffer.from(a), Buffer.from(b)));
}

/**
 * Where compareValues puts an operand among the numbers of the other side:
 * its number (as an unsigned 64-bit value when either side is hex), or
 * undefined when it compares as a string. Two operands that both have a key
 * compare as their keys do, so a comparison against many values can be a
 * search in their sorted keys.
 */
export function orderKey(text: string, type: OperandType, otherType: OperandType): bigint | undefined {
  if (type === 'string' && otherType === 'string') return undefined;
  const parsed = parseOperand(text, type);
  if (parsed.kind === 'string') return undefined;
  return type === 'hex' || otherType === 'hex' ? BigInt.asUintN(64, parsed.value) : parsed.value;
}

/** conf's sym_string_valid: whether a .config value is accepted for a symbol of this type. */
export function isValidValue(type: SymbolType, text: string): boolean {
  switch (type) {
    case 'string':
      return true;
    case 'int':
      return /^-?(0|[1-9][0-9]*)$/.test(text);
    case 'hex':
      return /^(0[xX])?[0-9a-fA-F]+$/.test(text);
    case 'bool':
    case 'tristate':
      return /^[yYmMnN]/.test(text);
    default:
      return false;
  }
}

/** How sym_validate_range reads a value or bound: strtoll in the symbol's base. */
export function rangeNumber(text: string, type: SymbolType, fallbackBase: 10 | 16): bigint {
  const base = type === 'int' ? 10 : type === 'hex' ? 16 : fallbackBase;
  return parseCNumber(text, base).value;
}

export function rangeBase(type: SymbolType): 10 | 16 | undefined {
  return type === 'int' ? 10 : type === 'hex' ? 16 : undefined;
}

export function formatNumber(value: bigint, base: 10 | 16): string {
  if (base === 10) return value.toString(10);
  return value < 0n ? `-0x${(-value).toString(16)}` : `0x${value.toString(16)}`;
}
