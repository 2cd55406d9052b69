/**
 * Line conditions against gcc's preprocessor: for every configuration of the
 * symbols, the code lines gcc -E keeps (with autoconf.h as conf writes it and
 * the kernel's IS_ENABLED family) are exactly those whose condition holds.
 */
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { evaluate } from '../../src/kbuild/condition.js';
import { lineConditions } from '../../src/kbuild/cpp.js';
import { formattedError } from '../helpers/errors.js';
import { requireCommand } from '../helpers/requires.js';
import { keptLines } from '../../scripts/lib/cpp-output.js';

/** include/linux/kconfig.h's macros, written again for the test (IS_REACHABLE needs MODULE, left undefined). */
const KCONFIG_H = `
#define __ARG_PLACEHOLDER_1 0,
#define __take_second_arg(__ignored, val, ...) val
#define __is_defined(x) ___is_defined(x)
#define ___is_defined(val) ____is_defined(__ARG_PLACEHOLDER_##val)
#define ____is_defined(arg1_or_junk) __take_second_arg(arg1_or_junk 1, 0)
#define IS_BUILTIN(option) __is_defined(option)
#define IS_MODULE(option) __is_defined(option##_MODULE)
#define IS_ENABLED(option) __or(IS_BUILTIN(option), IS_MODULE(option))
#define __or(x, y) ___or(x, y)
#define ___or(x, y) ____or(__ARG_PLACEHOLDER_##x, y)
#define ____or(arg1_or_junk, y) __take_second_arg(arg1_or_junk 1, y)
`;

const C = `int a;
#ifdef CONFIG_A
int b; /* #endif in a comment is no directive */
#elif IS_MODULE(CONFIG_A) && !defined(CONFIG_B)
int c;
#else
# if IS_ENABLED(CONFIG_B) || (CONFIG_N > 4)
int d;
# endif
int e;
#endif
#if defined(CONFIG_B) \\
    && IS_BUILTIN(CONFIG_A)
int f;
#endif
const char *s = "#if";
#ifndef CONFIG_B
int g;
#endif
`;

function configs(): Map<string, string>[] {
  const out: Map<string, string>[] = [];
  for (const a of ['y', 'm', 'n']) for (const b of ['y', 'm', 'n']) for (const n of ['2', '8']) out.push(new Map([['A', a], ['B', b], ['N', n]]));
  return out;
}

function autoconf(config: Map<string, string>): string {
  return [...config]
    .flatMap(([k, v]) => (v === 'y' ? [`#define CONFIG_${k} 1`] : v === 'm' ? [`#define CONFIG_${k}_MODULE 1`] : v === 'n' ? [] : [`#define CONFIG_${k} ${v}`]))
    .join('\n');
}

/** The line numbers gcc -E keeps non-blank. */
function gccKeeps(text: string, prelude: string): Set<number> {
  const out = execFileSync('gcc', ['-E', '-undef', '-nostdinc', '-x', 'c', '-'], { input: `${prelude}\n# 1 "<file>"\n${text}`, encoding: 'utf8' });
  return keptLines(out, '<file>');
}

const hasGcc = requireCommand('gcc', 'the cpp reader against gcc -E');

describe('line conditions', () => {
  it.skipIf(!hasGcc)('agree with gcc -E on every configuration', () => {
    const lc = lineConditions('f.c', C);
    expect(lc.code.filter(Boolean).length).toBe(8);
    for (const config of configs()) {
      const kept = gccKeeps(C, `${autoconf(config)}\n${KCONFIG_H}`);
      const ours = new Set(lc.code.flatMap((isCode, i) => (isCode && evaluate(lc.cond[i]!, config) === true ? [i + 1] : [])));
      expect([...ours].sort(), [...config].join(' ')).toEqual([...kept].sort());
    }
  });

  it('other macros are free inputs; MODULE in IS_REACHABLE too', () => {
    const lc = lineConditions('f.c', '#if defined(__KERNEL__) && IS_REACHABLE(CONFIG_A)\nx;\n#endif\n');
    expect(evaluate(lc.cond[1]!, new Map([['A', 'y']]))).toBeUndefined();
    expect(evaluate(lc.cond[1]!, new Map([['A', 'n']]))).toBe(false);
    expect(lc.branches[1]).toEqual([1]);
  });

  it("a CONFIG_ macro the file #defines or #undefs itself is a free input, not the configuration's (dib0090.c)", () => {
    const text = '#define CONFIG_BAND_VHF\n#ifdef CONFIG_BAND_VHF\nv;\n#endif\n#undef CONFIG_B\n#if IS_ENABLED(CONFIG_B) || CONFIG_B > 1\nb;\n#endif\n#ifdef CONFIG_A\na;\n#endif\n';
    const lc = lineConditions('f.c', text);
    const none = new Map<string, string>();
    expect(evaluate(lc.cond[2]!, none)).toBeUndefined();
    expect(evaluate(lc.cond[6]!, new Map([['B', 'y']]))).toBeUndefined();
    expect(evaluate(lc.cond[9]!, none)).toBe(false);
    expect(evaluate(lc.cond[9]!, new Map([['A', 'y']]))).toBe(true);
  });

  it('unbalanced blocks are one error at the line', () => {
    const err = (text: string): string => formattedError(() => lineConditions('f.c', text));
    expect(err('a\n#endif\n')).toBe('f.c:2: #endif without #if');
    expect(err('#ifdef CONFIG_A\na\n')).toBe('f.c:1: #if without #endif');
    expect(err('#if 1\n#else\n#elif 2\n#endif\n')).toBe('f.c:3: #elif after #else (the #if is at line 1)');
    expect(err('#else\n')).toBe('f.c:1: #else without #if');
  });
});
