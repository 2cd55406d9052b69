/**
 * `check` against conf: the lines conf's olddefconfig changes, adds and drops
 * in a complete file, and the user values that do not survive in a partial
 * one. Handwritten trees pin the answers (measured with Linux 6.1's conf);
 * with $KCONFSAT_CONF set, random trees and random .config files compare
 * check's prediction with the real conf's output line by line.
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { changedLines, checkConfig, keepLostValues } from '../../src/analysis/check.js';
import { Session } from '../../src/analysis/session.js';
import { confValue, lineChanges, parseDotConfig, type DotConfigEntry } from '../../src/io/dotconfig.js';
import { MemorySourceFiles } from '../../src/parse/files.js';
import { arbKconfig } from '../reference/random-kconfig.js';

const CONF = process.env.KCONFSAT_CONF;

const open = (kconfig: string, runShell = false): Session => Session.open({ tree: new MemorySourceFiles({ Kconfig: kconfig }), runShell });
const file = (text: string) => parseDotConfig(text, '.config');
const summary = (kconfig: string, text: string, partial = false) =>
  checkConfig(open(kconfig), file(text), { partial }).violations.map((v) => [v.kind, v.symbol, v.value, v.expected ?? null]);

/** conf --olddefconfig on the text, from a scratch directory; returns what it wrote. */
function runConf(kconfig: string, text: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kconfsat-check-'));
  try {
    fs.writeFileSync(path.join(dir, 'Kconfig'), kconfig);
    fs.writeFileSync(path.join(dir, '.config'), text);
    execFileSync(CONF!, ['-s', '--olddefconfig', 'Kconfig'], { cwd: dir, env: { ...process.env, KCONFIG_CONFIG: '.config' }, stdio: 'ignore' });
    return fs.readFileSync(path.join(dir, '.config'), 'utf8');
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

const DEFAULT_Y_AND_DEPENDENT = `
config M
	bool "m"
	default y
config A
	bool "a"
	depends on !M
config B
	bool "b"
`;

describe('check on a complete file', () => {
  it('lists the line conf adds, the line it drops and a bool set to m, with conf\'s values', () => {
    expect(summary(DEFAULT_Y_AND_DEPENDENT, 'CONFIG_A=y\nCONFIG_B=m\n')).toEqual([
      ['changed', 'B', 'm', 'n'],
      ['added', 'M', 'n', 'y'],
      ['dropped', 'A', 'y', null],
    ]);
  });

  it('puts a dropped line under the added one it follows from', () => {
    const r = checkConfig(open(DEFAULT_Y_AND_DEPENDENT), file('CONFIG_A=y\n# CONFIG_B is not set\n'));
    expect(r.violations.map((v) => [v.symbol, v.causedBy])).toEqual([
      ['M', []],
      ['A', ['M']],
    ]);
    expect(r.violations[1]!.reason).toContain('depends on !M');
    expect(r.violations[1]!.facts).toContainEqual(expect.objectContaining({ role: 'depends on', text: 'depends on !M' }));
  });

  it("names the default line a hidden symbol's value comes from as it is written", () => {
    const r = checkConfig(open('config H\n\tdef_bool y\nconfig S\n\tstring\n\tdefault "x"\n'), file('# CONFIG_H is not set\nCONFIG_S="y"\n'));
    expect(r.violations.map((v) => [v.symbol, v.reason])).toEqual([
      ['H', 'conf ignores the value because it has no prompt: config H (Kconfig:1); the value comes from: def_bool y (Kconfig:2)'],
      ['S', 'conf ignores the value because it has no prompt: config S (Kconfig:3); the value comes from: default "x" (Kconfig:5)'],
    ]);
  });

  it('accepts exactly what conf writes', () => {
    const r = checkConfig(open(DEFAULT_Y_AND_DEPENDENT), file('CONFIG_M=y\n# CONFIG_B is not set\n'));
    expect(r).toMatchObject({ valid: true, violations: [] });
  });

  it('a symbol conf does not write must be absent: a hidden bool that is n, a string no default reaches', () => {
    const kconfig = `
config HIDDEN
	bool
config S
	string
	depends on HIDDEN
	default "x"
`;
    expect(checkConfig(open(kconfig), file('')).valid).toBe(true);
    expect(summary(kconfig, 'CONFIG_S="x"\n')).toEqual([['dropped', 'S', 'x', null]]);
  });

  it('names the range of an int pushed outside it', () => {
    const kconfig = `
config N
	int "n"
	range 2 8
	default 4
`;
    const r = checkConfig(open(kconfig), file('CONFIG_N=100\n'));
    expect(r.violations.map((v) => [v.symbol, v.value, v.expected])).toEqual([['N', '100', '4']]);
    expect(r.violations[0]!.reason).toContain('2..8');
    expect(r.violations[0]!.facts.map((f) => f.role)).toContain('range');
  });

  it('an undefined symbol is a line conf drops', () => {
    const r = checkConfig(open(DEFAULT_Y_AND_DEPENDENT), file('CONFIG_M=y\n# CONFIG_B is not set\nCONFIG_GONE=y\n'));
    expect(r.valid).toBe(false);
    expect(changedLines(r)).toEqual(new Map([['GONE', undefined]]));
  });

  it('default mode: a toolchain probe the file leaves out is read as unwritten, so some toolchain fits', () => {
    const kconfig = `
config CC_HAS_X
	def_bool $(shell,false)
config USE_X
	bool "x"
	depends on CC_HAS_X
`;
    // What conf writes when the probe fails: the probe is n and not written, USE_X hidden.
    expect(checkConfig(open(kconfig), file('')).valid).toBe(true);
    // What conf writes when it succeeds.
    expect(checkConfig(open(kconfig), file('CONFIG_CC_HAS_X=y\n# CONFIG_USE_X is not set\n')).valid).toBe(true);
    // Neither toolchain writes USE_X without the probe.
    expect(checkConfig(open(kconfig), file('CONFIG_USE_X=y\n')).valid).toBe(false);
  });
});

describe('check --partial', () => {
  const tree = `
config D
	bool "d"
config X
	bool "x"
	depends on D
config S
	bool "s"
	select D
`;
  it('lists only the values the user set that do not survive', () => {
    expect(summary(tree, 'CONFIG_X=y\n', true)).toEqual([['lost', 'X', 'y', 'n']]);
    expect(summary(tree, 'CONFIG_X=y\nCONFIG_S=y\n', true)).toEqual([]);
  });

  it('--keep names the fewest extra lines', () => {
    const session = open(tree);
    const config = file('CONFIG_X=y\n');
    const keep = keepLostValues(session, config, checkConfig(session, config, { partial: true }))!;
    // Setting D, or S which selects it, is one extra line either way.
    expect(keep.diagnoses.map((d) => d.changes.map((c) => `${c.name}=${c.to}`).sort())).toEqual(
      expect.arrayContaining([
        ['D=y', 'X=y'],
        ['S=y', 'X=y'],
      ]),
    );
    expect(keep.diagnoses).toHaveLength(2);
  });
});

/** Random .config text for a tree: lines for some of its symbols, odd values and unknown names included. */
function arbConfigText(kconfig: string): fc.Arbitrary<string> {
  const names = [...kconfig.matchAll(/^(?:config|menuconfig) (\w+)/gm)].map((m) => m[1]!);
  const value = fc.constantFrom('y', 'n', 'm', '"foo"', '""', '0', '5', '12', '0x10', 'yes', '');
  const line = fc.oneof(
    { weight: 8, arbitrary: fc.tuple(fc.constantFrom(...names, 'UNDEFINED'), value).map(([n, v]) => `CONFIG_${n}=${v}`) },
    { weight: 3, arbitrary: fc.constantFrom(...names).map((n) => `# CONFIG_${n} is not set`) },
  );
  return fc.array(line, { maxLength: 8 }).map((lines) => lines.join('\n') + '\n');
}

describe.skipIf(!CONF)('check against the real conf ($KCONFSAT_CONF)', () => {
  it('handwritten trees', () => {
    for (const text of ['CONFIG_A=y\nCONFIG_B=m\n', 'CONFIG_A=y\n', '']) {
      expect(changedLines(checkConfig(open(DEFAULT_Y_AND_DEPENDENT), file(text)))).toEqual(lineChanges(file(text), file(runConf(DEFAULT_Y_AND_DEPENDENT, text))));
    }
  });

  it('random trees and .config files: complete check predicts conf\'s changed lines, partial check its lost values', async () => {
    await fc.assert(
      fc.asyncProperty(arbKconfig().chain((k) => fc.tuple(fc.constant(k), arbConfigText(k))), async ([kconfig, text]) => {
        // Each run yields first, so the test runner's heartbeats get through on a loaded machine.
        await new Promise((resolve) => setImmediate(resolve));
        const session = open(kconfig);
        const before = file(text);
        const after = file(runConf(kconfig, text));
        expect(changedLines(checkConfig(session, before))).toEqual(lineChanges(before, after));
        const conf = new Map(after.entries.map((e) => [e.name, e.value]));
        const partial = checkConfig(session, before, { partial: true });
        // A line conf cannot read counts as lost whatever conf ends with; the rest must match conf's values.
        const unreadable = new Set(partial.invalidValues.filter((i) => before.entries.filter((e) => e.name === i.name).at(-1)!.line === i.line).map((i) => i.name));
        const lost = partial.violations.map((v) => v.symbol).filter((n) => !unreadable.has(n)).sort();
        expect(partial.violations.map((v) => v.symbol)).toEqual(expect.arrayContaining([...unreadable]));
        // A symbol conf does not write is n, or empty when it is an int, hex or string.
        const survives = (name: string, value: string): boolean =>
          conf.has(name) ? conf.get(name) === value : value === (['bool', 'tristate'].includes(session.model.byName.get(name)!.type) ? 'n' : '');
        // The value a line gives as conf reads it (y for `yes`).
        const read = (e: DotConfigEntry): string => {
          const v = confValue(e, session.model.byName.get(e.name)?.type ?? 'unknown');
          return 'value' in v ? v.value : e.value;
        };
        const lostByConf = [...new Map(before.entries.map((e) => [e.name, read(e)]))]
          .filter(([name, value]) => session.model.byName.get(name)?.definitions.length && !unreadable.has(name) && !survives(name, value))
          .map(([name]) => name)
          .sort();
        expect(lost).toEqual(lostByConf);
      }),
      { numRuns: Number(process.env.KCONFSAT_CONF_RUNS ?? 300) },
    );
  }, 600_000);
});
