/**
 * The kernel's own Kconfig tests (scripts/kconfig/tests of Linux 6.1 and
 * 6.12), read from the trees at test time, each in its tree's dialect. Each
 * scenario is turned into kconfsat questions and answered as its expected
 * files say:
 *  - a configuration conf writes (allyes/allmod/allno, randconfig, defconfig,
 *    oldaskconfig): the evaluator, reading it, keeps every expected line, and
 *    it is a model of the SAT formula; alldefconfig and the answered
 *    oldaskconfig runs are computed by the evaluator and compared line by line;
 *  - choice_randomize*: the fixpoints are exactly the expected configurations
 *    (randconfig is to reach each; none other is valid);
 *  - errors (recursive dependency or inclusion, circular macro expansion)
 *    fail the load; the preprocessor's messages are the expected ones;
 *  - conf's interactive transcript (oldaskconfig/oldconfig stdout, fed what
 *    the test feeds: its keys, then empty lines): simulated on kconfsat's menu
 *    tree and interactive state (./conf-transcript.ts), it contains the
 *    expected stdout, as conf's must.
 * Every directory must be listed below, so a new one fails until it is; a
 * scenario whose expected file a tree lacks (6.12 dropped some) is not run there.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { Session } from '../../src/analysis/session.js';
import type { KconfigDialect } from '../../src/parse/dialect.js';
import { evaluateDetailed } from '../../src/model/evaluate.js';
import { loadKconfig } from '../../src/model/load.js';
import { KconfsatError } from '../../src/errors.js';
import { readConfigLines } from '../helpers/conf.js';
import { enumerateFixpoints } from './evaluator.js';
import { confTranscript } from './conf-transcript.js';

const TREES = [
  { dialect: '6.1', tree: process.env.KCONFSAT_LINUX_61, variable: 'KCONFSAT_LINUX_61' },
  { dialect: '6.12', tree: process.env.KCONFSAT_LINUX_612, variable: 'KCONFSAT_LINUX_612' },
] as const;

type Scenario =
  /** conf writes this file's lines; the evaluator must keep them and the formula accept them. */
  | { kind: 'keeps'; expected: string }
  /** The evaluator run on these user values (file, then every visible bool answered) writes the expected lines. */
  | { kind: 'computes'; expected: string; input?: string; answer?: 'y' | 'n' }
  | { kind: 'fixpoints'; expected: string[] }
  | { kind: 'fails'; message: RegExp }
  | { kind: 'messages'; stdout?: string; stderr?: string }
  /** conf --MODE with `input` as .config, fed `keys` then empty lines, prints a transcript containing `expected`. */
  | { kind: 'transcript'; mode: 'oldaskconfig' | 'oldconfig'; expected: string; input?: string; keys?: string };

/** What each test directory's __init__.py asks of conf. */
const SCENARIOS: Record<string, Scenario[]> = {
  auto_submenu: [{ kind: 'transcript', mode: 'oldaskconfig', expected: 'expected_stdout' }],
  choice: [
    { kind: 'transcript', mode: 'oldaskconfig', expected: 'oldask0_expected_stdout' },
    { kind: 'transcript', mode: 'oldaskconfig', expected: 'oldask1_expected_stdout', input: 'oldask1_config' },
    { kind: 'keeps', expected: 'allyes_expected_config' },
    { kind: 'keeps', expected: 'allmod_expected_config' },
    { kind: 'keeps', expected: 'allno_expected_config' },
    { kind: 'computes', expected: 'alldef_expected_config' },
  ],
  choice_randomize: [{ kind: 'fixpoints', expected: ['expected_config0', 'expected_config1', 'expected_config2'] }],
  choice_randomize2: [{ kind: 'fixpoints', expected: ['expected_config0', 'expected_config1', 'expected_config2'] }],
  choice_value_with_m_dep: [
    { kind: 'computes', expected: 'expected_config', input: 'config', answer: 'y' },
    { kind: 'transcript', mode: 'oldaskconfig', expected: 'expected_stdout', input: 'config', keys: 'y' },
  ],
  err_recursive_dep: [{ kind: 'fails', message: /recursive dependency/ }],
  err_recursive_inc: [{ kind: 'fails', message: /recursive/i }],
  inter_choice: [{ kind: 'computes', expected: 'expected_config', input: 'defconfig' }],
  new_choice_with_dep: [{ kind: 'transcript', mode: 'oldconfig', expected: 'expected_stdout', input: 'config', keys: 'y' }],
  no_write_if_dep_unmet: [{ kind: 'computes', expected: 'expected_config', input: 'config', answer: 'n' }],
  'preprocess/builtin_func': [{ kind: 'messages', stdout: 'expected_stdout', stderr: 'expected_stderr' }],
  'preprocess/circular_expansion': [{ kind: 'fails', message: /Recursive variable 'X' references itself/ }],
  'preprocess/escape': [{ kind: 'messages', stderr: 'expected_stderr' }],
  'preprocess/variable': [{ kind: 'messages', stderr: 'expected_stderr' }],
};

