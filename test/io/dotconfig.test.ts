import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { KconfsatError } from '../../src/errors.js';
import {
  checkAgainstModel,
  parseDotConfig,
  serializeDotConfig,
  writeDotConfig,
  type DotConfigEntry,
} from '../../src/io/dotconfig.js';
import type { KconfigModel, KSymbol, SymbolType } from '../../src/model/types.js';
import { newSymbol } from '../../src/model/build.js';
import { kconfsatError } from '../helpers/errors.js';
import { requireFile } from '../helpers/requires.js';

// Lines 1-32, 449-456 and 2322-2325 of Debian's 6.1 amd64 config.
const DEBIAN_EXCERPT = `#
# Automatically generated file; DO NOT EDIT.
# Linux/x86 6.1.192 Kernel Configuration
#
CONFIG_CC_VERSION_TEXT="gcc-12 (Debian 12.2.0-14+deb12u1) 12.2.0"
CONFIG_CC_IS_GCC=y
CONFIG_GCC_VERSION=120200
CONFIG_CLANG_VERSION=0
CONFIG_AS_IS_GNU=y
CONFIG_AS_VERSION=24000
CONFIG_LD_IS_BFD=y
CONFIG_LD_VERSION=24000
CONFIG_LLD_VERSION=0
CONFIG_CC_CAN_LINK=y
CONFIG_CC_CAN_LINK_STATIC=y
CONFIG_CC_HAS_ASM_GOTO_OUTPUT=y
CONFIG_CC_HAS_ASM_GOTO_TIED_OUTPUT=y
CONFIG_GCC_ASM_GOTO_OUTPUT_WORKAROUND=y
CONFIG_CC_HAS_ASM_INLINE=y
CONFIG_CC_HAS_NO_PROFILE_FN_ATTR=y
CONFIG_PAHOLE_VERSION=124
CONFIG_IRQ_WORK=y
CONFIG_BUILDTIME_TABLE_SORT=y
CONFIG_THREAD_INFO_IN_TASK=y

#
# General setup
#
CONFIG_INIT_ENV_ARG_LIMIT=32
# CONFIG_COMPILE_TEST is not set
# CONFIG_WERROR is not set
CONFIG_LOCALVERSION=""
# CONFIG_ARCH_MEMORY_PROBE is not set
CONFIG_ARCH_PROC_KCORE_TEXT=y
CONFIG_ILLEGAL_POINTER_VALUE=0xdead000000000000
CONFIG_X86_PMEM_LEGACY_DEVICE=y
CONFIG_X86_PMEM_LEGACY=m
# CONFIG_X86_CHECK_BIOS_CORRUPTION is not set
CONFIG_MTRR=y
CONFIG_MTRR_SANITIZER=y
# CONFIG_MTD_CMDLINE_PARTS is not set
CONFIG_MTD_REDBOOT_PARTS=m
CONFIG_MTD_REDBOOT_DIRECTORY_BLOCK=-1
# CONFIG_MTD_REDBOOT_PARTS_UNALLOCATED is not set
`;

