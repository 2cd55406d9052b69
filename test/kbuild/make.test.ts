/**
 * The make reader against GNU make itself: for every value of the CONFIG_
 * variables, the words whose conditions hold are exactly the words make
 * prints for that configuration.
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { evaluate } from '../../src/kbuild/condition.js';
import { MakeState, type FreeInput } from '../../src/kbuild/make.js';
import { anyTristate } from '../../src/kbuild/tree.js';
import { formattedError } from '../helpers/errors.js';
import { requireCommand } from '../helpers/requires.js';
import { scratchDir } from '../helpers/scratch.js';

const tmp = scratchDir('kbuild-make');

function read(text: string): { state: MakeState; free: FreeInput[] } {
  const free: FreeInput[] = [];
  const state = new MakeState({ config: anyTristate, free });
  state.read('Makefile', text);
  return { state, free };
}

/** Every assignment of y/m/n to the names. */
function configs(names: string[]): Map<string, string>[] {
  let out: Map<string, string>[] = [new Map()];
  for (const n of names) out = out.flatMap((c) => ['y', 'm', 'n'].map((v) => new Map([...c, [n, v]])));
  return out;
}

const hasMake = requireCommand('make', 'the make reader against GNU make');

/** What make prints for VARS under one configuration (n: the variable left undefined, as auto.conf leaves it). */
function makeSays(text: string, vars: string[], config: Map<string, string>): Map<string, string[]> {
  const file = path.join(tmp(), 'Makefile');
  const defs = [...config].filter(([, v]) => v !== 'n').map(([k, v]) => `CONFIG_${k}=${v}`);
  fs.writeFileSync(file, `${text}\n${vars.map((v) => `$(info ${v}: $(${v}))`).join('\n')}\nall: ;\n`);
  const out = execFileSync('make', ['-s', '-f', file, ...defs], { encoding: 'utf8', cwd: tmp() });
  return new Map(out.trim().split('\n').map((l) => [l.slice(0, l.indexOf(':')), l.slice(l.indexOf(':') + 1).trim().split(/\s+/).filter((w) => w)]));
}

const SNIPPETS: { name: string; text: string; vars: string[]; symbols: string[] }[] = [
  { name: 'obj-$(CONFIG_X)', text: 'obj-$(CONFIG_A) += a.o\nobj-y += b.o\nobj-$(CONFIG_B) += c.o d/', vars: ['obj-y', 'obj-m'], symbols: ['A', 'B'] },
  {
    name: 'deferred expansion of a helper list',
    text: 'dom0-$(CONFIG_A) += acpi.o $(pad-y)\npad-$(CONFIG_B) += pad.o\nobj-$(CONFIG_C) += $(dom0-y)',
    vars: ['obj-y', 'obj-m'],
    symbols: ['A', 'B', 'C'],
  },
  {
    name: 'ifeq, ifneq, ifdef, else ifeq',
    text: 'ifeq ($(CONFIG_A),y)\nobj-y += a.o\nelse ifeq ($(CONFIG_A),m)\nobj-y += am.o\nelse\nobj-y += an.o\nendif\nifdef CONFIG_B\n\tobj-y += b.o\nendif\nifneq ($(CONFIG_C)$(CONFIG_B),)\nobj-m += cb.o\nendif',
    vars: ['obj-y', 'obj-m'],
    symbols: ['A', 'B', 'C'],
  },
  {
    name: 'overwrite under a condition, ?=',
    text: 'x := one.o\nifdef CONFIG_A\nx := two.o\nendif\ny ?= three.o\nifeq ($(CONFIG_B),m)\ny ?= four.o\nendif\nobj-y += $(x) $(y)',
    vars: ['obj-y'],
    symbols: ['A', 'B'],
  },
  {
    name: 'substitution references and subst over several values',
    text: 'obj-$(CONFIG_A:m=y) += a.o\nobj-$(subst y,$(CONFIG_A),$(CONFIG_B)) += ab.o\nV := 1 2\nobj-y += $(V:%=v%.o)\nobj-y += $(addprefix sub/,$(filter-out b%,bx.o c.o))',
    vars: ['obj-y', 'obj-m'],
    symbols: ['A', 'B'],
  },
];

describe.skipIf(!hasMake)('make reader against GNU make', () => {
  for (const s of SNIPPETS) {
    it(s.name, () => {
      const { state, free } = read(s.text);
      expect(free).toEqual([]);
      for (const config of configs(s.symbols)) {
        const theirs = makeSays(s.text, s.vars, config);
        for (const v of s.vars) {
          const ours = state.words(v).filter((w) => evaluate(w.cond, config) === true).map((w) => w.word);
          expect([...ours].sort(), `${v} under ${[...config].map(([k, x]) => `${k}=${x}`).join(' ')}`).toEqual([...theirs.get(v)!].sort());
        }
      }
    });
  }
});

describe('make reader: what it cannot read', () => {
  it('a $(shell) or $(wildcard) word is left out and counted as a free input at its line', () => {
    const { state, free } = read('obj-y += a.o\nobj-y += $(shell ls)\nifeq ($(call cc-option,-x),)\nobj-y += c.o\nendif');
    expect(state.words('obj-y').map((w) => w.word)).toEqual(['a.o', 'c.o']);
    expect(free.map((f) => `${f.loc.line} ${f.text}`).sort()).toEqual(['2 $(shell ls)', '3 $(call cc-option,-x)', '3 ifeq ($(call cc-option,-x),)']);
    // c.o hangs on the free input: neither built nor not for any configuration.
    expect(evaluate(state.words('obj-y')[1]!.cond, new Map())).toBeUndefined();
  });

  it('unbalanced conditionals are one error at the line', () => {
    const err = (text: string): string => formattedError(() => read(text));
    expect(err('obj-y += a.o\nendif')).toBe('Makefile:2: endif without ifeq/ifdef');
    expect(err('obj-y += a.o\nelse')).toBe('Makefile:2: else without ifeq/ifdef');
    expect(err('ifdef CONFIG_A\nobj-y += a.o\n')).toBe('Makefile:1: ifeq/ifdef without endif');
    expect(err('ifeq (a,b,c)\nendif')).toBe("Makefile:1: cannot read 'ifeq (a,b,c)'");
  });
});
