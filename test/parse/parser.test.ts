/**
 * Parser units, one construct at a time, checked against what conf's
 * lexer.l/parser.y (Linux 6.1 scripts/kconfig) make of the same text.
 */
import { describe, expect, it } from 'vitest';
import { KconfsatError } from '../../src/errors.js';
import { MacroExpander, type MacroOptions } from '../../src/macro/expander.js';
import type { ChoiceNode, ConfigNode, Expr, IfNode, MenuNode, Node, ParsedTree, Property, SymbolRef } from '../../src/parse/ast.js';
import { MemorySourceFiles } from '../../src/parse/files.js';
import { parseExpression, parseKconfig } from '../../src/parse/parser.js';
import { loadKconfig } from '../../src/model/load.js';
import { exprToString } from '../../src/model/expr.js';
import { kconfsatError } from '../helpers/errors.js';
import { cases } from '../helpers/cases.js';

function parse(files: Record<string, string> | string, macroOptions: MacroOptions = {}): ParsedTree {
  const tree = typeof files === 'string' ? { Kconfig: files } : files;
  return parseKconfig(new MemorySourceFiles(tree), 'Kconfig', new MacroExpander(macroOptions));
}

function parseError(files: Record<string, string> | string): KconfsatError {
  return kconfsatError(() => parse(files));
}

/** Fully parenthesised rendering of a parse-tree expression, so precedence is visible. */
function show(e: Expr): string {
  switch (e.kind) {
    case 'ref':
      return ref(e.ref);
    case 'not':
      return `!${show(e.operand)}`;
    case 'and':
      return `(${show(e.left)} && ${show(e.right)})`;
    case 'or':
      return `(${show(e.left)} || ${show(e.right)})`;
    case 'compare':
      return `(${ref(e.left)} ${e.op} ${ref(e.right)})`;
  }
}

function ref(r: SymbolRef): string {
  switch (r.kind) {
    case 'symbol':
      return r.name;
    case 'const':
      return JSON.stringify(r.value);
    case 'unknown':
      return `?${r.text}`;
  }
}

/** A property as one line: kind, its main value and condition. */
function prop(p: Property): string {
  const cond = 'condition' in p && p.condition ? ` if ${show(p.condition)}` : '';
  switch (p.kind) {
    case 'type':
      return `type ${p.type}`;
    case 'prompt':
      return `prompt ${JSON.stringify(p.text)}${cond}`;
    case 'default':
      return `default ${show(p.value)}${cond}`;
    case 'depends':
      return `depends ${show(p.expr)}`;
    case 'select':
    case 'imply':
      return `${p.kind} ${p.target}${cond}`;
    case 'range':
      return `range ${ref(p.low)} ${ref(p.high)}${cond}`;
    case 'visible':
      return `visible${cond}`;
    case 'modules':
    case 'optional':
    case 'transitional':
      return p.kind;
    case 'option':
      return p.value === undefined ? `option ${p.name}` : `option ${p.name}=${JSON.stringify(p.value)}`;
    case 'help':
      return `help ${JSON.stringify(p.text)}`;
  }
}

function props(node: Node | undefined): string[] {
  if (!node || node.kind === 'if') throw new Error('expected an entry');
  return node.props.map(prop);
}

function config(tree: ParsedTree, index = 0): ConfigNode {
  const node = tree.nodes[index];
  if (!node || (node.kind !== 'config' && node.kind !== 'menuconfig')) throw new Error(`node ${index} is not a config`);
  return node;
}

/** `depends on` of a one-entry tree, rendered fully parenthesised. */
function dependsOf(expr: string): string {
  const node = config(parse(`config A\n\tbool\n\tdepends on ${expr}\n`));
  const dep = node.props.find((p) => p.kind === 'depends');
  if (!dep || dep.kind !== 'depends') throw new Error('no depends');
  return show(dep.expr);
}

