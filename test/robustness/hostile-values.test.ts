/**
 * Issue 18, values: no marker kconfsat uses internally is a string a tree
 * can spell (the candidate for "any other string", the placeholder of an
 * unknown macro result), and a value no .config can hold is never written
 * as a forged line. The trees are made here, not stored.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { query } from '../../src/analysis/query.js';
import { Session } from '../../src/analysis/session.js';
import { possibleValues } from '../../src/analysis/values.js';
import { MemorySourceFiles } from '../../src/parse/files.js';
import { ensureBuilt, expectOneLineError, run } from '../cli/run.js';
import { scratchDir } from '../helpers/scratch.js';

const memory = (text: string, env: Record<string, string> = {}): Session => Session.open({ tree: new MemorySourceFiles({ Kconfig: text }), env });
const yes = (s: Session, ...exprs: string[]): boolean => query(s, exprs).satisfiable;

describe('the candidate for "any other string"', () => {
  // conf keeps S="hello" and B unset; S can also be any string the user types, and B is y only for the two spelled.
  const TREE = (spelled: string) => `
config S
	string "s"
	default "hello"

config B
	bool
	default y if S = "${spelled}" || S = "kconfsat-other-"
`;

  it.each(['kconfsat:other', 'kconfsat-other'])('is no string a tree can spell: a tree comparing S with "%s" is answered as conf would', (spelled) => {
    const s = memory(TREE(spelled));
    expect(yes(s, '!B', 'S!=""')).toBe(true);
    const others = ['S!="hello"', 'S!=""', `S!="${spelled}"`, 'S!="kconfsat-other-"'];
    expect(yes(s, ...others, '!B')).toBe(true);
    expect(yes(s, ...others, 'B')).toBe(false);
    expect(yes(s, `S="${spelled}"`, '!B')).toBe(false);
    const witness = query(s, [...others, '!B']).witness!.config.find((e) => e.name === 'S')!.value;
    expect(['hello', '', spelled, 'kconfsat-other-']).not.toContain(witness);
    expect(possibleValues(s, s.symbol('S'))).toMatchObject({ values: expect.arrayContaining(['hello', '', spelled]), otherStrings: true });
  });

  it('a query naming the string the candidate is written as still tells it apart', () => {
    const s = memory(TREE('x'));
    // No constant of the tree is "kconfsat-other--", so it is one of the other strings until a query names it.
    expect(yes(s, 'S="kconfsat-other--"', 'B')).toBe(false);
    expect(yes(s, 'S!="kconfsat-other--"', 'S!="hello"', 'S!=""', 'S!="x"', 'S!="kconfsat-other-"')).toBe(true);
  });
});

describe('the placeholder of an unknown macro result', () => {
  it('text given with lone surrogates (which no UTF-8 file holds) reads as U+FFFD, never as a toolchain input', () => {
    const s = memory('config S\n\tstring "s"\n\tdefault "\uDC000\uDC01"\n\nconfig E\n\tstring "e"\n\tdefault "$(X)"\n', { X: '\uDC001\uDC01' });
    expect(s.model.inputs).toEqual([]);
    expect(yes(s, 'S="\uFFFD0\uFFFD"', 'E="\uFFFD1\uFFFD"')).toBe(true);
  });
});

describe('a string a .config cannot hold', () => {
  beforeAll(ensureBuilt);
  const tmp = scratchDir('hostile-values');

  it('a line break in a witness value is one line, exit 2, and no witness forging CONFIG_A=y', () => {
    const tree = path.join(tmp(), 'tree');
    fs.mkdirSync(tree);
    fs.writeFileSync(path.join(tree, 'Kconfig'), 'config A\n\tbool "a"\n\nconfig S\n\tstring "s"\n\tdefault "$(X)"\n');
    const out = path.join(tmp(), 'w.config');
    expectOneLineError(
      run('--tree', tree, '--env', 'X=a\nCONFIG_A=y', 'query', '--out', out, '!A', 'S="a\nCONFIG_A=y"'),
      'kconfsat: cannot write CONFIG_S: its value "a\\nCONFIG_A=y" holds a line break or NUL, which a .config cannot hold',
    );
    expect(fs.existsSync(out)).toBe(false);
  });
});
