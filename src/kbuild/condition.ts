/**
 * Conditions under which an object, a directory or a line of C is built:
 * Boolean formulas over Kconfig symbols' values (as kbuild's auto.conf and
 * the preprocessor's autoconf.h see them) and free inputs (make constructs and
 * macros whose value the configuration does not decide). Constructors
 * simplify constants away, so a condition that holds whatever the
 * configuration is `TRUE` itself.
 */
import type { SourceLocation } from '../errors.js';

export type Cond =
  | { k: 'true' }
  | { k: 'false' }
  /** The symbol's value as auto.conf writes it is y, m, or absent (n). */
  | { k: 'sym'; name: string; value: 'y' | 'm' | 'n' }
  /** A CONFIG_ macro is defined in autoconf.h (`CONFIG_X_MODULE` for a tristate at m). */
  | { k: 'defined'; macro: string }
  /** `#if CONFIG_X OP N` on an int/hex symbol. */
  | { k: 'cmp'; name: string; op: '=' | '!=' | '<' | '<=' | '>' | '>='; value: string }
  /** Something the configuration does not decide: a make function over other variables, a non-CONFIG macro. */
  | { k: 'free'; id: number; text: string; loc: SourceLocation }
  | { k: 'and'; args: Cond[] }
  | { k: 'or'; args: Cond[] }
  | { k: 'not'; arg: Cond };

export const TRUE: Cond = { k: 'true' };
export const FALSE: Cond = { k: 'false' };

export function sym(name: string, value: 'y' | 'm' | 'n'): Cond {
  return { k: 'sym', name, value };
}

export function and(...parts: Cond[]): Cond {
  return join('and', FALSE, TRUE, parts);
}

export function or(...parts: Cond[]): Cond {
  return join('or', TRUE, FALSE, parts);
}

/** `parts` joined by `k`, flattened and deduplicated: `absorbing` decides at once, `unit` drops out. */
function join(k: 'and' | 'or', absorbing: Cond, unit: Cond, parts: Cond[]): Cond {
  const args: Cond[] = [];
  for (const p of parts) {
    if (p.k === absorbing.k) return absorbing;
    if (p.k === unit.k) continue;
    if (p.k === k) args.push(...p.args);
    else if (!args.includes(p)) args.push(p);
  }
  return args.length === 0 ? unit : args.length === 1 ? args[0]! : { k, args };
}

export function not(c: Cond): Cond {
  if (c.k === 'true') return FALSE;
  if (c.k === 'false') return TRUE;
  if (c.k === 'not') return c.arg;
  return { k: 'not', arg: c };
}

/** A configuration as a .config gives it: symbol name (no prefix) to value; absent is n. */
export type Values = ReadonlyMap<string, string>;

/**
 * The condition's truth under a configuration, in three values: undefined
 * when it depends on a free input the configuration does not decide.
 */
export function evaluate(c: Cond, values: Values, memo = new Map<Cond, boolean | undefined>()): boolean | undefined {
  switch (c.k) {
    case 'true':
      return true;
    case 'false':
      return false;
    case 'sym': {
      const v = values.get(c.name);
      return c.value === 'n' ? v === undefined || v === 'n' : v === c.value;
    }
    case 'defined': {
      const base = c.macro.replace(/^CONFIG_/, '');
      const v = values.get(base);
      if (v !== undefined && v !== 'n' && v !== 'm') return true;
      return base.endsWith('_MODULE') && values.get(base.slice(0, -'_MODULE'.length)) === 'm';
    }
    case 'cmp': {
      const text = values.get(c.name);
      if (text === undefined) return undefined;
      const a = Number(text);
      const b = Number(c.value);
      if (!Number.isFinite(a) || !Number.isFinite(b)) return undefined;
      return { '=': a === b, '!=': a !== b, '<': a < b, '<=': a <= b, '>': a > b, '>=': a >= b }[c.op];
    }
    case 'free':
      return undefined;
    case 'not': {
      const v = evaluate(c.arg, values, memo);
      return v === undefined ? undefined : !v;
    }
    case 'and':
    case 'or': {
      const known = memo.get(c);
      if (known !== undefined || memo.has(c)) return known;
      const stop = c.k === 'or';
      let result: boolean | undefined = !stop;
      for (const a of c.args) {
        const v = evaluate(a, values, memo);
        if (v === stop) {
          result = stop;
          break;
        }
        if (v === undefined) result = undefined;
      }
      memo.set(c, result);
      return result;
    }
  }
}

