/**
 * Kconfig parser: reads the root file and everything it sources into a parse
 * tree, line by line as conf's grammar is line-oriented. Anything conf would
 * not accept is a KconfsatError with file:line:column; nothing is skipped.
 */
import * as path from 'node:path';
import { KconfsatError, type SourceLocation } from '../errors.js';
import { containsUnknown, MacroExpander } from '../macro/expander.js';
import type {
  ChoiceNode,
  CommentNode,
  CompareOp,
  ConfigNode,
  Entry,
  Expr,
  IfNode,
  MenuNode,
  Node,
  ParsedTree,
  Property,
  SymbolKind,
  SymbolRef,
} from './ast.js';
import { hasRules, type KconfigDialect } from './dialect.js';
import { hasGlobChars, OUTSIDE_ROOT, type SourceFiles } from './files.js';
import { isEmptyLine, LineLexer, Tokens } from './lexer.js';
import { MemoConflict, type ParseMemo, type TreeInput } from './memo.js';

const TYPE_KEYWORDS: Record<string, SymbolKind> = {
  bool: 'bool',
  boolean: 'bool',
  tristate: 'tristate',
  int: 'int',
  hex: 'hex',
  string: 'string',
};

const COMPARE_OPS = new Set<string>(['=', '!=', '<', '<=', '>', '>=']);

/** Options each kind of entry accepts, as conf's grammar allows them. */
const ENTRY_OPTIONS: Record<string, Set<string>> = {
  config: new Set([
    'type', 'def_bool', 'def_tristate', 'prompt', 'default', 'depends', 'select', 'imply',
    'range', 'modules', 'option', 'help', 'transitional',
  ]),
  choice: new Set(['type', 'prompt', 'default', 'depends', 'help', 'optional', 'option']),
  menu: new Set(['depends', 'visible']),
  comment: new Set(['depends']),
};

/** A statement's first word. */
interface Keyword {
  value: string;
  column: number;
}

interface Block {
  node: ChoiceNode | MenuNode | IfNode | undefined;
  children: Node[];
}

const END_KEYWORD = { choice: 'endchoice', menu: 'endmenu', if: 'endif' } as const;

/**
 * Nesting limits. conf's bison parser gives up ("memory exhausted") near 5,000
 * nested blocks or 10,000 nested parentheses; real trees nest fewer than 20.
 * kconfsat stops earlier, with an error at the line, so that the recursive
 * walks over blocks and expressions further down stay far from the call
 * stack's limit.
 */
export const MAX_BLOCK_NESTING = 1000;
export const MAX_EXPRESSION_NESTING = 1000;

/**
 * With a `memo`, sourced files whose parse it keeps are reused when nothing
 * their parse read has changed (parse/memo.ts), and the parses made are kept
 * there; a MemoConflict then means: parse again without it.
 */
export function parseKconfig(files: SourceFiles, rootFile: string, macros: MacroExpander, dialect: KconfigDialect = '6.1', memo?: ParseMemo): ParsedTree {
  return new Parser(files, macros, dialect, memo).parse(rootFile);
}

/** A file parse under way, for the memo: what it read of the tree, and the file parses within it. */
interface Draft {
  inputs: TreeInput[];
  contains: number[];
}

/** One Kconfig expression on its own (queries): `A && !B`, `X=m`, `NR_CPUS>=64`. */
export function parseExpression(text: string, source = '<expression>'): Expr {
  const macros = new MacroExpander({ emptyUnsetEnv: true });
  const errorAt = (message: string, column: number): KconfsatError =>
    new KconfsatError('expression', `${message} in '${text}'`, { file: source, line: 1, column });
  const lexer = new LineLexer(macros);
  const tokens = new Tokens();
  lexer.reset(text, 0, text.length, source, 1);
  lexer.all(tokens);
  if (tokens.count === 0) throw errorAt('empty expression', 1);
  const stream = new TokenStream(tokens, errorAt, new SymbolRefs());
  stream.reset(0, 1);
  const expr = stream.expr();
  stream.end();
  return expr;
}

