/**
 * The macro language of Documentation/kbuild/kconfig-macro-language.rst, checked
 * against scripts/kconfig/preprocess.c: variable flavors, user functions, the
 * builtins, the environment, and that $(shell,...) only runs when asked to.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { KconfsatError } from '../../src/errors.js';
import { containsUnknown, MacroExpander } from '../../src/macro/expander.js';
import { loadKconfig } from '../../src/model/load.js';
import { exprToString } from '../../src/model/expr.js';
import type { ConfigNode, ParsedTree } from '../../src/parse/ast.js';
import { MemorySourceFiles } from '../../src/parse/files.js';
import { parseKconfig } from '../../src/parse/parser.js';
import { kconfsatError } from '../helpers/errors.js';
import { scratchDir } from '../helpers/scratch.js';

function parse(text: string, macros = new MacroExpander()): ParsedTree {
  return parseKconfig(new MemorySourceFiles({ Kconfig: text }), 'Kconfig', macros);
}

/** The prompt of the first config entry. */
function firstPrompt(tree: ParsedTree): string {
  const node = tree.nodes[0] as ConfigNode;
  const p = node.props.find((x) => x.kind === 'prompt');
  if (!p || p.kind !== 'prompt') throw new Error('no prompt');
  return p.text;
}

describe('variable flavors', () => {
  type Assignment = [name: string, flavor: ':=' | '=' | '+=', value: string];
  const cases: [title: string, assignments: Assignment[], text: string, expected: string][] = [
    [':= expands once, at the assignment', [['A', ':=', 'first'], ['B', ':=', '$(A)'], ['A', ':=', 'second']], '$(B)', 'first'],
    ['= expands at each use', [['A', '=', 'first'], ['B', '=', '$(A)'], ['A', '=', 'second']], '$(B)', 'second'],
    ['+= keeps the flavor of a simple variable: the added text is expanded now', [['X', ':=', 'one'], ['S', ':=', 'a'], ['S', '+=', '$(X)'], ['X', ':=', 'two']], '$(S)', 'a one'],
    ['+= keeps the flavor of a recursive variable: the added text is expanded later', [['X', ':=', 'one'], ['R', '=', 'a'], ['R', '+=', '$(X)'], ['X', ':=', 'two']], '$(R)', 'a two'],
    ['+= on an undefined variable makes a recursive one, without a leading space', [['U', '+=', '$(X)'], ['X', ':=', 'late']], '[$(U)]', '[late]'],
    ['= after := turns the variable recursive', [['V', ':=', 'simple'], ['V', '=', '$(W)'], ['W', ':=', 'w']], '$(V)', 'w'],
  ];
  it.each(cases)('%s', (_title, assignments, text, expected) => {
    const m = new MacroExpander();
    for (const [name, flavor, value] of assignments) m.assign(name, flavor, value);
    expect(m.expand(text)).toBe(expected);
  });

  it('defines the convenience variables of scripts/Kconfig.include as conf does', () => {
    const tree = parse(
      [
        'comma       := ,',
        'empty       :=',
        'space       := $(empty) $(empty)',
        'dollar      := $',
        'right_paren := )',
        'config SYM',
        '\tstring "[$(comma)][$(space)][$(dollar)][$(right_paren)]"',
        '',
      ].join('\n'),
    );
    expect(firstPrompt(tree)).toBe('[,][ ][$][)]');
  });

  it('works the same through assignment lines in a Kconfig file', () => {
    const tree = parse('A := first\nB := $(A)\nC = $(A)\nA := second\nD := x\nD += y\nE =\nconfig SYM\n\tstring "$(B)|$(C)|$(D)|$(E)|"\n');
    expect(firstPrompt(tree)).toBe('first|second|x y||');
  });

  it('takes the rest of the line verbatim as the value, trailing blanks removed', () => {
    const tree = parse('V := a  b # not a comment   \nconfig SYM\n\tstring "[$(V)]"\n');
    expect(firstPrompt(tree)).toBe('[a  b # not a comment]');
  });

  it('reports a recursive variable that references itself', () => {
    const m = new MacroExpander();
    m.assign('X', '=', 'a $(Y)');
    m.assign('Y', '=', '$(X)');
    const e = kconfsatError(() => m.expand('$(X)'));
    expect([e.kind, e.message]).toEqual(['macro', "Recursive variable 'X' references itself (eventually)"]);
  });
});

