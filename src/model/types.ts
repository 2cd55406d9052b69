/**
 * The resolved symbol model: what conf's menu_finalize leaves behind. Every
 * dependency is already propagated (menus, ifs, choices, `depends on m`), each
 * property's condition includes the dependencies of the definition it came
 * from, and reverse dependencies are collected on the selected symbol.
 */
import type { CompareOp, ExprOver, Loc } from '../parse/ast.js';
import type { KconfigDialect } from '../parse/dialect.js';

export type { CompareOp, Loc };

/** n, m, y as conf orders them. */
export type Tristate = 0 | 1 | 2;
export const N: Tristate = 0;
export const M: Tristate = 1;
export const Y: Tristate = 2;

export type SymbolType = 'bool' | 'tristate' | 'int' | 'hex' | 'string' | 'unknown';

/** A free input: a macro result unknowable without running the toolchain. */
export interface Input {
  readonly id: number;
  /** Human-readable origin, e.g. `$(shell,...)` text. */
  readonly origin: string;
}

/** An expression leaf, as conf sees every operand: a symbol of some kind. */
export type Leaf =
  /** A symbol defined in (or referenced by) the tree. */
  | { readonly kind: 'symbol'; readonly symbol: KSymbol }
  /** A constant: y/m/n, a quoted string, or an undefined word's own name. */
  | { readonly kind: 'const'; readonly text: string }
  | { readonly kind: 'input'; readonly input: Input };

export type ModelExpr = ExprOver<{ readonly kind: 'leaf'; readonly leaf: Leaf }, Leaf>;

export interface Definition {
  readonly loc: Loc;
  readonly kind: 'config' | 'menuconfig' | 'choice';
  /** Everything this definition depends on, inherited dependencies included. */
  readonly dependency: ModelExpr;
  /** Only the `depends on` lines written on this definition. */
  readonly ownDepends: readonly { readonly expr: ModelExpr; readonly loc: Loc }[];
  /** The enclosing `if` conditions and menus' `depends on` lines (shared by the block's definitions). */
  readonly enclosing: readonly { readonly expr: ModelExpr; readonly loc: Loc }[];
}

export interface Prompt {
  readonly text: string;
  /** prompt's `if` ∧ definition deps ∧ `visible if` of enclosing menus. */
  readonly visibility: ModelExpr;
  readonly loc: Loc;
}

export interface Default {
  readonly value: ModelExpr;
  /** default's `if` ∧ definition deps. */
  readonly condition: ModelExpr;
  readonly loc: Loc;
}

export interface Range {
  readonly low: Leaf;
  readonly high: Leaf;
  readonly condition: ModelExpr;
  readonly loc: Loc;
}

/** A `select` or `imply`, seen from both ends. */
export interface ReverseDependency {
  readonly kind: 'select' | 'imply';
  readonly selector: KSymbol;
  readonly target: KSymbol;
  /** select's `if` ∧ the selector definition's deps; the contribution is selector ∧ condition. */
  readonly condition: ModelExpr;
  /** The `if` written on the line only (for patches and messages). */
  readonly writtenCondition?: ModelExpr;
  readonly loc: Loc;
}

/**
 * A symbol of the resolved model. The model is frozen once built (see
 * buildModel): every list and field here stays as the tree wrote it, and
 * whatever a later stage learns about a symbol lives in that stage's own
 * structures, keyed by the symbol or its id.
 */
export interface KSymbol {
  readonly id: number;
  readonly name: string;
  readonly type: SymbolType;
  readonly definitions: readonly Definition[];
  readonly prompts: readonly Prompt[];
  readonly defaults: readonly Default[];
  readonly ranges: readonly Range[];
  readonly selects: readonly ReverseDependency[];
  readonly implies: readonly ReverseDependency[];
  readonly selectedBy: readonly ReverseDependency[];
  readonly impliedBy: readonly ReverseDependency[];
  /** The choice this symbol is a member of. */
  readonly memberOf?: Choice;
  /** The choice whose own symbol this is (conf's choice symbol, which holds the choice's mode). */
  readonly ownChoice?: Choice;
  readonly help?: string;
  /** `option env=VAR` of older trees. */
  readonly envVariable?: string;
  /** 6.18's `transitional`: its value is read from a .config (to feed defaults) and never written. */
  readonly transitional?: boolean;
}

/**
 * A `choice` block, or the blocks of one named choice (6.1): its members,
 * and what the choice itself has, read from its own symbol (conf keeps a
 * choice's mode, n/m/y, as that symbol's value; the encoding gives it the
 * variables).
 */
export interface Choice {
  readonly symbol: KSymbol;
  /** The members, in writing order (6.1 leaves out entries nested under a member). */
  readonly members: readonly KSymbol[];
  /** `optional`: the choice may be n with a prompt visible (6.1 only). */
  readonly optional: boolean;
  /** The name written after `choice` (6.1 only); conf shows it as the choice symbol's name. */
  readonly name?: string;
  /** bool or tristate: whether the mode can be m (a member then may be m too). */
  readonly type: SymbolType;
  readonly prompts: readonly Prompt[];
  /** The `default` lines: the member picked when the user picked none. */
  readonly defaults: readonly Default[];
  /** Each block that writes the choice, with its dependencies. */
  readonly definitions: readonly Definition[];
  /** Where it is first written. */
  readonly loc: Loc;
}

/**
 * One entry of conf's menu tree as the parser makes it (struct menu before
 * menu_finalize): blocks nest as written. src/model/menu.ts finalizes it.
 */
export interface MenuEntry {
  readonly kind: 'symbol' | 'choice' | 'menu' | 'comment' | 'if';
  /** symbol and choice entries: the symbol (a choice's own symbol) and the definition written here. */
  readonly symbol?: KSymbol;
  readonly definition?: Definition;
  /** The prompt written in this definition (conf keeps the last one written). */
  readonly prompt?: Prompt;
  /** A menu's or comment's text. */
  readonly title?: string;
  /** menu, comment and if entries: their dependencies, enclosing blocks' included (menu->dep). */
  readonly dependency?: ModelExpr;
  /** A menu's own `visible if` conditions (menu->visibility). */
  readonly visibleIf?: ModelExpr;
  readonly loc: Loc;
  readonly children: readonly MenuEntry[];
}

export interface KconfigModel {
  /** Whose conf rules the model follows (grammar, choices, int/hex defaults). */
  readonly dialect: KconfigDialect;
  /** All symbols, defined or only referenced, in order of first appearance. */
  readonly symbols: readonly KSymbol[];
  readonly byName: ReadonlyMap<string, KSymbol>;
  readonly choices: readonly Choice[];
  /** The symbol with `modules`; undefined means MODULES is constant n. */
  readonly modules?: KSymbol;
  readonly inputs: readonly Input[];
  readonly mainmenu?: string;
  /** The top-level entries as written (conf's rootmenu list before menu_finalize). */
  readonly menuEntries: readonly MenuEntry[];
  /** Files read, relative to the tree root. */
  readonly files: readonly string[];
  /** Environment the macros saw, for reproducing the run. */
  readonly env: Readonly<Record<string, string | undefined>>;
}

export function isDefined(sym: KSymbol): boolean {
  return sym.definitions.length > 0;
}

export function isBoolOrTristate(sym: KSymbol): boolean {
  return sym.type === 'bool' || sym.type === 'tristate';
}
