/**
 * Inputs far deeper or larger than any real tree (issue 8): each must give
 * the right answer or a KconfsatError at the offending line, never a stack
 * overflow. Each case prints its time for the report.
 */
import { describe, expect, it } from 'vitest';
import { query } from '../../src/analysis/query.js';
import { Session } from '../../src/analysis/session.js';
import { KconfsatError } from '../../src/errors.js';
import { MemorySourceFiles } from '../../src/parse/files.js';
import { MAX_BLOCK_NESTING, MAX_EXPRESSION_NESTING } from '../../src/parse/parser.js';

function timed<T>(label: string, run: () => T): T {
  const t0 = performance.now();
  try {
    return run();
  } finally {
    console.log(`${label}: ${((performance.now() - t0) / 1000).toFixed(2)} s`);
  }
}

function open(label: string, kconfig: string): Session {
  return timed(label, () => Session.open({ tree: new MemorySourceFiles({ Kconfig: kconfig }) }));
}

function loadError(label: string, kconfig: string): string {
  try {
    open(label, kconfig);
  } catch (e) {
    if (e instanceof KconfsatError) return e.format();
    throw e;
  }
  throw new Error('loaded');
}

const A = 'config A\n\tbool "a"\n\n';
const sat = (session: Session, ...exprs: string[]): boolean => query(session, exprs).satisfiable;

/** `if C0` ... `if C<n-1>` around B, each Ci defined just before its if. */
function nestedIfs(n: number, condition = (i: number) => `C${i}`): string {
  const open = Array.from({ length: n }, (_, i) => `config C${i}\n\tbool "c"\nif ${condition(i)}\n`).join('');
  return `${open}config B\n\tbool "b"\n${'endif\n'.repeat(n)}`;
}

describe('deep inputs', () => {
  it('10,000 nested parentheses: an error at the line, as conf gives up too ("memory exhausted")', () => {
    const n = 10_000;
    expect(loadError('10,000 parentheses', `${A}config B\n\tbool "b"\n\tdepends on ${'('.repeat(n)}A${')'.repeat(n)}\n`)).toMatch(
      /^Kconfig:6:\d+: unexpected '\(', expression nested too deeply \(more than 1000 levels of '\(' and '!'\)$/,
    );
  });

  it(`${MAX_EXPRESSION_NESTING} nested parentheses and negations: the right answer`, () => {
    const n = MAX_EXPRESSION_NESTING;
    const parens = open(`${n} parentheses`, `${A}config B\n\tbool "b"\n\tdepends on ${'('.repeat(n)}A${')'.repeat(n)}\n`);
    expect([sat(parens, 'B=y', 'A=n'), sat(parens, 'B=y')]).toEqual([false, true]);
    // `!(A && !(A && ... A))`: an odd number of levels (a '!' and a '(' each) holds exactly when A is n.
    const nots = open(`${n} negations`, `${A}config B\n\tbool "b"\n\tdepends on ${'!(A && '.repeat(n / 2 - 1)}A${')'.repeat(n / 2 - 1)}\n`);
    expect([sat(nots, 'B=y', 'A=n'), sat(nots, 'B=y', 'A=y')]).toEqual([true, false]);
  });

  it('a depends on of 10,000 terms and 10,000 depends on lines: the right answer', () => {
    const n = 10_000;
    const names = Array.from({ length: n }, (_, i) => `S${i}`);
    const defs = names.map((s) => `config ${s}\n\tbool "${s}"\n`).join('\n');
    const oneLine = open('10,000 terms in one depends on', `${defs}config B\n\tbool "b"\n\tdepends on ${names.join(' && ')}\n`);
    expect([sat(oneLine, 'B=y', 'S9999=n'), sat(oneLine, 'B=y')]).toEqual([false, true]);
    const lines = open('10,000 depends on lines', `${defs}config B\n\tbool "b"\n${names.map((s) => `\tdepends on ${s}\n`).join('')}`);
    expect([sat(lines, 'B=y', 'S5000=n'), sat(lines, 'B=y')]).toEqual([false, true]);
  });

  it('5,000 nested if blocks: an error at the line, as conf gives up too ("memory exhausted")', () => {
    expect(loadError('5,000 ifs', nestedIfs(5_000))).toBe(
      `Kconfig:${3 * (MAX_BLOCK_NESTING + 1)}:1: blocks nested too deeply (more than ${MAX_BLOCK_NESTING} levels of if, menu and choice)`,
    );
  });

  it(`${MAX_BLOCK_NESTING} nested if blocks, each condition ${MAX_EXPRESSION_NESTING / 100} levels deep: the right answer`, () => {
    const session = open(`${MAX_BLOCK_NESTING} ifs`, nestedIfs(MAX_BLOCK_NESTING));
    expect([sat(session, 'B=y', 'C0=n'), sat(session, 'B=y', `C${MAX_BLOCK_NESTING - 1}=n`), sat(session, 'B=y')]).toEqual([false, false, true]);
    const d = MAX_EXPRESSION_NESTING / 100;
    const deep = open(`${MAX_BLOCK_NESTING} ifs with deep conditions`, nestedIfs(MAX_BLOCK_NESTING, (i) => `${'!(!('.repeat(d / 2)}C${i}${'))'.repeat(d / 2)}`));
    expect([sat(deep, 'B=y', 'C500=n'), sat(deep, 'B=y')]).toEqual([false, true]);
  });

  it('one symbol selected by 10,000 symbols: the right answer', () => {
    const n = 10_000;
    const session = open('10,000 selectors', A + Array.from({ length: n }, (_, i) => `config S${i}\n\tbool "s"\n\tselect A\n`).join('\n'));
    expect([sat(session, 'S5000=y', 'A=n'), sat(session, 'A=n')]).toEqual([false, true]);
  });

  it('one symbol selecting 10,000 symbols: the right answer', () => {
    const n = 10_000;
    const text =
      Array.from({ length: n }, (_, i) => `config T${i}\n\tbool "t"\n`).join('\n') +
      `config B\n\tbool "b"\n${Array.from({ length: n }, (_, i) => `\tselect T${i}\n`).join('')}`;
    const session = open('10,000 selects', text);
    expect([sat(session, 'B=y', 'T9999=n'), sat(session, 'B=n', 'T9999=n')]).toEqual([false, true]);
  });

  it('a 50 MB Kconfig file: the right answer', () => {
    // 50,000 symbols with a kilobyte of help each (Linux: 17,000 symbols in 1,500 files, 9 MB),
    // in chains of 10: each depends on the one before and defaults to the chain's head.
    const help = `\thelp\n${'\t  Help text of a very large generated tree, wrapped at a width of about seventy.\n'.repeat(12)}\n`;
    const chunks: string[] = [];
    for (let i = 0; i < 50_000; i++) {
      const inChain = i % 10 === 0 ? '' : `\tdepends on X${i - 1}\n\tdefault X${i - (i % 10)}\n`;
      chunks.push(`config X${i}\n\tbool "symbol number ${i}"\n${inChain}${help}`);
    }
    const text = chunks.join('');
    expect(text.length).toBeGreaterThan(50_000_000);
    const session = open(`${(text.length / 1e6).toFixed(0)} MB Kconfig`, text);
    expect([sat(session, 'X49999=y', 'X49995=n'), sat(session, 'X49999=y')]).toEqual([false, true]);
  });
});
