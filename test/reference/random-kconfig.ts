/**
 * fast-check arbitraries for small but rich Kconfig source text, so property
 * tests run the whole front end (lexer, parser, model) and not just the model.
 *
 * The text is rendered from a plain-data spec in which every symbol
 * reference is a bare number, resolved only while rendering ("the k-th
 * symbol we may refer to here"); shrinking the spec therefore always yields
 * another well-formed tree. To stay within what conf accepts (no dependency
 * loops, sym_check_deps), dependencies, conditions and defaults refer only to
 * symbols defined earlier, `select`/`imply` only to later bool/tristate
 * symbols, and choice members depend only on symbols defined before the
 * choice (a member depending on the previous one would leave the choice in
 * 6.1 and is a dependency loop in 6.12).
 *
 * Trees are written in one dialect: 6.12's choices are unnamed, bool, never
 * optional, with bool members. Both generate the constructs the dialects
 * answer differently: choices whose prompt has an `if`, int/hex symbols
 * without a default (empty in 6.1, 0 in 6.12), inverted ranges.
 */
import fc from 'fast-check';
import type { KconfigDialect } from '../../src/parse/dialect.js';
import { loadKconfig } from '../../src/model/load.js';
import type { KconfigModel } from '../../src/model/types.js';
import { computedSymbols } from '../../src/model/evaluate.js';
import { MemorySourceFiles } from '../../src/parse/files.js';

type SymType = 'bool' | 'tristate' | 'int' | 'hex' | 'string';
const OPS = ['=', '!=', '<', '>='] as const;

type ExprSpec =
  | { kind: 'ref'; ref: number }
  | { kind: 'const'; value: 'y' | 'm' | 'n' }
  | { kind: 'undefined' }
  | { kind: 'cmp'; op: number; ref: number; other: number; againstSymbol: boolean }
  | { kind: 'not'; operand: ExprSpec }
  | { kind: 'and' | 'or'; left: ExprSpec; right: ExprSpec };

type DefaultSpec = { value: { kind: 'const'; pick: number } | { kind: 'ref'; ref: number } | { kind: 'expr'; expr: ExprSpec }; cond: ExprSpec | null };

interface SymSpec {
  type: SymType;
  menuconfig: boolean;
  prompt: boolean;
  promptIf: ExprSpec | null;
  /** Write the first default as def_bool/def_tristate. */
  defType: boolean;
  depends: ExprSpec[];
  dependsOnM: boolean;
  defaults: DefaultSpec[];
  selects: { ref: number; cond: ExprSpec | null }[];
  implies: { ref: number; cond: ExprSpec | null }[];
  range: { low: number; high: number; cond: ExprSpec | null } | null;
}

interface ChoiceSpec {
  type: 'bool' | 'tristate' | null;
  optional: boolean;
  promptIf: ExprSpec | null;
  depends: ExprSpec | null;
  default: { member: number; cond: ExprSpec | null } | null;
  members: { tristate: boolean; promptIf: ExprSpec | null; depends: ExprSpec | null }[];
}

type Item =
  | { kind: 'sym'; sym: SymSpec }
  | { kind: 'menu'; depends: ExprSpec | null; visibleIf: ExprSpec | null }
  | { kind: 'if'; cond: ExprSpec }
  | { kind: 'end' }
  | { kind: 'choice'; choice: ChoiceSpec };

interface TreeSpec {
  modules: { prompt: boolean; defaultY: boolean } | null;
  items: Item[];
}

const ref = fc.nat({ max: 20 });

function arbExpr(depth: number): fc.Arbitrary<ExprSpec> {
  const leaves: fc.WeightedArbitrary<ExprSpec>[] = [
    { weight: 8, arbitrary: fc.record({ kind: fc.constant('ref' as const), ref }) },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant('const' as const), value: fc.constantFrom('y' as const, 'm' as const, 'n' as const) }) },
    { weight: 1, arbitrary: fc.constant({ kind: 'undefined' as const }) },
    {
      weight: 3,
      arbitrary: fc.record({ kind: fc.constant('cmp' as const), op: fc.nat({ max: 3 }), ref, other: fc.nat({ max: 12 }), againstSymbol: fc.boolean() }),
    },
  ];
  if (depth <= 0) return fc.oneof(...leaves);
  const sub = arbExpr(depth - 1);
  return fc.oneof(
    ...leaves,
    { weight: 2, arbitrary: fc.record({ kind: fc.constant('not' as const), operand: sub }) },
    { weight: 3, arbitrary: fc.record({ kind: fc.constantFrom('and' as const, 'or' as const), left: sub, right: sub }) },
  );
}

