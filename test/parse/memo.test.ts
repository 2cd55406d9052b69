/**
 * The parse memo (src/parse/memo.ts): a load that reuses kept parses gives
 * exactly what a fresh load gives (nodes, files, diagnostics, unknowns and
 * their numbers, errors), whatever changed between the loads; and it does
 * reuse what did not change.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { arbMutation, mutate } from '../../scripts/fuzz-cases.js';
import { KconfsatError } from '../../src/errors.js';
import { loadKconfig, type LoadedTree } from '../../src/model/load.js';
import { MacroExpander } from '../../src/macro/expander.js';
import type { ConfigNode, Node, ParsedTree } from '../../src/parse/ast.js';
import { MemorySourceFiles } from '../../src/parse/files.js';
import type { KconfigDialect } from '../../src/parse/dialect.js';
import { ParseMemo } from '../../src/parse/memo.js';
import { MAX_BLOCK_NESTING, parseKconfig } from '../../src/parse/parser.js';

type Files = Record<string, string>;

function load(files: Files, memo?: ParseMemo, env: Record<string, string> = {}, dialect: KconfigDialect = '6.1'): LoadedTree {
  return loadKconfig({ tree: new MemorySourceFiles(files), env, dialect, recursiveDependencies: 'warn' }, memo);
}

function parseOnly(files: Files, memo: ParseMemo): ParsedTree {
  return parseKconfig(new MemorySourceFiles(files), 'Kconfig', new MacroExpander(), '6.1', memo);
}

/** Everything a load gives that later stages read, or the error it stops with. */
function outcome(run: () => LoadedTree): string {
  try {
    const l = run();
    return JSON.stringify([l.parsed, l.diagnostics, l.model.inputs.map((i) => [i.id, i.origin])]);
  } catch (e) {
    if (e instanceof KconfsatError) return `error: ${e.format()}`;
    throw e;
  }
}

/** Loads `before` with a fresh memo, then `after` with it: the second load must be what a fresh load of `after` gives. */
function expectSameAfter(before: Files, after: Files, env: { before?: Record<string, string>; after?: Record<string, string> } = {}): void {
  expectSameAfterLoads([{ files: before, env: env.before }], { files: after, env: env.after });
}

interface Load {
  files: Files;
  env?: Record<string, string>;
  dialect?: KconfigDialect;
}

function expectSameAfterLoads(before: Load[], after: Load): void {
  const memo = new ParseMemo();
  for (const b of before) outcome(() => load(b.files, memo, b.env, b.dialect));
  expect(outcome(() => load(after.files, memo, after.env, after.dialect))).toBe(outcome(() => load(after.files, undefined, after.env, after.dialect)));
}

function config(tree: LoadedTree, name: string): ConfigNode {
  const find = (nodes: readonly Node[]): ConfigNode | undefined => {
    for (const n of nodes) {
      if ((n.kind === 'config' || n.kind === 'menuconfig') && n.name === name) return n;
      const inner = 'children' in n ? find(n.children) : undefined;
      if (inner) return inner;
    }
    return undefined;
  };
  return find(tree.parsed.nodes)!;
}

const TREE: Files = {
  Kconfig: `mainmenu "m"
ARCH := x86
PREFIX = pre-$(ARCH)
FLAGS := base
source "a/Kconfig"
menu "drivers"
source "d/*/Kconfig"
endmenu
if MODULES
source "shared/Kconfig"
endif
source "b/Kconfig"
config MODULES
	bool "modules"
	modules
`,
  'a/Kconfig': `WHO := a-$(PREFIX)
FLAGS += a
config A
	bool "$(WHO)"
	default $(shell,probe a)
$(info,a read)
`,
  'd/one/Kconfig': `config ONE
	tristate "one $(ARCH) $(FLAGS)"
	depends on A
rsource "../common.inc"
`,
  'd/two/Kconfig': `config TWO
	bool "two $(CC_VERSION)"
	select ONE
`,
  'd/common.inc': `config COMMON
	bool
`,
  'shared/Kconfig': `config SHARED
	bool "shared $(WHO)"
`,
  'b/Kconfig': `config B
	bool "b"
	default $(shell,probe b)
source "shared/Kconfig"
`,
};