describe('config and menuconfig entries', () => {
  it('records the name and the location of the keyword', () => {
    const tree = parse('\nconfig FOO\n\tbool\n  menuconfig BAR\n\ttristate "bar"\n');
    expect(tree.nodes.map((n) => [n.kind, 'name' in n ? n.name : '', n.loc])).toEqual([
      ['config', 'FOO', { file: 'Kconfig', line: 2, column: 1 }],
      ['menuconfig', 'BAR', { file: 'Kconfig', line: 4, column: 3 }],
    ]);
  });

  it('parses every type keyword, with and without an inline prompt', () => {
    const tree = parse(`config B
\tbool "a bool"
config T
\ttristate "a tristate" if X
config I
\tint
config H
\thex "a hex"
config S
\tstring "a string" if X && !Y
config OLD
\tboolean "old spelling"
`);
    expect(tree.nodes.map((n) => props(n))).toEqual([
      ['type bool', 'prompt "a bool"'],
      ['type tristate', 'prompt "a tristate" if X'],
      ['type int'],
      ['type hex', 'prompt "a hex"'],
      ['type string', 'prompt "a string" if (X && !Y)'],
      ['type bool', 'prompt "old spelling"'],
    ]);
  });

  it('parses prompt ... if, default ... if, def_bool and def_tristate', () => {
    const tree = parse(`config A
\tbool
\tprompt "Enable A" if B || C
\tdefault y if B
\tdefault m
config D
\tdef_bool y if A
config E
\tdef_tristate A && !B
config F
\tstring "f"
\tdefault "hello world"
config G
\thex "g"
\tdefault 0x1000 if A
`);
    expect(tree.nodes.map((n) => props(n))).toEqual([
      ['type bool', 'prompt "Enable A" if (B || C)', 'default y if B', 'default m'],
      ['type bool', 'default y if A'],
      ['type tristate', 'default (A && !B)'],
      ['type string', 'prompt "f"', 'default "hello world"'],
      ['type hex', 'prompt "g"', 'default 0x1000 if A'],
    ]);
  });

  it('keeps every depends on line as its own property, each with its location', () => {
    const node = config(parse('config A\n\tbool "a"\n\tdepends on B\n\tdepends on C || D\n  depends on !E\n'));
    expect(node.props.filter((p) => p.kind === 'depends').map((p) => [prop(p), p.loc])).toEqual([
      ['depends B', { file: 'Kconfig', line: 3, column: 2 }],
      ['depends (C || D)', { file: 'Kconfig', line: 4, column: 2 }],
      ['depends !E', { file: 'Kconfig', line: 5, column: 3 }],
    ]);
  });

  it('joins several depends on lines with && in the model', () => {
    const { model } = loadKconfig({
      tree: new MemorySourceFiles({ Kconfig: 'config A\n\tbool "a"\n\tdepends on B\n\tdepends on C || D\n' }),
    });
    const a = model.byName.get('A')!;
    expect(exprToString(a.definitions[0]!.dependency)).toBe('B && (C || D)');
    expect(a.definitions[0]!.ownDepends.map((d) => [exprToString(d.expr), d.loc.line])).toEqual([
      ['B', 3],
      ['C || D', 4],
    ]);
  });

  it('parses select and imply with and without if', () => {
    const node = config(parse('config A\n\tbool\n\tselect B\n\tselect C if D && E\n\timply F\n\timply G if !H\n'));
    expect(props(node)).toEqual(['type bool', 'select B', 'select C if (D && E)', 'imply F', 'imply G if !H']);
  });

  it('parses range with number bounds, symbol bounds and a condition', () => {
    const node = config(parse('config N\n\tint "n"\n\trange 1 10\n\trange MIN MAX if BIG\n\trange -5 "7"\n'));
    expect(node.props.filter((p) => p.kind === 'range')).toEqual([
      { kind: 'range', low: { kind: 'symbol', name: '1' }, high: { kind: 'symbol', name: '10' }, loc: { file: 'Kconfig', line: 3, column: 2 } },
      {
        kind: 'range',
        low: { kind: 'symbol', name: 'MIN' },
        high: { kind: 'symbol', name: 'MAX' },
        condition: { kind: 'ref', ref: { kind: 'symbol', name: 'BIG' } },
        loc: { file: 'Kconfig', line: 4, column: 2 },
      },
      { kind: 'range', low: { kind: 'symbol', name: '-5' }, high: { kind: 'const', value: '7' }, loc: { file: 'Kconfig', line: 5, column: 2 } },
    ]);
  });

  it('strips leading whitespace from a prompt, as conf does (with a warning)', () => {
    expect(props(config(parse('config A\n\tbool "   spaced"\n')))).toEqual(['type bool', 'prompt "spaced"']);
  });

  it('parses modules and makes its symbol the model\'s MODULES', () => {
    const text = 'config MODULES\n\tbool "m"\n\tmodules\n';
    expect(props(config(parse(text)))).toEqual(['type bool', 'prompt "m"', 'modules']);
    expect(loadKconfig({ tree: new MemorySourceFiles({ Kconfig: text }) }).model.modules?.name).toBe('MODULES');
  });

  // conf: `option modules` is how trees before Linux 5.13 mark MODULES (init/Kconfig of 5.10:
  // "config MODULES / bool ... / option modules"); conf of those versions accepts it
  // (zconf.y: `T_OPTION T_WORD opt_value` with "modules" a TF_OPTION). kconfsat's legacyOption()
  // reads the option name with symbolName(), which refuses the keyword `modules`, so the
  // whole tree fails with "Kconfig:3:9: unexpected 'modules', expected a symbol name".
  it('parses the old-style option modules', () => {
    const text = 'config MODULES\n\tbool "m"\n\toption modules\n';
    expect(props(config(parse(text)))).toEqual(['type bool', 'prompt "m"', 'modules']);
    expect(loadKconfig({ tree: new MemorySourceFiles({ Kconfig: text }) }).model.modules?.name).toBe('MODULES');
  });

  it('parses option env=, option defconfig_list and option allnoconfig_y of older trees', () => {
    const node = config(parse('config KERNELRELEASE\n\tstring\n\toption env="KERNELVERSION"\n\toption defconfig_list\n\toption allnoconfig_y\n'));
    expect(props(node)).toEqual(['type string', 'option env="KERNELVERSION"', 'option defconfig_list', 'option allnoconfig_y']);
  });

  it('takes option env= as the default of the symbol in the model', () => {
    const text = 'config SRCARCH\n\tstring\n\toption env="SRCARCH"\n';
    const known = loadKconfig({ tree: new MemorySourceFiles({ Kconfig: text }), env: { SRCARCH: 'x86' } }).model;
    expect(known.byName.get('SRCARCH')!.envVariable).toBe('SRCARCH');
    expect(known.byName.get('SRCARCH')!.defaults.map((d) => exprToString(d.value))).toEqual(['"x86"']);
    // Unset: a free input rather than a guess.
    const unknown = loadKconfig({ tree: new MemorySourceFiles({ Kconfig: text }) }).model;
    expect(unknown.byName.get('SRCARCH')!.defaults.map((d) => exprToString(d.value))).toEqual(['$(SRCARCH)']);
    expect(unknown.inputs.map((i) => i.origin)).toEqual(['$(SRCARCH)']);
  });

  it('rejects an option that does not belong to config entries', () => {
    const e = parseError('config A\n\tbool\n\toptional\n');
    expect([e.kind, e.format()]).toEqual(['syntax', "Kconfig:3:2: 'optional' is not allowed in a config entry"]);
  });
});

