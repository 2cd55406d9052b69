/**
 * The Kconfig macro language (Documentation/kbuild/kconfig-macro-language.rst):
 * variables (`:=`, `=`, `+=`), `$(VAR)`, user functions with `$(1)`..., the
 * builtins, and the environment.
 *
 * Toolchain probes (`$(shell,...)`) and unset environment variables are not
 * knowable without running the host: unless the caller opts in, each becomes an
 * *unknown*, a placeholder token that later stages turn into a free input, so
 * an answer holds for every toolchain.
 */
import { execSync } from 'node:child_process';
import { KconfsatError, type SourceLocation } from '../errors.js';

/**
 * Unknowns are marked with lone UTF-16 surrogates: text decoded from UTF-8
 * (files, the command line, the environment, a command's output) never holds
 * one, and wellFormed() turns any in text given as a JavaScript string into
 * U+FFFD, as a decoder would, so no tree can spell a marker. The same unit
 * does occur paired, as the low half of U+10000, U+10400, ... (🐀 is
 * D83D DC00): only an unpaired one is a marker.
 */
const UNKNOWN_OPEN = '\uDC00';
const UNKNOWN_CLOSE = '\uDC01';
const MAX_EXPANSION_DEPTH = 1000;
/**
 * Longest text an expansion may produce. conf has no limit, but twenty-odd
 * lines of `X := $(X)$(X)` outgrow a JavaScript string (and memory) by
 * doubling; real trees expand to a few kilobytes at most.
 */
export const MAX_EXPANSION_LENGTH = 1 << 20;
const MAX_FUNCTION_ARGS = 16;
/**
 * Most references (variables, function calls, arguments) one top-level
 * expansion may evaluate. Output length alone does not bound the work:
 * forty lines of `X := $(Y)$(Y)` over an empty Y double the calls each time
 * and produce nothing. Linux's largest expansion takes a few hundred.
 */
export const MAX_EXPANSION_STEPS = 1_000_000;
/**
 * Characters all the expansions of one load may produce together. Each is
 * bounded by MAX_EXPANSION_LENGTH, but a string may join hundreds of them (200
 * references to a 1 MB variable make 200 MB from a 1 MB file) and a tree
 * thousands: past V8's longest string, or the heap. Linux's come to a few
 * hundred kilobytes.
 */
export const MAX_EXPANDED_TOTAL = 16 << 20;
/** $(info) and $(warning-if) messages kept; later ones are dropped. */
const MAX_DIAGNOSTICS = 10_000;

export interface Unknown {
  id: number;
  /** What produced it, e.g. `$(shell,gcc --version)` or `$(CC_VERSION_TEXT)`. */
  origin: string;
}

export interface MacroOptions {
  /** Environment seen by `$(VAR)` lookups that are not Kconfig variables. */
  env?: Record<string, string | undefined>;
  /** Run `$(shell,...)` on the host. Off by default: results become unknowns. */
  runShell?: boolean;
  /** Directory `$(shell,...)` runs in (the tree root). */
  shellCwd?: string;
  /** Unset environment variables expand to "" instead of an unknown. */
  emptyUnsetEnv?: boolean;
}

export interface MacroDiagnostic {
  kind: 'info' | 'warning';
  message: string;
  location: SourceLocation;
}

interface Variable {
  flavor: 'simple' | 'recursive';
  value: string;
  expanding: number;
}

type VariableValue = Pick<Variable, 'flavor' | 'value'>;

/**
 * What expanding one file's text (with the files it sources) read from the
 * expander's state and did to it: enough to tell whether the same text
 * expands the same way in another state, and to give that state the same
 * effects without expanding again (parse/memo.ts).
 */
export interface MacroRecording {
  /** The expander's options the results depend on. */
  readonly optionsKey: string;
  /** Variables read before the text assigned them, as they were (undefined: not a variable). */
  readonly reads: Map<string, VariableValue | undefined>;
  /** Environment variables looked up, with the value used. */
  readonly env: Map<string, string | undefined>;
  /** Unknowns asked for, each origin once, in order, with the token given. */
  readonly unknowns: Map<string, string>;
  /** The first MAX_DIAGNOSTICS $(info) and $(warning-if) messages. */
  readonly diagnostics: MacroDiagnostic[];
  /** Variables assigned, with their values at the end. */
  readonly assigned: Map<string, VariableValue>;
  /** Characters the expansions produced (counted towards MAX_EXPANDED_TOTAL wherever it is replayed). */
  produced: number;
}

/**
 * $(shell,...) results by directory, environment and command, for the whole
 * process: conf runs each probe once, and a process that loads the same tree
 * again (review's two trees, fix's edited copies) need not run the toolchain
 * again (hundreds of compiler runs on Linux, most of a --run-shell load).
 */
