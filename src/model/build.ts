/**
 * Parse tree → resolved symbol model, following conf's menu_finalize: each
 * entry's dependencies are its own `depends on` (with `m` read as
 * `m && MODULES`) and all enclosing menus, ifs and choices; each property's
 * condition carries its entry's dependencies; selects and implies become
 * reverse dependencies of their targets; choice members get the choice as a
 * dependency.
 */
import { KconfsatError } from '../errors.js';
import type { Expr, Node, ParsedTree, Property, SymbolRef } from '../parse/ast.js';
import { hasRules, type KconfigDialect } from '../parse/dialect.js';
import { and, andAll, FALSE, leafExpr, type LeafExpr, MOD, not, or, symbolExpr, TRUE } from './expr.js';
import type {
  Choice,
  Default,
  Definition,
  Input,
  KconfigModel,
  KSymbol,
  Leaf,
  Loc,
  MenuEntry,
  ModelExpr,
  Prompt,
  Range,
  ReverseDependency,
} from './types.js';

/** A model object while the builder writes it: buildModel hands it out frozen, as its readonly type. */
type Draft<T> = { -readonly [K in keyof T]: T[K] };
type SymbolDraft = Draft<KSymbol>;
type MenuDraft = Omit<Draft<MenuEntry>, 'children'> & { children: MenuDraft[] };

/** A choice: what it has of its own is read from its symbol, so the two never disagree. */
class ChoiceDraft implements Choice {
  readonly members: SymbolDraft[] = [];
  optional = false;
  name?: string;

  constructor(readonly symbol: SymbolDraft) {}

  get type(): KSymbol['type'] {
    return this.symbol.type;
  }
  get prompts(): readonly Prompt[] {
    return this.symbol.prompts;
  }
  get defaults(): readonly Default[] {
    return this.symbol.defaults;
  }
  get definitions(): readonly Definition[] {
    return this.symbol.definitions;
  }
  get loc(): Loc {
    return this.symbol.definitions[0]!.loc;
  }
}

const TRISTATE_CONSTANTS = new Set(['y', 'm', 'n']);

interface Context {
  /** Dependencies inherited from enclosing blocks. */
  parentDep: ModelExpr;
  /** The `if` conditions and menus' `depends on` lines parentDep is made of, outermost first. */
  enclosing: readonly { expr: ModelExpr; loc: Loc }[];
  /** `visible if` of enclosing menus, applied to prompts. */
  menuVisibility: ModelExpr;
  choice?: ChoiceDraft;
}

/** A definition inside a choice, waiting for the membership decision. */
interface ChoiceCandidate {
  symbol: SymbolDraft;
  definition: Draft<Definition>;
  /** Properties made from this definition, to patch when the choice adds `choice = y`. */
  conditions: { condition: ModelExpr }[];
  prompts: Draft<Prompt>[];
  visibilityOrDep: ModelExpr;
}

export interface BuildOptions {
  /** Renders a macro placeholder back into readable text. */
  describeInput?: (text: string) => string;
  env?: Record<string, string | undefined>;
  /** Whose menu_finalize to follow; default 6.1. */
  dialect?: KconfigDialect;
}

export function buildModel(tree: ParsedTree, options: BuildOptions = {}): KconfigModel {
  return new ModelBuilder(tree, options).build();
}

class ModelBuilder {
  private readonly symbols: SymbolDraft[] = [];
  private readonly byName = new Map<string, SymbolDraft>();
  private readonly choices: ChoiceDraft[] = [];
  private readonly inputs: Input[] = [];
  private readonly inputByText = new Map<string, Input>();
  private readonly choiceOfNode = new Map<Node, ChoiceDraft>();
  private modules: SymbolDraft | undefined;
  private modulesExpr: ModelExpr = FALSE;
  private anonymousChoices = 0;
  /** conf keeps named choices apart from config symbols of the same name (sym_lookup's SYMBOL_CHOICE). */
  private readonly namedChoices = new Map<string, ChoiceDraft>();
  private readonly dialect: KconfigDialect;
  /** 6.12's choices: members depend on the choice's dependencies, not on its value; all bool. */
  private readonly choiceRework: boolean;
  /** Prompts written inside a choice block (6.12 rejects a member's prompt anywhere else). */
  private readonly promptsInChoices = new Set<object>();
  private readonly resolver = new ExprResolver(
    (name) => this.symbol(name),
    (text) => this.input(text),
    () => this.modulesExpr,
  );

