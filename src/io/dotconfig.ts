/**
 * The kernel's .config format: reading it the way conf's conf_read_simple
 * (scripts/kconfig/confdata.c) does, checking values against a model the way
 * conf_set_sym_val does, and writing it the way conf_write does.
 *
 * Malformed lines. conf_read_simple never refuses a file because of its
 * contents: every bad line is skipped, some with a `file:line:warning:` and
 * some silently, and reading goes on. Only KCONFIG_WERROR turns those
 * warnings into a failure (conf exits 1 once the file is read). So by default
 * the parser skips what conf skips and records each skipped or suspicious
 * line in `problems`; `strict: true` plays the part of KCONFIG_WERROR and
 * throws a KconfsatError('config') at the first problem, with file:line:col.
 *
 *   line                              conf                         here
 *   `CONFIG_X` (no `=`)               skipped silently             skipped, problem
 *   `CONFIG_X="abc` (no closing `"`)  "invalid string found"       skipped, problem
 *   `CONFIG_X="abc"junk`              text after `"` ignored       kept as "abc", problem
 *   `FOO=y`, `  ` (not a comment,     "unexpected data"            skipped, problem
 *     not an assignment, not empty)
 *   `CONFIG_=y` (no name)             unknown symbol, skipped      skipped, problem
 *   `# CONFIG_X is not set junk`      accepted (compares 10 chars) kept, problem
 *   `#CONFIG_X is not set`, `# foo`   a comment                    a comment
 *   second assignment to a symbol     "override: reassigning to    both kept in order, problem
 *                                      symbol" (later value wins)   on the later line
 *   a NUL byte in a line              the line ends there          the line ends there
 *
 * Parsing needs no model, so values are kept as written (strings unescaped)
 * and whether they fit a symbol's type is decided by checkAgainstModel.
 */
import * as fs from 'node:fs';
import { KconfsatError } from '../errors.js';
import { readRegularFile } from './files.js';
import { isDefined, type KconfigModel, type SymbolType } from '../model/types.js';

export const DEFAULT_PREFIX = 'CONFIG_';

export interface DotConfigEntry {
  /** Symbol name without the prefix. */
  name: string;
  /** `n` for `# CONFIG_X is not set`; the unescaped text for a quoted value; otherwise the text after `=` as written. */
  value: string;
  /** The value was written in double quotes. conf takes quoted text only for strings, unquoted only for the other types. */
  quoted: boolean;
  kind: 'set' | 'unset';
  /** 1-based line number. */
  line: number;
  /** The line as written, without its line ending. */
  raw: string;
}

export interface DotConfigProblem {
  line: number;
  /** 1-based. */
  column: number;
  message: string;
}

export interface DotConfig {
  file: string;
  /** Every accepted assignment, in file order (duplicates included, see the header comment). */
  entries: DotConfigEntry[];
  /** Every line of the file without its line ending, comments and blank lines included. */
  lines: string[];
  /** The ending each line had: '\n', '\r\n', or '' for a last line without one. */
  lineEndings: string[];
  problems: DotConfigProblem[];
}

export interface DotConfigParseOptions {
  /** conf takes it from the environment variable CONFIG_; default 'CONFIG_'. */
  prefix?: string;
  /** Throw at the first problem, as conf fails under KCONFIG_WERROR. */
  strict?: boolean;
}

export function parseDotConfig(text: string, file: string, options: DotConfigParseOptions = {}): DotConfig {
  const prefix = options.prefix ?? DEFAULT_PREFIX;
  const { lines, lineEndings } = splitLines(text);
  const config: DotConfig = { file, entries: [], lines, lineEndings, problems: [] };
  const lastAssignedOn = new Map<string, number>();

  lines.forEach((raw, index) => {
    const line = index + 1;
    // conf reads a line with C's string functions, which end it at a NUL byte.
    const nul = raw.indexOf('\0');
    const result = parseLine(nul < 0 ? raw : raw.slice(0, nul), prefix);
    if (result.problem) config.problems.push({ line, ...result.problem });
    if (!result.entry) return;
    const { name } = result.entry;
    const previous = lastAssignedOn.get(name);
    if (previous !== undefined) {
      config.problems.push({
        line,
        column: 1,
        message: `override: reassigning to symbol ${name} (previously assigned on line ${previous})`,
      });
    }
    lastAssignedOn.set(name, line);
    config.entries.push({ ...result.entry, line, raw });
  });

  const first = config.problems[0];
  if (options.strict && first) {
    throw new KconfsatError('config', first.message, { file, line: first.line, column: first.column });
  }
  return config;
}