describe('help text', () => {
  const helpOf = (text: string, index = 0): string => {
    const node = parse(text).nodes[index]!;
    if (node.kind === 'if') throw new Error('if');
    const help = node.props.find((p) => p.kind === 'help');
    if (!help || help.kind !== 'help') throw new Error('no help');
    return help.text;
  };

  it('strips the first line indentation and keeps deeper indentation relative to it', () => {
    const text = 'config A\n\tbool "a"\n\thelp\n\t  First line.\n\t    Indented by two.\n\t  Last line.\n';
    expect(helpOf(text)).toBe('First line.\n  Indented by two.\nLast line.\n');
  });

  it('keeps blank lines inside the help text and drops trailing blanks', () => {
    const text = 'config A\n\tbool "a"\n\thelp\n\t  Para one.\n\n   \n\t  Para two.\n\n\nconfig B\n\tbool "b"\n';
    const tree = parse(text);
    expect(helpOf(text)).toBe('Para one.\n\n\nPara two.\n');
    expect(tree.nodes.map((n) => (n.kind === 'config' ? n.name : n.kind))).toEqual(['A', 'B']);
    expect(config(tree, 1).loc.line).toBe(10);
  });

  it('measures tabs to multiples of 8 (conf: ts = (ts & ~7) + 8)', () => {
    // The first line is at 8+2 = 10 and sets the base; "\t\t  " is 8+8+2 = 18, so 8 columns deeper.
    const text = 'config A\n\tbool "a"\n\thelp\n\t  line1\n\t\t  tabbed\n        \t  spaces-then-tab\n';
    // "        \t  " is 8 spaces (8) + tab (16) + 2 = 18 as well.
    expect(helpOf(text)).toBe('line1\n        tabbed\n        spaces-then-tab\n');
  });

  it('trims trailing blanks of each line but keeps inner tabs', () => {
    expect(helpOf('config A\n\tbool\n\thelp\n\t  a\tb   \t\n')).toBe('a\tb\n');
  });

  it('ends at a less-indented line, which is then parsed as a statement', () => {
    const text = 'config A\n\tbool "a"\n\thelp\n\t  Help of A.\n\tdepends on B\n';
    expect(helpOf(text)).toBe('Help of A.\n');
    expect(props(config(parse(text)))).toEqual(['type bool', 'prompt "a"', 'help "Help of A.\\n"', 'depends B']);
  });

  it('ends at the next config on column 1, with or without a blank line before it', () => {
    for (const gap of ['', '\n']) {
      const tree = parse(`config A\n\tbool "a"\n\thelp\n\t  Help of A.\n${gap}config B\n\tbool "b"\n\thelp\n\t  Help of B.\n`);
      expect(tree.nodes.map((n) => props(n))).toEqual([
        ['type bool', 'prompt "a"', 'help "Help of A.\\n"'],
        ['type bool', 'prompt "b"', 'help "Help of B.\\n"'],
      ]);
      expect(config(tree, 1).loc.line).toBe(gap ? 6 : 5);
    }
  });

  it('gives choices a help text too', () => {
    const tree = parse('choice\n\tprompt "c"\n\thelp\n\t  Pick one.\nconfig A\n\tbool "a"\nendchoice\n');
    const choice = tree.nodes[0] as ChoiceNode;
    expect(choice.props.map(prop)).toEqual(['prompt "c"', 'help "Pick one.\\n"']);
    expect(choice.children.map((c) => (c as ConfigNode).name)).toEqual(['A']);
  });

  // conf: conf's HELP state (lexer.l) swallows an unindented first line *and* keeps reading:
  // every following line is help text until a newline is followed by a non-blank character
  // (rule `[ \t]*\n/[^ \t\n]`). For this file conf 6.1 reads help "text\nmore\n" and defines
  // A and B (allyesconfig: CONFIG_A=y, CONFIG_B=y), but kconfsat stops the help after
  // "text" and then fails on "\tmore" with 'unknown statement "more"'.
  it('reads help text the way conf does when its first line is not indented', () => {
    const tree = parse('config A\n\tbool "a"\n\thelp\ntext\n\tmore\nconfig B\n\tbool "b"\n');
    expect(helpOf('config A\n\tbool "a"\n\thelp\ntext\n\tmore\nconfig B\n\tbool "b"\n')).toBe('text\nmore\n');
    expect(tree.nodes.map((n) => (n as ConfigNode).name)).toEqual(['A', 'B']);
  });

  const emptyHelp = 'gives an empty help text, as one newline, when help is the last line';
  cases(helpOf, [
    ['accepts help at the end of a file without a final newline', 'config A\n\tbool\n\thelp\n\t  The end.', 'The end.\n'],
    [emptyHelp, 'config A\n\tbool\n\thelp\n', '\n'],
    [emptyHelp, 'config A\n\tbool\n\thelp', '\n'],
    [emptyHelp, 'config A\n\tbool\n\thelp\n\n\n', '\n'],
    ['accepts ---help--- of older trees', 'config A\n\tbool "a"\n\t---help---\n\t  Old style.\nconfig B\n\tbool\n', 'Old style.\n'],
  ]);
});