function testDirectories(tree: string): string[] {
  const root = path.join(tree, 'scripts/kconfig/tests');
  const dirs: string[] = [];
  const visit = (rel: string): void => {
    const full = path.join(root, rel);
    if (fs.existsSync(path.join(full, '__init__.py'))) dirs.push(rel);
    for (const e of fs.readdirSync(full, { withFileTypes: true })) if (e.isDirectory()) visit(rel ? `${rel}/${e.name}` : e.name);
  };
  visit('');
  return dirs.sort();
}

for (const { dialect, tree, variable } of TREES) {
  describe.skipIf(!tree)(`Linux ${dialect}'s scripts/kconfig/tests (set $${variable} to run)`, () => {
    const dirs = tree ? testDirectories(tree) : [];
    it('every test directory has its scenarios listed', () => {
      expect(dirs.filter((d) => !(d in SCENARIOS))).toEqual([]);
    });
    for (const dir of dirs) {
      const testDir = (d: string): string => path.join(tree!, 'scripts/kconfig/tests', d);
      for (const scenario of (SCENARIOS[dir] ?? []).filter((s) => !('expected' in s) || [s.expected].flat().every((f) => fs.existsSync(path.join(testDir(dir), f))))) {
        const title = `${dir}: ${scenario.kind}${'expected' in scenario ? ` ${[scenario.expected].flat().join(', ')}` : ''}`;
        it(title, () => runScenario(testDir(dir), dialect, scenario));
      }
    }
  });
}

function runScenario(dir: string, dialect: KconfigDialect, scenario: Scenario): void {
  const read = (name: string): string => fs.readFileSync(path.join(dir, name), 'utf8');
  // the preprocessor tests run `$(shell,echo ...)` and `printf`, as conf does
  const load = () => loadKconfig({ tree: dir, dialect, env: { srctree: dir }, runShell: scenario.kind === 'messages' });
  switch (scenario.kind) {
    case 'fails': {
      let error: unknown;
      try {
        load();
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(KconfsatError);
      expect((error as KconfsatError).message).toMatch(scenario.message);
      return;
    }
    case 'messages': {
      const loaded = load();
      const line = (d: (typeof loaded.diagnostics)[number]): string => `${d.location?.file}:${d.location?.line}: ${d.message}`;
      if (scenario.stdout) expect(loaded.diagnostics.filter((d) => d.kind === 'info').map((d) => `${d.message}\n`).join('')).toContain(read(scenario.stdout));
      if (scenario.stderr) expect(loaded.diagnostics.filter((d) => d.kind === 'warning').map((d) => `${line(d)}\n`).join('')).toBe(read(scenario.stderr));
      return;
    }
    case 'keeps': {
      const session = Session.open({ tree: dir, dialect });
      const expected = readConfigLines(read(scenario.expected));
      const r = evaluateDetailed(session.model, expected);
      expect(written(r, expected)).toEqual(expected);
      expect(session.formula.solve(session.assumptionsFor(r.values))).toBe('sat');
      return;
    }
    case 'computes': {
      const model = load().model;
      const user = scenario.input ? readConfigLines(read(scenario.input)) : new Map<string, string>();
      if (scenario.answer) {
        // oldaskconfig asks every visible bool/tristate, whatever the file says; the test answers them all alike
        const first = evaluateDetailed(model, user);
        for (const s of model.symbols) {
          if (!s.ownChoice && s.prompts.length > 0 && first.written.has(s.name) && (s.type === 'bool' || s.type === 'tristate')) user.set(s.name, scenario.answer);
        }
      }
      const expected = readConfigLines(read(scenario.expected));
      expect(written(evaluateDetailed(model, user), expected)).toEqual(expected);
      return;
    }
    case 'fixpoints': {
      const model = load().model;
      const configs = (maps: Map<string, string>[]): string[] => maps.map((m) => [...m].map(([k, v]) => `${k}=${v}`).sort().join(' ')).sort();
      const expected = scenario.expected.map((f) => readConfigLines(read(f)));
      const fixpoints = enumerateFixpoints(model).map((values) => {
        const r = evaluateDetailed(model, values);
        return new Map([...r.written].map((n) => [n, r.values.get(n)!]));
      });
      expect(configs(fixpoints)).toEqual(configs(expected));
      return;
    }
    case 'transcript': {
      const model = load().model;
      const config = scenario.input ? [...readConfigLines(read(scenario.input))] : undefined;
      // the test writes its keys, then a newline whenever conf waits for one
      const run = confTranscript(model, { mode: scenario.mode, stdin: `${scenario.keys ?? ''}${'\n'.repeat(1000)}`, config });
      expect(run.stdout).toContain(read(scenario.expected));
      return;
    }
  }
}

/** The evaluator's written values of the symbols `expected` names (a missing one stays missing). */
function written(r: ReturnType<typeof evaluateDetailed>, expected: Map<string, string>): Map<string, string> {
  return new Map([...expected.keys()].filter((n) => r.written.has(n)).map((n) => [n, r.values.get(n)!]));
}