/**
 * Largest .config read: Linux's are about 300 KB. Reading and checking take
 * some 80 bytes of heap per byte of text (a 4 MiB .config of 250,000 unknown
 * symbols: 9.6 s, 338 MB peak for `check`; 16 MiB: 42 s, 1.2 GB), so this keeps
 * a .config well under a GB.
 */
export const MAX_DOTCONFIG_BYTES = 4 << 20;

/** A .config file from disk: a regular file of at most MAX_DOTCONFIG_BYTES, else a one-line error. */
export function readDotConfigFile(file: string, options: DotConfigParseOptions = {}): DotConfig {
  const read = readRegularFile(file, { maxBytes: MAX_DOTCONFIG_BYTES });
  if ('text' in read) return parseDotConfig(read.text, file, options);
  switch (read.problem) {
    case 'missing':
    case 'symlink':
      throw new KconfsatError('io', `cannot read ${file}`);
    case 'not a regular file':
      throw new KconfsatError('io', `cannot read ${file}: not a regular file`);
    case 'too large':
      throw new KconfsatError('io', `input too large: ${file}, ${fs.statSync(file).size} bytes (a .config may have at most ${MAX_DOTCONFIG_BYTES} bytes)`);
  }
}

/** The original text, byte for byte. */
export function serializeDotConfig(config: DotConfig): string {
  return config.lines.map((line, i) => line + (config.lineEndings[i] ?? '\n')).join('');
}

/** conf splits lines at '\n' only and drops a '\r' just before it; a lone '\r' stays part of the line. */
function splitLines(text: string): { lines: string[]; lineEndings: string[] } {
  const lines: string[] = [];
  const lineEndings: string[] = [];
  let start = 0;
  while (start < text.length) {
    const newline = text.indexOf('\n', start);
    if (newline < 0) {
      lines.push(text.slice(start));
      lineEndings.push('');
      break;
    }
    const crlf = newline > start && text[newline - 1] === '\r';
    lines.push(text.slice(start, crlf ? newline - 1 : newline));
    lineEndings.push(crlf ? '\r\n' : '\n');
    start = newline + 1;
  }
  return { lines, lineEndings };
}

type ParsedEntry = Omit<DotConfigEntry, 'line' | 'raw'>;

interface LineResult {
  entry?: ParsedEntry;
  problem?: { column: number; message: string };
}

function parseLine(raw: string, prefix: string): LineResult {
  if (raw === '') return {};
  if (raw.startsWith('#')) return parseUnsetComment(raw, prefix);
  if (!raw.startsWith(prefix)) {
    return { problem: { column: 1, message: `unexpected data: ${raw}` } };
  }

  const rest = raw.slice(prefix.length);
  const equals = rest.indexOf('=');
  if (equals < 0) {
    return { problem: { column: raw.length + 1, message: `expected '=' after ${raw}` } };
  }
  const name = rest.slice(0, equals);
  if (name === '') {
    return { problem: { column: prefix.length + 1, message: `missing symbol name after ${prefix}` } };
  }

  const valueColumn = prefix.length + equals + 2;
  const written = rest.slice(equals + 1);
  if (!written.startsWith('"')) {
    return { entry: { name, value: written, quoted: false, kind: 'set' } };
  }

  const string = unescapeQuoted(written);
  if (!string) {
    return { problem: { column: valueColumn, message: `unterminated string value for ${name}` } };
  }
  const entry: ParsedEntry = { name, value: string.value, quoted: true, kind: 'set' };
  if (string.end < written.length) {
    const column = valueColumn + string.end;
    return { entry, problem: { column, message: `text after the closing quote of ${name} is ignored` } };
  }
  return { entry };
}

/**
 * `# CONFIG_X is not set`. Like conf: exactly one space after '#', the name
 * runs to the next space, and only the first 10 characters after it must be
 * "is not set"; anything else starting with '#' is an ordinary comment.
 */
