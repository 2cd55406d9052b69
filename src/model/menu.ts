/**
 * conf's menu tree (struct menu after menu_finalize, scripts/kconfig/menu.c):
 * the order and nesting in which conf's front ends show entries. It is what
 * the parser wrote (model.menuEntries) with two rewrites:
 *  - an implicit submenu: the entries right after a symbol that depend on it
 *    (its prompt's condition names it as a conjunct `S`, `S=y`, `S=m` or
 *    `S!=n`, or names it and holds every conjunct of the symbol's own prompt
 *    condition) become its children, recursively; 6.12 no longer does this for
 *    the members of a choice;
 *  - an entry without a prompt (an `if`, a promptless symbol) hands its
 *    children to its parent, right after itself.
 * Built on first use and kept with the model: loading a tree never pays for it.
 */
import { dependsOnSymbol } from './build.js';
import { conjuncts } from './expr.js';
import type { InteractiveConf } from './evaluate.js';
import { N, type KconfigModel, type KSymbol, type MenuEntry, type ModelExpr } from './types.js';
import { hasRules } from '../parse/dialect.js';

export interface MenuNode {
  /** undefined for the root menu. */
  entry?: MenuEntry;
  parent?: MenuNode;
  children: MenuNode[];
}

const trees = new WeakMap<KconfigModel, MenuNode>();

export function menuTree(model: KconfigModel): MenuNode {
  let root = trees.get(model);
  if (!root) {
    root = { children: [] };
    root.children = wrap(model.menuEntries, root);
    finalize(root, hasRules(model.dialect, '6.12'));
    trees.set(model, root);
  }
  return root;
}

function wrap(entries: readonly MenuEntry[], parent: MenuNode): MenuNode[] {
  return entries.map((entry) => {
    const node: MenuNode = { entry, parent, children: [] };
    node.children = wrap(entry.children, node);
    return node;
  });
}

/** menu->dep: an entry's dependencies. */
export function entryDependency(entry: MenuEntry): ModelExpr {
  return entry.definition ? entry.definition.dependency : entry.dependency!;
}

/** What conf's prompt visibility reads: the prompt's condition, else the entry's dependencies. */
export function promptCondition(entry: MenuEntry): ModelExpr {
  return entry.prompt ? entry.prompt.visibility : entryDependency(entry);
}

/** An entry of prompt type P_MENU: the root menu, a `menu`, a `menuconfig` with its prompt. */
export function isMenu(node: MenuNode): boolean {
  const e = node.entry;
  return !e || e.kind === 'menu' || (e.definition?.kind === 'menuconfig' && e.prompt !== undefined);
}

/** menu_get_parent_menu: the nearest P_MENU entry at or above `node`. */
export function parentMenu(node: MenuNode): MenuNode {
  let n = node;
  while (!isMenu(n)) n = n.parent!;
  return n;
}

/** Whether the entry has a prompt (menus and comments always do). */
export function hasPrompt(entry: MenuEntry | undefined): boolean {
  return entry === undefined || entry.kind === 'menu' || entry.kind === 'comment' || entry.prompt !== undefined;
}

/** menu_finalize(parent) on `siblings[index]` (the parent's list is where a leaf symbol takes its followers from). */
function finalizeAt(siblings: MenuNode[], index: number, insideChoice: boolean, rework: boolean): void {
  const node = siblings[index]!;
  const sym = node.entry?.symbol;
  if (node.children.length > 0) {
    finalize(node, rework);
    return;
  }
  if (sym && !(rework && insideChoice)) {
    const entry = node.entry!;
    const base = entry.prompt?.visibility;
    // a condition conf holds as an expression that is constant y (`depends on y`) is no superset of anything
    const writtenYes = base !== undefined && conjuncts(base).length === 0 && (entry.definition?.ownDepends.length ?? 0) > 0;
    let end = index + 1;
    while (end < siblings.length) {
      const dep = promptCondition(siblings[end]!.entry!);
      if (!mentions(dep, sym)) break;
      if (!dependsOnSymbol(dep, sym) && (writtenYes || !impliesAll(dep, base))) break;
      finalizeAt(siblings, end, false, rework);
      end++;
    }
    node.children = siblings.splice(index + 1, end - index - 1);
    for (const c of node.children) c.parent = node;
  }
  flatten(node);
}

/** menu_finalize on a node with children: each child in turn, then the flattening. */
function finalize(node: MenuNode, rework: boolean): void {
  const insideChoice = node.entry?.kind === 'choice';
  for (let i = 0; i < node.children.length; i++) finalizeAt(node.children, i, insideChoice, rework);
  flatten(node);
}