class Parser {
  private readonly tree: ParsedTree = { nodes: [], files: [] };
  private readonly blocks: Block[] = [{ node: undefined, children: this.tree.nodes }];
  private readonly includeStack: { file: string; line: number }[] = [];
  /** error() for the token streams, bound once rather than per line. */
  private readonly errorAt = (message: string, column: number): KconfsatError => this.error(message, column);
  /** One lexer and one token list for every line: a line is done with before the next is read. */
  private readonly lexer: LineLexer;
  private readonly tokens = new Tokens();
  private readonly refs = new SymbolRefs();
  private readonly stream = new TokenStream(this.tokens, this.errorAt, this.refs);
  private current: Entry | undefined;
  private file = '';
  private line = 0;

  /** 6.12's grammar: `choice` takes no name and only `bool "prompt"`, no `optional`, no tristate. */
  private readonly choiceRework: boolean;
  /** 6.18's `transitional` attribute. */
  private readonly transitional: boolean;

  /** The memo's file parses in this tree (made or reused): none may be reused twice. */
  private readonly placed = new Set<number>();
  /** Last entries of reused parses, shared with other trees. */
  private readonly reusedExits = new Set<Entry>();
  /** File parses under way that the memo will keep, outermost first. */
  private readonly drafts: Draft[] = [];

  constructor(
    private readonly files: SourceFiles,
    private readonly macros: MacroExpander,
    private readonly dialect: KconfigDialect,
    private readonly memo?: ParseMemo,
  ) {
    this.lexer = new LineLexer(macros);
    this.choiceRework = hasRules(dialect, '6.12');
    this.transitional = hasRules(dialect, '6.18');
  }

  parse(rootFile: string): ParsedTree {
    const text = this.files.readConfined(rootFile);
    if (text === OUTSIDE_ROOT) throw new KconfsatError('source', `${rootFile} is outside the tree root`, { file: rootFile, line: 0, column: 0 });
    if (text === undefined) {
      throw new KconfsatError('source', `can't find file ${rootFile}`, { file: rootFile, line: 0, column: 0 });
    }
    this.includeStack.push({ file: path.posix.normalize(rootFile), line: 0 });
    this.parseFile(rootFile, text);
    this.enter(undefined);
    const open = this.blocks[this.blocks.length - 1]!.node;
    if (open) {
      throw new KconfsatError('syntax', `'${open.kind}' without matching '${END_KEYWORD[open.kind]}'`, {
        ...open.loc,
        column: open.loc.column || 1,
      });
    }
    return this.tree;
  }

  private parseFile(name: string, text: string): void {
    const savedFile = this.file;
    const savedLine = this.line;
    this.file = name;
    this.tree.files.push(name);
    const lines = new LineCursor(text);
    while (lines.advance()) {
      this.line = lines.number;
      let helpEntry: Entry | undefined;
      if (lines.hasNext() && endsInBackslash(text, lines.end)) {
        // A backslash at the end of a line continues the statement; the lines are joined once, at the end.
        const continuation = new ContinuationScan();
        const pieces = [lines.current()];
        while (lines.hasNext() && continuation.continues(pieces)) {
          pieces[pieces.length - 1] = pieces[pieces.length - 1]!.replace(/\\\r?$/, '');
          lines.advance();
          pieces.push(lines.current());
        }
        const logical = pieces.length === 1 ? pieces[0]! : pieces.join('');
        helpEntry = this.parseLine(logical, 0, logical.length);
      } else {
        helpEntry = this.parseLine(text, lines.start, lines.end);
      }
      if (helpEntry) this.readHelp(helpEntry, lines);
    }
    this.file = savedFile;
    this.line = savedLine;
  }

  /**
   * Makes `entry` the one later option lines belong to. The entry left keeps
   * an exact copy of its property list: V8 gives a list 16 slots on its first
   * push, and the tree keeps some 20,000 of them.
   */
  private enter(entry: Entry | undefined): void {
    if (this.current) this.current.props = this.current.props.slice();
    this.current = entry;
  }

  private loc(column = 0): SourceLocation {
    return { file: this.file, line: this.line, column };
  }

  private error(message: string, column = 1): KconfsatError {
    return new KconfsatError('syntax', message, this.loc(column));
  }