describe('choice', () => {
  it('parses an unnamed choice with type, prompt, optional, default and depends', () => {
    const tree = parse(`choice
\tbool "Pick"
\toptional
\tdefault B if X
\tdefault A
\tdepends on D
config A
\tbool "a"
config B
\tbool "b"
endchoice
`);
    const choice = tree.nodes[0] as ChoiceNode;
    expect(choice.kind).toBe('choice');
    expect(choice.name).toBeUndefined();
    expect(choice.loc).toEqual({ file: 'Kconfig', line: 1, column: 1 });
    expect(choice.props.map(prop)).toEqual(['type bool', 'prompt "Pick"', 'optional', 'default B if X', 'default A', 'depends D']);
    expect(choice.children.map((c) => [c.kind, (c as ConfigNode).name])).toEqual([
      ['config', 'A'],
      ['config', 'B'],
    ]);
  });

  it('parses a named choice and a tristate choice', () => {
    const tree = parse('choice MY_CHOICE\n\ttristate "t"\nconfig A\n\ttristate "a"\nendchoice\n');
    const choice = tree.nodes[0] as ChoiceNode;
    expect(choice.name).toBe('MY_CHOICE');
    expect(choice.props.map(prop)).toEqual(['type tristate', 'prompt "t"']);
  });

  it('allows if blocks and comments inside a choice', () => {
    const tree = parse('choice\n\tprompt "c"\nif X\nconfig A\n\tbool "a"\nendif\ncomment "note"\nconfig B\n\tbool "b"\nendchoice\n');
    const choice = tree.nodes[0] as ChoiceNode;
    expect(choice.children.map((c) => c.kind)).toEqual(['if', 'comment', 'config']);
    expect(((choice.children[0] as IfNode).children[0] as ConfigNode).name).toBe('A');
  });

  it('rejects int, hex and string choices', () => {
    const e = parseError('choice\n\tint "n"\nendchoice\n');
    expect([e.kind, e.format()]).toEqual(['syntax', 'Kconfig:2:2: a choice can only be bool or tristate']);
  });

  it('rejects select inside a choice entry', () => {
    const e = parseError('choice\n\tbool "c"\n\tselect X\nendchoice\n');
    expect(e.format()).toBe("Kconfig:3:2: 'select' is not allowed in a choice entry");
  });
});