const shellResults = new Map<string, string>();

export class MacroExpander {
  readonly unknowns: Unknown[] = [];
  readonly diagnostics: MacroDiagnostic[] = [];
  /** Environment variables actually looked up, with the value used. */
  readonly envUsed = new Map<string, string | undefined>();
  private readonly variables = new Map<string, Variable>();
  private readonly unknownByOrigin = new Map<string, string>();
  private location: SourceLocation = { file: '<none>', line: 0, column: 0 };
  /** References evaluated by the current top-level expansion (or assignment). */
  private steps = 0;
  /** Recordings under way, innermost last: every read and effect goes to each. */
  private readonly recordings: MacroRecording[] = [];
  /** Characters produced by expansions so far (MAX_EXPANDED_TOTAL). */
  private produced = 0;
  /** The options a recording's results depend on: $(shell) output on the whole environment and directory; without running it, only looked-up variables matter. */
  private readonly optionsKey: string;

  constructor(private readonly options: MacroOptions = {}) {
    this.optionsKey = options.runShell ? JSON.stringify([options.shellCwd, options.env]) : String(options.emptyUnsetEnv ?? false);
  }

  /** Starts recording what the expansions from now on read and do (until stopRecording). */
  startRecording(): MacroRecording {
    const recording: MacroRecording = {
      optionsKey: this.optionsKey,
      reads: new Map(),
      env: new Map(),
      unknowns: new Map(),
      diagnostics: [],
      assigned: new Map(),
      produced: 0,
    };
    this.recordings.push(recording);
    return recording;
  }

  /** Ends the innermost recording, which is `recording`. */
  stopRecording(recording: MacroRecording): void {
    this.recordings.pop();
    for (const name of recording.assigned.keys()) {
      const v = this.variables.get(name)!;
      recording.assigned.set(name, { flavor: v.flavor, value: v.value });
    }
  }

  /**
   * Gives this expander the effects `recording` saw, when everything it read
   * is the same here (and the unknowns it made would get the same tokens);
   * false, changing nothing, otherwise.
   */
  replay(recording: MacroRecording): boolean {
    if (recording.optionsKey !== this.optionsKey) return false;
    for (const [name, was] of recording.reads) {
      const v = this.variables.get(name);
      if (v === undefined ? was !== undefined : was === undefined || v.flavor !== was.flavor || v.value !== was.value) return false;
    }
    for (const [name, was] of recording.env) if (this.envValue(name) !== was) return false;
    const made: string[] = [];
    for (const [origin, token] of recording.unknowns) {
      const existing = this.unknownByOrigin.get(origin);
      if (existing === undefined ? token !== unknownToken(this.unknowns.length + made.length) : existing !== token) return false;
      if (existing === undefined) made.push(origin);
    }
    // Past the limit a fresh parse stops, at the expansion that crosses it.
    if (this.produced + recording.produced > MAX_EXPANDED_TOTAL) return false;
    this.produced += recording.produced;
    for (const recordingAround of this.recordings) {
      recordingAround.produced += recording.produced;
      for (const [name, was] of recording.reads) this.noteRead(recordingAround, name, was);
      for (const [name, was] of recording.env) if (!recordingAround.env.has(name)) recordingAround.env.set(name, was);
      for (const [origin, token] of recording.unknowns) if (!recordingAround.unknowns.has(origin)) recordingAround.unknowns.set(origin, token);
      for (const [name, v] of recording.assigned) recordingAround.assigned.set(name, v);
    }
    for (const origin of made) this.unknown(origin);
    for (const [name, was] of recording.env) this.envUsed.set(name, was);
    for (const d of recording.diagnostics) this.diagnose(d.kind, d.message, d.location);
    for (const [name, v] of recording.assigned) this.variables.set(name, { ...v, expanding: 0 });
    return true;
  }

  private noteRead(recording: MacroRecording, name: string, value: VariableValue | undefined): void {
    if (!recording.assigned.has(name) && !recording.reads.has(name)) recording.reads.set(name, value);
  }

  /** Where the text being expanded comes from; `$(filename)`/`$(lineno)` and errors use it. */
  setLocation(location: SourceLocation): void {
    this.location = location;
  }