function parseUnsetComment(raw: string, prefix: string): LineResult {
  const lead = `# ${prefix}`;
  if (!raw.startsWith(lead)) return {};
  const rest = raw.slice(lead.length);
  const space = rest.indexOf(' ');
  const marker = 'is not set';
  if (space < 0 || !rest.startsWith(marker, space + 1)) return {};

  const name = rest.slice(0, space);
  if (name === '') {
    return { problem: { column: lead.length + 1, message: `missing symbol name after ${prefix}` } };
  }
  const entry: ParsedEntry = { name, value: 'n', quoted: false, kind: 'unset' };
  const markerEnd = lead.length + space + 1 + marker.length;
  if (markerEnd < raw.length) {
    return { entry, problem: { column: markerEnd + 1, message: `text after 'is not set' is ignored` } };
  }
  return { entry };
}

/**
 * conf's unescaping: a backslash keeps the next character whatever it is, and
 * the first unescaped '"' ends the string. Returns the value and the index
 * just past the closing quote, or undefined when there is none.
 */
function unescapeQuoted(written: string): { value: string; end: number } | undefined {
  let value = '';
  for (let i = 1; i < written.length; i++) {
    const ch = written[i];
    if (ch === '"') return { value, end: i + 1 };
    if (ch === '\\') {
      i++;
      if (i >= written.length) return undefined;
      value += written[i];
    } else {
      value += ch;
    }
  }
  return undefined;
}

export interface DotConfigCheck {
  /** Entries naming no symbol the model defines; conf skips them. */
  unknown: DotConfigEntry[];
  /** Entries whose value conf would reject (or silently ignore) for the symbol's type. */
  invalid: { entry: DotConfigEntry; reason: string }[];
  /**
   * The entries that fit, minus those overridden by a later fitting entry for
   * the same symbol, in file order: what conf ends up using. (A later entry
   * that does not fit leaves the earlier value in place, as in conf.) Each
   * value is the one conf takes (`CONFIG_A=yes` gives a copy with `y`).
   */
  valid: DotConfigEntry[];
}

/**
 * Sorts entries by whether the model can take them. Entries are shared, not
 * copied or changed, except a valid one whose value conf reads differently
 * from its text (see confValue): that one is a copy with conf's value. Ranges
 * are not checked: their bounds and conditions need the evaluated model.
 */
export function checkAgainstModel(config: DotConfig, model: KconfigModel): DotConfigCheck {
  const check: DotConfigCheck = { unknown: [], invalid: [], valid: [] };
  const fitting: DotConfigEntry[] = [];
  for (const entry of config.entries) {
    const symbol = model.byName.get(entry.name);
    if (!symbol || !isDefined(symbol) || symbol.type === 'unknown') {
      check.unknown.push(entry);
      continue;
    }
    if (symbol.ownChoice) {
      check.invalid.push({ entry, reason: `${entry.name} is a choice; a .config selects one of its members instead` });
      continue;
    }
    const value = confValue(entry, symbol.type);
    if ('reason' in value) check.invalid.push({ entry, reason: value.reason });
    else fitting.push(value.value === entry.value ? entry : { ...entry, value: value.value });
  }
  const lastFitting = new Map(fitting.map((entry) => [entry.name, entry]));
  check.valid = fitting.filter((entry) => lastFitting.get(entry.name) === entry);
  return check;
}

/**
 * The value conf_set_sym_val takes from an entry for a symbol of `type`, or
 * why it takes none (and sym_string_valid's rules for int and hex). For bool
 * and tristate conf looks at the first character only: `CONFIG_A=yes` and
 * `CONFIG_A=y # comment` are y, `CONFIG_A=nope` is n, `CONFIG_A="y"` is invalid.
 */