/** Every free input the condition mentions, once each. */
export function freeInputs(c: Cond, out = new Map<number, Extract<Cond, { k: 'free' }>>(), seen = new Set<Cond>()): Map<number, Extract<Cond, { k: 'free' }>> {
  if (seen.has(c)) return out;
  seen.add(c);
  if (c.k === 'free') out.set(c.id, c);
  else if (c.k === 'and' || c.k === 'or') for (const a of c.args) freeInputs(a, out, seen);
  else if (c.k === 'not') freeInputs(c.arg, out, seen);
  return out;
}

/** The condition with the free input `id` replaced by `by`. */
export function replaceFree(c: Cond, id: number, by: Cond, memo = new Map<Cond, Cond>()): Cond {
  const done = memo.get(c);
  if (done) return done;
  let r: Cond;
  if (c.k === 'free') r = c.id === id ? by : c;
  else if (c.k === 'and') r = and(...c.args.map((a) => replaceFree(a, id, by, memo)));
  else if (c.k === 'or') r = or(...c.args.map((a) => replaceFree(a, id, by, memo)));
  else if (c.k === 'not') r = not(replaceFree(c.arg, id, by, memo));
  else r = c;
  memo.set(c, r);
  return r;
}

/** Some value of every free input makes the condition hold: the free inputs quantified away. */
export function someFree(c: Cond): Cond {
  for (const id of freeInputs(c).keys()) c = or(replaceFree(c, id, TRUE), replaceFree(c, id, FALSE));
  return c;
}

/** How a symbol name reads in a tree: its Kconfig type, or undefined where this arch does not define it. */
export type SymbolTypes = (name: string) => string | undefined;

/**
 * The condition as a Kconfig expression (`query` reads it), free inputs
 * excluded (the caller fixes them first). A symbol the arch does not define is
 * absent from auto.conf: its atoms become the constants `y` and `n`.
 */
export function toKconfig(c: Cond, types: SymbolTypes): string {
  const bool = (b: boolean): string => (b ? 'y' : 'n');
  switch (c.k) {
    case 'true':
      return 'y';
    case 'false':
      return 'n';
    case 'sym':
      return types(c.name) === undefined ? bool(c.value === 'n') : `${c.name}=${c.value}`;
    case 'defined': {
      const base = c.macro.replace(/^CONFIG_/, '');
      const type = types(base);
      if (type === 'bool' || type === 'tristate') return `${base}=y`;
      if (type !== undefined) return `${base}!=""`;
      const owner = base.endsWith('_MODULE') ? base.slice(0, -'_MODULE'.length) : undefined;
      return owner !== undefined && types(owner) === 'tristate' ? `${owner}=m` : 'n';
    }
    case 'cmp':
      return types(c.name) === undefined ? 'n' : `${c.name}${c.op}${c.value}`;
    case 'free':
      throw new Error(`free input ${c.text} left in a Kconfig expression`);
    case 'not':
      return `!(${toKconfig(c.arg, types)})`;
    case 'and':
    case 'or':
      return `(${c.args.map((a) => toKconfig(a, types)).join(c.k === 'and' ? ' && ' : ' || ')})`;
  }
}

/** For messages: the condition in Kconfig syntax, free inputs by their text. */
export function describe(c: Cond): string {
  switch (c.k) {
    case 'free':
      return `[${c.text}]`;
    case 'not':
      return `!${describe(c.arg)}`;
    case 'and':
    case 'or':
      return `(${c.args.map(describe).join(c.k === 'and' ? ' && ' : ' || ')})`;
    default:
      return toKconfig(c, () => 'tristate');
  }
}