const expr = arbExpr(2);
/** `arb` with probability `p`, else null (null first, so shrinking drops it). */
const maybe = <T>(arb: fc.Arbitrary<T>, p: number): fc.Arbitrary<T | null> =>
  fc.oneof({ weight: Math.round((1 - p) * 100), arbitrary: fc.constant(null) }, { weight: Math.round(p * 100), arbitrary: arb });

const arbDefault: fc.Arbitrary<DefaultSpec> = fc.record({
  value: fc.oneof(
    { weight: 4, arbitrary: fc.record({ kind: fc.constant('const' as const), pick: fc.nat({ max: 20 }) }) },
    { weight: 2, arbitrary: fc.record({ kind: fc.constant('ref' as const), ref }) },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant('expr' as const), expr: arbExpr(1) }) },
  ),
  cond: maybe(expr, 0.5),
});

const arbSym: fc.Arbitrary<SymSpec> = fc.record({
  type: fc.constantFrom<SymType>('bool', 'bool', 'bool', 'bool', 'tristate', 'tristate', 'int', 'int', 'hex', 'string'),
  menuconfig: fc.nat({ max: 9 }).map((n) => n === 0),
  prompt: fc.nat({ max: 3 }).map((n) => n > 0),
  promptIf: maybe(expr, 0.25),
  defType: fc.boolean(),
  depends: fc.array(expr, { maxLength: 2 }),
  dependsOnM: fc.nat({ max: 9 }).map((n) => n === 0),
  defaults: fc.array(arbDefault, { maxLength: 2 }),
  selects: fc.array(fc.record({ ref, cond: maybe(expr, 0.35) }), { maxLength: 2 }),
  implies: fc.array(fc.record({ ref, cond: maybe(expr, 0.35) }), { maxLength: 1 }),
  // low > high (an inverted range) about one time in five
  range: maybe(fc.record({ low: fc.integer({ min: -2, max: 6 }), high: fc.integer({ min: 3, max: 12 }), cond: maybe(expr, 0.3) }), 0.5),
});

const arbChoice: fc.Arbitrary<ChoiceSpec> = fc.record({
  type: fc.constantFrom<'bool' | 'tristate' | null>('bool', 'bool', 'tristate', null),
  optional: fc.nat({ max: 3 }).map((n) => n === 0),
  promptIf: maybe(expr, 0.25),
  depends: maybe(expr, 0.4),
  default: maybe(fc.record({ member: fc.nat({ max: 3 }), cond: maybe(expr, 0.4) }), 0.5),
  members: fc.array(fc.record({ tristate: fc.nat({ max: 4 }).map((n) => n > 0), promptIf: maybe(expr, 0.2), depends: maybe(expr, 0.4) }), {
    minLength: 2,
    maxLength: 3,
  }),
});

const arbItem: fc.Arbitrary<Item> = fc.oneof(
  { weight: 10, arbitrary: fc.record({ kind: fc.constant('sym' as const), sym: arbSym }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('menu' as const), depends: maybe(expr, 0.5), visibleIf: maybe(expr, 0.5) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('if' as const), cond: expr }) },
  { weight: 2, arbitrary: fc.constant({ kind: 'end' as const }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('choice' as const), choice: arbChoice }) },
);

const arbTree: fc.Arbitrary<TreeSpec> = fc.record({
  modules: maybe(fc.record({ prompt: fc.boolean(), defaultY: fc.nat({ max: 3 }).map((n) => n > 0) }), 0.5),
  items: fc.array(arbItem, { minLength: 2, maxLength: 14 }).filter((items) => items.filter((i) => i.kind === 'sym').length >= 2),
});

/** Random Kconfig text in `dialect`: one file, 2–10 symbols (choice members included). */
export function arbKconfig(dialect: KconfigDialect = '6.1'): fc.Arbitrary<string> {
  return arbTree.map((spec) => renderTree(spec, dialect));
}

