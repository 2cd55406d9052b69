/**
 * Inputs the fuzzing (test/fuzz, scripts/fuzz) and its targeted probes broke
 * kconfsat with, each kept with the error it now gives.
 */
import { describe, expect, it } from 'vitest';
import { Session } from '../../src/analysis/session.js';
import { run } from '../../src/cli/main.js';
import { KconfsatError } from '../../src/errors.js';
import { MemorySourceFiles } from '../../src/parse/files.js';

function loadError(kconfig: string): string {
  try {
    Session.open({ tree: new MemorySourceFiles({ Kconfig: kconfig }) });
  } catch (e) {
    if (e instanceof KconfsatError) return e.format();
    throw e;
  }
  throw new Error('loaded');
}

describe('fuzzing regressions', () => {
  it('a variable doubled 30 times: an error at the line, not a RangeError (Invalid string length)', () => {
    const text = `X := x\n${'X := $(X)$(X)\n'.repeat(30)}config A\n\tstring "a"\n\tdefault "$(X)"\n`;
    // the failing line is a := assignment: conf reports its messages at the next line (yylineno)
    expect(loadError(text)).toBe('Kconfig:23:1: macro expansion longer than 1048576 characters');
  });

  it('31 lines of 70,000 backslashes continuing one another: read in linear time (1 s of CPU in CI before)', () => {
    const text = `${'\\'.repeat(70_000)}\n`.repeat(31);
    const cpu = process.cpuUsage();
    expect(loadError(text)).toBe("Kconfig:1:1: unexpected character '\\'");
    const used = process.cpuUsage(cpu);
    expect((used.user + used.system) / 1000).toBeLessThan(250);
  });

  it("--kconfig '' (the CLI fuzzing): a usage error naming the option, not \":0: can't find file \"", async () => {
    let stderr = '';
    const code = await run(['info', '--tree', 'corpora/examples/xen-zone-device/buggy', '--arch', 'i386', '--kconfig', ''], { stdout: () => {}, stderr: (t) => (stderr += t) });
    expect([code, stderr]).toEqual([2, 'kconfsat: --kconfig expects a file name, relative to the tree\n']);
  });
});
