/**
 * $(shell,...) runs only when asked (--run-shell, LoadOptions.runShell): a
 * tree whose macros would write files leaves none behind by default, through
 * the library and through the command line, and writes them when asked.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { Session } from '../../src/analysis/session.js';
import { query } from '../../src/analysis/query.js';
import { ensureBuilt, run } from '../cli/run.js';
import { scratchDir } from '../helpers/scratch.js';

// The kernel's own probe idiom (scripts/Kconfig.include) and a plain immediate assignment, each writing a file.
const KCONFIG = `if-success = $(shell,{ $(1); } >/dev/null 2>&1 && echo "$(2)" || echo "$(3)")
success = $(if-success,$(1),y,n)
TOUCHED := $(shell,touch touched-by-shell)

config CC_HAS_PROBE
\tdef_bool $(success,sh -c 'echo x > written-by-shell')

config A
\tbool "a"
\tdepends on CC_HAS_PROBE
`;
const WRITTEN = ['touched-by-shell', 'written-by-shell'];

const tree = scratchDir('shell', { perTest: true });
beforeEach(() => fs.writeFileSync(path.join(tree(), 'Kconfig'), KCONFIG));

const written = (): string[] => WRITTEN.filter((f) => fs.existsSync(path.join(tree(), f)));

describe('library', () => {
  it('runs no command by default: no file, and the probe that matters is a free input', () => {
    const session = Session.open({ tree: tree() });
    expect(written()).toEqual([]);
    expect(session.model.inputs.map((i) => i.origin)).toEqual([
      "$(shell,{ sh -c 'echo x > written-by-shell'; } >/dev/null 2>&1 && echo \"y\" || echo \"n\")",
    ]);
    expect(query(session, ['A=y']).satisfiable).toBe(true);
  });

  it('runs the commands with runShell', () => {
    const session = Session.open({ tree: tree(), runShell: true });
    expect(written()).toEqual(WRITTEN);
    expect(fs.readFileSync(path.join(tree(), 'written-by-shell'), 'utf8')).toBe('x\n');
    expect(session.model.inputs).toEqual([]);
    expect(query(session, ['A=y']).satisfiable).toBe(true);
  });
});

describe('command line', () => {
  beforeAll(ensureBuilt);

  it('runs no command by default', () => {
    const r = run('--tree', tree(), 'query', 'A=y');
    expect(r.status).toBe(0);
    expect(written()).toEqual([]);
    expect(r.stdout).toContain('note: $(shell,...) toolchain probes were left free');
  });

  it('runs no command under --timeout either (the worker gets the same options)', () => {
    expect(run('--timeout', '60', '--tree', tree(), 'query', 'A=y').status).toBe(0);
    expect(written()).toEqual([]);
  });

  it('runs the commands with --run-shell', () => {
    const r = run('--run-shell', '--tree', tree(), 'query', 'A=y');
    expect(r.status).toBe(0);
    expect(written()).toEqual(WRITTEN);
    expect(r.stdout).not.toContain('note: $(shell,...)');
  });
});