  constructor(
    private readonly tree: ParsedTree,
    private readonly options: BuildOptions,
  ) {
    this.dialect = options.dialect ?? '6.1';
    this.choiceRework = hasRules(this.dialect, '6.12');
  }

  build(): KconfigModel {
    this.declare(this.tree.nodes);
    if (this.modules) this.modulesExpr = this.resolver.symbolExpr(this.modules);
    const menuEntries: MenuDraft[] = [];
    this.walk(this.tree.nodes, { parentDep: TRUE, enclosing: [], menuVisibility: TRUE }, [], menuEntries);
    if (this.choiceRework) this.checkMembers612();
    else for (const choice of this.choices) this.settleChoiceTypes(choice);
    this.checkTransitional();
    const model: Draft<KconfigModel> = {
      dialect: this.dialect,
      symbols: this.symbols,
      byName: this.byName,
      choices: this.choices,
      menuEntries,
      inputs: this.inputs,
      files: this.tree.files,
      env: { ...this.options.env },
    };
    if (this.modules) model.modules = this.modules;
    if (this.tree.mainmenu) model.mainmenu = this.tree.mainmenu.prompt;
    return freezeModel(model);
  }

  private symbol(name: string): SymbolDraft {
    let sym = this.byName.get(name);
    if (!sym) {
      sym = newSymbol(this.symbols.length, name);
      this.symbols.push(sym);
      this.byName.set(name, sym);
    }
    return sym;
  }

  /** First pass: symbol types (the first one written wins, as in conf) and MODULES. */
  private declare(nodes: Node[]): void {
    for (const node of nodes) {
      switch (node.kind) {
        case 'config':
        case 'menuconfig': {
          const sym = this.symbol(node.name);
          this.declareProps(sym, node.props);
          break;
        }
        case 'choice': {
          const choice = this.choiceFor(node);
          this.declareProps(choice.symbol, node.props);
          this.declare(node.children);
          break;
        }
        case 'menu':
        case 'if':
          this.declare(node.children);
          break;
        case 'comment':
          break;
      }
    }
  }

  private declareProps(sym: SymbolDraft, props: Property[]): void {
    for (const p of props) {
      if (p.kind === 'type' && sym.type === 'unknown') sym.type = p.type;
      if (p.kind === 'modules') {
        if (this.modules && this.modules !== sym) {
          throw new KconfsatError(
            'syntax',
            `symbol '${sym.name}' redefines option 'modules' already defined by symbol '${this.modules.name}'`,
            { ...p.loc, column: p.loc.column || 1 },
          );
        }
        this.modules = sym;
      }
      if (p.kind === 'optional' && sym.ownChoice) this.choiceOf(sym).optional = true;
      if (p.kind === 'help') sym.help = p.text;
      if (p.kind === 'option' && p.name === 'env' && p.value !== undefined) sym.envVariable = p.value;
      if (p.kind === 'transitional') sym.transitional = true;
    }
  }

  /** The draft of a choice symbol's choice. */
  private choiceOf(sym: KSymbol): ChoiceDraft {
    return this.choices.find((c) => c.symbol === sym)!;
  }

  private choiceFor(node: Node & { kind: 'choice' }): ChoiceDraft {
    const existing = this.choiceOfNode.get(node);
    if (existing) return existing;
    let choice = node.name === undefined ? undefined : this.namedChoices.get(node.name);
    if (!choice) {
      const sym = this.symbol(node.name === undefined ? `<choice ${++this.anonymousChoices}>` : `<choice ${node.name}>`);
      choice = new ChoiceDraft(sym);
      if (node.name !== undefined) choice.name = node.name;
      sym.ownChoice = choice;
      this.choices.push(choice);
      if (node.name !== undefined) this.namedChoices.set(node.name, choice);
    }
    this.choiceOfNode.set(node, choice);
    return choice;
  }