/** A random .config for a model: some symbols set, with values of every kind (invalid ones included). */
export function arbUserValues(m: KconfigModel): fc.Arbitrary<Map<string, string>> {
  const syms = computedSymbols(m).filter((s) => !s.ownChoice);
  const valueFor = (type: string): fc.Arbitrary<string> => {
    switch (type) {
      case 'bool':
        return fc.constantFrom('y', 'n', 'y', 'n', 'm');
      case 'tristate':
        return fc.constantFrom('y', 'm', 'n');
      case 'int':
        return fc.oneof({ weight: 9, arbitrary: fc.integer({ min: -3, max: 13 }).map(String) }, { weight: 1, arbitrary: fc.constantFrom('abc', '007', '') });
      case 'hex':
        return fc.constantFrom('0x10', '5', 'zz', '0x0', '0x3', '');
      default:
        return fc.constantFrom('', 'foo', 'bar', 'y', 'n');
    }
  };
  const entries = syms.map((s) => fc.option(valueFor(s.type).map((v) => [s.name, v] as [string, string]), { nil: undefined, freq: 4 }));
  // in any order: 6.12 gives the choice member read last the highest priority
  return fc
    .tuple(...entries)
    .map((list) => list.filter((e): e is [string, string] => e !== undefined))
    .chain((list) => fc.shuffledSubarray(list, { minLength: list.length, maxLength: list.length }))
    .map((list) => new Map(list));
}

/** The model of a single in-memory `Kconfig` file. */
export function modelFromText(text: string, dialect: KconfigDialect = '6.1'): KconfigModel {
  return loadKconfig({ tree: new MemorySourceFiles({ Kconfig: text }), rootFile: 'Kconfig', dialect }).model;
}

// ---------------------------------------------------------------------------
// Rendering

interface Declared {
  name: string;
  type: SymType;
  /** Index of the choice this symbol is a member of. */
  choice?: number;
}

const MAX_SYMBOLS = 10;
const STRINGS = ['', 'foo', 'bar', 'y'];

/**
 * Set while rendering a 6.12 tree: that conf's expr_transform turns a bool
 * `A != y` into a NOT over the symbol read as an expression (undefined
 * behaviour: garbage values, "Oops! How to check", crashes), so the tree
 * writes `!(A = y)` instead.
 */
let avoidUnequalY = false;

function renderTree(spec: TreeSpec, dialect: KconfigDialect): string {
  const rework = dialect !== '6.1';
  avoidUnequalY = rework;
  // Pass 1: names and types in definition order, so selects can see later symbols.
  const declared: Declared[] = [];
  if (spec.modules) declared.push({ name: 'MODULES', type: 'bool' });
  const items: Item[] = [];
  let haveChoice = false;
  for (const item of spec.items) {
    if (item.kind === 'sym') {
      if (declared.length >= MAX_SYMBOLS) continue;
      declared.push({ name: `${item.sym.type[0]!.toUpperCase()}${declared.length}`, type: item.sym.type });
    } else if (item.kind === 'choice') {
      if (haveChoice || declared.length + 2 > MAX_SYMBOLS) continue;
      haveChoice = true;
      // a copy: fast-check reuses generated values while shrinking
      const choice = { ...item.choice, members: item.choice.members.slice(0, MAX_SYMBOLS - declared.length) };
      for (const m of choice.members) {
        declared.push({ name: `C${declared.length}`, type: rework ? 'bool' : choiceMemberType(choice, m.tristate), choice: 0 });
      }
      items.push({ kind: 'choice', choice });
      continue;
    }
    items.push(item);
  }

  // Pass 2: the text.
  const out: string[] = [];
  if (spec.modules) {
    out.push('config MODULES', `\tbool${spec.modules.prompt ? ' "Enable loadable module support"' : ''}`);
    if (spec.modules.defaultY) out.push('\tdefault y');
    out.push('\tmodules', '');
  }
  let next = spec.modules ? 1 : 0; // index in `declared` of the next symbol to write
  const openBlocks: string[] = [];
  for (const item of items) {
    const earlier = declared.slice(0, next);
    switch (item.kind) {
      case 'sym':
        out.push(...renderSym(item.sym, declared, next), '');
        next++;
        break;
      case 'menu':
        out.push(`menu "Menu ${out.length}"`);
        if (item.depends) out.push(`\tdepends on ${renderExpr(item.depends, earlier)}`);
        if (item.visibleIf) out.push(`\tvisible if ${renderExpr(item.visibleIf, earlier)}`);
        out.push('');
        openBlocks.push('endmenu');
        break;
      case 'if':
        out.push(`if ${renderExpr(item.cond, earlier)}`, '');
        openBlocks.push('endif');
        break;
      case 'end':
        if (openBlocks.length > 0) out.push(openBlocks.pop()!, '');
        break;
      case 'choice':
        out.push(...renderChoice(item.choice, declared, next, rework), '');
        next += item.choice.members.length;
        break;
    }
  }
  while (openBlocks.length > 0) out.push(openBlocks.pop()!, '');
  return out.join('\n');
}

