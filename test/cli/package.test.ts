/**
 * The command as a user installs it: `npx kconfsat` in a clone after
 * `npm ci && npm start`, and the tarball of `npm pack` installed into an
 * empty project, where `npx kconfsat` runs the bundled example.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { scratchDir } from '../helpers/scratch.js';
import { ensureBuilt, REPO } from './run.js';

beforeAll(ensureBuilt);
const tmp = scratchDir('package');
const version = (JSON.parse(fs.readFileSync(path.join(REPO, 'package.json'), 'utf8')) as { version: string }).version;

function sh(command: string, args: string[], cwd: string): { status: number | null; stdout: string; stderr: string } {
  return spawnSync(command, args, { cwd, encoding: 'utf8', timeout: 240_000 });
}

describe('installed command', () => {
  it('npx kconfsat runs in the clone', () => {
    const r = sh('npx', ['--no-install', 'kconfsat', '--version'], REPO);
    expect([r.status, r.stdout]).toEqual([0, `${version}\n`]);
  });

  it('npm pack gives a package that installs into an empty project and runs', () => {
    const packed = sh('npm', ['pack', '--ignore-scripts', '--pack-destination', tmp()], REPO);
    expect(packed.status, packed.stderr).toBe(0);
    const tarball = path.join(tmp(), `kconfsat-${version}.tgz`);
    const project = path.join(tmp(), 'project');
    fs.mkdirSync(project);
    fs.writeFileSync(path.join(project, 'package.json'), '{"name": "scratch", "version": "1.0.0", "private": true}\n');
    // Its dependencies come from npm's cache when `npm ci` has run here.
    const installed = sh('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', tarball], project);
    expect(installed.status, installed.stderr).toBe(0);
    const demo = sh('npx', ['--no-install', 'kconfsat', 'demo'], project);
    expect(demo.status, demo.stderr).toBe(0);
    expect(demo.stdout).toContain('[fixed] XEN_UNPOPULATED_ALLOC=y on i386: no');
    const list = sh('npx', ['--no-install', 'kconfsat', 'corpus', 'list'], project);
    expect(list.stdout).toMatch(/^xen-zone-device-buggy +bundled/m);
  }, 300_000);
});