  /** Parses the statement in text[start, end); returns the entry when it opened a help text. */
  private parseLine(text: string, start: number, end: number): Entry | undefined {
    if (isEmptyLine(text, start, end)) return undefined;
    const lexer = this.lexer;
    const tokens = this.tokens;
    lexer.reset(text, start, end, this.file, this.line);
    tokens.clear();
    if (!lexer.next(tokens)) return undefined;
    const keyword: Keyword = { value: tokens.values[0]!, column: tokens.columns[0]! };
    if (tokens.kinds[0] === 'word') {
      const op = lexer.peekAssignOp();
      if (!op && this.transitional && keyword.value === 'transitional') {
        // not a keyword before 6.18, so older trees may still name a variable so
        lexer.all(tokens);
        this.stream.reset(1, keyword.column);
        return this.option(keyword, this.stream, this.loc(keyword.column));
      }
      if (!op) throw this.error(`unknown statement "${keyword.value}"`, keyword.column);
      lexer.consumeAssignOp(op);
      // conf's parser acts on an assignment once its lexer has read the newline, so
      // an immediately expanded value (and its messages) sees the next line's yylineno
      this.macros.setLocation({ file: this.file, line: this.line + 1, column: keyword.column });
      this.macros.assign(keyword.value, op, lexer.rest());
      return undefined;
    }
    if (tokens.kinds[0] !== 'keyword') throw this.error(`invalid statement`, keyword.column);
    lexer.all(tokens);
    this.stream.reset(1, keyword.column);
    return this.statement(keyword, this.stream);
  }

  private statement(keyword: Keyword, t: TokenStream): Entry | undefined {
    const loc = this.loc(keyword.column);
    switch (keyword.value) {
      case 'config':
      case 'menuconfig': {
        const name = t.symbolName();
        t.end();
        const node: ConfigNode = { kind: keyword.value, name, loc, props: [] };
        this.addNode(node);
        this.enter(node);
        return undefined;
      }
      case 'choice': {
        if (this.choiceRework && !t.atEnd()) throw this.error(`syntax error: a choice has no name since Linux 6.12`, keyword.column);
        const name = t.atEnd() ? undefined : t.symbolName();
        t.end();
        const node: ChoiceNode = { kind: 'choice', loc, props: [], children: [] };
        if (name !== undefined) node.name = name;
        this.placeNode(node, keyword.column);
        return undefined;
      }
      case 'menu': {
        const prompt = t.string();
        t.end();
        this.placeNode({ kind: 'menu', prompt, loc, props: [], children: [] } satisfies MenuNode, keyword.column);
        return undefined;
      }
      case 'comment': {
        const prompt = t.string();
        t.end();
        this.placeNode({ kind: 'comment', prompt, loc, props: [] } satisfies CommentNode, keyword.column);
        return undefined;
      }
      case 'if': {
        const condition = t.expr();
        t.end();
        this.placeNode({ kind: 'if', condition, loc, children: [] } satisfies IfNode, keyword.column);
        return undefined;
      }
      case 'endmenu':
      case 'endchoice':
      case 'endif': {
        t.end();
        this.closeBlock(keyword);
        return undefined;
      }
      case 'mainmenu': {
        const prompt = t.string();
        t.end();
        if (this.tree.mainmenu || this.tree.nodes.length > 0 || this.blocks.length > 1) {
          throw this.error(`'mainmenu' must be the first statement`, keyword.column);
        }
        this.tree.mainmenu = { prompt, loc };
        this.enter(undefined);
        return undefined;
      }
      case 'source':
      case 'rsource':
      case 'osource':
      case 'orsource': {
        const target = t.string();
        t.end();
        this.enter(undefined);
        this.source(keyword.value, target, keyword.column);
        return undefined;
      }
      default:
        return this.option(keyword, t, loc);
    }
  }

