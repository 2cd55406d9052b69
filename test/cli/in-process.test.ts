/**
 * The command line run in-process (main.ts's run()): what the fuzzing drives.
 * The output is captured, the exit code returned, and nothing of one run
 * (exit code, output place) carries over into the next.
 */
import { describe, expect, it } from 'vitest';
import { run } from '../../src/cli/main.js';

const FIXED = 'corpora/examples/xen-zone-device/fixed';

async function captured(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const out = { stdout: '', stderr: '' };
  const code = await run(args, { stdout: (t) => (out.stdout += t), stderr: (t) => (out.stderr += t) });
  return { code, ...out };
}

describe('run(argv, io)', () => {
  it("a no (exit 1), then a usage error (exit 2), then help (exit 0): each run's own code and output", async () => {
    const no = await captured('query', '--tree', FIXED, '--arch', 'i386', 'XEN_UNPOPULATED_ALLOC=y');
    expect(no.code).toBe(1);
    expect(no.stdout).toMatch(/^XEN_UNPOPULATED_ALLOC=y on i386: no\n {2}because /);
    const usage = await captured('query', '--no-such-option');
    expect(usage).toEqual({ code: 2, stdout: '', stderr: "kconfsat: unknown option '--no-such-option'\nsee kconfsat query --help\n" });
    const help = await captured('dimacs', '--help');
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('Usage: kconfsat dimacs');
    expect(help.stderr).toBe('');
  });

  it('an input error: one line on the captured stderr, exit 2, the process untouched', async () => {
    const r = await captured('info', '--tree', '/nonexistent-kconfsat-tree');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^kconfsat: .*\n$/);
    expect(process.exitCode).toBeUndefined();
  });
});
