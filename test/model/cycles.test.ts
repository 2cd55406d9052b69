/**
 * Recursive dependencies as conf's sym_check_deps reports them (linux-6.1
 * scripts/kconfig/symbol.c): which edges count, the cycle's steps and their
 * lines. Each expected report below was printed by the real conf; with
 * KCONFSAT_CONF set, the comparison runs against conf again.
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { KconfsatError } from '../../src/errors.js';
import { dependencyCycles, dependencyOrder, formatCycle, wouldCreateCycle } from '../../src/model/cycles.js';
import { symbolsOf } from '../../src/model/expr.js';
import { loadKconfig } from '../../src/model/load.js';
import type { KconfigModel, KSymbol } from '../../src/model/types.js';
import { MemorySourceFiles } from '../../src/parse/files.js';
import { requireEnv } from '../helpers/requires.js';
import { arbKconfig } from '../reference/random-kconfig.js';

const CONF = requireEnv('KCONFSAT_CONF', 'cycles against the real conf');

function load(kconfig: string): KconfigModel {
  return loadKconfig({ tree: new MemorySourceFiles({ Kconfig: kconfig }), recursiveDependencies: 'warn' }).model;
}

function sym(model: KconfigModel, name: string): KSymbol {
  const s = model.byName.get(name);
  if (!s) throw new Error(`no symbol ${name}`);
  return s;
}

function report(kconfig: string): string[] {
  return dependencyCycles(load(kconfig)).flatMap(formatCycle);
}

/** conf's stderr lines about cycles, in formatCycle's form (`file:line: text`). */
function confReport(kconfig: string): string[] {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kconfsat-cycle-'));
  fs.writeFileSync(path.join(dir, 'Kconfig'), kconfig);
  let stderr = '';
  try {
    execFileSync(CONF!, ['-s', '--alldefconfig', 'Kconfig'], { cwd: dir, env: { srctree: dir }, stdio: 'pipe' });
  } catch (e) {
    stderr = String((e as { stderr: Buffer }).stderr);
  }
  return stderr
    .split('\n')
    .flatMap((line) => {
      const m = /^(.*?):(\d+):(?:error: |\t)(.*)$/.exec(line);
      return m ? [`${m[1]}:${m[2]}: ${m[3]}`] : [];
    });
}

interface Case {
  name: string;
  kconfig: string;
  expected: string[];
}