  private option(keyword: Keyword, t: TokenStream, loc: SourceLocation): Entry | undefined {
    const entry = this.current;
    const word = keyword.value;
    const optionKind =
      word in TYPE_KEYWORDS ? 'type' : word === '---help---' ? 'help' : word;
    if (!entry) throw this.error(`'${word}' outside of an entry`, keyword.column);
    if (this.memo) {
      // Option lines after a `source` extend the sourced file's last entry: no kept parse ending in it says what it holds now.
      this.memo.forget(entry);
      if (this.reusedExits.has(entry)) throw new MemoConflict(`${this.file}:${this.line}: an option line after a source extends a reused entry`);
    }
    const allowed = ENTRY_OPTIONS[entry.kind === 'menuconfig' ? 'config' : entry.kind]!;
    if (!allowed.has(optionKind)) {
      throw this.error(`'${word}' is not allowed in a ${entry.kind} entry`, keyword.column);
    }
    const props = entry.props;
    switch (optionKind) {
      case 'type': {
        const type = TYPE_KEYWORDS[word]!;
        if (entry.kind === 'choice' && type !== 'bool' && type !== 'tristate') {
          throw this.error(`a choice can only be bool or tristate`, keyword.column);
        }
        if (entry.kind === 'choice' && this.choiceRework && (type !== 'bool' || t.atEnd())) {
          throw this.error(`syntax error: a choice takes only 'bool "prompt"' since Linux 6.12`, keyword.column);
        }
        props.push({ kind: 'type', type, loc });
        if (!t.atEnd()) this.promptWithCondition(t, props, loc);
        break;
      }
      case 'def_bool':
      case 'def_tristate': {
        props.push({ kind: 'type', type: word === 'def_bool' ? 'bool' : 'tristate', loc });
        props.push(withCondition({ kind: 'default', value: t.expr(), loc }, t));
        break;
      }
      case 'prompt':
        this.promptWithCondition(t, props, loc);
        break;
      case 'default':
        if (entry.kind === 'choice') {
          const name = t.symbolName();
          props.push(withCondition({ kind: 'default', value: this.refs.expr(name), loc }, t));
        } else {
          props.push(withCondition({ kind: 'default', value: t.expr(), loc }, t));
        }
        break;
      case 'depends':
        t.keyword('on');
        props.push({ kind: 'depends', expr: t.expr(), loc });
        break;
      case 'select':
      case 'imply':
        props.push(withCondition({ kind: optionKind, target: t.symbolName(), loc }, t));
        break;
      case 'range': {
        const low = t.symbolRef();
        const high = t.symbolRef();
        props.push(withCondition({ kind: 'range', low, high, loc }, t));
        break;
      }
      case 'visible':
        props.push(withCondition({ kind: 'visible', loc }, t));
        break;
      case 'optional':
        if (this.choiceRework) throw this.error(`syntax error: 'optional' was removed in Linux 6.12`, keyword.column);
        props.push({ kind: optionKind, loc });
        break;
      case 'modules':
      case 'transitional':
        props.push({ kind: optionKind, loc });
        break;
      case 'option':
        props.push(this.legacyOption(t, loc));
        break;
      case 'help':
        t.end();
        return entry;
    }
    t.end();
    return undefined;
  }

  private promptWithCondition(t: TokenStream, props: Property[], loc: SourceLocation): void {
    const text = t.string().replace(/^\s+/, '');
    props.push(withCondition({ kind: 'prompt', text, loc }, t));
  }

  /** `option modules|env=NAME|defconfig_list|allnoconfig_y` of pre-4.19 trees. */
  private legacyOption(t: TokenStream, loc: SourceLocation): Property {
    if (t.atKeyword('modules')) {
      t.take();
      return { kind: 'modules', loc };
    }
    const name = t.symbolName();
    if (name === 'modules') return { kind: 'modules', loc };
    if (t.atOp('=')) {
      t.take();
      return { kind: 'option', name, value: t.string(), loc };
    }
    return { kind: 'option', name, loc };
  }

  private addNode(node: Node): void {
    this.blocks[this.blocks.length - 1]!.children.push(node);
  }

  private openBlock(node: ChoiceNode | MenuNode | IfNode, column: number): void {
    if (this.blocks.length > MAX_BLOCK_NESTING) {
      throw this.error(`blocks nested too deeply (more than ${MAX_BLOCK_NESTING} levels of if, menu and choice)`, column);
    }
    this.blocks.push({ node, children: node.children });
  }