  /** Second pass: dependencies and properties, in source order; `entries` gets the menu entries as written. */
  private walk(nodes: Node[], ctx: Context, candidates: ChoiceCandidate[], entries: MenuDraft[]): void {
    const entry = (e: Omit<MenuDraft, 'children'>): MenuDraft => {
      const full = { ...e, children: [] };
      entries.push(full);
      return full;
    };
    const symbolEntry = (kind: 'symbol' | 'choice', c: ChoiceCandidate, loc: Loc): MenuDraft => {
      const e: Omit<MenuDraft, 'children'> = { kind, symbol: c.symbol, definition: c.definition, loc };
      const prompt = c.prompts.at(-1);
      if (prompt) e.prompt = prompt;
      return entry(e);
    };
    for (const node of nodes) {
      switch (node.kind) {
        case 'config':
        case 'menuconfig': {
          const candidate = this.defineSymbol(this.symbol(node.name), node.kind, node.loc, node.props, ctx);
          if (ctx.choice) candidates.push(candidate);
          symbolEntry('symbol', candidate, node.loc);
          break;
        }
        case 'choice': {
          const choice = this.choiceFor(node);
          const own = this.defineSymbol(choice.symbol, 'choice', node.loc, node.props, ctx);
          const inner: ChoiceCandidate[] = [];
          // 6.1 makes the choice's value an upper bound of its members'; 6.12 passes on only its dependencies
          const parentDep = this.choiceRework ? own.definition.dependency : this.resolver.symbolExpr(choice.symbol);
          this.walk(node.children, { ...ctx, parentDep, choice }, inner, symbolEntry('choice', own, node.loc).children);
          if (this.choiceRework) this.settleMembers612(choice, own, inner, node.loc);
          else this.settleMembers(choice, inner);
          break;
        }
        case 'menu': {
          const menuDepends = this.dependsLines(node.props);
          const dep = and(ctx.parentDep, andAll(menuDepends.map((d) => d.expr)));
          let visibleIf: ModelExpr = TRUE;
          for (const p of node.props) {
            if (p.kind === 'visible' && p.condition) visibleIf = and(visibleIf, this.resolver.dep(p.condition));
          }
          const menu = entry({ kind: 'menu', title: node.prompt, dependency: dep, visibleIf, loc: node.loc });
          const enclosing = menuDepends.length ? [...ctx.enclosing, ...menuDepends] : ctx.enclosing;
          this.walk(node.children, { ...ctx, parentDep: dep, enclosing, menuVisibility: and(ctx.menuVisibility, visibleIf) }, candidates, menu.children);
          break;
        }
        case 'if': {
          const condition = this.resolver.dep(node.condition);
          const dependency = and(ctx.parentDep, condition);
          const enclosing = [...ctx.enclosing, { expr: condition, loc: node.loc }];
          this.walk(node.children, { ...ctx, parentDep: dependency, enclosing }, candidates, entry({ kind: 'if', dependency, loc: node.loc }).children);
          break;
        }
        case 'comment':
          entry({ kind: 'comment', title: node.prompt, dependency: and(ctx.parentDep, this.ownDepends(node.props)), loc: node.loc });
          break;
      }
    }
  }

  private ownDepends(props: Property[]): ModelExpr {
    return andAll(this.dependsLines(props).map((d) => d.expr));
  }

  private dependsLines(props: Property[]): { expr: ModelExpr; loc: Loc }[] {
    // filter then map: flatMap's result, kept here, would hold 16 slots for the usual one item.
    return props.filter((p) => p.kind === 'depends').map((p) => ({ expr: this.resolver.dep(p.expr), loc: p.loc }));
  }

