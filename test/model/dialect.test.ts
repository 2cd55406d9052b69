/**
 * Kconfig dialects: how a tree's dialect is detected, the grammar each
 * accepts, and the olddefconfig results that differ between Linux 6.1's and
 * 6.12's conf. Every expected value was measured with both confs (built from
 * linux-6.1 and linux-6.12 scripts/kconfig); with KCONFSAT_CONF_61 and
 * KCONFSAT_CONF_612 set, each case is also re-run against them.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { KconfigDialect } from '../../src/parse/dialect.js';
import { detectDialect, parseDialect } from '../../src/parse/dialect.js';
import { evaluateDetailed } from '../../src/model/evaluate.js';
import { Session } from '../../src/analysis/session.js';
import { loadKconfig } from '../../src/model/load.js';
import { MemorySourceFiles, DiskSourceFiles } from '../../src/parse/files.js';
import { kconfsatError } from '../helpers/errors.js';
import { runConf } from '../helpers/conf.js';
import { modelFromText } from '../reference/random-kconfig.js';
import { ensureBuilt, expectOneLineError, run } from '../cli/run.js';
import { scratchDir } from '../helpers/scratch.js';
import * as fs from 'node:fs';
import * as path from 'node:path';

const CONF: Record<'6.1' | '6.12', string | undefined> = {
  '6.1': process.env.KCONFSAT_CONF_61 ?? process.env.KCONFSAT_CONF,
  '6.12': process.env.KCONFSAT_CONF_612,
};

describe('detecting a tree\'s dialect', () => {
  const detect = (files: Record<string, string>): KconfigDialect => detectDialect(new MemorySourceFiles(files));

  it('reads the markers in the conf sources the tree ships', () => {
    expect(detect({ 'scripts/kconfig/symbol.c': 'static void sym_calc_choice(...)', 'scripts/kconfig/lexer.l': '"optional"' })).toBe('6.1');
    expect(detect({ 'scripts/kconfig/symbol.c': 'list_for_each_entry(sym, &choice->choice_members, choice_link)' })).toBe('6.12');
    expect(detect({ 'scripts/kconfig/lexer.l': '"transitional"\t\treturn T_TRANSITIONAL;' })).toBe('6.18');
    // BusyBox and older trees name the lexer zconf.l; Xen keeps conf under tools/kconfig
    expect(detect({ 'scripts/kconfig/zconf.l': '"optional"' })).toBe('6.1');
    expect(detect({ 'tools/kconfig/symbol.c': 'sym_calc_choice' })).toBe('6.1');
  });

  it('falls back to the top Makefile\'s version, then to 6.1', () => {
    expect(detect({ Makefile: 'VERSION = 6\nPATCHLEVEL = 12\nSUBLEVEL = 3\n' })).toBe('6.12');
    expect(detect({ Makefile: 'VERSION = 6\nPATCHLEVEL = 18\n' })).toBe('6.18');
    expect(detect({ Makefile: 'VERSION = 7\nPATCHLEVEL = 0\n' })).toBe('6.18');
    expect(detect({ Makefile: 'VERSION = 5\nPATCHLEVEL = 19\n' })).toBe('6.1');
    // U-Boot's Makefile counts years: not a kernel version
    expect(detect({ Makefile: 'VERSION = 2024\nPATCHLEVEL = 01\n' })).toBe('6.1');
    expect(detect({ Kconfig: '' })).toBe('6.1');
  });

  it.skipIf(!process.env.KCONFSAT_LINUX_61 || !process.env.KCONFSAT_LINUX_612)('Linux 6.1 is 6.1, Linux 6.12 is 6.12', () => {
    expect(detectDialect(new DiskSourceFiles(process.env.KCONFSAT_LINUX_61!))).toBe('6.1');
    expect(detectDialect(new DiskSourceFiles(process.env.KCONFSAT_LINUX_612!))).toBe('6.12');
  });

  it('a load option overrides the detection', () => {
    const files = new MemorySourceFiles({ Kconfig: 'config A\n\tbool "a"\n', Makefile: 'VERSION = 6\nPATCHLEVEL = 12\n' });
    expect(loadKconfig({ tree: files }).model.dialect).toBe('6.12');
    expect(loadKconfig({ tree: files, dialect: '6.1' }).model.dialect).toBe('6.1');
    expect(() => parseDialect('6.5')).toThrow("unknown Kconfig dialect '6.5' (known: 6.1, 6.12, 6.18)");
  });
});

/** The first error loading `text` in `dialect`, as the CLI prints it. */
function loadError(text: string, dialect: KconfigDialect): string {
  return kconfsatError(() => modelFromText(text, dialect)).format();
}