describe('comment, menu, if, mainmenu', () => {
  it('parses a comment with depends on', () => {
    const tree = parse('comment "Just text"\n\tdepends on A && B\n');
    expect(tree.nodes).toEqual([
      {
        kind: 'comment',
        prompt: 'Just text',
        loc: { file: 'Kconfig', line: 1, column: 1 },
        props: [
          {
            kind: 'depends',
            expr: { kind: 'and', left: { kind: 'ref', ref: { kind: 'symbol', name: 'A' } }, right: { kind: 'ref', ref: { kind: 'symbol', name: 'B' } } },
            loc: { file: 'Kconfig', line: 2, column: 2 },
          },
        ],
      },
    ]);
  });

  it('parses menu/endmenu with depends on and visible if', () => {
    const tree = parse('menu "Drivers"\n\tdepends on A\n\tvisible if B || C\n\tvisible\nconfig X\n\tbool "x"\nendmenu\nconfig Y\n\tbool\n');
    const menu = tree.nodes[0] as MenuNode;
    expect(menu.prompt).toBe('Drivers');
    expect(menu.props.map(prop)).toEqual(['depends A', 'visible if (B || C)', 'visible']);
    expect(menu.children.map((c) => (c as ConfigNode).name)).toEqual(['X']);
    expect(tree.nodes.map((n) => n.kind)).toEqual(['menu', 'config']);
  });

  it('nests if/endif blocks in menus and other ifs', () => {
    const tree = parse(
      ['if A', 'menu "m"', 'if B && !C', 'config X', '\tbool "x"', 'endif', 'config Y', '\tbool "y"', 'endmenu', 'endif', 'config Z', '\tbool', ''].join('\n'),
    );
    const outer = tree.nodes[0] as IfNode;
    expect(show(outer.condition)).toBe('A');
    const menu = outer.children[0] as MenuNode;
    const inner = menu.children[0] as IfNode;
    expect(show(inner.condition)).toBe('(B && !C)');
    expect(inner.loc).toEqual({ file: 'Kconfig', line: 3, column: 1 });
    expect(inner.children.map((c) => (c as ConfigNode).name)).toEqual(['X']);
    expect(menu.children.map((c) => c.kind)).toEqual(['if', 'config']);
    expect(tree.nodes.map((n) => n.kind)).toEqual(['if', 'config']);
  });

  it('does not let an option after endif attach to the entry before the if block', () => {
    const e = parseError('config A\n\tbool\nif B\nendif\n\tdefault y\n');
    expect(e.format()).toBe("Kconfig:5:2: 'default' outside of an entry");
  });

  it('reads mainmenu with macros expanded', () => {
    const tree = parse('mainmenu "Linux/$(ARCH) Kernel Configuration"\nconfig A\n\tbool\n', { env: { ARCH: 'arm64' } });
    expect(tree.mainmenu).toEqual({ prompt: 'Linux/arm64 Kernel Configuration', loc: { file: 'Kconfig', line: 1, column: 1 } });
    const { model } = loadKconfig({ tree: new MemorySourceFiles({ Kconfig: 'mainmenu "Title"\n' }) });
    expect(model.mainmenu).toBe('Title');
  });

  // conf: conf's grammar is `input: mainmenu_stmt stmt_list | stmt_list`, so mainmenu is only
  // accepted as the first statement. conf 6.1 on this file: "Kconfig:4: syntax error" /
  // "Kconfig:3: invalid statement", exit 1. kconfsat accepts it (and takes the title).
  it('rejects a mainmenu that is not the first statement, as conf does', () => {
    const e = parseError('config A\n\tbool "a"\nmainmenu "late"\nconfig B\n\tbool "b"\n');
    expect(e.kind).toBe('syntax');
    expect(e.location).toMatchObject({ file: 'Kconfig', line: 3 });
  });
});