  private defineSymbol(
    sym: SymbolDraft,
    kind: Definition['kind'],
    loc: Loc,
    props: Property[],
    ctx: Context,
  ): ChoiceCandidate {
    const ownDepends = this.dependsLines(props);
    const dependency = and(ctx.parentDep, andAll(ownDepends.map((d) => d.expr)));
    const definition: Draft<Definition> = { loc, kind, dependency, ownDepends, enclosing: ctx.enclosing };
    sym.definitions = append(sym.definitions, definition);
    const conditions: { condition: ModelExpr }[] = [];
    const prompts: Draft<Prompt>[] = [];
    let firstPromptVisibility: ModelExpr | undefined;
    const condition = (c: Expr | undefined): ModelExpr => (c ? and(dependency, this.resolver.dep(c)) : dependency);

    for (const p of props) {
      switch (p.kind) {
        case 'prompt': {
          const prompt = {
            text: p.text,
            visibility: and(condition(p.condition), ctx.menuVisibility),
            loc: p.loc,
          };
          sym.prompts = append(sym.prompts, prompt);
          prompts.push(prompt);
          firstPromptVisibility ??= prompt.visibility;
          break;
        }
        case 'default': {
          const def = { value: this.resolver.value(p.value), condition: condition(p.condition), loc: p.loc };
          sym.defaults = append(sym.defaults, def);
          conditions.push(def);
          break;
        }
        case 'select':
        case 'imply': {
          const target = this.symbol(p.target);
          const rev: Draft<ReverseDependency> = {
            kind: p.kind,
            selector: sym,
            target,
            condition: condition(p.condition),
            loc: p.loc,
          };
          if (p.condition) rev.writtenCondition = this.resolver.dep(p.condition);
          if (p.kind === 'select') {
            sym.selects = append(sym.selects, rev);
            target.selectedBy = append(target.selectedBy, rev);
          } else {
            sym.implies = append(sym.implies, rev);
            target.impliedBy = append(target.impliedBy, rev);
          }
          conditions.push(rev);
          break;
        }
        case 'range': {
          const range: Draft<Range> = { low: this.resolver.leaf(p.low), high: this.resolver.leaf(p.high), condition: condition(p.condition), loc: p.loc };
          sym.ranges = append(sym.ranges, range);
          conditions.push(range);
          break;
        }
        case 'option':
          if (p.name === 'env' && p.value !== undefined) {
            const envValue = this.options.env?.[p.value];
            const leaf: Leaf =
              envValue === undefined ? { kind: 'input', input: this.input(`$(${p.value})`) } : { kind: 'const', text: envValue };
            const def = { value: leafExpr(leaf), condition: dependency, loc: p.loc };
            sym.defaults = append(sym.defaults, def);
            conditions.push(def);
          }
          break;
        default:
          break;
      }
    }
    return { symbol: sym, definition, conditions, prompts, visibilityOrDep: firstPromptVisibility ?? dependency };
  }

  /**
   * Which definitions inside a choice are its members. As in conf, an entry
   * that depends on the member before it is nested under that member (an
   * implicit submenu) and is not itself a member.
   */
  private settleMembers(choice: ChoiceDraft, candidates: ChoiceCandidate[]): void {
    // The choice's type comes first: a bool member of a tristate choice gets `choice = y` below.
    if (choice.symbol.type === 'unknown') {
      const typed = candidates.find((c) => c.symbol.type !== 'unknown');
      if (typed) choice.symbol.type = typed.symbol.type;
    }
    const absorbFrom = (i: number): number => {
      let k = i + 1;
      while (k < candidates.length && dependsOnSymbol(candidates[k]!.visibilityOrDep, candidates[i]!.symbol)) {
        k = absorbFrom(k);
      }
      return k;
    };
    for (let i = 0; i < candidates.length; i = absorbFrom(i)) {
      const candidate = candidates[i]!;
      const member = candidate.symbol;
      if (member.memberOf) continue;
      member.memberOf = choice;
      choice.members.push(member);
      if (member.type === 'unknown') member.type = choice.symbol.type;
      // A non-tristate member of a tristate choice needs the choice at y.
      if (choice.symbol.type === 'tristate' && member.type !== 'tristate') {
        const atY: ModelExpr = {
          kind: 'compare',
          op: '=',
          left: { kind: 'symbol', symbol: choice.symbol },
          right: { kind: 'const', text: 'y' },
        };
        candidate.definition.dependency = and(atY, candidate.definition.dependency);
        for (const c of candidate.conditions) c.condition = and(atY, c.condition);
        for (const p of candidate.prompts) p.visibility = and(atY, p.visibility);
      }
    }
  }

  /**
   * 6.12's choice (parser.y, menu.c): every entry written inside is a member,
   * in writing order (no implicit submenus); the choice and its members must
   * have prompts and be bool, and members take no defaults nor a prompt
   * outside the choice: each of those is an error.
   */
  private settleMembers612(choice: ChoiceDraft, own: ChoiceCandidate, candidates: ChoiceCandidate[], loc: Loc): void {
    const fail = (at: Loc, message: string): never => {
      throw new KconfsatError('syntax', message, { ...at, column: at.column || 1 });
    };
    choice.symbol.type = 'bool';
    if (own.prompts.length === 0) fail(loc, 'choice must have a prompt');
    for (const c of candidates) {
      if (c.prompts.length === 0) fail(c.definition.loc, 'choice member must have a prompt');
      if (c.symbol.type !== 'bool') fail(c.definition.loc, 'choice member must be bool');
      for (const p of c.prompts) this.promptsInChoices.add(p);
      if (c.symbol.memberOf) continue;
      c.symbol.memberOf = choice;
      choice.members.push(c.symbol);
    }
  }

