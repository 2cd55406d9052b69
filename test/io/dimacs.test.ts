import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { KconfsatError } from '../../src/errors.js';
import { parseDimacs, writeDimacs } from '../../src/io/dimacs.js';

describe('writeDimacs', () => {
  it('writes comments, names by variable, the problem line and 0-terminated clauses', () => {
    const names = new Map([
      [3, 'STR="a b"'],
      [1, 'FOO=y'],
      [2, 'FOO>=m'],
    ]);
    const text = writeDimacs(3, [[1, -2], [-3], [2, 3, -1]], names, ['kconfsat x86', '', 'two\nlines']);
    expect(text).toBe(
      [
        'c kconfsat x86',
        'c',
        'c two',
        'c lines',
        'c 1 FOO=y',
        'c 2 FOO>=m',
        'c 3 STR="a b"',
        'p cnf 3 3',
        '1 -2 0',
        '-3 0',
        '2 3 -1 0',
        '',
      ].join('\n'),
    );
  });

  it('counts the clauses of a generator and writes the empty clause', () => {
    function* clauses() {
      yield [1];
      yield [];
    }
    expect(writeDimacs(1, clauses(), new Map())).toBe('p cnf 1 2\n1 0\n0\n');
    expect(writeDimacs(0, [], new Map())).toBe('p cnf 0 0\n');
  });

  it.each([
    ['literal above numVars', () => writeDimacs(2, [[3]], new Map())],
    ['literal 0 inside a clause', () => writeDimacs(2, [[1, 0]], new Map())],
    ['fractional literal', () => writeDimacs(2, [[1.5]], new Map())],
    ['name of a variable out of range', () => writeDimacs(2, [], new Map([[5, 'X=y']]))],
    ['name with a line break', () => writeDimacs(2, [], new Map([[1, 'X\n=y']]))],
  ])('rejects a %s', (_label, write) => {
    expect(write).toThrow(Error);
  });

  it('handles 100k clauses quickly', () => {
    const numVars = 20000;
    const clauses = Array.from({ length: 100000 }, (_, i) => [(i % numVars) + 1, -(((i * 7) % numVars) + 1), 3]);
    const started = performance.now();
    const text = writeDimacs(numVars, clauses, new Map([[1, 'A=y']]));
    expect(performance.now() - started).toBeLessThan(2000);
    expect(text.startsWith('c 1 A=y\np cnf 20000 100000\n')).toBe(true);
    expect(parseDimacs(text).clauses).toEqual(clauses);
  });
});

describe('parseDimacs', () => {
  it('round-trips random formulas with names and comments', () => {
    const formula = fc.integer({ min: 1, max: 30 }).chain((numVars) =>
      fc.record({
        numVars: fc.constant(numVars),
        clauses: fc.array(
          fc.array(fc.integer({ min: 1, max: numVars }).chain((v) => fc.constantFrom(v, -v)), { maxLength: 6 }),
          { maxLength: 40 },
        ),
        names: fc.uniqueArray(
          fc.tuple(fc.integer({ min: 1, max: numVars }), fc.stringMatching(/^[A-Z_]{1,8}(=y|>=m|="[ -~]*")$/)),
          { selector: ([v]) => v },
        ),
        comments: fc.array(fc.stringMatching(/^[a-z][ -~]*$/), { maxLength: 3 }),
      }),
    );
    fc.assert(
      fc.property(formula, ({ numVars, clauses, names, comments }) => {
        const parsed = parseDimacs(writeDimacs(numVars, clauses, new Map(names), comments));
        expect(parsed.numVars).toBe(numVars);
        expect(parsed.clauses).toEqual(clauses);
        expect(parsed.names).toEqual(new Map(names));
        expect(parsed.comments).toEqual(comments);
      }),
    );
  });

  it('reads clauses spanning and sharing lines, CRLF and a SATLIB % ending', () => {
    const parsed = parseDimacs('c hi\r\np  cnf 3  3\r\n1 -2\r\n 0 3 0\r\n\r\n-1 0\r\n%\r\n0\r\n');
    expect(parsed).toEqual({ numVars: 3, clauses: [[1, -2], [3], [-1]], names: new Map(), comments: ['hi'] });
  });

  it.each([
    ['a clause before the problem line', '1 0\np cnf 1 1\n', 1, 'clause before the problem line'],
    ['a malformed problem line', 'p cnf x 1\n', 1, 'malformed problem line: p cnf x 1'],
    ['a second problem line', 'p cnf 1 0\np cnf 1 0\n', 2, 'second problem line'],
    ['a bad token', 'p cnf 2 1\n1 x 0\n', 2, 'not a literal: x'],
    ['a literal out of range', 'p cnf 2 1\n\n1 -3 0\n', 3, 'literal -3 outside 1..2'],
    ['an unterminated clause', 'p cnf 2 1\n1 2', 2, 'last clause is not terminated by 0'],
    ['a wrong clause count', 'p cnf 2 2\n1 0\n', 3, 'problem line declares 2 clauses, found 1'],
    ['no problem line', 'c only\n', 2, 'missing problem line'],
  ])('rejects %s with its line', (_label, text, line, message) => {
    let error: unknown;
    try {
      parseDimacs(text, 'f.cnf');
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(KconfsatError);
    expect((error as KconfsatError).format()).toBe(`f.cnf:${line}: ${message}`);
  });
});