describe('source, rsource, osource, orsource', () => {
  it('inlines a sourced file and records every file read, in order', () => {
    const tree = parse({
      Kconfig: 'config TOP\n\tbool\nsource "sub/Kconfig"\nconfig AFTER\n\tbool\n',
      'sub/Kconfig': 'config SUB\n\tbool "sub"\n',
    });
    expect(tree.nodes.map((n) => [(n as ConfigNode).name, n.loc.file, n.loc.line])).toEqual([
      ['TOP', 'Kconfig', 1],
      ['SUB', 'sub/Kconfig', 1],
      ['AFTER', 'Kconfig', 4],
    ]);
    expect(tree.files).toEqual(['Kconfig', 'sub/Kconfig']);
  });

  it('expands macros in the sourced path', () => {
    const tree = parse(
      { Kconfig: 'source "arch/$(SRCARCH)/Kconfig"\n', 'arch/x86/Kconfig': 'config X86\n\tdef_bool y\n' },
      { env: { SRCARCH: 'x86' } },
    );
    expect(tree.files).toEqual(['Kconfig', 'arch/x86/Kconfig']);
  });

  /** The files a tree reads and the configs it defines, in order. */
  const sourced = (files: Record<string, string>): { files: string[]; names: string[] } => {
    const tree = parse(files);
    return { files: tree.files, names: tree.nodes.map((n) => (n as ConfigNode).name) };
  };
  const rsourceTree = { Kconfig: 'source "a/Kconfig"\n', 'a/Kconfig': 'rsource "b/Kconfig"\nsource "b/Kconfig"\n', 'a/b/Kconfig': 'config REL\n\tbool\n', 'b/Kconfig': 'config ROOT\n\tbool\n' };
  const globTree = {
    Kconfig: 'source "drivers/*/Kconfig"\n',
    'drivers/net/Kconfig': 'config NET\n\tbool\n',
    'drivers/block/Kconfig': 'config BLOCK\n\tbool\n',
    'drivers/gpu/Kconfig.other': 'config NOT_MATCHED\n\tbool\n',
  };
  const boardsTree = {
    Kconfig: 'source "boards/Kconfig"\n',
    'boards/Kconfig': 'orsource "[ab]/Kconfig.board"\norsource "none/*/Kconfig"\nrsource "v?/Kconfig.board"\n',
    'boards/b/Kconfig.board': 'config B\n\tbool\n',
    'boards/a/Kconfig.board': 'config A\n\tbool\n',
    'boards/v1/Kconfig.board': 'config V1\n\tbool\n',
  };
  cases(sourced, [
    ['resolves source from the tree root and rsource from the directory of the current file', rsourceTree, { files: ['Kconfig', 'a/Kconfig', 'a/b/Kconfig', 'b/Kconfig'], names: ['REL', 'ROOT'] }],
    ['expands globs in sorted order', globTree, { files: ['Kconfig', 'drivers/block/Kconfig', 'drivers/net/Kconfig'], names: ['BLOCK', 'NET'] }],
    ['expands rsource and orsource globs relative to the current file', boardsTree, { files: ['Kconfig', 'boards/Kconfig', 'boards/a/Kconfig.board', 'boards/b/Kconfig.board', 'boards/v1/Kconfig.board'], names: ['A', 'B', 'V1'] }],
    ['lets osource and orsource of a missing file pass silently', { Kconfig: 'osource "missing/Kconfig"\norsource "also-missing"\nconfig A\n\tbool\n' }, { files: ['Kconfig'], names: ['A'] }],
  ]);

  it('accepts an unquoted path argument of older trees', () => {
    expect(parse({ Kconfig: 'source sub/Kconfig\n', 'sub/Kconfig': 'config S\n\tbool\n' }).files).toEqual(['Kconfig', 'sub/Kconfig']);
  });

  it('takes one bare word as a prompt, as older grammars (u-boot, toybox) do', () => {
    const tree = parse('menu Setup\nconfig A\n\tbool n if B\nconfig C\n\tbool\n\tprompt stat\nendmenu\n');
    const menu = tree.nodes[0] as MenuNode;
    expect(menu.prompt).toBe('Setup');
    const prompts = menu.children.map((n) => (n as ConfigNode).props.find((p) => p.kind === 'prompt'));
    expect(prompts.map((p) => p && p.kind === 'prompt' && [p.text, p.condition && show(p.condition)])).toEqual([
      ['n', 'B'],
      ['stat', undefined],
    ]);
    expect(parseError('config A\n\tbool two words\n').format()).toBe("Kconfig:2:11: unexpected 'words'");
  });

  it('makes a source of a missing file an error at the source line', () => {
    const e = parseError({ Kconfig: 'config A\n\tbool\n  source "missing/Kconfig"\n' });
    expect([e.kind, e.location, e.format()]).toEqual([
      'source',
      { file: 'Kconfig', line: 3, column: 3 },
      'Kconfig:3:3: can\'t open file "missing/Kconfig"',
    ]);
  });

  it('makes a source glob that matches nothing an error', () => {
    const e = parseError({ Kconfig: '\nsource "drivers/*/Kconfig"\n' });
    expect([e.kind, e.format()]).toEqual(['source', 'Kconfig:2:1: no file matches "drivers/*/Kconfig"']);
  });

  it('allows the same file to be sourced twice in sequence (not a loop)', () => {
    const tree = parse({ Kconfig: 'source "x"\nsource "x"\n', x: 'config X\n\tbool\n' });
    expect(tree.files).toEqual(['Kconfig', 'x', 'x']);
  });
});