function choiceMemberType(choice: ChoiceSpec, tristate: boolean): SymType {
  // members of a bool (or untyped) choice are bool; a tristate choice mostly has tristate members
  return choice.type === 'tristate' && tristate ? 'tristate' : 'bool';
}

function renderSym(sym: SymSpec, declared: Declared[], self: number): string[] {
  const me = declared[self]!;
  const earlier = declared.slice(0, self);
  const logic = me.type === 'bool' || me.type === 'tristate';
  const lines = [`${sym.menuconfig && sym.prompt ? 'menuconfig' : 'config'} ${me.name}`];
  const cond = (c: ExprSpec | null): string => (c ? ` if ${renderExpr(c, earlier)}` : '');
  const defaults = sym.defaults.map((d) => `${renderDefaultValue(d, me, earlier)}${cond(d.cond)}`);
  const prompt = sym.prompt ? ` "${me.name} prompt"${cond(sym.promptIf)}` : '';
  if (logic && sym.defType && defaults.length > 0) {
    lines.push(`\tdef_${me.type} ${defaults.shift()}`);
    if (prompt) lines.push(`\tprompt${prompt}`);
  } else {
    lines.push(`\t${me.type}${prompt}`);
  }
  for (const d of defaults) lines.push(`\tdefault ${d}`);
  for (const d of sym.depends) lines.push(`\tdepends on ${renderExpr(d, earlier)}`);
  if (sym.dependsOnM && me.type === 'tristate') lines.push('\tdepends on m');
  if (logic) {
    // targets: later bool/tristate symbols, not members of the selector's own choice
    const later = declared.slice(self + 1).filter((d) => (d.type === 'bool' || d.type === 'tristate') && (d.choice === undefined || d.choice !== me.choice));
    if (later.length > 0) {
      for (const s of sym.selects) lines.push(`\tselect ${later[s.ref % later.length]!.name}${cond(s.cond)}`);
      for (const s of sym.implies) lines.push(`\timply ${later[s.ref % later.length]!.name}${cond(s.cond)}`);
    }
  }
  if (isNumeric(me.type) && sym.range) {
    lines.push(`\trange ${numberText(me.type, sym.range.low)} ${numberText(me.type, sym.range.high)}${cond(sym.range.cond)}`);
  }
  return lines;
}

function renderDefaultValue(d: DefaultSpec, me: Declared, earlier: Declared[]): string {
  const v = d.value;
  const same = earlier.filter((e) => e.type === me.type || (isLogic(e.type) && isLogic(me.type)));
  switch (me.type) {
    case 'bool':
    case 'tristate':
      if (v.kind === 'const') return ['y', 'n', 'm', 'y'][v.pick % 4]!;
      if (v.kind === 'ref' && same.length > 0) return same[v.ref % same.length]!.name;
      return renderExpr(v.kind === 'expr' ? v.expr : { kind: 'const', value: 'y' }, earlier);
    case 'int':
    case 'hex':
      if (v.kind === 'ref' && same.length > 0) return same[v.ref % same.length]!.name;
      return numberText(me.type, (v.kind === 'const' ? v.pick : 7) - 2);
    case 'string':
      if (v.kind === 'ref' && same.length > 0) return same[v.ref % same.length]!.name;
      // rarely a bool symbol: conf then takes its curr.val, which is always "n"
      if (v.kind === 'expr' && earlier.some((e) => isLogic(e.type))) {
        const logic = earlier.filter((e) => isLogic(e.type));
        return logic[(v.expr.kind === 'ref' ? v.expr.ref : 0) % logic.length]!.name;
      }
      return JSON.stringify(STRINGS[(v.kind === 'const' ? v.pick : 1) % STRINGS.length]);
  }
}

