/**
 * The resolved symbol model: what conf's menu_finalize leaves behind. Every
 * dependency is already propagated (menus, ifs, choices, `depends on m`), each
 * property's condition includes the dependencies of the definition it came
 * from, and reverse dependencies are collected on the selected symbol.
 */
import type { CompareOp, ExprOver, Loc } from '../parse/ast.js';
import type { KconfigDialect } from './dialect.js';

export type { CompareOp, Loc };

/** n, m, y as conf orders them. */
export type Tristate = 0 | 1 | 2;
export const N: Tristate = 0;
export const M: Tristate = 1;
export const Y: Tristate = 2;

export type SymbolType = 'bool' | 'tristate' | 'int' | 'hex' | 'string' | 'unknown';

/** A free input: a macro result unknowable without running the toolchain. */
export interface Input {
  id: number;
  /** Human-readable origin, e.g. `$(shell,...)` text. */
  origin: string;
}

/** An expression leaf, as conf sees every operand: a symbol of some kind. */
export type Leaf =
  /** A symbol defined in (or referenced by) the tree. */
  | { kind: 'symbol'; symbol: KSymbol }
  /** A constant: y/m/n, a quoted string, or an undefined word's own name. */
  | { kind: 'const'; text: string }
  | { kind: 'input'; input: Input };

export type ModelExpr = ExprOver<{ kind: 'leaf'; leaf: Leaf }, Leaf>;

export interface Definition {
  loc: Loc;
  kind: 'config' | 'menuconfig' | 'choice';
  /** Everything this definition depends on, inherited dependencies included. */
  dependency: ModelExpr;
  /** Only the `depends on` lines written on this definition. */
  ownDepends: { expr: ModelExpr; loc: Loc }[];
  /** The enclosing `if` conditions and menus' `depends on` lines (shared by the block's definitions). */
  enclosing: readonly { expr: ModelExpr; loc: Loc }[];
}

export interface Prompt {
  text: string;
  /** prompt's `if` ∧ definition deps ∧ `visible if` of enclosing menus. */
  visibility: ModelExpr;
  loc: Loc;
}

export interface Default {
  value: ModelExpr;
  /** default's `if` ∧ definition deps. */
  condition: ModelExpr;
  loc: Loc;
}

export interface Range {
  low: Leaf;
  high: Leaf;
  condition: ModelExpr;
  loc: Loc;
}

/** A `select` or `imply`, seen from both ends. */
export interface ReverseDependency {
  kind: 'select' | 'imply';
  selector: KSymbol;
  target: KSymbol;
  /** select's `if` ∧ the selector definition's deps; the contribution is selector ∧ condition. */
  condition: ModelExpr;
  /** The `if` written on the line only (for patches and messages). */
  writtenCondition?: ModelExpr;
  loc: Loc;
}

export interface KSymbol {
  id: number;
  name: string;
  type: SymbolType;
  definitions: Definition[];
  prompts: Prompt[];
  defaults: Default[];
  ranges: Range[];
  selects: ReverseDependency[];
  implies: ReverseDependency[];
  selectedBy: ReverseDependency[];
  impliedBy: ReverseDependency[];
  /** The choice this symbol is a member of. */
  choice?: Choice;
  /** Set when this symbol *is* a choice. */
  choiceInfo?: Choice;
  help?: string;
  /** `option env=VAR` of older trees. */
  envVariable?: string;
  /** 6.18's `transitional`: its value is read from a .config (to feed defaults) and never written. */
  transitional?: boolean;
}

export interface Choice {
  symbol: KSymbol;
  members: KSymbol[];
  optional: boolean;
  /** The name written after `choice` (6.1 only); conf shows it as the choice symbol's name. */
  name?: string;
}

/**
 * One entry of conf's menu tree as the parser makes it (struct menu before
 * menu_finalize): blocks nest as written. src/model/menu.ts finalizes it.
 */
export interface MenuEntry {
  kind: 'symbol' | 'choice' | 'menu' | 'comment' | 'if';
  /** symbol and choice entries: the symbol (a choice's own symbol) and the definition written here. */
  symbol?: KSymbol;
  definition?: Definition;
  /** The prompt written in this definition (conf keeps the last one written). */
  prompt?: Prompt;
  /** A menu's or comment's text. */
  title?: string;
  /** menu, comment and if entries: their dependencies, enclosing blocks' included (menu->dep). */
  dependency?: ModelExpr;
  /** A menu's own `visible if` conditions (menu->visibility). */
  visibleIf?: ModelExpr;
  loc: Loc;
  children: MenuEntry[];
}

export interface KconfigModel {
  /** Whose conf rules the model follows (grammar, choices, int/hex defaults). */
  dialect: KconfigDialect;
  /** All symbols, defined or only referenced, in order of first appearance. */
  symbols: KSymbol[];
  byName: Map<string, KSymbol>;
  choices: Choice[];
  /** The symbol with `modules`; undefined means MODULES is constant n. */
  modules?: KSymbol;
  inputs: Input[];
  mainmenu?: string;
  /** The top-level entries as written (conf's rootmenu list before menu_finalize). */
  menuEntries: MenuEntry[];
  /** Files read, relative to the tree root. */
  files: string[];
  /** Environment the macros saw, for reproducing the run. */
  env: Record<string, string | undefined>;
}

export function isDefined(sym: KSymbol): boolean {
  return sym.definitions.length > 0;
}

export function isBoolOrTristate(sym: KSymbol): boolean {
  return sym.type === 'bool' || sym.type === 'tristate';
}
