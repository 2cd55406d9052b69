/**
 * The parse tree: Kconfig statements as written, with `source` already inlined
 * and macros already expanded, every node and property carrying its location.
 */
import type { SourceLocation } from '../errors.js';

export type Loc = SourceLocation;

/** A leaf of an expression: a symbol name, a quoted constant, or an unknown input. */
export type SymbolRef =
  | { kind: 'symbol'; name: string }
  | { kind: 'const'; value: string }
  /** Macro output unknowable without the toolchain; `text` has the placeholders. */
  | { kind: 'unknown'; text: string };

export type CompareOp = '=' | '!=' | '<' | '<=' | '>' | '>=';

/** Kconfig's expression grammar over a kind of leaf: the parse tree's and the model's expressions differ only there. */
export type ExprOver<LeafNode, Operand> =
  | LeafNode
  | { readonly kind: 'not'; readonly operand: ExprOver<LeafNode, Operand> }
  | { readonly kind: 'and'; readonly left: ExprOver<LeafNode, Operand>; readonly right: ExprOver<LeafNode, Operand> }
  | { readonly kind: 'or'; readonly left: ExprOver<LeafNode, Operand>; readonly right: ExprOver<LeafNode, Operand> }
  | { readonly kind: 'compare'; readonly op: CompareOp; readonly left: Operand; readonly right: Operand };

export type Expr = ExprOver<{ kind: 'ref'; ref: SymbolRef }, SymbolRef>;

export type SymbolKind = 'bool' | 'tristate' | 'int' | 'hex' | 'string';

export type Property =
  | { kind: 'type'; type: SymbolKind; loc: Loc }
  | { kind: 'prompt'; text: string; condition?: Expr; loc: Loc }
  | { kind: 'default'; value: Expr; condition?: Expr; loc: Loc }
  | { kind: 'depends'; expr: Expr; loc: Loc }
  | { kind: 'select' | 'imply'; target: string; condition?: Expr; loc: Loc }
  | { kind: 'range'; low: SymbolRef; high: SymbolRef; condition?: Expr; loc: Loc }
  | { kind: 'visible'; condition?: Expr; loc: Loc }
  | { kind: 'modules'; loc: Loc }
  | { kind: 'optional'; loc: Loc }
  /** 6.18: a symbol only read from old .config files, never written. */
  | { kind: 'transitional'; loc: Loc }
  /** `option env=...`, `option defconfig_list`, `option allnoconfig_y` of older trees. */
  | { kind: 'option'; name: string; value?: string; loc: Loc }
  | { kind: 'help'; text: string; loc: Loc };

export interface ConfigNode {
  kind: 'config' | 'menuconfig';
  name: string;
  loc: Loc;
  props: Property[];
}

export interface ChoiceNode {
  kind: 'choice';
  name?: string;
  loc: Loc;
  props: Property[];
  children: Node[];
}

export interface MenuNode {
  kind: 'menu';
  prompt: string;
  loc: Loc;
  props: Property[];
  children: Node[];
}

export interface IfNode {
  kind: 'if';
  condition: Expr;
  loc: Loc;
  children: Node[];
}

export interface CommentNode {
  kind: 'comment';
  prompt: string;
  loc: Loc;
  props: Property[];
}

export type Node = ConfigNode | ChoiceNode | MenuNode | IfNode | CommentNode;

/** A node option lines belong to (all but an if). */
export type Entry = ConfigNode | ChoiceNode | MenuNode | CommentNode;

export interface ParsedTree {
  mainmenu?: { prompt: string; loc: Loc };
  nodes: Node[];
  /** Every file read, in order, relative to the tree root. */
  files: string[];
}