describe('parse memo', () => {
  it('reuses every file of an unchanged tree: the same node objects, the same outcome', () => {
    const memo = new ParseMemo();
    const first = load(TREE, memo);
    const second = load(TREE, memo);
    expect(outcome(() => second)).toBe(outcome(() => load(TREE)));
    expect(config(second, 'A')).toBe(config(first, 'A'));
    expect(config(second, 'TWO')).toBe(config(first, 'TWO'));
    // Sourced twice, it is parsed (or reused) once per place: never one node twice in a tree.
    expect(second.model.byName.get('SHARED')!.definitions).toHaveLength(2);
  });

  it('parses a changed file again and reuses its unchanged siblings', () => {
    const after = { ...TREE, 'd/two/Kconfig': TREE['d/two/Kconfig']!.replace('select ONE', 'imply ONE') };
    const memo = new ParseMemo();
    const first = load(TREE, memo);
    const second = load(after, memo);
    expect(outcome(() => second)).toBe(outcome(() => load(after)));
    expect(config(second, 'TWO')).not.toBe(config(first, 'TWO'));
    expect(config(second, 'ONE')).toBe(config(first, 'ONE'));
    expect(config(second, 'B')).toBe(config(first, 'B'));
  });

  it('follows the variables a file reads and sets, in files before and after it', () => {
    // A variable read by a later file changes: that file parses again.
    expectSameAfter(TREE, { ...TREE, Kconfig: TREE.Kconfig!.replace('ARCH := x86', 'ARCH := arm') });
    // The file that sets WHO changes: those reading it see the new value.
    expectSameAfter(TREE, { ...TREE, 'a/Kconfig': TREE['a/Kconfig']!.replace('WHO := a-', 'WHO := z-') });
    // A variable a file appends to changes before it.
    expectSameAfter(TREE, { ...TREE, Kconfig: TREE.Kconfig!.replace('FLAGS := base', 'FLAGS := other') });
    // The environment changes (CC_VERSION is looked up there).
    expectSameAfter(TREE, TREE, { before: { CC_VERSION: '12' }, after: { CC_VERSION: '13' } });
  });

  it('with $(shell) run, reuses nothing made under another environment (a command reads all of it)', () => {
    const files = { Kconfig: 'source "a"\n', a: 'config A\n\tbool "$(shell,echo $KCONFSAT_MEMO_TEST)"\n' };
    const shell = (memo: ParseMemo | undefined, value: string): string =>
      outcome(() => loadKconfig({ tree: new MemorySourceFiles(files), env: { KCONFSAT_MEMO_TEST: value }, runShell: true }, memo));
    const memo = new ParseMemo();
    expect(shell(memo, 'one')).toContain('"text":"one"');
    expect(shell(memo, 'two')).toBe(shell(undefined, 'two'));
  });

  it('numbers unknowns as a fresh load does when an earlier file adds one', () => {
    const after = { ...TREE, 'a/Kconfig': `${TREE['a/Kconfig']}config EARLY\n\tbool "$(shell,new probe)"\n` };
    expectSameAfter(TREE, after);
    expectSameAfter(after, TREE);
  });

  it('sees a file added where a glob looks, and one removed', () => {
    const added = { ...TREE, 'd/three/Kconfig': 'config THREE\n\tbool "three"\n' };
    expectSameAfter(TREE, added);
    expectSameAfter(added, TREE);
  });

  it('replays $(info) messages at their lines', () => {
    const memo = new ParseMemo();
    load(TREE, memo);
    const reused = load(TREE, memo);
    expect(reused.diagnostics.map((d) => `${d.location.file}:${d.location.line} ${d.message}`)).toEqual(['a/Kconfig:6 a read']);
  });

  it('keeps as many $(info) messages as a fresh load when a reused file brings them past the limit', () => {
    const infos = (n: number): string => '$(info,m)\n'.repeat(n);
    const files = { Kconfig: 'source "a"\nsource "b"\n', a: infos(6_000), b: infos(12_000) };
    const memo = new ParseMemo();
    load(files, memo);
    const reused = load({ ...files, Kconfig: 'source "b"\nsource "a"\n' }, memo);
    expect(outcome(() => reused)).toBe(outcome(() => load({ ...files, Kconfig: 'source "b"\nsource "a"\n' })));
    expect(reused.diagnostics).toHaveLength(10_000);
  });

  it('counts a reused file\'s expansions towards the limit of them all, as a fresh load does', () => {
    // Each file's expansions come to 9 MB: one file passes, both do not.
    const big = `A := ${'x'.repeat(1_000_000)}\nconfig X\n\tstring "x"\n\tdefault "${'$(A)'.repeat(9)}"\n`;
    const files = { Kconfig: 'source "a"\n', a: big, b: big.replace('config X', 'config Y') };
    const both = { ...files, Kconfig: 'source "a"\nsource "b"\n' };
    expect(outcome(() => load(both))).toMatch(/^error: b:4:\d+: input too large: macro expansions, over 16777216 characters in all$/);
    // a reused before a fresh b; b reused after a fresh a; b reused whole in a parse of c made around a reused a.
    expectSameAfter(files, both);
    expectSameAfter({ ...files, Kconfig: 'source "b"\n' }, both);
    const c = { ...files, c: 'source "a"\n' };
    expectSameAfterLoads([{ files }, { files: { ...c, Kconfig: 'source "c"\n' } }], { files: { ...c, Kconfig: 'source "b"\nsource "c"\n' } });
  });

  it('never lends a kept entry to option lines after a source, and never keeps one they extended', () => {
    const extended = { ...TREE, Kconfig: TREE.Kconfig!.replace('source "b/Kconfig"\n', 'source "b/Kconfig"\n\tdepends on MODULES\n') };
    // Kept plain, then extended: the load parses again, and the first tree's nodes stay as they were.
    const memo = new ParseMemo();
    const plain = load(TREE, memo);
    const plainText = outcome(() => plain);
    expect(outcome(() => load(extended, memo))).toBe(outcome(() => load(extended)));
    expect(outcome(() => plain)).toBe(plainText);
    // Kept extended, then plain: the extension does not come along.
    expectSameAfter(extended, TREE);
  });

  it('reports recursive inclusion and nesting as a fresh load does', () => {
    const recursive = { ...TREE, 'shared/Kconfig': `${TREE['shared/Kconfig']}source "b/Kconfig"\n` };
    expectSameAfter(TREE, recursive);
    // The same texts, but now the kept parse of X would source F from within F (a variable names F's child).
    const sourcing = { X: 'source "F"\n', F: 'source "g$(V)"\n', g1: 'config G1\n\tbool\n', g2: 'V := 1\nsource "X"\n' };
    expectSameAfter({ ...sourcing, Kconfig: 'V := 1\nsource "X"\n' }, { ...sourcing, Kconfig: 'V := 2\nsource "F"\n' });
    const nested = { ...TREE, Kconfig: TREE.Kconfig!.replace('source "a/Kconfig"', 'if MODULES\nsource "a/Kconfig"\nendif') };
    expectSameAfter(TREE, nested);
  });

  it('keeps in a parse made around a reused one everything the reused one read', () => {
    const first: Files = {
      Kconfig: 'W := 1\nsource "p"\nconfig R\n\tbool "$(Z) $(shell,probe r)"\n',
      p: 'source "c"\n',
      c: 'Z := from-c\nconfig C\n\tbool "$(W) $(E) $(shell,probe c)"\nsource "leaf"\n',
      leaf: 'config L\n\tbool\n',
    };
    // The second load parses p again (its text changed) around the kept parse of c.
    const second: Files = { ...first, p: 'source "c"\n# changed\n' };
    const loads = [{ files: first }, { files: second }];
    expect(config(load(second), 'C').props).toHaveLength(2);
    // What c did, as p's parse must now say: a variable set, an unknown made (R's is numbered after it).
    expectSameAfterLoads(loads, { files: second });
    // An unknown c used (and made none) that an earlier file made in the loads before, but not now.
    const quiet = { ...second, c: second.c!.replace(' $(E)', '') };
    const pre = (files: Files): Files => ({ ...files, Kconfig: `config PRE\n\tbool "$(shell,probe c)"\n${files.Kconfig}` });
    expectSameAfterLoads([{ files: pre({ ...quiet, p: first.p! }) }, { files: pre(quiet) }], { files: quiet });
    // What c read: a variable, the environment, a file it sourced.
    expectSameAfterLoads(loads, { files: { ...second, Kconfig: second.Kconfig!.replace('W := 1', 'W := 2') } });
    expectSameAfterLoads(loads, { files: second, env: { E: 'set' } });
    expectSameAfterLoads(loads, { files: { ...second, leaf: 'config L\n\ttristate\n' } });
  });

  it('never reuses a file that leaves a block open or sets the main menu', () => {
    const open = { Kconfig: 'source "a"\n', a: 'menu "x"\nconfig A\n\tbool\n' };
    expectSameAfter(open, { ...open, Kconfig: 'source "a"\nendmenu\n' });
    const titled = { Kconfig: 'source "a"\n', a: 'mainmenu "x"\nconfig A\n\tbool\n' };
    expectSameAfter(titled, titled);
  });

  it('loads a chain of 999 sourced files as a fresh load does, though keeping parses takes more of the call stack', () => {
    const chain: Files = { Kconfig: 'source "s/K0"\n', 's/K999': 'config X\n\tbool "x"\n' };
    for (let i = 0; i < 999; i++) chain[`s/K${i}`] = `config X${i}\n\tbool "x"\nsource "s/K${i + 1}"\n`;
    const memo = new ParseMemo();
    expect(outcome(() => load(chain, memo))).toBe(outcome(() => load(chain)));
  });

  it('reuses a parse only under the grammar and as deep in blocks as it was made', () => {
    const named = { Kconfig: 'source "a"\n', a: 'choice NAMED\n\tbool "c"\nconfig C1\n\tbool "c1"\nendchoice\n' };
    expectSameAfterLoads([{ files: named }], { files: named, dialect: '6.12' });
    // Nesting that fits at the top level but not two blocks down.
    const deep = 'if y\n'.repeat(MAX_BLOCK_NESTING - 1) + 'endif\n'.repeat(MAX_BLOCK_NESTING - 1);
    const top = { Kconfig: 'source "a"\n', a: deep };
    expectSameAfter(top, { ...top, Kconfig: 'if y\nif y\nsource "a"\nendif\nendif\n' });
  });

  it('reuses a file of 150,000 entries (more than a call takes arguments)', () => {
    const big = { Kconfig: 'source "big"\nsource "small"\n', big: 'config C\n\tbool\n'.repeat(150_000), small: 'config S\n\tbool "s"\n' };
    const memo = new ParseMemo();
    const first = parseOnly(big, memo);
    const second = parseOnly({ ...big, small: 'config S\n\tbool "t"\n' }, memo);
    expect(second.nodes).toHaveLength(150_001);
    expect(second.nodes[149_999]).toBe(first.nodes[149_999]);
  });

  it('gives what a fresh load gives after any edit of any file, both ways', () => {
    const names = Object.keys(TREE);
    fc.assert(
      fc.property(fc.nat({ max: names.length - 1 }), fc.array(arbMutation(), { minLength: 1, maxLength: 4 }), (file, mutations) => {
        const name = names[file]!;
        const edited = { ...TREE, [name]: mutate(TREE[name]!, mutations) };
        expectSameAfter(TREE, edited);
        expectSameAfter(edited, TREE);
      }),
      { numRuns: 400 },
    );
  });
});