export function confValue(entry: DotConfigEntry, type: SymbolType): { value: string } | { reason: string } {
  const shown = entry.kind === 'unset' ? `'is not set'` : entry.quoted ? `'"${entry.value}"'` : `'${entry.value}'`;
  const fail = (why: string) => ({ reason: `value ${shown} invalid for ${type} symbol ${entry.name}: ${why}` });
  if (entry.kind === 'unset' && type !== 'bool' && type !== 'tristate') {
    return fail(`'is not set' applies only to bool and tristate symbols`);
  }
  switch (type) {
    case 'bool':
    case 'tristate': {
      const first = entry.quoted ? '"' : entry.value.charAt(0);
      const allowed = type === 'bool' ? ['y', 'n'] : ['y', 'm', 'n'];
      return allowed.includes(first) ? { value: first } : fail(`expected a value starting with ${allowed.join(', ')}`);
    }
    case 'int':
      // An optional '-', then decimal digits without a leading zero.
      if (entry.quoted || !/^-?(0|[1-9][0-9]*)$/.test(entry.value)) return fail('expected a decimal integer');
      return { value: entry.value };
    case 'hex':
      if (entry.quoted || !/^(0[xX])?[0-9a-fA-F]+$/.test(entry.value)) return fail('expected a hexadecimal number');
      return { value: entry.value };
    case 'string':
      if (!entry.quoted) return fail('a string value must be in double quotes');
      return { value: entry.value };
    case 'unknown':
      return fail('the symbol has no type');
  }
}

export interface DotConfigValue {
  name: string;
  type: SymbolType;
  /** y/m/n for bool and tristate, the unescaped text for strings, the digits for int and hex. */
  value: string;
}

export interface DotConfigWriteOptions {
  prefix?: string;
  /** Lines for the leading comment block, e.g. conf's "Automatically generated file; DO NOT EDIT.\nLinux/x86 6.1.0 Kernel Configuration". */
  header?: string;
}

/**
 * conf_write's symbol lines (print_symbol_for_dotconfig): n as
 * `# CONFIG_X is not set`, strings quoted with '"' and '\' escaped, int and
 * hex as given; symbols of unknown type are left out as conf does. Throws a
 * plain Error for a bool/tristate value other than y/m/n: that is a caller bug;
 * a KconfsatError for a string no .config can hold (a line break or NUL in it).
 */
export function writeDotConfig(values: Iterable<DotConfigValue>, options: DotConfigWriteOptions = {}): string {
  const prefix = options.prefix ?? DEFAULT_PREFIX;
  const out: string[] = [];
  if (options.header !== undefined) {
    out.push('#', ...options.header.split('\n').map((line) => (line ? `# ${line}` : '#')), '#');
  }
  for (const { name, type, value } of values) {
    switch (type) {
      case 'bool':
      case 'tristate':
        if (value === 'n') out.push(`# ${prefix}${name} is not set`);
        else if (value === 'y' || (value === 'm' && type === 'tristate')) out.push(`${prefix}${name}=${value}`);
        else throw new Error(`cannot write '${value}' for ${type} symbol ${name}`);
        break;
      case 'string':
        // conf_write escapes only '"' and a backslash: a line break would end the line (the rest read back as a
        // line of its own, perhaps an assignment), and a NUL would end conf's C string.
        if (/[\n\0]/.test(value)) {
          throw new KconfsatError('io', `cannot write ${prefix}${name}: its value ${JSON.stringify(value)} holds a line break or NUL, which a .config cannot hold`);
        }
        out.push(`${prefix}${name}="${value.replace(/["\\]/g, '\\$&')}"`);
        break;
      case 'int':
      case 'hex':
        out.push(`${prefix}${name}=${value}`);
        break;
      case 'unknown':
        break;
    }
  }
  return out.map((line) => line + '\n').join('');
}

/** Symbol → value of each line, the last line for a symbol winning as in conf. */
export function lineValues(config: DotConfig): Map<string, string> {
  return new Map(config.entries.map((e) => [e.name, e.value]));
}

/**
 * The lines `after` differs in from `before` (a quoted value differs from the
 * same text unquoted): symbol → its value in `after` (undefined: no line there).
 */
export function lineChanges(before: DotConfig, after: DotConfig): Map<string, string | undefined> {
  const last = (config: DotConfig) => new Map(config.entries.map((e) => [e.name, e]));
  const a = last(before);
  const b = last(after);
  const out = new Map<string, string | undefined>();
  for (const [name, line] of a) {
    const then = b.get(name);
    if (then?.value !== line.value || then.quoted !== line.quoted) out.set(name, then?.value);
  }
  for (const [name, line] of b) if (!a.has(name)) out.set(name, line.value);
  return out;
}