  /** 6.12's sanity checks on choice members, once every definition is known (parser.y choice_check_sanity). */
  private checkMembers612(): void {
    for (const choice of this.choices) {
      for (const m of choice.members) {
        const d = m.defaults[0];
        if (d) throw new KconfsatError('syntax', 'defaults for choice values not supported', { ...d.loc, column: d.loc.column || 1 });
        const outside = m.prompts.find((p) => !this.promptsInChoices.has(p));
        if (outside) {
          throw new KconfsatError('syntax', 'choice value has a prompt outside its choice group', { ...outside.loc, column: outside.loc.column || 1 });
        }
      }
    }
  }

  /**
   * 6.18: a transitional symbol is a typed pass-through of an old .config
   * value: nothing but its type and help (commit f9afce4f32e9, "kconfig: Add
   * transitional symbol attribute for migration support").
   */
  private checkTransitional(): void {
    for (const sym of this.symbols) {
      if (!sym.transitional) continue;
      const loc = sym.definitions[0]!.loc;
      const fail = (what: string): never => {
        throw new KconfsatError('syntax', `transitional symbol '${sym.name}' ${what}`, { ...loc, column: loc.column || 1 });
      };
      if (sym.type === 'unknown') fail('must have a type');
      if (sym.prompts.length > 0) fail('cannot have a prompt');
      if (sym.defaults.length > 0) fail('cannot have defaults');
      if (sym.selects.length > 0 || sym.implies.length > 0) fail('cannot select or imply');
      if (sym.ranges.length > 0) fail('cannot have a range');
      if (sym.definitions.some((d) => d.ownDepends.length > 0)) fail('cannot have dependencies');
    }
  }

  /** A choice without a type takes its first typed member's; untyped members take the choice's. */
  private settleChoiceTypes(choice: ChoiceDraft): void {
    if (choice.symbol.type === 'unknown') {
      const typed = choice.members.find((m) => m.type !== 'unknown');
      if (typed) choice.symbol.type = typed.type;
    }
    for (const m of choice.members) if (m.type === 'unknown') m.type = choice.symbol.type;
  }

  private input(text: string): Input {
    let input = this.inputByText.get(text);
    if (!input) {
      input = { id: this.inputs.length, origin: this.options.describeInput?.(text) ?? text };
      this.inputs.push(input);
      this.inputByText.set(text, input);
    }
    return input;
  }
}

/**
 * The model as its readers get it. The objects a later stage would be tempted
 * to note something on (the model, its symbols, choices and inputs) are
 * frozen, so a stage keeps what it learns in a structure of its own (a
 * change here would be seen by every session sharing the model, and by the
 * session cache); the lists, properties, menu entries and expressions are
 * readonly by type only: freezing those 300,000 objects of Linux costs a
 * third of the build (measured: 2 ms for the symbols, 100 ms for the rest).
 */
function freezeModel(model: Draft<KconfigModel>): KconfigModel {
  for (const sym of model.symbols) Object.freeze(sym);
  for (const choice of model.choices) Object.freeze(Object.freeze(choice).members);
  for (const input of model.inputs) Object.freeze(input);
  for (const list of [model.symbols, model.choices, model.inputs, model.files]) Object.freeze(list);
  Object.freeze(model.env);
  return Object.freeze(model);
}

/**
 * The one empty list every symbol starts with, frozen so that adding to it
 * fails loudly: lists grow through append(). Most of a tree's 17,000 symbols
 * keep most of their eight lists empty, and most lists that are not hold one
 * item; V8 gives an array 16 slots on its first push, so lists made this way
 * take 10 MB less of the heap for Linux (less to fault in and to collect).
 */
const NONE: never[] = Object.freeze([]) as never[];

/** `list` with `item` added: the builder's own lists grow in place (it made each one), NONE becomes a new list. */
function append<T>(list: readonly T[], item: T): T[] {
  if (list.length === 0) return [item];
  (list as T[]).push(item);
  return list as T[];
}

