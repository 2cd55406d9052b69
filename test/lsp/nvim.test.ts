/**
 * A real editor drives the language server end to end: Neovim headless with
 * its built-in LSP client (test/lsp/nvim-client.lua) on the seed tree.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import { ensureBuilt, MAIN, REPO } from '../cli/run.js';
import { scratchDir } from '../helpers/scratch.js';

const NVIM = spawnSync('nvim', ['--version'], { encoding: 'utf8' }).status === 0;
if (!NVIM) process.stderr.write('skipped: test/lsp/nvim.test.ts: no nvim on PATH: apt-get install neovim (.ci/run does)\n');

interface Seen {
  error?: string;
  messages: string[];
  diagnostics: { line: number; col: number; end_col: number; severity: number; message: string }[];
  hover: string;
  definition: { uri: string; range: { start: { line: number; character: number } } }[];
  actions: string[];
  line13: string;
  cleared: boolean;
}

describe.runIf(NVIM)('Neovim with kconfsat lsp on the seed tree', () => {
  const scratch = scratchDir('nvim');
  let seen: Seen;
  beforeAll(() => {
    ensureBuilt();
    const out = path.join(scratch(), 'seen.json');
    const r = spawnSync('nvim', ['--headless', '--clean', '-n', '-c', `luafile ${path.join(REPO, 'test/lsp/nvim-client.lua')}`], {
      cwd: REPO,
      encoding: 'utf8',
      timeout: 240_000,
      env: { ...process.env, KCONFSAT_NODE: process.execPath, KCONFSAT_MAIN: MAIN, KCONFSAT_NVIM_TREE: path.join(REPO, 'corpora/examples/xen-zone-device/buggy'), KCONFSAT_NVIM_OUT: out },
    });
    if (!fs.existsSync(out)) throw new Error(`nvim wrote nothing (status ${r.status}): ${r.stdout}${r.stderr}`);
    seen = JSON.parse(fs.readFileSync(out, 'utf8')) as Seen;
  }, 300_000);

  test('the client ran through without an error or a refused message', () => {
    expect(seen.error).toBeUndefined();
    expect(seen.messages).toEqual([]);
  });

  test('the diagnostic for select ZONE_DEVICE is on its line and names both arches', () => {
    expect(seen.diagnostics.map((d) => [d.line, d.col, d.end_col, d.severity])).toEqual([[12, 8, 19, 2]]);
    expect(seen.diagnostics[0]!.message.split('\n')[0]).toBe(
      'select ZONE_DEVICE: unmet direct dependencies on i386, x86_64: XEN_UNPOPULATED_ALLOC=y forces ZONE_DEVICE while its dependencies ' +
        '(MEMORY_HOTPLUG && MEMORY_HOTREMOVE && SPARSEMEM_VMEMMAP && ARCH_HAS_PTE_DEVMAP) are n (conf warns "unmet direct dependencies detected for ZONE_DEVICE")',
    );
    expect(seen.diagnostics[0]!.message.split('\n')[1]).toBe('witness on i386: XEN_UNPOPULATED_ALLOC=y MEMORY_HOTPLUG=n MEMORY_HOTREMOVE=n SPARSEMEM_VMEMMAP=n ARCH_HAS_PTE_DEVMAP=n');
  });

  test('hover on ZONE_DEVICE: it cannot be y on i386 with its dependencies met, and why', () => {
    const lines = seen.hover.split('\n');
    expect(lines[0]).toBe('**ZONE_DEVICE** (bool) "Device memory (pmem, HMM, etc...) hotplug support"');
    expect(seen.hover).toContain('- on i386: can be n, y\n  - ZONE_DEVICE cannot be y on i386 with its dependencies met (only a select forcing it past them makes it y):');
    expect(seen.hover).toContain('ARCH_HAS_PTE_DEVMAP: selected by X86 (select ARCH_HAS_PTE_DEVMAP if X86_64) (arch/x86/Kconfig:21)');
    expect(seen.hover).not.toContain('cannot be y on x86_64');
  });

  test('go to definition leads to mm/Kconfig', () => {
    expect(seen.definition.map((l) => [l.uri.endsWith('/buggy/mm/Kconfig'), l.range.start.line])).toEqual([[true, 29]]);
  });

  test('the preferred code action turns the select into depends on ZONE_DEVICE, and the diagnostic goes away', () => {
    expect(seen.actions[0]).toBe('XEN_UNPOPULATED_ALLOC: select ZONE_DEVICE -> depends on ZONE_DEVICE (verified on i386, x86_64)');
    expect(seen.line13).toBe('\tdepends on ZONE_DEVICE');
    expect(seen.cleared).toBe(true);
  });
});