  assign(name: string, op: '=' | ':=' | '+=', rawValue: string): void {
    this.steps = 0;
    const existing = this.variables.get(name);
    if (op === '+=') for (const r of this.recordings) this.noteRead(r, name, existing && { flavor: existing.flavor, value: existing.value });
    if (op === '+=' && existing) {
      const more = existing.flavor === 'simple' ? this.expand(rawValue) : rawValue;
      existing.value = this.bounded(`${existing.value} ${more}`);
    } else {
      const flavor = op === ':=' ? 'simple' : 'recursive';
      const value = flavor === 'simple' ? this.expand(rawValue) : rawValue;
      this.variables.set(name, { flavor, value, expanding: 0 });
    }
    // Its value at the end is what a recording keeps (stopRecording).
    for (const r of this.recordings) r.assigned.set(name, { flavor: 'simple', value: '' });
  }

  /** Expands every `$(...)` in `text`. */
  expand(text: string): string {
    this.steps = 0;
    const out = this.expandWithArgs(text, [], 0);
    if (out !== text) this.spend(out.length);
    return out;
  }

  private spend(chars: number): void {
    this.produced += chars;
    for (const r of this.recordings) r.produced += chars;
    if (this.produced > MAX_EXPANDED_TOTAL) throw this.error(`input too large: macro expansions, over ${MAX_EXPANDED_TOTAL} characters in all`);
  }

  describeUnknown(id: number): string {
    return this.unknowns[id]?.origin ?? `unknown#${id}`;
  }

  private expandWithArgs(text: string, args: string[], depth: number): string {
    if (text.indexOf('$') < 0) return text;
    let out = '';
    let i = 0;
    while (i < text.length) {
      const dollar = text.indexOf('$', i);
      if (dollar < 0) {
        out += text.slice(i);
        break;
      }
      out += text.slice(i, dollar);
      if (text[dollar + 1] !== '(') {
        out += '$';
        i = dollar + 1;
        continue;
      }
      const close = findClosingParen(text, dollar + 2);
      if (close < 0) {
        throw this.error(`unterminated reference to '${text.slice(dollar + 2)}': missing ')'`);
      }
      out = this.bounded(out + this.evalClause(text.slice(dollar + 2, close), args, depth + 1));
      i = close + 1;
    }
    return out;
  }

  private bounded(text: string): string {
    if (text.length > MAX_EXPANSION_LENGTH) {
      throw this.error(`macro expansion longer than ${MAX_EXPANSION_LENGTH} characters`);
    }
    return text;
  }

  private evalClause(clause: string, args: string[], depth: number): string {
    if (depth > MAX_EXPANSION_DEPTH) throw this.error('too deep recursive expansion');
    if (++this.steps > MAX_EXPANSION_STEPS) throw this.error(`input too large: macro expansion, over ${MAX_EXPANSION_STEPS} references evaluated`);
    if (/^[0-9]+$/.test(clause)) {
      // A missing argument is empty (conf looks it up as an environment variable that never exists).
      return args[Number(clause) - 1] ?? '';
    }
    const parts = splitTopLevelCommas(clause);
    if (parts.length > MAX_FUNCTION_ARGS + 1) throw this.error('too many function arguments');
    const name = this.expandWithArgs(parts[0]!, args, depth);
    const callArgs = parts.slice(1).map((p) => this.expandWithArgs(p, args, depth));

    const variable = this.variables.get(name);
    for (const r of this.recordings) this.noteRead(r, name, variable && { flavor: variable.flavor, value: variable.value });
    if (variable) return this.expandVariable(name, variable, callArgs, depth);
    const builtin = this.callBuiltin(name, callArgs);
    if (builtin !== undefined) return builtin;
    if (callArgs.length === 0) return this.lookupEnv(name);
    return '';
  }

  private expandVariable(name: string, v: Variable, args: string[], depth: number): string {
    if (args.length === 0 && v.expanding > 0) {
      throw this.error(`Recursive variable '${name}' references itself (eventually)`);
    }
    if (v.flavor === 'simple') return v.value;
    v.expanding++;
    try {
      return this.expandWithArgs(v.value, args, depth);
    } finally {
      v.expanding--;
    }
  }

  private callBuiltin(name: string, args: string[]): string | undefined {
    const arity = (min: number, max: number): void => {
      if (args.length < min) throw this.error(`too few function arguments passed to '${name}'`);
      if (args.length > max) throw this.error(`too many function arguments passed to '${name}'`);
    };
    switch (name) {
      case 'shell':
        arity(1, 1);
        return this.shell(args[0]!);
      case 'info':
        arity(1, 1);
        this.diagnose('info', args[0]!);
        return '';
      case 'warning-if':
        arity(2, 2);
        if (args[0] === 'y') this.diagnose('warning', args[1]!);
        return '';
      case 'error-if':
        arity(2, 2);
        if (args[0] === 'y') throw this.error(args[1]!);
        return '';
      case 'filename':
        arity(0, 0);
        return this.location.file;
      case 'lineno':
        arity(0, 0);
        return String(this.location.line);
      default:
        return undefined;
    }
  }