describe('6.12 grammar: what its parser.y rejects (6.1 accepts each)', () => {
  // conf 6.12 answers each with the error quoted; kconfsat stops at the first
  const rejected: [string, string, string][] = [
    ['a named choice ("syntax error")', 'choice FOO\n\tprompt "c"\nconfig A\n\tbool "a"\nendchoice\n', 'Kconfig:1:1: syntax error: a choice has no name since Linux 6.12'],
    ['a tristate choice ("syntax error")', 'choice\n\ttristate "c"\nconfig A\n\ttristate "a"\nendchoice\n', `Kconfig:2:2: syntax error: a choice takes only 'bool "prompt"' since Linux 6.12`],
    ['a choice type without a prompt ("syntax error")', 'choice\n\tprompt "c"\n\tbool\nconfig A\n\tbool "a"\nendchoice\n', `Kconfig:3:2: syntax error: a choice takes only 'bool "prompt"' since Linux 6.12`],
    ['optional ("syntax error")', 'choice\n\tprompt "c"\n\toptional\nconfig A\n\tbool "a"\nendchoice\n', "Kconfig:3:2: syntax error: 'optional' was removed in Linux 6.12"],
    ['a choice without a prompt', 'choice\nconfig A\n\tbool "a"\nendchoice\n', 'Kconfig:1:1: choice must have a prompt'],
    ['a tristate member', 'choice\n\tprompt "c"\nconfig A\n\ttristate "a"\nendchoice\n', 'Kconfig:3:1: choice member must be bool'],
    ['an untyped member', 'choice\n\tprompt "c"\nconfig A\n\tprompt "a"\nendchoice\n', 'Kconfig:3:1: choice member must be bool'],
    ['a member without a prompt', 'choice\n\tprompt "c"\nconfig A\n\tbool\nconfig B\n\tbool "b"\nendchoice\n', 'Kconfig:3:1: choice member must have a prompt'],
    ['a member with a default', 'choice\n\tprompt "c"\nconfig A\n\tbool "a"\n\tdefault y\nconfig B\n\tbool "b"\nendchoice\n', 'Kconfig:5:2: defaults for choice values not supported'],
    ['a member prompted outside', 'choice\n\tprompt "c"\nconfig A\n\tbool "a"\nendchoice\nconfig A\n\tprompt "again"\n', 'Kconfig:7:2: choice value has a prompt outside its choice group'],
  ];
  for (const [what, text, message] of rejected) {
    it(what, () => {
      expect(loadError(text, '6.12')).toBe(message);
      expect(() => modelFromText(text, '6.1')).not.toThrow();
    });
  }

  it('a member depending on another member is a dependency loop', () => {
    const text = 'choice\n\tprompt "c"\nconfig A\n\tbool "a"\nconfig B\n\tbool "b"\n\tdepends on A\nendchoice\n';
    expect(loadError(text, '6.12')).toMatch(/recursive dependency/);
    // 6.1 nests B under A (an implicit submenu): B is no member, and no loop
    expect(modelFromText(text, '6.1').choices[0]!.members.map((m) => m.name)).toEqual(['A']);
  });
});

describe('a named choice and a config symbol of the same name stay two symbols (6.1)', () => {
  it('a reference to the name means the config symbol', () => {
    const text =
      'choice FOO\n\tprompt "c"\nconfig A\n\tbool "a"\nconfig B\n\tbool "b"\nendchoice\n' +
      'config FOO\n\tbool "foo"\nconfig X\n\tbool\n\tdefault y\n\tdepends on FOO\nconfig Y\n\tbool\n\tdefault y\n\tdepends on !FOO\n';
    const m = modelFromText(text, '6.1');
    expect(m.choices.map((c) => c.symbol.name)).toEqual(['<choice FOO>']);
    // conf 6.1 alldefconfig: A=y, B and FOO not set, Y=y (X depends on the config FOO)
    const r = evaluateDetailed(m, new Map());
    expect(['A', 'B', 'FOO', 'X', 'Y'].map((n) => r.values.get(n))).toEqual(['y', 'n', 'n', 'n', 'y']);
  });

  it('two blocks of one named choice are one choice', () => {
    const m = modelFromText('choice FOO\n\tprompt "c"\nconfig A\n\tbool "a"\nendchoice\nchoice FOO\nconfig B\n\tbool "b"\nendchoice\n', '6.1');
    expect(m.choices.map((c) => [c.symbol.name, c.members.map((s) => s.name)])).toEqual([['<choice FOO>', ['A', 'B']]]);
  });
});