  /**
   * A choice, menu, comment or if as a node of the current block; all but a
   * comment open a block of their own, and all but an if take the option lines that follow.
   */
  private placeNode(node: ChoiceNode | MenuNode | CommentNode | IfNode, column: number): void {
    this.addNode(node);
    if (node.kind !== 'comment') this.openBlock(node, column);
    this.enter(node.kind === 'if' ? undefined : node);
  }

  private closeBlock(keyword: Keyword): void {
    const block = this.blocks[this.blocks.length - 1]!;
    const open = block.node;
    const wanted = keyword.value.slice(3);
    if (!open) throw this.error(`'${keyword.value}' without matching '${wanted}'`, keyword.column);
    if (open.kind !== wanted) {
      throw this.error(`unexpected '${keyword.value}' within ${open.kind} block`, keyword.column);
    }
    if (open.loc.file !== this.file) {
      throw this.error(`'${keyword.value}' in a different file than its '${open.kind}' (${open.loc.file}:${open.loc.line})`, keyword.column);
    }
    this.blocks.pop();
    this.enter(undefined);
  }

  private source(kind: string, target: string, column: number): void {
    const optional = kind.startsWith('o');
    const relative = kind.endsWith('rsource');
    if (containsUnknown(target)) {
      throw this.error(`cannot source "${this.macros.render(target)}": its name depends on the toolchain or an unset variable`, column);
    }
    const base = relative ? path.posix.join(path.posix.dirname(this.file), target) : target;
    const names = hasGlobChars(base) ? this.glob(base) : [base];
    if (names.length === 0 && !optional) throw this.sourceError(`no file matches "${base}"`, column);
    for (const name of names) {
      const text = this.read(name);
      if (text === OUTSIDE_ROOT) throw this.sourceError(`"${name}" is outside the tree root`, column);
      if (text === undefined) {
        if (optional) continue;
        throw this.sourceError(`can't open file "${name}"`, column);
      }
      const normalized = path.posix.normalize(name);
      this.includeStack[this.includeStack.length - 1]!.line = this.line;
      if (this.includeStack.some((f) => f.file === normalized)) {
        const chain = this.includeStack.map((f) => `${f.file}:${f.line}`).join(' -> ');
        throw this.sourceError(`recursive inclusion of "${normalized}" (${chain})`, column);
      }
      if (this.reuse(normalized, text)) continue;
      this.includeStack.push({ file: normalized, line: 0 });
      if (this.memo) this.parseKept(this.memo, normalized, text);
      else this.parseFile(normalized, text);
      this.includeStack.pop();
    }
  }

  /** The tree's answers, recorded for the file parses under way. */
  private read(name: string): string | undefined | typeof OUTSIDE_ROOT {
    const text = this.files.readConfined(name);
    for (const draft of this.drafts) draft.inputs.push({ kind: 'read', name, text });
    return text;
  }

  private glob(pattern: string): string[] {
    const names = this.files.glob(pattern);
    for (const draft of this.drafts) draft.inputs.push({ kind: 'glob', pattern, names });
    return names;
  }

  /** Gives the tree the memo's parse of the file when everything that parse read is the same here. */
  private reuse(file: string, text: string): boolean {
    const parse = this.memo?.find(file, text, this.dialect, this.blocks.length);
    if (!parse || parse.contains.some((id) => this.placed.has(id))) return false;
    if (parse.files.some((f) => this.includeStack.some((open) => open.file === f))) return false;
    const same = (input: TreeInput): boolean =>
      input.kind === 'read' ? this.files.readConfined(input.name) === input.text : sameNames(this.files.glob(input.pattern), input.names);
    if (!parse.inputs.every(same) || !this.macros.replay(parse.macros)) return false;
    for (const draft of this.drafts) append(draft.inputs, parse.inputs);
    this.place(parse.contains);
    append(this.blocks[this.blocks.length - 1]!.children, parse.nodes);
    append(this.tree.files, parse.files);
    this.current = parse.exit;
    if (parse.exit) this.reusedExits.add(parse.exit);
    return true;
  }