/** A symbol with no definitions yet; every field present so all symbols share one object shape. */
export function newSymbol(id: number, name: string): SymbolDraft {
  return {
    id,
    name,
    type: 'unknown',
    definitions: NONE,
    prompts: NONE,
    defaults: NONE,
    ranges: NONE,
    selects: NONE,
    implies: NONE,
    selectedBy: NONE,
    impliedBy: NONE,
    memberOf: undefined,
    ownChoice: undefined,
    help: undefined,
    envVariable: undefined,
    transitional: undefined,
  };
}

/** conf's expr_depends_symbol: `dep` is `sym`, `sym=y`, `sym=m` or `sym!=n`, possibly inside a conjunction. */
export function dependsOnSymbol(dep: ModelExpr, sym: KSymbol): boolean {
  switch (dep.kind) {
    case 'and':
      return dependsOnSymbol(dep.left, sym) || dependsOnSymbol(dep.right, sym);
    case 'leaf':
      return dep.leaf.kind === 'symbol' && dep.leaf.symbol === sym;
    case 'compare': {
      if (dep.left.kind !== 'symbol' || dep.left.symbol !== sym || dep.right.kind !== 'const') return false;
      const t = dep.right.text;
      return dep.op === '=' ? t === 'y' || t === 'm' : dep.op === '!=' && t === 'n';
    }
    default:
      return false;
  }
}

/**
 * Parse-tree expressions → model expressions: names become symbols (through
 * `lookup`), macro unknowns become inputs, y/m/n become constants.
 */
export class ExprResolver {
  /**
   * One leaf, and one expression of it, per symbol: a Linux tree mentions its
   * 17,000 symbols 60,000 times, and model expressions are never modified, so
   * sharing them saves that many objects.
   */
  private readonly symbolExprs = new Map<KSymbol, LeafExpr>();

  constructor(
    private readonly lookup: (name: string) => KSymbol,
    private readonly input: (text: string) => Input,
    /** The MODULES symbol as an expression; `m` in dependencies means `m && MODULES`. */
    private readonly modules: () => ModelExpr,
  ) {}

  leaf(ref: SymbolRef): Leaf {
    switch (ref.kind) {
      case 'symbol':
        return TRISTATE_CONSTANTS.has(ref.name) ? { kind: 'const', text: ref.name } : this.symbolExpr(this.lookup(ref.name)).leaf;
      case 'const':
        return { kind: 'const', text: ref.value };
      case 'unknown':
        return { kind: 'input', input: this.input(ref.text) };
    }
  }

  symbolExpr(sym: KSymbol): LeafExpr {
    let e = this.symbolExprs.get(sym);
    if (!e) {
      e = symbolExpr(sym);
      this.symbolExprs.set(sym, e);
    }
    return e;
  }

  /** A leaf as an expression, shared for symbols. */
  private leafExpr(leaf: Leaf): ModelExpr {
    return leaf.kind === 'symbol' ? this.symbolExpr(leaf.symbol) : leafExpr(leaf);
  }

  /** A value expression (default, def_bool): taken as written. */
  value(e: Expr): ModelExpr {
    switch (e.kind) {
      case 'ref':
        return this.leafExpr(this.leaf(e.ref));
      case 'not':
        return not(this.value(e.operand));
      case 'and':
        return { kind: 'and', left: this.value(e.left), right: this.value(e.right) };
      case 'or':
        return { kind: 'or', left: this.value(e.left), right: this.value(e.right) };
      case 'compare':
        return { kind: 'compare', op: e.op, left: this.leaf(e.left), right: this.leaf(e.right) };
    }
  }

  /** A dependency or condition: a bare `m` means `m && MODULES` (conf's rewrite_m). */
  dep(e: Expr): ModelExpr {
    switch (e.kind) {
      case 'ref': {
        const leaf = this.leaf(e.ref);
        if (leaf.kind === 'const' && leaf.text === 'm') return and(MOD, this.modules());
        return this.leafExpr(leaf);
      }
      case 'not':
        return not(this.dep(e.operand));
      case 'and':
        return and(this.dep(e.left), this.dep(e.right));
      case 'or':
        return or(this.dep(e.left), this.dep(e.right));
      case 'compare':
        return this.value(e);
    }
  }
}