  /** Keeps the first MAX_DIAGNOSTICS messages: a loop of $(info) must not fill the heap. */
  private diagnose(kind: MacroDiagnostic['kind'], message: string, location = this.location): void {
    const diagnostic = { kind, message, location };
    if (this.diagnostics.length < MAX_DIAGNOSTICS) this.diagnostics.push(diagnostic);
    // A recording's first MAX_DIAGNOSTICS are all an expander could keep of them, wherever it is replayed.
    for (const r of this.recordings) if (r.diagnostics.length < MAX_DIAGNOSTICS) r.diagnostics.push(diagnostic);
  }

  private shell(command: string): string {
    if (!this.options.runShell || containsUnknown(command)) {
      return this.unknown(`$(shell,${this.render(command)})`);
    }
    const key = JSON.stringify([this.options.shellCwd ?? process.cwd(), this.options.env ?? {}, command]);
    const cached = shellResults.get(key);
    if (cached !== undefined) return cached;
    let output: string;
    try {
      output = execSync(command, {
        cwd: this.options.shellCwd,
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'ignore'],
        shell: '/bin/sh',
        env: { ...process.env, ...definedOnly(this.options.env ?? {}) },
      });
    } catch (e) {
      // A failing command still yields what it printed, as popen() does.
      output = String((e as { stdout?: string }).stdout ?? '');
    }
    const result = output.replace(/\n+$/, '').replace(/\n/g, ' ');
    shellResults.set(key, result);
    return result;
  }

  private lookupEnv(name: string): string {
    const value = this.envValue(name);
    this.envUsed.set(name, value);
    for (const r of this.recordings) if (!r.env.has(name)) r.env.set(name, value);
    if (value !== undefined) return value;
    return this.options.emptyUnsetEnv ? '' : this.unknown(`$(${name})`);
  }

  private envValue(name: string): string | undefined {
    const given = this.options.env?.[name];
    return given === undefined ? undefined : wellFormed(given);
  }

  private unknown(origin: string): string {
    let token = this.unknownByOrigin.get(origin);
    if (token === undefined) {
      const id = this.unknowns.length;
      this.unknowns.push({ id, origin });
      token = unknownToken(id);
      this.unknownByOrigin.set(origin, token);
    }
    for (const r of this.recordings) if (!r.unknowns.has(origin)) r.unknowns.set(origin, token);
    return token;
  }

  /** Text with unknown placeholders written back as their origin. */
  render(text: string): string {
    return containsUnknown(text)
      ? text.replace(UNKNOWN_PATTERN, (_m, id: string) => this.describeUnknown(Number(id)))
      : text;
  }

  private error(message: string): KconfsatError {
    return new KconfsatError('macro', message, this.location);
  }
}

function unknownToken(id: number): string {
  return `${UNKNOWN_OPEN}${id}${UNKNOWN_CLOSE}`;
}

const UNKNOWN_PATTERN = new RegExp(`(?<![\\uD800-\\uDBFF])${UNKNOWN_OPEN}(\\d+)${UNKNOWN_CLOSE}`, 'g');

/** `text` with each lone surrogate replaced by U+FFFD, as a UTF-8 round trip would leave it. */
export function wellFormed(text: string): string {
  return text.replace(/\p{Cs}/gu, '\uFFFD');
}

export function containsUnknown(text: string): boolean {
  for (let i = text.indexOf(UNKNOWN_OPEN); i >= 0; i = text.indexOf(UNKNOWN_OPEN, i + 1)) {
    const before = i > 0 ? text.charCodeAt(i - 1) : 0;
    if (before < 0xd800 || before > 0xdbff) return true;
  }
  return false;
}

/** Index of the `)` closing a reference whose body starts at `from`, or -1 when none comes before `end`. */
export function findClosingParen(text: string, from: number, end = text.length): number {
  let nest = 0;
  for (let i = from; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c === 40 /* ( */) nest++;
    else if (c === 41 /* ) */) {
      if (nest === 0) return i;
      nest--;
    }
  }
  return -1;
}

function splitTopLevelCommas(clause: string): string[] {
  const parts: string[] = [];
  let nest = 0;
  let start = 0;
  for (let i = 0; i < clause.length; i++) {
    const c = clause[i];
    if (c === '(') nest++;
    else if (c === ')') nest--;
    else if (c === ',' && nest === 0) {
      parts.push(clause.slice(start, i));
      start = i + 1;
    }
  }
  parts.push(clause.slice(start));
  return parts;
}

function definedOnly(env: Record<string, string | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(env)) if (v !== undefined) out[k] = v;
  return out;
}