  /** Parses the file and keeps the parse in the memo (unless it left a block open or set the main menu, which no reuse could repeat). */
  private parseKept(memo: ParseMemo, file: string, text: string): void {
    const depth = this.blocks.length;
    const block = this.blocks[depth - 1]!;
    const nodesFrom = block.children.length;
    const filesFrom = this.tree.files.length;
    const mainmenu = this.tree.mainmenu;
    const macros = this.macros.startRecording();
    const draft: Draft = { inputs: [], contains: [] };
    this.drafts.push(draft);
    this.parseFile(file, text);
    this.drafts.pop();
    this.macros.stopRecording(macros);
    const id = memo.newId();
    this.place([id]);
    if (this.blocks.length !== depth || this.tree.mainmenu !== mainmenu) return;
    memo.keep({
      id,
      file,
      text,
      dialect: this.dialect,
      depth,
      nodes: block.children.slice(nodesFrom),
      files: this.tree.files.slice(filesFrom),
      exit: this.current,
      inputs: draft.inputs,
      macros,
      contains: [...draft.contains, id],
    });
  }

  private place(ids: readonly number[]): void {
    for (const id of ids) this.placed.add(id);
    for (const draft of this.drafts) append(draft.contains, ids);
  }

  private sourceError(message: string, column: number): KconfsatError {
    return new KconfsatError('source', message, this.loc(column));
  }

  /** Reads the help text that follows `help`, leaving `lines` on its last line. */
  private readHelp(entry: Entry, lines: LineCursor): void {
    const source = lines.text;
    let firstIndent = 0;
    const text: string[] = [];
    for (let first = true; lines.hasNext(); first = false) {
      // The line after the cursor's: taken (advance) only once it is known to be help text.
      const start = lines.end + 1;
      const end = lines.nextEnd();
      // Indentation width, with tabs to multiples of 8, and where the text starts.
      let width = 0;
      let textStart = start;
      for (; textStart < end; textStart++) {
        const c = source.charCodeAt(textStart);
        if (c === 32) width++;
        else if (c === 9) width = (width & ~7) + 8;
        else break;
      }
      if (textStart === end || source.charCodeAt(textStart) === 13) {
        lines.advance();
        // A blank line followed by an unindented one ends the help text.
        if (end + 1 < source.length && !isIndentOrLineEnd(source.charCodeAt(end + 1))) break;
        text.push('');
        continue;
      }
      // An unindented line ends the help text, except right after `help` (conf takes it as text).
      if (width === 0 && !first) break;
      if (firstIndent === 0) firstIndent = width;
      else if (width < firstIndent) break;
      lines.advance();
      const content = source.slice(textStart, end).trimEnd();
      text.push(width > firstIndent ? ' '.repeat(width - firstIndent) + content : content);
    }
    while (text.length > 0 && text[text.length - 1] === '') text.pop();
    entry.props.push({ kind: 'help', text: text.join('\n') + '\n', loc: this.loc(0) });
  }
}

/** The lines of a file's text, one at a time, without splitting it. */
class LineCursor {
  /** The current line is text[start, end): `end` is at its newline or the end of the text. */
  start = 0;
  end = -1;
  /** 1-based number of the current line. */
  number = 0;

  constructor(readonly text: string) {}

  /** Moves to the next line; false when the current one was the last. */
  advance(): boolean {
    if (!this.hasNext()) return false;
    const end = this.nextEnd();
    this.start = this.end + 1;
    this.end = end;
    this.number++;
    return true;
  }

  hasNext(): boolean {
    return this.end < this.text.length;
  }

  /** Where the next line ends (there must be one). */
  nextEnd(): number {
    const nl = this.text.indexOf('\n', this.end + 1);
    return nl < 0 ? this.text.length : nl;
  }

  current(): string {
    return this.text.slice(this.start, this.end);
  }
}

/**
 * Whether a statement's lines, joined, end in a backslash that continues it,
 * unless a `#` comment already ended it. Quotes and macro references carry
 * over from line to line, so each line is read once however many follow (a
 * statement of thousands of continued lines stays linear).
 */
class ContinuationScan {
  private quote = '';
  private nest = 0;
  /** The line read last ended in what only the next line's first character completes: an escape, or a `$` before `(`. */
  private pending: 'escape' | 'dollar' | '' = '';