interface Difference {
  name: string;
  kconfig: string;
  /** The .config lines, in order. */
  user: [string, string][];
  /** What each conf writes (`# CONFIG_X is not set` as n). */
  written: Record<'6.1' | '6.12', Record<string, string>>;
}

const THREE = 'choice\n\tprompt "c"\nconfig A\n\tbool "a"\nconfig B\n\tbool "b"\nconfig C\n\tbool "c"\nendchoice\n';

/** olddefconfig results that differ between the confs of 6.1 and 6.12, measured with both. */
const differences: Difference[] = [
  {
    name: 'a choice whose prompt is hidden (`if J`, J=n) still sets a member in 6.12',
    kconfig: 'config J\n\tbool\nchoice\n\tprompt "c" if J\nconfig A\n\tbool "a"\nconfig B\n\tbool "b"\nendchoice\n',
    user: [],
    written: { '6.1': {}, '6.12': { A: 'y', B: 'n' } },
  },
  {
    name: 'an int or hex without a value is empty in 6.1 and 0 in 6.12',
    kconfig: 'config I\n\tint "i"\nconfig H\n\thex "h"\nconfig I2\n\tint "i2"\nconfig K\n\tint\n',
    user: [['I', ''], ['H', '']],
    written: { '6.1': { I: '', H: '', I2: '' }, '6.12': { I: '0', H: '0x0', I2: '0' } },
  },
  {
    name: 'an out-of-range user value is dropped for the default in 6.1 and clamped in 6.12',
    kconfig: 'config I\n\tint "i"\n\trange 1 5\n\tdefault 3\n',
    user: [['I', '12']],
    written: { '6.1': { I: '3' }, '6.12': { I: '5' } },
  },
  {
    name: 'an inverted range: 6.1 clamps the default up to the low bound, 6.12 clamps the user value down to the high bound',
    kconfig: 'config I\n\tint "i"\n\trange 10 5\n\tdefault 7\n',
    user: [['I', '12']],
    written: { '6.1': { I: '10' }, '6.12': { I: '5' } },
  },
  {
    name: 'every member set to n: 6.1 takes the first, 6.12 the one read first (its least prioritized n)',
    kconfig: THREE,
    user: [['B', 'n'], ['C', 'n'], ['A', 'n']],
    written: { '6.1': { A: 'y', B: 'n', C: 'n' }, '6.12': { A: 'n', B: 'y', C: 'n' } },
  },
  {
    name: 'the default member set to n: 6.1 keeps it, 6.12 takes the first member without a value',
    kconfig: 'choice\n\tprompt "c"\n\tdefault B\nconfig A\n\tbool "a"\nconfig B\n\tbool "b"\nconfig C\n\tbool "c"\nendchoice\n',
    user: [['B', 'n']],
    written: { '6.1': { A: 'n', B: 'y', C: 'n' }, '6.12': { A: 'y', B: 'n', C: 'n' } },
  },
  {
    name: 'two members set to y: the one read last wins in both',
    kconfig: THREE,
    user: [['C', 'y'], ['A', 'y']],
    written: { '6.1': { A: 'y', B: 'n', C: 'n' }, '6.12': { A: 'y', B: 'n', C: 'n' } },
  },
];