describe('references and user functions', () => {
  it('substitutes $(1), $(2) ... in a user function', () => {
    const m = new MacroExpander();
    m.assign('greet', '=', 'Hello, $(1) and $(2)!');
    expect(m.expand('$(greet,World,Kconfig)')).toBe('Hello, World and Kconfig!');
  });

  it('keeps the spaces around an argument', () => {
    const m = new MacroExpander();
    m.assign('f', '=', '<$(1)|$(2)>');
    expect(m.expand('$(f, a ,b )')).toBe('< a |b >');
  });

  // conf: a user function called with fewer arguments than it references gets "" for the
  // missing ones in conf (preprocess.c eval_clause: `n <= argc` fails, the name "2" is no
  // variable or builtin, getenv("2") is unset, so the result is ""). kconfsat treats `$(2)`
  // as an unset environment variable and, by default, turns it into an unknown input named
  // `$(2)`, so the expansion depends on a free input: "< a |" plus a marker instead of "< a |>".
  it('leaves missing function arguments empty', () => {
    const m = new MacroExpander();
    m.assign('f', '=', '<$(1)|$(2)>');
    expect(m.expand('$(f, a )')).toBe('< a |>');
    expect(m.unknowns).toEqual([]);
  });

  it('nests calls and computes variable names', () => {
    const m = new MacroExpander();
    m.assign('wrap', '=', '[$(1)]');
    m.assign('twice', '=', '$(wrap,$(wrap,$(1)))');
    m.assign('NAME', ':=', 'TARGET');
    m.assign('TARGET', ':=', 'hit');
    expect(m.expand('$(twice,x)')).toBe('[[x]]');
    expect(m.expand('$($(NAME))')).toBe('hit');
    expect(m.expand('$(wrap,(a,b))')).toBe('[(a,b)]');
  });

  it('gives a function argument its caller\'s $(1), not the global one', () => {
    const m = new MacroExpander();
    m.assign('inner', '=', 'in:$(1)');
    m.assign('outer', '=', '$(inner,$(1)$(1))');
    expect(m.expand('$(outer,z)')).toBe('in:zz');
  });

  it('keeps a $ that is not followed by (', () => {
    expect(new MacroExpander().expand('$A ${B} $$')).toBe('$A ${B} $$');
  });

  it('reports an unterminated reference', () => {
    const e = kconfsatError(() => new MacroExpander().expand('x $(FOO'));
    expect([e.kind, e.message]).toEqual(['macro', "unterminated reference to 'FOO': missing ')'"]);
  });

  it('calls of an undefined function expand to nothing, like conf', () => {
    expect(new MacroExpander().expand('[$(no-such-fn,a)]')).toBe('[]');
  });

  it('enforces builtin arity', () => {
    const m = new MacroExpander();
    expect(kconfsatError(() => m.expand('$(info)')).message).toBe("too few function arguments passed to 'info'");
    expect(kconfsatError(() => m.expand('$(filename,x)')).message).toBe("too many function arguments passed to 'filename'");
    expect(kconfsatError(() => m.expand('$(error-if,y)')).message).toBe("too few function arguments passed to 'error-if'");
  });
});