const isLogic = (t: SymType): boolean => t === 'bool' || t === 'tristate';
const isNumeric = (t: SymType): t is 'int' | 'hex' => t === 'int' || t === 'hex';
/** A number as the tree writes it: hex symbols get 0x-prefixed, non-negative values. */
const numberText = (t: 'int' | 'hex', n: number): string => (t === 'int' ? String(n) : `0x${Math.max(0, n).toString(16)}`);

function renderChoice(choice: ChoiceSpec, declared: Declared[], first: number, rework: boolean): string[] {
  const earlier = declared.slice(0, first);
  const cond = (c: ExprSpec | null): string => (c ? ` if ${renderExpr(c, earlier)}` : '');
  const members = declared.slice(first, first + choice.members.length);
  const lines = ['choice'];
  if (rework) {
    // 6.12 takes only `bool "prompt"` or `prompt "..."`
    lines.push(choice.type ? `\tbool "Choice"${cond(choice.promptIf)}` : `\tprompt "Choice"${cond(choice.promptIf)}`);
  } else {
    lines.push(`\tprompt "Choice"${cond(choice.promptIf)}`);
    if (choice.type) lines.push(`\t${choice.type}`);
    if (choice.optional) lines.push('\toptional');
  }
  if (choice.depends) lines.push(`\tdepends on ${renderExpr(choice.depends, earlier)}`);
  if (choice.default) lines.push(`\tdefault ${members[choice.default.member % members.length]!.name}${cond(choice.default.cond)}`);
  lines.push('');
  choice.members.forEach((m, i) => {
    lines.push(`config ${members[i]!.name}`, `\t${members[i]!.type} "${members[i]!.name} prompt"${cond(m.promptIf)}`);
    if (m.depends) lines.push(`\tdepends on ${renderExpr(m.depends, earlier)}`);
    lines.push('');
  });
  lines.push('endchoice');
  return lines;
}

/** Renders an expression over the symbols defined so far; with none, references become constants. */
function renderExpr(e: ExprSpec, earlier: Declared[]): string {
  const wrap = (inner: ExprSpec): string => (inner.kind === 'and' || inner.kind === 'or' ? `(${renderExpr(inner, earlier)})` : renderExpr(inner, earlier));
  switch (e.kind) {
    case 'const':
      return e.value;
    case 'undefined':
      return 'UNDEFINED_SYM';
    case 'ref': {
      if (earlier.length === 0) return 'y';
      const target = earlier[e.ref % earlier.length]!;
      if (isLogic(target.type)) return target.name;
      return renderCompare(target, 0, 3, false, earlier);
    }
    case 'cmp': {
      if (earlier.length === 0) return 'n';
      return renderCompare(earlier[e.ref % earlier.length]!, e.op, e.other, e.againstSymbol, earlier);
    }
    case 'not':
      return `!${wrap(e.operand)}`;
    case 'and':
      return `${wrap(e.left)} && ${wrap(e.right)}`;
    case 'or':
      return `${wrap(e.left)} || ${wrap(e.right)}`;
  }
}

function renderCompare(target: Declared, op: number, other: number, againstSymbol: boolean, earlier: Declared[]): string {
  const peers = earlier.filter((d) => d !== target && (d.type === target.type || (isLogic(d.type) && isLogic(target.type))));
  const peer = againstSymbol && peers.length > 0 ? peers[other % peers.length]!.name : undefined;
  switch (target.type) {
    case 'bool':
    case 'tristate': {
      const value = peer ?? ['y', 'm', 'n'][other % 3];
      if (avoidUnequalY && target.type === 'bool' && OPS[op % 2] === '!=' && value === 'y') return `!(${target.name} = y)`;
      return `${target.name} ${OPS[op % 2]} ${value}`;
    }
    case 'int':
    case 'hex':
      return `${target.name} ${OPS[op]} ${peer ?? numberText(target.type, other - 2)}`;
    case 'string':
      return `${target.name} ${OPS[op % 2]} ${peer ?? JSON.stringify(STRINGS[other % STRINGS.length])}`;
  }
}