describe('olddefconfig where the 6.1 and 6.12 confs differ', () => {
  for (const d of differences) {
    for (const dialect of ['6.1', '6.12'] as const) {
      it(`${d.name} (${dialect})`, () => {
        const m = modelFromText(d.kconfig, dialect);
        const r = evaluateDetailed(m, new Map(d.user));
        const written = Object.fromEntries([...r.written].sort().map((n) => [n, r.values.get(n)!]));
        expect(written).toEqual(d.written[dialect]);
      });
      it.skipIf(!CONF[dialect])(`${d.name}: conf ${dialect} agrees`, () => {
        const m = modelFromText(d.kconfig, dialect);
        const conf = runConf(CONF[dialect]!, d.kconfig, d.user, (n) => m.byName.get(n)?.type)!;
        expect(Object.fromEntries([...conf].sort())).toEqual(d.written[dialect]);
      });
    }
  }
});

describe('--kconfig-dialect', () => {
  beforeAll(ensureBuilt);
  const dir = scratchDir('dialect');

  it('overrides the detected dialect; an unknown one is a usage error', () => {
    fs.writeFileSync(path.join(dir(), 'Kconfig'), 'choice FOO\n\tprompt "c"\nconfig A\n\tbool "a"\nendchoice\n');
    expect(run('--tree', dir(), 'query', 'A=y').status).toBe(0);
    expectOneLineError(run('--tree', dir(), '--kconfig-dialect', '6.12', 'query', 'A=y'), 'kconfsat: Kconfig:1:1: syntax error: a choice has no name since Linux 6.12');
    expectOneLineError(run('--tree', dir(), '--kconfig-dialect', '6.5', 'query', 'A=y'), "kconfsat: unknown Kconfig dialect '6.5' (known: 6.1, 6.12, 6.18)");
  });
});

// 6.18 is not on disk: these follow the `transitional` rules as documented with
// the commit that added them (f9afce4f32e9), not a run of conf 6.18.
describe('6.18: transitional symbols', () => {
  const MIGRATION =
    'config NEW_BOOL\n\tbool "new"\n\tdefault OLD_BOOL\nconfig OLD_BOOL\n\tbool\n\ttransitional\n\thelp\n\t  the old name\n' +
    'config NEW_INT\n\tint "new int"\n\tdefault OLD_INT\nconfig OLD_INT\n\tint\n\ttransitional\n';

  it('an old .config value feeds the new symbol, which wins when set itself; the old one is never written', () => {
    const m = modelFromText(MIGRATION, '6.18');
    const migrated = evaluateDetailed(m, new Map([['OLD_BOOL', 'y'], ['OLD_INT', '42']]));
    expect(Object.fromEntries([...migrated.written].sort().map((n) => [n, migrated.values.get(n)]))).toEqual({ NEW_BOOL: 'y', NEW_INT: '42' });
    const kept = evaluateDetailed(m, new Map([['OLD_BOOL', 'y'], ['NEW_BOOL', 'n']]));
    expect(kept.values.get('NEW_BOOL')).toBe('n');
    // without an old value: n and 0
    const fresh = evaluateDetailed(m, new Map());
    expect([fresh.values.get('NEW_BOOL'), fresh.values.get('NEW_INT')]).toEqual(['n', '0']);
  });

  it('the formula takes the old value as a free input', () => {
    const s = Session.open({ tree: new MemorySourceFiles({ Kconfig: MIGRATION }), dialect: '6.18' });
    const values = evaluateDetailed(s.model, new Map([['OLD_BOOL', 'y']])).values;
    expect(s.formula.solve(s.assumptionsFor(values))).toBe('sat');
  });

  it('is a 6.18 keyword, with nothing but a type and help', () => {
    expect(loadError('config OLD\n\tbool\n\ttransitional\n', '6.12')).toBe('Kconfig:3:2: unknown statement "transitional"');
    expect(loadError('config OLD\n\ttransitional\n', '6.18')).toBe("Kconfig:1:1: transitional symbol 'OLD' must have a type");
    expect(loadError('config OLD\n\tbool "old"\n\ttransitional\n', '6.18')).toBe("Kconfig:1:1: transitional symbol 'OLD' cannot have a prompt");
    expect(loadError('config OLD\n\tbool\n\tdefault y\n\ttransitional\n', '6.18')).toBe("Kconfig:1:1: transitional symbol 'OLD' cannot have defaults");
    // and 6.18 keeps 6.12's choice rules
    expect(loadError('choice FOO\n\tprompt "c"\nconfig A\n\tbool "a"\nendchoice\n', '6.18')).toBe('Kconfig:1:1: syntax error: a choice has no name since Linux 6.12');
  });
});