describe('builtins', () => {
  it('info records a message at the current location and expands to nothing', () => {
    const m = new MacroExpander();
    const tree = parse('config A\n\tbool\n$(info,hello world)\nconfig B\n\tstring "[$(info,in prompt)]"\n', m);
    expect(tree.nodes.length).toBe(2);
    expect(firstPrompt({ ...tree, nodes: [tree.nodes[1]!] })).toBe('[]');
    expect(m.diagnostics).toEqual([
      { kind: 'info', message: 'hello world', location: { file: 'Kconfig', line: 3, column: 1 } },
      { kind: 'info', message: 'in prompt', location: { file: 'Kconfig', line: 5, column: 11 } },
    ]);
  });

  it('warning-if warns only when its condition is y', () => {
    const m = new MacroExpander();
    parse('$(warning-if,y,first)\n$(warning-if,n,second)\n$(warning-if,,third)\n  $(warning-if,y,fourth)\n', m);
    expect(m.diagnostics).toEqual([
      { kind: 'warning', message: 'first', location: { file: 'Kconfig', line: 1, column: 1 } },
      { kind: 'warning', message: 'fourth', location: { file: 'Kconfig', line: 4, column: 3 } },
    ]);
  });

  it('error-if y stops with a macro error at the line of the call', () => {
    const e = kconfsatError(() => parse('config A\n\tbool\n\n  $(error-if,y,C compiler not found)\n'));
    expect(e).toBeInstanceOf(KconfsatError);
    expect([e.kind, e.message, e.location]).toEqual(['macro', 'C compiler not found', { file: 'Kconfig', line: 4, column: 3 }]);
    expect(e.format()).toBe('Kconfig:4:3: C compiler not found');
  });

  it('error-if with anything but y expands to nothing', () => {
    const tree = parse('$(error-if,n,no)\n$(error-if,yes,no)\nconfig A\n\tstring "[$(error-if,,x)]"\n');
    expect(firstPrompt(tree)).toBe('[]');
  });

  it('error-if inside a sourced file names that file', () => {
    const files = new MemorySourceFiles({ Kconfig: 'source "sub/Kconfig"\n', 'sub/Kconfig': '\n$(error-if,y,boom)\n' });
    const e = kconfsatError(() => parseKconfig(files, 'Kconfig', new MacroExpander()));
    expect([e.kind, e.format()]).toEqual(['macro', 'sub/Kconfig:2:1: boom']);
  });

  it('filename and lineno give the file and line being read', () => {
    const files = new MemorySourceFiles({
      Kconfig: 'source "dir/Kconfig.sub"\n',
      'dir/Kconfig.sub': '\n\nconfig A\n\tstring "$(filename):$(lineno)"\n',
    });
    expect(firstPrompt(parseKconfig(files, 'Kconfig', new MacroExpander()))).toBe('dir/Kconfig.sub:4');
  });

  // conf expands an assignment's value when the parser reduces
  // `assignment_stmt: T_WORD assign_op assign_val T_EOL`, after the lexer has consumed the
  // newline, so `$(lineno)` (and error-if/warning-if locations) in a `:=` line report the
  // *next* line: conf 6.1 and 6.12 on "X := $(lineno)" at line 1 then `default "$(X)"` write
  // CONFIG_A="2". (In a prompt or default string both give the line itself.)
  it('$(lineno) in a := assignment gives the line conf gives', () => {
    const tree = parse('X := $(lineno)\nconfig A\n\tstring "$(X)"\n');
    expect(firstPrompt(tree)).toBe('2');
    const e = kconfsatError(() => parse('\nX := $(error-if,y,boom)\n'));
    expect(e.format()).toBe('Kconfig:3:1: boom');
  });
});