describe('expressions', () => {
  // Each row: a `depends on` expression's text and how the parser reads it.
  cases(dependsOf, [
    ['binds ! tighter than &&, && tighter than ||, both left-associative', 'A || B && C', '(A || (B && C))'],
    ['binds ! tighter than &&, && tighter than ||, both left-associative', 'A && B || C', '((A && B) || C)'],
    ['binds ! tighter than &&, && tighter than ||, both left-associative', 'A && B && C', '((A && B) && C)'],
    ['binds ! tighter than &&, && tighter than ||, both left-associative', 'A || B || C', '((A || B) || C)'],
    ['binds ! tighter than &&, && tighter than ||, both left-associative', '!A && B', '(!A && B)'],
    ['binds ! tighter than &&, && tighter than ||, both left-associative', '!!A', '!!A'],
    ['binds ! tighter than &&, && tighter than ||, both left-associative', '!(A || B) && C', '(!(A || B) && C)'],
    ['binds ! tighter than &&, && tighter than ||, both left-associative', '(A || B) && C', '((A || B) && C)'],
    ['parses !A = B as !(A = B), since comparisons only take symbols', '!A = B', '!(A = B)'],
    ['parses !A = B as !(A = B), since comparisons only take symbols', '!A != y && B', '(!(A != y) && B)'],
    ['parses every comparison operator', 'A = y', '(A = y)'],
    ['parses every comparison operator', 'A != m', '(A != m)'],
    ['parses every comparison operator', 'A < 10', '(A < 10)'],
    ['parses every comparison operator', 'A <= B', '(A <= B)'],
    ['parses every comparison operator', 'A > 0x10', '(A > 0x10)'],
    ['parses every comparison operator', 'A >= "5"', '(A >= "5")'],
    ['parses every comparison operator', 'A=B&&C!=D||E<F', '(((A = B) && (C != D)) || (E < F))'],
    ['parses quoted constants on either side', '"i386" != "x86"', '("i386" != "x86")'],
    ['parses quoted constants on either side', "CC = 'gcc'", '(CC = "gcc")'],
  ]);

  cases((text: string) => show(parseExpression(text)), [
    ['parses the same grammar in query expressions', '!A = B', '!(A = B)'],
    ['parses the same grammar in query expressions', 'A || B && C', '(A || (B && C))'],
    ['parses the same grammar in query expressions', 'NR_CPUS>=64', '(NR_CPUS >= 64)'],
  ]);
});

