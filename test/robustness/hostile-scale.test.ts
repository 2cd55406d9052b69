/**
 * Issue 18, size: generated trees far larger in one dimension than any real
 * one (a 20,000-member choice, a select fan-in past MiniSat's clause buffer,
 * two ints compared over 180 constants each, 10,000 chained choices, 100,000
 * and 160,000 symbols) load and answer right, and the inputs past a stated limit (macro
 * work, .config size) are one line and exit 2, never a crash (70, 134).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { MAX_EXPANDED_TOTAL, MAX_EXPANSION_STEPS } from '../../src/macro/expander.js';
import { MAX_DOTCONFIG_BYTES } from '../../src/io/dotconfig.js';
import { ensureBuilt, expectOneLineError, run } from '../cli/run.js';
import { scratchDir } from '../helpers/scratch.js';

beforeAll(ensureBuilt);
const tmp = scratchDir('hostile-scale');

function tree(name: string, text: string): string {
  const root = path.join(tmp(), name);
  fs.mkdirSync(root, { recursive: true });
  fs.writeFileSync(path.join(root, 'Kconfig'), text);
  return root;
}

const repeat = (n: number, line: (i: number) => string): string => Array.from({ length: n }, (_, i) => line(i)).join('');

describe('trees large in one dimension', () => {
  it('a choice of 20,000 members loads, and two members exclude each other', () => {
    const root = tree('choice', `choice\n\tprompt "c"\n${repeat(20_000, (i) => `config M${i}\n\tbool "m${i}"\n`)}endchoice\n`);
    expect(run('--tree', root, 'query', 'M19999=y').status).toBe(0);
    const r = run('--tree', root, 'query', 'M19999=y', 'M7=y');
    expect([r.status, r.stdout.split('\n')[0]]).toEqual([1, 'M19999=y && M7=y: no']);
  });

  it('a symbol selected by 16,384 symbols (a clause past MiniSat\'s 16,383 literals) answers exactly', () => {
    const root = tree('fanin', `config T\n\tbool\n\tdepends on D\n\nconfig D\n\tbool "d"\n\n${repeat(16_384, (i) => `config S${i}\n\tbool "s${i}"\n\tselect T\n`)}`);
    expect(run('--tree', root, 'query', 'T', '!D', '!S0', '!S16383').status).toBe(0);
    expect(run('--tree', root, 'query', 'S9000', '!T').status).toBe(1);
    const r = run('--tree', root, 'audit');
    expect(r.status).toBe(1);
    expect(r.stdout).toMatch(/\nfanin: 16384 findings \(16384 selects/);
  });

  it('a symbol selected by 150,000 symbols: a witness reads it, and the audit finds every select from one model', () => {
    const root = tree('fanin-wide', `config T\n\tbool\n\tdepends on D\n\nconfig D\n\tbool "d"\n\n${repeat(150_000, (i) => `config S${i}\n\tbool "s${i}"\n\tselect T\n`)}`);
    // Writing the witness asks which of T's 150,000 selects hold: more than a call takes as arguments.
    const query = run('--tree', root, 'query', 'T', 'D');
    expect([query.status, query.stdout.split('\n')[0], query.stderr]).toEqual([0, 'T && D: yes', '']);
    // Past MiniSat's heap with the audit's gates: the descent answers without it.
    const audit = run('--tree', root, 'audit');
    expect([audit.status, audit.stderr]).toEqual([1, '']);
    expect(audit.stdout).toMatch(/\nfanin-wide: 150000 findings \(150000 selects, 0 screened, 1 solves/);
  });

  it("a question only a search answers, on a formula past the SAT solver's heap: one line, exit 2", () => {
    // E's dependency is false, but propagation does not show it: only a search (MiniSat's) proves the no.
    const impossible = 'config A\n\tbool "a"\nconfig B\n\tbool "b"\nconfig E\n\tbool "e"\n\tdepends on (A || B) && (A || !B) && (!A || B) && (!A || !B)\n';
    const selects = repeat(100_000, (i) => `config S${i}\n\tbool "s${i}"\n\tselect T\n\tselect U\n\tselect W\n\tdepends on D || A\n`);
    const targets = ['T', 'U', 'W'].map((t) => `config ${t}\n\tbool\n\tdepends on D\n`).join('');
    const root = tree('search-wide', `config D\n\tbool "d"\n${targets}${selects}${impossible}`);
    const r = run('--tree', root, 'query', 'E');
    expect([r.status, r.stdout, r.stderr]).toEqual([
      2,
      '',
      "kconfsat: input too large: the formula, for the SAT solver's 64 MB heap (SAT solver ran out of memory (Cannot enlarge memory arrays); the formula is too large for this backend)\n",
    ]);
  });

  it('two ints compared with each other over 180 constants each answer exactly', () => {
    const xs = repeat(180, (i) => `config X${i}\n\tbool "x${i}"\n\tdepends on A = ${i * 7} || B = ${i * 11}\n`);
    const root = tree('compare', `config A\n\tint "a"\n\nconfig B\n\tint "b"\n\nconfig C\n\tbool "c"\n\tdepends on A < B\n${xs}`);
    expect(run('--tree', root, 'query', 'C', 'A=1239', 'B=1239').status).toBe(1);
    expect(run('--tree', root, 'query', 'C', 'A=1239', 'B=1240').status).toBe(0);
    expect(run('--tree', root, 'query', 'X3', 'A!=21', 'B!=33').status).toBe(1);
  });

  it('10,000 chained choices load and answer alike with and without --timeout', () => {
    const chain = repeat(10_000, (i) => `choice\n\tprompt "c${i}"\n${i ? `\tdepends on P${i - 1}\n` : ''}config P${i}\n\tbool "p${i}"\nconfig Q${i}\n\tbool "q${i}"\nendchoice\n`);
    const root = tree('chain', chain);
    const direct = run('--tree', root, 'query', 'P9999=y');
    const deadline = run('--timeout', '60', '--tree', root, 'query', 'P9999=y');
    expect(direct.status).toBe(0);
    expect([deadline.status, deadline.stdout]).toEqual([direct.status, direct.stdout]);
  });

  it('the explanation of a no along a chain of 4,000 dependencies names every link and nothing else', () => {
    const chain = repeat(4000, (i) => `config S${i}\n\tbool "s${i}"\n${i ? `\tdepends on S${i - 1}\n` : ''}`);
    const root = tree('implications', `${chain}config T\n\tbool "t"\n\tdepends on !S0\n`);
    const r = run('--tree', root, '--json', 'query', 'S3999', 'T');
    expect(r.status).toBe(1);
    const symbols = (JSON.parse(r.stdout) as { explanation: { symbols: string[] } }).explanation.symbols;
    // Minimal: every link is needed, and nothing else is (S0's own definition is not: S1 and T disagree on it).
    expect(new Set(symbols)).toEqual(new Set(['T', ...Array.from({ length: 3999 }, (_, i) => `S${i + 1}`)]));
  });

  it('160,000 symbols: check, which runs conf\'s evaluation over all of them, answers', () => {
    const root = tree('wide', repeat(160_000, (i) => `config S${i}\n\tbool "s${i}"\n`));
    const config = path.join(root, 'fragment.config');
    fs.writeFileSync(config, 'CONFIG_S159999=y\n');
    const r = run('--tree', root, 'check', '--partial', config);
    expect([r.status, r.stderr]).toEqual([0, '']);
  });

  it('check of 20,000 dropped lines, each only because of the one before, and of 40,000 added lines: every item after its cause', () => {
    // Each item walked back to its causes alone (20,000 walks along the chain) took over 300 s; listing each
    // cause's followers by scanning every item took 37 s for 40,000 causes. 60 s is run()'s limit.
    const chain = tree('chain', `config B0\n\tbool "b0"\n\tdepends on n\n${repeat(19_999, (i) => `config B${i + 1}\n\tbool "b${i + 1}"\n\tdepends on B${i}\n`)}`);
    const config = path.join(chain, 'all.config');
    fs.writeFileSync(config, repeat(20_000, (i) => `CONFIG_B${i}=y\n`));
    const dropped = run('--tree', chain, 'check', config);
    const lines = dropped.stdout.split('\n');
    expect([dropped.status, lines[0]]).toEqual([1, `${config}: invalid: conf would change 0, drop 20000, add 0 line(s) (19999 only because of another change)`]);
    expect(lines[1]).toMatch(/^ {2}\S+:1: B0=y: conf drops the line/);
    expect(lines[20_000]).toMatch(/^ {4}\S+:20000: B19999=y: conf drops the line/);
    const wide = tree('wide-check', repeat(40_000, (i) => `config W${i}\n\tbool "w${i}"\n`));
    const empty = path.join(wide, 'empty.config');
    fs.writeFileSync(empty, '');
    const added = run('--tree', wide, 'check', empty);
    expect([added.status, added.stdout.split('\n')[0], added.stdout.split('\n').length]).toEqual([1, `${empty}: invalid: conf would change 0, drop 0, add 40000 line(s)`, 40_002]);
  });

  it('100,000 symbols load within 10 s', () => {
    const root = tree('many', repeat(100_000, (i) => `config S${i}\n\tbool "s${i}"\n${i % 10 ? `\tdepends on S${i - 1}\n` : ''}`));
    const t0 = performance.now();
    const r = run('--tree', root, 'info');
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^many: 100000 symbols/);
    // 6 s measured on a loaded 2-core machine; the target is 10 s, with room for a slower one.
    expect(performance.now() - t0).toBeLessThan(30_000);
  });
});

describe('inputs past a stated limit: one line, exit 2', () => {
  it('macro expansion that doubles 40 times into empty strings', () => {
    const doubling = repeat(40, (i) => `L${i} = $(${i ? `L${i - 1}` : 'E'})$(${i ? `L${i - 1}` : 'E'})\n`);
    const root = tree('doubling', `E :=\n${doubling}config A\n\tbool "$(L39)a"\n`);
    expectOneLineError(run('--tree', root, 'info'), `kconfsat: Kconfig:43:8: input too large: macro expansion, over ${MAX_EXPANSION_STEPS} references evaluated`);
  });

  it('$(info) called 2^27 times', () => {
    const doubling = repeat(27, (i) => `J${i} = $(${i ? `J${i - 1}` : 'I'})$(${i ? `J${i - 1}` : 'I'})\n`);
    const root = tree('info', `I = $(info,x)\n${doubling}config A\n\tbool "$(J26)a"\n`);
    expectOneLineError(run('--tree', root, 'info'), `kconfsat: Kconfig:30:8: input too large: macro expansion, over ${MAX_EXPANSION_STEPS} references evaluated`);
  });

  it('a string joining 200 references to a variable of a million characters (200 MB from a 1 MB file)', () => {
    const root = tree('joined', `A := ${'x'.repeat(1_000_000)}\nconfig X\n\tstring "x"\n\tdefault "${'$(A)'.repeat(200)}"\n`);
    // The 17th reference crosses the limit: its column is the one named.
    expectOneLineError(run('--tree', root, 'info'), `kconfsat: Kconfig:4:${11 + 16 * 4}: input too large: macro expansions, over ${MAX_EXPANDED_TOTAL} characters in all`);
  });

  it('a .config over 4 MiB', () => {
    const root = tree('small', 'config A\n\tbool "a"\n');
    const config = path.join(tmp(), 'huge.config');
    const line = 'CONFIG_A=y\n';
    fs.writeFileSync(config, line.repeat(Math.ceil((MAX_DOTCONFIG_BYTES + 1) / line.length)));
    const size = fs.statSync(config).size;
    expectOneLineError(run('--tree', root, 'check', config), `kconfsat: input too large: ${config}, ${size} bytes (a .config may have at most ${MAX_DOTCONFIG_BYTES} bytes)`);
  });
});