/** Assignment lines counted without the parser. */
function countAssignmentLines(text: string): number {
  return text.split('\n').filter((l) => /^CONFIG_\w+=/.test(l) || /^# CONFIG_\w+ is not set/.test(l)).length;
}

function entry(text: string, name: string): DotConfigEntry | undefined {
  return parseDotConfig(text, 't').entries.find((e) => e.name === name);
}

function problemsOf(text: string) {
  return parseDotConfig(text, '.config').problems;
}

function strictError(text: string): KconfsatError {
  return kconfsatError(() => parseDotConfig(text, 'dir/.config', { strict: true }));
}

describe('parseDotConfig on a real excerpt', () => {
  const config = parseDotConfig(DEBIAN_EXCERPT, 'config.amd64');

  it('round-trips byte for byte', () => {
    expect(serializeDotConfig(config)).toBe(DEBIAN_EXCERPT);
  });

  it('finds every assignment, in order, with no problems', () => {
    expect(config.entries).toHaveLength(36);
    expect(config.entries).toHaveLength(countAssignmentLines(DEBIAN_EXCERPT));
    expect(config.problems).toEqual([]);
    expect(config.entries[0]).toEqual({
      name: 'CC_VERSION_TEXT',
      value: 'gcc-12 (Debian 12.2.0-14+deb12u1) 12.2.0',
      quoted: true,
      kind: 'set',
      line: 5,
      raw: 'CONFIG_CC_VERSION_TEXT="gcc-12 (Debian 12.2.0-14+deb12u1) 12.2.0"',
    });
    expect(config.entries.at(-1)).toMatchObject({ name: 'MTD_REDBOOT_PARTS_UNALLOCATED', kind: 'unset', line: 44 });
    expect(config.lines).toHaveLength(44);
    expect(config.lines[25]).toBe('#');
  });
});

describe('parseDotConfig values', () => {
  it.each([
    ['CONFIG_A=y', { value: 'y', quoted: false, kind: 'set' }],
    ['CONFIG_A=m', { value: 'm', quoted: false, kind: 'set' }],
    ['CONFIG_A=n', { value: 'n', quoted: false, kind: 'set' }],
    ['# CONFIG_A is not set', { value: 'n', quoted: false, kind: 'unset' }],
    ['CONFIG_A=123', { value: '123', quoted: false, kind: 'set' }],
    ['CONFIG_A=-5', { value: '-5', quoted: false, kind: 'set' }],
    ['CONFIG_A=0x1f', { value: '0x1f', quoted: false, kind: 'set' }],
    ['CONFIG_A=""', { value: '', quoted: true, kind: 'set' }],
    ['CONFIG_A="two words"', { value: 'two words', quoted: true, kind: 'set' }],
    ['CONFIG_A=', { value: '', quoted: false, kind: 'set' }],
  ])('%s', (line, expected) => {
    expect(parseDotConfig(line + '\n', 't')).toMatchObject({ problems: [], entries: [{ name: 'A', line: 1, ...expected }] });
  });

  it('unescapes \\" and \\\\ and, like conf, any other backslashed character', () => {
    expect(entry(String.raw`CONFIG_S="say \"hi\" C:\\dir \n"`, 'S')?.value).toBe('say "hi" C:\\dir n');
    expect(entry(String.raw`CONFIG_S="\\"`, 'S')?.value).toBe('\\');
  });

  it('ends a line at a NUL byte, as conf\'s C strings do (conf 6.1 writes X="def" for the first line, Y=y for the second)', () => {
    const config = parseDotConfig('CONFIG_X="ab\u0000cd"\nCONFIG_Y=y\u0000junk\n', 't');
    expect(config.entries.map((e) => [e.name, e.value])).toEqual([['Y', 'y']]);
    expect(config.problems.map((p) => p.line)).toEqual([1]);
    expect(serializeDotConfig(config)).toBe('CONFIG_X="ab\u0000cd"\nCONFIG_Y=y\u0000junk\n');
  });

  it('takes the name up to the first = and the value verbatim', () => {
    expect(entry('CONFIG_CMDLINE=console=ttyS0 quiet', 'CMDLINE')?.value).toBe('console=ttyS0 quiet');
    expect(entry('CONFIG_S="a=b # c"', 'S')?.value).toBe('a=b # c');
  });

  it('treats other # lines as comments, as conf does', () => {
    const config = parseDotConfig(
      ['#CONFIG_A is not set', '# CONFIG_B is set', '#  CONFIG_C is not set', '# CONFIG_D', '# plain', '#'].join('\n'),
      't',
    );
    expect(config.entries).toEqual([]);
    expect(config.problems).toEqual([]);
  });

  it('uses another prefix when asked', () => {
    const config = parseDotConfig('FOO_A=y\n# FOO_B is not set\nCONFIG_C=y\n', 't', { prefix: 'FOO_' });
    expect(config.entries.map((e) => [e.name, e.value])).toEqual([['A', 'y'], ['B', 'n']]);
    expect(config.problems).toEqual([{ line: 3, column: 1, message: 'unexpected data: CONFIG_C=y' }]);
  });
});

describe('line endings', () => {
  it('strips CRLF from lines and values and keeps it for the round trip', () => {
    const text = 'CONFIG_A=y\r\n# CONFIG_B is not set\r\nCONFIG_S="x"\r\n\r\n# c\r\n';
    const config = parseDotConfig(text, 't');
    expect(config.problems).toEqual([]);
    expect(config.entries.map((e) => [e.name, e.value, e.raw])).toEqual([
      ['A', 'y', 'CONFIG_A=y'],
      ['B', 'n', '# CONFIG_B is not set'],
      ['S', 'x', 'CONFIG_S="x"'],
    ]);
    expect(serializeDotConfig(config)).toBe(text);
  });

  it.each([
    ['mixed endings', 'CONFIG_A=y\r\nCONFIG_B=m\n\r\nCONFIG_C=1'],
    ['no final newline', 'CONFIG_A=y'],
    ['empty file', ''],
    ['only newlines', '\n\n'],
    ['a lone CR inside a line', '# a\rb\n'],
  ])('round-trips %s', (_label, text) => {
    expect(serializeDotConfig(parseDotConfig(text, 't'))).toBe(text);
  });
});

describe('malformed lines (conf skips them and reads on)', () => {
  const cases: [string, string, number, number, string][] = [
    ['no =', 'CONFIG_A=y\nCONFIG_B\n', 2, 9, "expected '=' after CONFIG_B"],
    ['unterminated string', '\n\nCONFIG_S="abc\n', 3, 10, 'unterminated string value for S'],
    ['escaped final quote', 'CONFIG_S="abc\\"\n', 1, 10, 'unterminated string value for S'],
    ['trailing backslash', 'CONFIG_S="abc\\\n', 1, 10, 'unterminated string value for S'],
    ['neither comment nor assignment', 'CONFIG_A=y\nhello world\n', 2, 1, 'unexpected data: hello world'],
    ['leading blank', ' CONFIG_A=y\n', 1, 1, 'unexpected data:  CONFIG_A=y'],
    ['whitespace-only line', 'CONFIG_A=y\n  \n', 2, 1, 'unexpected data:   '],
    ['empty name', 'CONFIG_=y\n', 1, 8, 'missing symbol name after CONFIG_'],
    ['empty name in is-not-set', '# CONFIG_ is not set\n', 1, 10, 'missing symbol name after CONFIG_'],
  ];

  it.each(cases)('%s: skipped and recorded', (_label, text, line, column, message) => {
    const config = parseDotConfig(text, '.config');
    expect(config.problems).toEqual([{ line, column, message }]);
    expect(config.entries.every((e) => e.line !== line)).toBe(true);
    expect(serializeDotConfig(config)).toBe(text);
  });

  it.each(cases)('%s: strict mode throws at file:line:column', (_label, text, line, column, message) => {
    const error = strictError(text);
    expect(error.kind).toBe('config');
    expect(error.location).toEqual({ file: 'dir/.config', line, column });
    expect(error.format()).toBe(`dir/.config:${line}:${column}: ${message}`);
  });

  it('keeps the rest of the file around a bad line', () => {
    const config = parseDotConfig('CONFIG_A=y\nCONFIG_B\nCONFIG_C="x\nCONFIG_D=m\n', 't');
    expect(config.entries.map((e) => e.name)).toEqual(['A', 'D']);
    expect(config.problems.map((p) => p.line)).toEqual([2, 3]);
  });

  it('keeps a quoted value with text after the closing quote, as conf does, and records it', () => {
    const config = parseDotConfig('CONFIG_S="abc"junk\n', 't');
    expect(config.entries).toMatchObject([{ name: 'S', value: 'abc' }]);
    expect(config.problems).toEqual([{ line: 1, column: 15, message: 'text after the closing quote of S is ignored' }]);
  });

  it('accepts text after "is not set", as conf does, and records it', () => {
    const config = parseDotConfig('# CONFIG_A is not settled\n', 't');
    expect(config.entries).toMatchObject([{ name: 'A', kind: 'unset' }]);
    expect(config.problems).toEqual([{ line: 1, column: 22, message: "text after 'is not set' is ignored" }]);
  });

  it('keeps both assignments of a reassigned symbol and records the override on the later line', () => {
    const config = parseDotConfig('CONFIG_A=y\nCONFIG_B=y\n# CONFIG_A is not set\n', 't');
    expect(config.entries.map((e) => [e.name, e.value, e.line])).toEqual([
      ['A', 'y', 1],
      ['B', 'y', 2],
      ['A', 'n', 3],
    ]);
    expect(config.problems).toEqual([
      { line: 3, column: 1, message: 'override: reassigning to symbol A (previously assigned on line 1)' },
    ]);
    expect(strictError('CONFIG_A=y\nCONFIG_A=n\n').format()).toBe(
      'dir/.config:2:1: override: reassigning to symbol A (previously assigned on line 1)',
    );
  });

  it('does not throw without strict', () => {
    expect(problemsOf('garbage\nCONFIG_X\n')).toHaveLength(2);
  });
});

describe('checkAgainstModel', () => {
  function modelOf(symbols: Record<string, SymbolType | 'choice' | 'referenced'>): KconfigModel {
    const list = Object.entries(symbols).map(([name, kind], id): KSymbol => {
      const symbol = { ...newSymbol(id, name), type: kind === 'choice' ? 'bool' : kind === 'referenced' ? 'unknown' : kind };
      if (kind !== 'referenced') {
        const loc = { file: 'Kconfig', line: id + 1, column: 1 };
        const dependency = { kind: 'leaf', leaf: { kind: 'const', text: 'y' } } as const;
        symbol.definitions = [{ loc, kind: kind === 'choice' ? 'choice' : 'config', dependency, ownDepends: [], enclosing: [] }];
      }
      if (kind === 'choice') symbol.ownChoice = { symbol, members: [], optional: false, type: 'bool', prompts: [], defaults: [], definitions: symbol.definitions, loc: symbol.definitions[0]!.loc };
      return symbol;
    });
    return { symbols: list, byName: new Map(list.map((s) => [s.name, s])), choices: [], inputs: [], files: [], env: {}, dialect: '6.1', menuEntries: [] };
  }

  const model = modelOf({
    B: 'bool',
    T: 'tristate',
    I: 'int',
    H: 'hex',
    S: 'string',
    C: 'choice',
    R: 'referenced',
  });

  function reasons(text: string): string[] {
    return checkAgainstModel(parseDotConfig(text, 't'), model).invalid.map((i) => i.reason);
  }

  it('accepts every well-formed value and hands back the same entry objects', () => {
    const text = [
      'CONFIG_B=y', '# CONFIG_B2 is not set', 'CONFIG_T=m', 'CONFIG_I=-5', 'CONFIG_H=0x1F', 'CONFIG_S="a \\" b"',
    ].join('\n');
    const config = parseDotConfig(text, 't');
    const check = checkAgainstModel(config, model);
    expect(check.invalid).toEqual([]);
    expect(check.unknown.map((e) => e.name)).toEqual(['B2']);
    expect(check.valid.map((e) => e.name)).toEqual(['B', 'T', 'I', 'H', 'S']);
    check.valid.forEach((e) => expect(config.entries).toContain(e));
    expect(check.valid[4]!.value).toBe('a " b');
  });

  it('keeps unknown and only-referenced symbols out without losing the rest', () => {
    const check = checkAgainstModel(parseDotConfig('CONFIG_NOPE=y\nCONFIG_B=y\nCONFIG_R=y\nCONFIG_T=n\n', 't'), model);
    expect(check.unknown.map((e) => [e.name, e.line])).toEqual([['NOPE', 1], ['R', 3]]);
    expect(check.valid.map((e) => e.name)).toEqual(['B', 'T']);
  });

  it.each([
    ['CONFIG_B=m', "value 'm' invalid for bool symbol B: expected a value starting with y, n"],
    ['CONFIG_B=maybe', "value 'maybe' invalid for bool symbol B: expected a value starting with y, n"],
    ['CONFIG_B=', "value '' invalid for bool symbol B: expected a value starting with y, n"],
    ['CONFIG_T=Y', "value 'Y' invalid for tristate symbol T: expected a value starting with y, m, n"],
    ['CONFIG_T="y"', `value '"y"' invalid for tristate symbol T: expected a value starting with y, m, n`],
    ['CONFIG_I=abc', "value 'abc' invalid for int symbol I: expected a decimal integer"],
    ['CONFIG_I=007', "value '007' invalid for int symbol I: expected a decimal integer"],
    ['CONFIG_I=', "value '' invalid for int symbol I: expected a decimal integer"],
    ['CONFIG_I="5"', `value '"5"' invalid for int symbol I: expected a decimal integer`],
    ['CONFIG_H=0xg1', "value '0xg1' invalid for hex symbol H: expected a hexadecimal number"],
    ['CONFIG_H=0x', "value '0x' invalid for hex symbol H: expected a hexadecimal number"],
    ['CONFIG_S=plain', "value 'plain' invalid for string symbol S: a string value must be in double quotes"],
    ['# CONFIG_I is not set', "value 'is not set' invalid for int symbol I: 'is not set' applies only to bool and tristate symbols"],
    ['CONFIG_C=y', 'C is a choice; a .config selects one of its members instead'],
  ])('%s is invalid', (line, reason) => {
    expect(reasons(line)).toEqual([reason]);
  });

  it.each(['CONFIG_H=1f', 'CONFIG_H=0XAB', 'CONFIG_I=0', 'CONFIG_I=-0', 'CONFIG_S=""'])('%s is valid', (line) => {
    expect(reasons(line)).toEqual([]);
  });

  // conf_set_sym_val reads p[0] only (scripts/kconfig/confdata.c, 6.1 and 6.12 alike).
  it('reads a bool or tristate by its first character, as conf does, and hands back a copy with that value', () => {
    const config = parseDotConfig('CONFIG_B=yes\nCONFIG_T=y # comment\nCONFIG_B2=nope\nCONFIG_T2=module\n', 't');
    const check = checkAgainstModel(config, modelOf({ B: 'bool', T: 'tristate', B2: 'bool', T2: 'tristate' }));
    expect(check.invalid).toEqual([]);
    expect(check.valid.map((e) => [e.name, e.value, e.raw])).toEqual([
      ['B', 'y', 'CONFIG_B=yes'],
      ['T', 'y', 'CONFIG_T=y # comment'],
      ['B2', 'n', 'CONFIG_B2=nope'],
      ['T2', 'm', 'CONFIG_T2=module'],
    ]);
    expect(config.entries.map((e) => e.value)).toEqual(['yes', 'y # comment', 'nope', 'module']);
  });

  it('lets the last fitting assignment win, and an invalid later one leave the earlier in place', () => {
    const check = checkAgainstModel(
      parseDotConfig('CONFIG_B=y\nCONFIG_T=y\n# CONFIG_B is not set\nCONFIG_T=x\n', 't'),
      model,
    );
    expect(check.valid.map((e) => [e.name, e.value, e.line])).toEqual([
      ['T', 'y', 2],
      ['B', 'n', 3],
    ]);
    expect(check.invalid.map((i) => i.entry.line)).toEqual([4]);
  });
});

describe('writeDotConfig', () => {
  it("writes conf's format", () => {
    const text = writeDotConfig([
      { name: 'A', type: 'bool', value: 'y' },
      { name: 'B', type: 'tristate', value: 'm' },
      { name: 'C', type: 'bool', value: 'n' },
      { name: 'D', type: 'tristate', value: 'n' },
      { name: 'S', type: 'string', value: 'say "hi" C:\\dir' },
      { name: 'E', type: 'string', value: '' },
      { name: 'I', type: 'int', value: '-1' },
      { name: 'H', type: 'hex', value: '0x1000000' },
      { name: 'U', type: 'unknown', value: 'y' },
    ]);
    expect(text).toBe(
      [
        'CONFIG_A=y',
        'CONFIG_B=m',
        '# CONFIG_C is not set',
        '# CONFIG_D is not set',
        'CONFIG_S="say \\"hi\\" C:\\\\dir"',
        'CONFIG_E=""',
        'CONFIG_I=-1',
        'CONFIG_H=0x1000000',
        '',
      ].join('\n'),
    );
  });

  it("writes conf's header block and honours the prefix", () => {
    const text = writeDotConfig([{ name: 'A', type: 'bool', value: 'n' }], {
      prefix: 'XY_',
      header: 'Automatically generated file; DO NOT EDIT.\nLinux/x86 6.1.192 Kernel Configuration',
    });
    expect(text).toBe(
      '#\n# Automatically generated file; DO NOT EDIT.\n# Linux/x86 6.1.192 Kernel Configuration\n#\n# XY_A is not set\n',
    );
    expect(writeDotConfig([])).toBe('');
  });

  it('reproduces the real excerpt from its own entries', () => {
    const config = parseDotConfig(DEBIAN_EXCERPT, 't');
    const values = config.entries.map((e) => {
      const type: SymbolType = e.quoted ? 'string' : /^[ymn]$/.test(e.value) ? 'tristate' : 'int';
      return { name: e.name, type, value: e.value };
    });
    const written = writeDotConfig(values);
    const expected = DEBIAN_EXCERPT.split('\n').filter((l) => /^(CONFIG_|# CONFIG_)/.test(l)).join('\n') + '\n';
    expect(written).toBe(expected);
    expect(parseDotConfig(written, 't').entries.map((e) => e.value)).toEqual(values.map((v) => v.value));
  });

  it('rejects a value its type cannot hold', () => {
    expect(() => writeDotConfig([{ name: 'A', type: 'bool', value: 'm' }])).toThrow(/bool symbol A/);
  });
});

describe('the whole Debian config', () => {
  const path = '/usr/src/linux-config-6.1/config.amd64_none_amd64.xz';
  const available = requireFile(path, 'the whole Debian config', 'apt-get install linux-config-6.1');

  it.skipIf(!available)('parses every assignment and round-trips', () => {
    const text = execFileSync('xz', ['-dc', path], { encoding: 'utf8', maxBuffer: 64 << 20 });
    const config = parseDotConfig(text, path);
    expect(config.entries.length).toBeGreaterThan(8000);
    expect(config.entries).toHaveLength(countAssignmentLines(text));
    expect(config.problems).toEqual([]);
    expect(serializeDotConfig(config)).toBe(text);
  });
});