describe('lexical details', () => {
  const promptOf = (line: string): string => {
    const node = config(parse(`config A\n\tstring ${line}\n`));
    const p = node.props.find((x) => x.kind === 'prompt');
    if (!p || p.kind !== 'prompt') throw new Error('no prompt');
    return p.text;
  };

  it('joins lines ending in a backslash and keeps later line numbers right', () => {
    const tree = parse('config A\n\tbool "a"\n\tdepends on B && \\\n\t\tC && \\\n\t\tD\nconfig E\n\tbool\n');
    const a = config(tree);
    const dep = a.props.find((p) => p.kind === 'depends')!;
    expect([prop(dep), dep.loc.line]).toEqual(['depends ((B && C) && D)', 3]);
    expect(config(tree, 1).loc).toEqual({ file: 'Kconfig', line: 6, column: 1 });
  });

  it('ignores comments after statements and on their own lines', () => {
    const tree = parse(
      '# leading comment\nconfig A # the A\n\tbool "a" if B # inline\n\t# a comment line\n\tdefault y # yes\nif X # cond\nendif # done\n',
    );
    expect(props(config(tree))).toEqual(['type bool', 'prompt "a" if B', 'default y']);
    expect((tree.nodes[1] as IfNode).loc.line).toBe(6);
  });

  it('keeps # inside a quoted string', () => {
    expect(promptOf('"issue #42" # not this')).toBe('issue #42');
  });

  // conf: conf's lexer matches `#.*` before it can see `\\\n`, so a comment that happens to end
  // in a backslash does not continue the line. For this file conf 6.1 (allyesconfig) writes
  // CONFIG_A=y and CONFIG_B=y. kconfsat joins the next line into the comment, silently loses
  // `config B` and gives A the second prompt "b".
  it('does not continue a comment that ends in a backslash', () => {
    const tree = parse('config A\n\tbool "a" # a comment ending in \\\nconfig B\n\tbool "b"\n');
    expect(tree.nodes.map((n) => (n as ConfigNode).name)).toEqual(['A', 'B']);
    expect(props(config(tree))).toEqual(['type bool', 'prompt "a"']);
  });

  it('parses CRLF files like LF files, help text included', () => {
    const lf = 'mainmenu "M"\nconfig A\n\tbool "a"\n\tdepends on B && \\\n\t\tC\n\thelp\n\t  Text.\n\n\t  More.\nconfig B\n\tstring "b"\n\tdefault "x"\n';
    const crlf = lf.replace(/\n/g, '\r\n');
    const a = parse(lf);
    const b = parse(crlf);
    expect(b).toEqual(a);
    expect(props(config(b))).toEqual(['type bool', 'prompt "a"', 'depends (B && C)', 'help "Text.\\n\\nMore.\\n"']);
  });

  it('treats a keyword that came out of a macro as a plain word', () => {
    // `$(K)` expands to "bool": a symbol name, not the type keyword.
    const tree = parse('K := bool\nconfig A\n\tbool\n\tdepends on $(K)\n');
    expect(props(config(tree))).toEqual(['type bool', 'depends bool']);
  });

  it('drops a word that expands to nothing', () => {
    const tree = parse('EMPTY :=\nconfig A\n\tbool\n\tdepends on $(EMPTY) B\n');
    expect(props(config(tree))).toEqual(['type bool', 'depends B']);
  });

  it('accepts an entry name produced by a macro', () => {
    const tree = parse('NAME := GENERATED\nconfig $(NAME)\n\tbool\n');
    expect(config(tree).name).toBe('GENERATED');
  });

  const backslash = 'drops a backslash and keeps the character after it';
  cases(promptOf, [
    ['reads both quote kinds, each able to hold the other', '"say \'hi\'"', "say 'hi'"],
    ['reads both quote kinds, each able to hold the other', '\'say "hi"\'', 'say "hi"'],
    [backslash, '"a \\"quoted\\" word"', 'a "quoted" word'],
    [backslash, '"back\\\\slash"', 'back\\slash'],
    [backslash, "'it\\'s'", "it's"],
    [backslash, '"\\n is n"', 'n is n'],
    ['keeps a $ that does not start a reference', '"cost: $5"', 'cost: $5'],
  ]);
});