describe('environment', () => {
  it('looks up variables that are neither Kconfig variables nor builtins in the environment', () => {
    const m = new MacroExpander({ env: { CC: 'gcc-12', shell: 'not used' } });
    m.assign('LOCAL', ':=', 'local');
    expect(m.expand('$(CC) $(LOCAL)')).toBe('gcc-12 local');
    expect([...m.envUsed]).toEqual([['CC', 'gcc-12']]);
  });

  it('a Kconfig variable wins over the environment', () => {
    const m = new MacroExpander({ env: { CC: 'from-env' } });
    m.assign('CC', ':=', 'from-kconfig');
    expect(m.expand('$(CC)')).toBe('from-kconfig');
  });

  it('an astral character whose low surrogate is the marker unit is text, not an unknown', () => {
    const m = new MacroExpander({ env: {} });
    // U+10000 is D800 DC00 and U+1F400 is D83D DC00; 0 and 1 follow as in a marker
    const text = 'a \u{10000}0\u{10001} \u{1F400}';
    expect(containsUnknown(m.expand(text))).toBe(false);
    const out = m.expand(`${text} $(UNSET_VAR)`);
    expect(containsUnknown(out)).toBe(true);
    expect(m.render(out)).toBe(`${text} $(UNSET_VAR)`);
  });

  it('turns an unset environment variable into an unknown placeholder by default', () => {
    const m = new MacroExpander({ env: {} });
    const out = m.expand('v=$(UNSET_VAR)');
    expect(containsUnknown(out)).toBe(true);
    expect(m.render(out)).toBe('v=$(UNSET_VAR)');
    expect(m.unknowns).toEqual([{ id: 0, origin: '$(UNSET_VAR)' }]);
    // The same reference is the same unknown.
    expect(m.expand('$(UNSET_VAR)')).toBe(out.slice(2));
    expect(m.unknowns.length).toBe(1);
  });

  it('expands an unset environment variable to nothing with emptyUnsetEnv, as conf does', () => {
    const m = new MacroExpander({ emptyUnsetEnv: true });
    expect(m.expand('[$(UNSET_VAR)]')).toBe('[]');
    expect(m.unknowns).toEqual([]);
  });

  it('makes an unset variable in a condition a free input of the model', () => {
    const { model } = loadKconfig({
      tree: new MemorySourceFiles({ Kconfig: 'config A\n\tbool "a"\n\tdepends on "$(TOOLCHAIN)" = "gcc"\n' }),
    });
    expect(model.inputs.map((i) => i.origin)).toEqual(['$(TOOLCHAIN)']);
    expect(exprToString(model.byName.get('A')!.definitions[0]!.dependency)).toBe('$(TOOLCHAIN) = "gcc"');
  });
});

describe('$(shell,...)', () => {
  const dir = scratchDir('shell');

  it('is not executed by default: the result is an unknown placeholder', () => {
    const marker = path.join(dir(), 'not-created');
    const m = new MacroExpander();
    const out = m.expand(`$(shell,touch ${marker} && echo ran)`);
    expect(fs.existsSync(marker)).toBe(false);
    expect(containsUnknown(out)).toBe(true);
    expect(out).not.toContain('ran');
    expect(m.render(out)).toBe(`$(shell,touch ${marker} && echo ran)`);
  });

  it('is not executed when loading a tree without runShell either', () => {
    const marker = path.join(dir(), 'not-created-by-load');
    const { model } = loadKconfig({
      tree: new MemorySourceFiles({ Kconfig: `config CC_OK\n\tdef_bool $(shell,touch ${marker} && echo y)\n` }),
    });
    expect(fs.existsSync(marker)).toBe(false);
    expect(model.inputs.map((i) => i.origin)).toEqual([`$(shell,touch ${marker} && echo y)`]);
  });

  it('runs with runShell: true, trailing newlines removed and inner ones made spaces', () => {
    const marker = path.join(dir(), 'created');
    const m = new MacroExpander({ runShell: true });
    const out = m.expand(`$(shell,touch ${marker} && printf 'a\\nb\\n\\n')`);
    expect(fs.existsSync(marker)).toBe(true);
    expect(out).toBe('a b');
    expect(containsUnknown(out)).toBe(false);
  });

  it('runs in shellCwd with the given environment', () => {
    const m = new MacroExpander({ runShell: true, shellCwd: dir(), env: { KCONFSAT_PROBE: 'probe-value' } });
    expect(m.expand('$(shell,pwd)')).toBe(fs.realpathSync(dir()));
    expect(m.expand('$(shell,echo $KCONFSAT_PROBE)')).toBe('probe-value');
  });

  it('yields what a failing command printed', () => {
    expect(new MacroExpander({ runShell: true }).expand('[$(shell,echo partial; exit 3)]')).toBe('[partial]');
  });
});