  /** `pieces`: the statement's lines so far, each but the last without its continuing backslash. */
  continues(pieces: string[]): boolean {
    if (pieces.length > 1 && pieces[pieces.length - 1] === '') {
      // An empty line leaves the statement ending inside an earlier one: read it all again, as one line.
      const joined = pieces.join('');
      pieces.splice(0, pieces.length, joined);
      this.quote = '';
      this.nest = 0;
      this.pending = '';
    }
    return this.read(pieces[pieces.length - 1]!);
  }

  private read(line: string): boolean {
    if (!endsInBackslash(line, line.length)) return false;
    const trailing = line.endsWith('\\') ? 1 : 2;
    // The backslash itself is dropped from the statement: what comes before it meets the next line.
    const end = line.length - trailing;
    let i = 0;
    if (this.pending === 'escape') i = 1;
    else if (this.pending === 'dollar' && line[0] === '(') {
      this.nest++;
      i = 1;
    }
    this.pending = '';
    for (; i < end; i++) {
      const c = line[i]!;
      if (this.quote) {
        if (c === '\\') {
          if (i + 1 === end) this.pending = 'escape';
          i++;
        } else if (c === this.quote) this.quote = '';
      } else if (c === '$' && i + 1 === end) {
        this.pending = 'dollar';
      } else if (c === '$' && line[i + 1] === '(') {
        this.nest++;
        i++;
      } else if (this.nest > 0) {
        if (c === '(') this.nest++;
        else if (c === ')') this.nest--;
      } else if (c === '"' || c === "'") this.quote = c;
      else if (c === '#') return false;
    }
    return true;
  }
}

/** A line ending at `end` in a backslash (before a CR, for CRLF files): the statement may go on. */
function endsInBackslash(text: string, end: number): boolean {
  const last = text.charCodeAt(end - 1);
  return last === 92 /* backslash */ || (last === 13 && text.charCodeAt(end - 2) === 92);
}

function isIndentOrLineEnd(c: number): boolean {
  return c === 32 || c === 9 || c === 13 || c === 10;
}


function withCondition<P extends Property & { condition?: Expr }>(prop: P, t: TokenStream): P {
  if (t.atKeyword('if')) {
    t.take();
    prop.condition = t.expr();
  }
  return prop;
}

/**
 * `a && b && c ...` grouped pairwise, level by level: up to three operands the
 * tree conf's left-recursive grammar builds, and a chain of thousands of
 * terms only a few dozen levels deep for the recursive walks downstream.
 */
function balancedChain(kind: 'and' | 'or', operands: Expr[]): Expr {
  let level = operands;
  while (level.length > 1) {
    const next: Expr[] = [];
    for (let i = 0; i < level.length; i += 2) {
      next.push(i + 1 < level.length ? { kind, left: level[i]!, right: level[i + 1]! } : level[i]!);
    }
    level = next;
  }
  return level[0]!;
}

/** push(...items) without its limit on arguments (a file may hold 150,000 entries). */
function append<T>(target: T[], items: readonly T[]): void {
  for (const item of items) target.push(item);
}

function sameNames(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((name, i) => name === b[i]);
}

/**
 * One symbol reference, and one expression of it, per name: a Linux tree
 * names its symbols 60,000 times, and parse trees are never modified.
 */
class SymbolRefs {
  private readonly byName = new Map<string, Expr & { kind: 'ref' }>();

  expr(name: string): Expr & { kind: 'ref' } {
    let e = this.byName.get(name);
    if (!e) {
      e = { kind: 'ref', ref: { kind: 'symbol', name } };
      this.byName.set(name, e);
    }
    return e;
  }
}

/** The tokens of one statement after its keyword: a cursor over the parser's token list, reset per statement. */
class TokenStream {
  private index = 0;
  /** Where the statement starts, for errors at its end. */
  private startColumn = 1;

  constructor(
    private readonly tokens: Tokens,
    private readonly errorAt: (message: string, column: number) => KconfsatError,
    private readonly refs: SymbolRefs,
  ) {}

  reset(index: number, startColumn: number): void {
    this.index = index;
    this.startColumn = startColumn;
  }

  atEnd(): boolean {
    return this.index >= this.tokens.count;
  }

