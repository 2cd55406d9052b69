/**
 * `kconfsat corpus list|fetch` as a user runs them (dist/ built by the other
 * CLI tests or here): the manifest's trees, the example fetched in place,
 * $XDG_CACHE_HOME honoured, and fetch-corpus's reason as one error line.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { scratchDir } from '../helpers/scratch.js';
import { ensureBuilt, MAIN, REPO } from './run.js';

beforeAll(ensureBuilt);
const tmp = scratchDir('corpus');

function kconfsat(args: string[], env: Record<string, string> = {}) {
  return spawnSync(process.execPath, [MAIN, ...args], { cwd: REPO, encoding: 'utf8', env: { ...process.env, ...env }, timeout: 60_000 });
}

describe('corpus', () => {
  it('lists every manifest entry; the cache is $XDG_CACHE_HOME/kconfsat', () => {
    const r = kconfsat(['--json', 'corpus', 'list'], { XDG_CACHE_HOME: tmp() });
    expect(r.status).toBe(0);
    const rows = JSON.parse(r.stdout) as { name: string; cachedVersion: string | null; dir: string; arches: string[] }[];
    expect(rows.map((x) => x.name)).toEqual(expect.arrayContaining(['linux-6.1', 'linux-6.12', 'busybox', 'u-boot', 'xen', 'toybox', 'xen-zone-device-buggy']));
    const linux = rows.find((x) => x.name === 'linux-6.1')!;
    expect(linux).toMatchObject({ dir: path.join(tmp(), 'kconfsat/linux-6.1'), cachedVersion: null });
    expect(linux.arches).toEqual(expect.arrayContaining(['i386', 'x86_64', 'arm64']));
    // A tree at hand lists the arches --arch all runs there (x86 itself too), not the manifest's.
    expect(rows.find((x) => x.name === 'xen-zone-device-buggy')).toMatchObject({ cachedVersion: 'bundled', arches: ['i386', 'x86', 'x86_64'] });
  });

  it('fetches a bundled tree in place and prints its Kconfig root', () => {
    const r = kconfsat(['corpus', 'fetch', 'xen-zone-device-fixed']);
    expect(r.status).toBe(0);
    expect(r.stdout).toBe(`${path.join(REPO, 'corpora/examples/xen-zone-device/fixed')}\n`);
    expect(fs.existsSync(path.join(r.stdout.trim(), 'Kconfig'))).toBe(true);
  });

  it('gives fetch-corpus its reason as one line, exit 2', () => {
    const manifest = path.join(tmp(), 'manifest.json');
    fs.writeFileSync(manifest, JSON.stringify([{ name: 'odd', kind: 'floppy', rootKconfig: 'Kconfig', arches: [] }]));
    const r = kconfsat(['corpus', 'fetch', 'odd'], { KCONFSAT_MANIFEST: manifest, XDG_CACHE_HOME: tmp() });
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    // The progress line names the cache below $XDG_CACHE_HOME; the error is the script's reason.
    expect(r.stderr).toContain(`-> ${path.join(tmp(), 'kconfsat/odd')}`);
    expect(r.stderr.trimEnd().split('\n').pop()).toBe("kconfsat: odd: unknown corpus kind 'floppy' for odd");
  });

  it('rejects an unknown name with the known ones', () => {
    const r = kconfsat(['corpus', 'fetch', 'nope']);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/^kconfsat: no corpus named 'nope' \(known: linux-6\.1, .*\)\n$/);
  });
});