const cases: Case[] = [
  {
    name: 'depends on, both ways',
    kconfig: 'config A\n\tbool "a"\n\tdepends on B\n\nconfig B\n\tbool "b"\n\tdepends on A\n',
    expected: [
      'Kconfig:5: recursive dependency detected!',
      'Kconfig:5: symbol B depends on A',
      'Kconfig:1: symbol A depends on B',
    ],
  },
  {
    name: 'a symbol depending on itself',
    kconfig: 'config A\n\tbool "a"\n\tdepends on A\n',
    expected: [
      'Kconfig:1: recursive dependency detected!',
      'Kconfig:1: symbol A depends on A',
    ],
  },
  {
    name: 'select of a symbol one depends on',
    kconfig: 'config X\n\tbool "x"\n\nconfig Y\n\tbool "y"\n\tdepends on X\n\tselect X\n',
    expected: [
      'Kconfig:4: recursive dependency detected!',
      'Kconfig:4: symbol Y depends on X',
      'Kconfig:1: symbol X is selected by Y',
    ],
  },
  {
    name: 'imply of a symbol one depends on',
    kconfig: 'config X\n\tbool "x"\n\nconfig Y\n\tbool "y"\n\tdepends on X\n\timply X\n',
    expected: [
      'Kconfig:4: recursive dependency detected!',
      'Kconfig:4: symbol Y depends on X',
      'Kconfig:1: symbol X is implied by Y',
    ],
  },
  {
    name: 'default value',
    kconfig: 'config A\n\tbool "a"\n\tdefault B\n\nconfig B\n\tbool "b"\n\tdepends on A\n',
    expected: [
      'Kconfig:5: recursive dependency detected!',
      'Kconfig:5: symbol B depends on A',
      'Kconfig:3: symbol A default value contains B',
    ],
  },
  {
    name: 'default condition',
    kconfig: 'config A\n\tbool "a"\n\tdefault y if B\n\nconfig B\n\tbool "b"\n\tdepends on A\n',
    expected: [
      'Kconfig:5: recursive dependency detected!',
      'Kconfig:5: symbol B depends on A',
      'Kconfig:3: symbol A default is visible depending on B',
    ],
  },
  {
    name: 'prompt condition',
    kconfig: 'config A\n\tbool "a" if B\n\nconfig B\n\tbool "b"\n\tdepends on A\n',
    expected: [
      'Kconfig:4: recursive dependency detected!',
      'Kconfig:4: symbol B depends on A',
      'Kconfig:2: symbol A prompt is visible depending on B',
    ],
  },
  {
    name: 'range condition',
    kconfig: 'config A\n\tint "a"\n\trange 1 4 if B\n\nconfig B\n\tbool "b"\n\tdepends on A != 0\n',
    expected: [
      'Kconfig:5: recursive dependency detected!',
      'Kconfig:5: symbol B depends on A',
      'Kconfig:3: symbol A range is visible depending on B',
    ],
  },
  {
    name: 'a choice member reaching another member',
    kconfig: 'choice\n\tprompt "c"\n\nconfig M1\n\tbool "m1"\n\nconfig M2\n\tbool "m2"\n\tdepends on X\n\nendchoice\n\nconfig X\n\tbool "x"\n\tdepends on M1\n',
    expected: [
      'Kconfig:1: recursive dependency detected!',
      'Kconfig:1: choice <choice> contains symbol M2',
      'Kconfig:7: symbol M2 is part of choice X',
      'Kconfig:13: symbol X depends on M1',
      'Kconfig:4: symbol M1 is part of choice <choice>',
    ],
  },
  {
    name: "a choice's dependencies reaching its member",
    kconfig: 'choice\n\tprompt "c"\n\tdepends on X\n\nconfig M1\n\tbool "m1"\n\nendchoice\n\nconfig X\n\tbool "x"\n\tdefault M1\n',
    expected: [
      'Kconfig:1: recursive dependency detected!',
      'Kconfig:1: choice <choice> contains symbol X',
      'Kconfig:12: symbol X default value contains M1',
      'Kconfig:5: symbol M1 is part of choice <choice>',
    ],
  },
  {
    name: 'two separate cycles',
    kconfig:
      'config A\n\tbool "a"\n\tdepends on B\n\nconfig B\n\tbool "b"\n\tdepends on A\n\n' +
      'config C\n\tbool "c"\n\nconfig D\n\tbool "d"\n\tdepends on C\n\tselect C if A\n',
    expected: [
      'Kconfig:5: recursive dependency detected!',
      'Kconfig:5: symbol B depends on A',
      'Kconfig:1: symbol A depends on B',
      'Kconfig:12: recursive dependency detected!',
      'Kconfig:12: symbol D depends on C',
      'Kconfig:9: symbol C is selected by D',
    ],
  },
  {
    name: 'a chain with no way back',
    kconfig:
      'config A\n\tbool "a"\n\tdepends on B\n\tselect D\n\nconfig B\n\tbool "b"\n\tdefault C\n\nconfig C\n\tbool "c"\n\n' +
      'choice\n\tprompt "c"\n\tdepends on C\n\nconfig M1\n\tbool "m1"\n\tdepends on A\n\nconfig D\n\tbool "d"\n\nendchoice\n',
    expected: [],
  },
  {
    name: "a menu's `visible if` (conf puts it on the prompt)",
    kconfig: 'menu "m"\n\tvisible if B\n\nconfig A\n\tbool "a"\n\nendmenu\n\nconfig B\n\tbool "b"\n\tdepends on A\n',
    expected: [
      'Kconfig:9: recursive dependency detected!',
      'Kconfig:9: symbol B depends on A',
      'Kconfig:5: symbol A prompt is visible depending on B',
    ],
  },
  {
    name: 'a cycle of five through every kind of edge',
    kconfig:
      'config MODULES\n\tbool "m"\n\tmodules\n\n' +
      'config ALPHA\n\tbool "a"\n\tdepends on BRAVO\n\n' +
      'config BRAVO\n\ttristate "b"\n\tdefault CHARLIE\n\n' +
      'config CHARLIE\n\tbool "c" if DELTA\n\n' +
      'config DELTA\n\tint "d"\n\trange 0 4 if ECHO\n\n' +
      'config ECHO\n\tbool "e"\n\nconfig FOXTROT\n\tbool "f"\n\tdepends on ALPHA\n\tselect ECHO\n',
    expected: [
      'Kconfig:18: recursive dependency detected!',
      'Kconfig:18: symbol DELTA range is visible depending on ECHO',
      'Kconfig:20: symbol ECHO is selected by FOXTROT',
      'Kconfig:23: symbol FOXTROT depends on ALPHA',
      'Kconfig:5: symbol ALPHA depends on BRAVO',
      'Kconfig:11: symbol BRAVO default value contains CHARLIE',
      'Kconfig:14: symbol CHARLIE prompt is visible depending on DELTA',
    ],
  },
  {
    name: 'two definitions, the cycle through the second',
    kconfig:
      'config A\n\tbool "a"\n\nconfig B\n\tbool "b"\n\nif B\nconfig A\n\tdefault y\nendif\n\nconfig B\n\tdefault A\n',
    expected: [
      'Kconfig:13: recursive dependency detected!',
      'Kconfig:13: symbol B default value contains A',
      'Kconfig:1: symbol A depends on B',
    ],
  },
  {
    name: "`depends on m` brings in MODULES",
    kconfig: 'config MODULES\n\tbool "m"\n\tmodules\n\tdepends on T\n\nconfig T\n\ttristate "t"\n\tdepends on m\n',
    expected: [
      'Kconfig:6: recursive dependency detected!',
      'Kconfig:6: symbol T depends on MODULES',
      'Kconfig:1: symbol MODULES depends on T',
    ],
  },
  {
    name: 'a choice inside an if, its member selecting what the if tests',
    kconfig:
      'config GATE\n\tbool "g"\n\nif GATE\nchoice\n\tprompt "c"\n\nconfig M1\n\tbool "m1"\n\tselect OTHER\n\nconfig M2\n\tbool "m2"\n\nendchoice\nendif\n\n' +
      'config OTHER\n\tbool\n\nconfig GATE2\n\tbool "g2"\n\tdepends on OTHER\n',
    expected: [],
  },
  {
    name: 'an entry nested under a member (not a member itself) reaching the choice',
    kconfig:
      'choice\n\tprompt "c"\n\tdepends on SUB\n\nconfig M1\n\tbool "m1"\n\nconfig SUB\n\tbool "sub"\n\tdepends on M1\n\nendchoice\n',
    expected: [
      'Kconfig:1: recursive dependency detected!',
      'Kconfig:1: choice <choice> contains symbol SUB',
      'Kconfig:8: symbol SUB depends on <choice>',
    ],
  },
];