  take(): void {
    if (this.atEnd()) throw this.unexpected();
    this.index++;
  }

  atKeyword(word: string): boolean {
    return !this.atEnd() && this.tokens.kinds[this.index] === 'keyword' && this.tokens.values[this.index] === word;
  }

  atOp(op: string): boolean {
    return !this.atEnd() && this.tokens.kinds[this.index] === 'op' && this.tokens.values[this.index] === op;
  }

  keyword(word: string): void {
    if (!this.atKeyword(word)) throw this.unexpected(`expected '${word}'`);
    this.index++;
  }

  end(): void {
    if (!this.atEnd()) throw this.unexpected();
  }

  /**
   * A prompt, menu title, source path or option value: quoted, or one bare
   * word, which the grammars of Linux before 5.x (still in busybox, toybox,
   * u-boot and xen) accept everywhere a prompt goes (`bool n`, `source a/Kconfig`).
   */
  string(): string {
    const kind = this.atEnd() ? undefined : this.tokens.kinds[this.index];
    if (kind !== 'string' && kind !== 'word') {
      throw this.unexpected('expected a quoted string');
    }
    return this.tokens.values[this.index++]!;
  }

  symbolName(): string {
    if (this.atEnd() || this.tokens.kinds[this.index] !== 'word') {
      throw this.unexpected('expected a symbol name');
    }
    const name = this.tokens.values[this.index]!;
    if (containsUnknown(name)) throw this.unexpected('a symbol name cannot depend on the toolchain');
    this.index++;
    return name;
  }

  symbolRef(): SymbolRef {
    const kind = this.atEnd() ? undefined : this.tokens.kinds[this.index];
    if (kind !== 'word' && kind !== 'string') {
      throw this.unexpected('expected a symbol or constant');
    }
    const value = this.tokens.values[this.index++]!;
    if (containsUnknown(value)) return { kind: 'unknown', text: value };
    return kind === 'string' ? { kind: 'const', value } : this.refs.expr(value).ref;
  }

  expr(): Expr {
    return this.orExpr(0);
  }

  private orExpr(depth: number): Expr {
    return this.chain('or', '||', () => this.andExpr(depth));
  }

  private andExpr(depth: number): Expr {
    return this.chain('and', '&&', () => this.unary(depth));
  }

  /** `operand (op operand)*`, as one balanced tree so that a long chain costs no deep recursion later. */
  private chain(kind: 'and' | 'or', op: '&&' | '||', operand: () => Expr): Expr {
    const first = operand();
    if (!this.atOp(op)) return first;
    const operands = [first];
    while (this.atOp(op)) {
      this.index++;
      operands.push(operand());
    }
    return balancedChain(kind, operands);
  }

  private unary(depth: number): Expr {
    if (this.atOp('!') || this.atOp('(')) {
      if (depth === MAX_EXPRESSION_NESTING) {
        throw this.unexpected(`expression nested too deeply (more than ${MAX_EXPRESSION_NESTING} levels of '(' and '!')`);
      }
    }
    if (this.atOp('!')) {
      this.index++;
      return { kind: 'not', operand: this.unary(depth + 1) };
    }
    if (this.atOp('(')) {
      this.index++;
      const inner = this.orExpr(depth + 1);
      if (!this.atOp(')')) throw this.unexpected("expected ')'");
      this.index++;
      return inner;
    }
    const left = this.symbolRef();
    if (!this.atEnd() && this.tokens.kinds[this.index] === 'op' && COMPARE_OPS.has(this.tokens.values[this.index]!)) {
      const op = this.tokens.values[this.index++] as CompareOp;
      return { kind: 'compare', op, left, right: this.symbolRef() };
    }
    return left.kind === 'symbol' ? this.refs.expr(left.name) : { kind: 'ref', ref: left };
  }

  private unexpected(what?: string): KconfsatError {
    const { count, columns, values } = this.tokens;
    const column = this.index < count ? columns[this.index]! : count > 0 ? columns[count - 1]! : this.startColumn;
    const found = this.index < count ? `unexpected '${values[this.index]}'` : 'unexpected end of line';
    return this.errorAt(what ? `${found}, ${what}` : found, column);
  }
}