/** Children of a promptless child move up, right after it (conf's `if` flattening). */
function flatten(node: MenuNode): void {
  for (let i = 0; i < node.children.length; i++) {
    const child = node.children[i]!;
    if (child.children.length === 0 || hasPrompt(child.entry)) continue;
    for (const c of child.children) c.parent = node;
    node.children.splice(i + 1, 0, ...child.children);
    child.children = [];
  }
}

/** expr_contains_symbol after expr_transform, which turns a bool compared with m (`B = m`, `B != m`) into a constant. */
function mentions(e: ModelExpr, sym: KSymbol): boolean {
  switch (e.kind) {
    case 'leaf':
      return e.leaf.kind === 'symbol' && e.leaf.symbol === sym;
    case 'not':
      return mentions(e.operand, sym);
    case 'and':
    case 'or':
      return mentions(e.left, sym) || mentions(e.right, sym);
    case 'compare': {
      const boolVsM = (a: typeof e.left, b: typeof e.left): boolean =>
        a.kind === 'symbol' && a.symbol.type === 'bool' && b.kind === 'const' && b.text === 'm' && (e.op === '=' || e.op === '!=');
      if (boolVsM(e.left, e.right) || boolVsM(e.right, e.left)) return false;
      return [e.left, e.right].some((l) => l.kind === 'symbol' && l.symbol === sym);
    }
  }
}

/**
 * conf's "superset" test (expr_eliminate_eq of both conditions compared with
 * n): every conjunct of the absorbing symbol's prompt condition is also a
 * conjunct of `dep`. No prompt: conf compares with y, which always holds.
 */
function impliesAll(dep: ModelExpr, base: ModelExpr | undefined): boolean {
  if (!base) return true;
  const have = new Set(conjuncts(dep).map(key));
  return conjuncts(base).every((c) => have.has(key(c)));
}

/** A conjunct in one spelling for all the forms expr_transform makes equal (`A`, `A=y`, `A!=n` for a bool A). */
function key(e: ModelExpr): string {
  const name = (s: KSymbol): string => `${s.id}`;
  switch (e.kind) {
    case 'leaf':
      if (e.leaf.kind === 'symbol') return e.leaf.symbol.type === 'bool' ? name(e.leaf.symbol) : `${name(e.leaf.symbol)}!=n`;
      return e.leaf.kind === 'const' ? `"${e.leaf.text}"` : `$${e.leaf.input.id}`;
    case 'not':
      if (e.operand.kind === 'compare' && (e.operand.op === '=' || e.operand.op === '!=')) {
        return key({ ...e.operand, op: e.operand.op === '=' ? '!=' : '=' });
      }
      if (e.operand.kind === 'leaf' && e.operand.leaf.kind === 'symbol') {
        const s = e.operand.leaf.symbol;
        return s.type === 'bool' ? `!${name(s)}` : `${name(s)}=n`;
      }
      return `!(${key(e.operand)})`;
    case 'and':
    case 'or': {
      const parts: string[] = [];
      const collect = (x: ModelExpr): void => {
        if (x.kind === e.kind) {
          collect(x.left);
          collect(x.right);
        } else parts.push(key(x));
      };
      collect(e);
      return `${e.kind}(${parts.sort().join(',')})`;
    }
    case 'compare': {
      const l = e.left;
      const r = e.right;
      if (l.kind === 'symbol' && l.symbol.type === 'bool' && r.kind === 'const' && (e.op === '=' || e.op === '!=')) {
        const on = (e.op === '=') === (r.text === 'y');
        if (r.text === 'y' || r.text === 'n') return on ? name(l.symbol) : `!${name(l.symbol)}`;
      }
      const leaf = (x: typeof l): string => (x.kind === 'symbol' ? name(x.symbol) : x.kind === 'const' ? `"${x.text}"` : `$${x.input.id}`);
      return `${leaf(l)}${e.op}${leaf(r)}`;
    }
  }
}

/**
 * menu_is_visible: a menu's `visible if`, then its prompt; a symbol whose
 * prompt is hidden but whose value is not n still shows when one of its
 * children does (6.1 then gives the symbol a user value, as conf does).
 */
export function menuIsVisible(node: MenuNode, conf: InteractiveConf): boolean {
  const e = node.entry;
  if (!e) return true;
  if (!hasPrompt(e)) return false;
  if (e.visibleIf && conf.exprValue(e.visibleIf) === N) return false;
  const sym = e.symbol;
  const visible = sym ? conf.promptVisibility(sym, e.prompt!) : conf.exprValue(entryDependency(e));
  if (visible !== N) return true;
  if (!sym || conf.tristate(sym) === N) return false;
  if (!node.children.some((c) => menuIsVisible(c, conf))) return false;
  if (!hasRules(conf.model.dialect, '6.12')) conf.markHasValue(sym);
  return true;
}