describe('dependencyCycles', () => {
  for (const c of cases) {
    it(c.name, () => {
      expect(report(c.kconfig)).toEqual(c.expected);
    });
  }
});

describe('dependencyOrder', () => {
  /** The symbols conf's check walks from `sym`: what its value is computed from. */
  const reads = (sym: KSymbol): KSymbol[] =>
    [
      ...sym.definitions.map((d) => d.dependency),
      ...[...sym.selectedBy, ...sym.impliedBy].flatMap((r) => (r.writtenCondition ? [r.writtenCondition] : [])),
      ...sym.prompts.map((p) => p.visibility),
      ...sym.defaults.flatMap((d) => (sym.ownChoice ? [d.condition] : [d.condition, d.value])),
      ...sym.ranges.map((r) => r.condition),
    ].flatMap((e) => [...symbolsOf(e)]).concat([...sym.selectedBy, ...sym.impliedBy].map((r) => r.selector));

  it('puts every symbol once, after those its lines read, a choice just before its members (random trees)', () => {
    fc.assert(
      fc.property(arbKconfig(), (text) => {
        const model = load(text);
        const order = dependencyOrder(model);
        if (dependencyCycles(model).length > 0) expect(order).toBeUndefined();
        if (!order) return;
        expect(new Set(order).size).toBe(model.symbols.length);
        expect(order).toHaveLength(model.symbols.length);
        const node = (s: KSymbol): KSymbol => s.memberOf?.symbol ?? s;
        const at = new Map(order.map((s, i) => [s, i]));
        for (const s of model.symbols) {
          if (s.ownChoice) s.ownChoice.members.forEach((m, i) => expect(at.get(m)).toBe(at.get(s)! + 1 + i));
          for (const t of reads(s)) if (node(t) !== node(s)) expect(at.get(node(t))!).toBeLessThan(at.get(node(s))!);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('is undefined for a tree with a recursive dependency', () => {
    expect(dependencyOrder(load('config A\n\tbool "a"\n\tdepends on B\nconfig B\n\tbool "b"\n\tdepends on A\n'))).toBeUndefined();
    expect(dependencyOrder(load('config A\n\tbool "a"\n\tdepends on B\nconfig B\n\tbool "b"\n'))?.map((s) => s.name)).toEqual(['B', 'A']);
  });
});

describe.skipIf(!CONF)('against the real conf ($KCONFSAT_CONF)', () => {
  for (const c of cases) {
    it(c.name, () => {
      expect(report(c.kconfig)).toEqual(confReport(c.kconfig));
    });
  }
});

describe('loading a tree with a cycle', () => {
  const kconfig = 'config A\n\tbool "a"\n\tdepends on B\n\nconfig B\n\tbool "b"\n\tdepends on A\n';

  it('fails as conf does, with the cycle and its lines in one message', () => {
    let error: unknown;
    try {
      loadKconfig({ tree: new MemorySourceFiles({ Kconfig: kconfig }) });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(KconfsatError);
    expect((error as KconfsatError).format()).toBe(
      'Kconfig:5:1: recursive dependency detected: symbol B depends on A (Kconfig:5), symbol A depends on B (Kconfig:1)',
    );
  });

  it('names the first 20 steps of a long cycle and how many there are', () => {
    const chain = Array.from({ length: 100 }, (_, i) => `config S${i}\n\tbool "s"\n\tdepends on S${(i + 1) % 100}\n`).join('');
    let error: unknown;
    try {
      loadKconfig({ tree: new MemorySourceFiles({ Kconfig: chain }) });
    } catch (e) {
      error = e;
    }
    const message = (error as KconfsatError).message;
    expect(message.split(', ')).toHaveLength(21);
    expect(message).toMatch(/^recursive dependency detected: symbol S\d+ depends on S\d+ \(Kconfig:\d+\), .*, \.\.\. \(100 steps in all\)$/);
  });

  it("keeps the model and lists the cycles with recursiveDependencies: 'warn' (BusyBox's and toybox's conf)", () => {
    const loaded = loadKconfig({ tree: new MemorySourceFiles({ Kconfig: kconfig }), recursiveDependencies: 'warn' });
    expect(loaded.cycles.map((c) => c.steps.map((s) => s.symbol.name))).toEqual([['B', 'A']]);
    expect(loaded.model.byName.get('A')?.prompts).toHaveLength(1);
  });
});

describe('wouldCreateCycle', () => {
  const model = load(
    'config A\n\tbool "a"\n\tdepends on B\n\nconfig B\n\tbool "b"\n\tselect C\n\nconfig C\n\tbool "c"\n\n' +
      'choice\n\tprompt "ch"\n\nconfig M1\n\tbool "m1"\n\nconfig M2\n\tbool "m2"\n\nendchoice\n',
  );
  const [A, B, C, M1, M2] = ['A', 'B', 'C', 'M1', 'M2'].map((n) => sym(model, n)) as [KSymbol, KSymbol, KSymbol, KSymbol, KSymbol];
  const steps = (from: KSymbol, to: KSymbol, kind: 'depends on' | 'select' | 'imply'): string[] | undefined =>
    wouldCreateCycle(model, { from, to, kind })?.steps.map((s) => `${s.symbol.name} ${s.relation} ${s.next.name}`);

  it('finds the way back through existing dependencies and selects', () => {
    expect(steps(B, A, 'depends on')).toEqual(['B depends on A', 'A depends on B']);
    expect(steps(B, C, 'depends on')).toEqual(['B depends on C', 'C is selected by B']);
    expect(steps(A, B, 'select')).toEqual(['B is selected by A', 'A depends on B']);
    expect(steps(A, B, 'imply')).toEqual(['B is implied by A', 'A depends on B']);
  });

  it('answers undefined when nothing leads back', () => {
    expect(steps(C, A, 'depends on')).toBeUndefined();
    expect(steps(B, A, 'select')).toBeUndefined();
  });

  it('counts a member reaching another member of its choice, not its own choice', () => {
    expect(steps(M1, M2, 'depends on')).toEqual([
      '<choice 1> contains symbol M1',
      'M1 depends on M2',
      'M2 is part of choice <choice 1>',
    ]);
    expect(steps(M1, M1.memberOf!.symbol, 'depends on')).toBeUndefined();
  });

  it('leaves the model as it was', () => {
    expect(dependencyCycles(model)).toEqual([]);
  });
});
