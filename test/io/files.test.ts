/**
 * Output files: never onto an existing file unless forced, several files
 * refused as a batch, and atomic: a failed or killed write leaves the old
 * file byte for byte and no temporary file in the way.
 */
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { writeFileAtomic, writeFilesAtomic } from '../../src/io/files.js';
import { ensureBuilt, REPO } from '../cli/run.js';
import { kconfsatError } from '../helpers/errors.js';
import { scratchDir } from '../helpers/scratch.js';

const dir = scratchDir('files', { perTest: true });

describe('writeFileAtomic', () => {
  it('writes a new file and leaves nothing else in the directory', () => {
    const file = path.join(dir(), 'new.config');
    writeFileAtomic(file, 'CONFIG_A=y\n');
    expect(fs.readFileSync(file, 'utf8')).toBe('CONFIG_A=y\n');
    expect(fs.readdirSync(dir())).toEqual(['new.config']);
  });

  it('refuses an existing file by default and leaves it byte-identical', () => {
    const file = path.join(dir(), 'old.config');
    const old = Buffer.from([0x43, 0x4f, 0x4e, 0x46, 0xff, 0x00, 0x0a]);
    fs.writeFileSync(file, old);
    const e = kconfsatError(() => writeFileAtomic(file, 'CONFIG_NEW=y\n'));
    expect([e.kind, e.format()]).toEqual(['io', `${file} exists (use --force to overwrite)`]);
    expect(fs.readFileSync(file).equals(old)).toBe(true);
    expect(fs.readdirSync(dir())).toEqual(['old.config']);
  });

  it('a symlink planted at the old predictable temporary names (the name plus the pid) is never written through', () => {
    // Issue 18: the temp name was the output name plus the pid, written following symlinks.
    const outside = path.join(dir(), 'outside');
    fs.mkdirSync(outside);
    fs.writeFileSync(path.join(outside, 'precious'), 'precious\n');
    const out = path.join(dir(), 'out');
    fs.mkdirSync(out);
    const file = path.join(out, 'q.config');
    const planted = [`${file}.${process.pid}`, `${file}.tmp`, `${file}.${process.pid}.tmp`];
    for (const name of planted) fs.symlinkSync(path.join(outside, 'precious'), name);
    writeFileAtomic(file, 'CONFIG_A=y\n');
    writeFileAtomic(file, 'CONFIG_B=y\n', { force: true });
    expect(fs.readFileSync(path.join(outside, 'precious'), 'utf8')).toBe('precious\n');
    expect(fs.lstatSync(file).isFile()).toBe(true);
    expect(fs.readFileSync(file, 'utf8')).toBe('CONFIG_B=y\n');
    expect(fs.readdirSync(out).sort()).toEqual(['q.config', ...planted.map((p) => path.basename(p))].sort());
    for (const name of planted) expect(fs.lstatSync(name).isSymbolicLink()).toBe(true);
  });

  it('replaces an existing file with force', () => {
    const file = path.join(dir(), 'old.config');
    fs.writeFileSync(file, 'CONFIG_OLD=y\n');
    writeFileAtomic(file, 'CONFIG_NEW=y\n', { force: true });
    expect(fs.readFileSync(file, 'utf8')).toBe('CONFIG_NEW=y\n');
    expect(fs.readdirSync(dir())).toEqual(['old.config']);
  });

  it('refuses a batch as a whole: one existing file and none is written', () => {
    fs.writeFileSync(path.join(dir(), 'config-2'), 'old\n');
    const files = [1, 2, 3].map((k) => ({ file: path.join(dir(), `config-${k}`), content: `new ${k}\n` }));
    expect(kconfsatError(() => writeFilesAtomic(files)).message).toBe(`${files[1]!.file} exists (use --force to overwrite)`);
    expect(fs.readdirSync(dir())).toEqual(['config-2']);
    expect(fs.readFileSync(files[1]!.file, 'utf8')).toBe('old\n');
  });

  it('--force onto a directory is refused before anything is written', () => {
    const target = path.join(dir(), 'taken');
    fs.mkdirSync(target);
    fs.writeFileSync(path.join(target, 'keep'), 'kept\n');
    const e = kconfsatError(() => writeFileAtomic(target, 'CONFIG_A=y\n', { force: true }));
    expect([e.kind, e.message]).toEqual(['io', `${target} is not a regular file (--force replaces only regular files)`]);
    expect(fs.readdirSync(dir())).toEqual(['taken']);
    expect(fs.readFileSync(path.join(target, 'keep'), 'utf8')).toBe('kept\n');
  });

  it('an unwritable directory is a one-line error', () => {
    const e = kconfsatError(() => writeFileAtomic(path.join(dir(), 'no-such-dir', 'x.config'), 'x'));
    expect(e.message).toBe(`cannot write ${path.join(dir(), 'no-such-dir', 'x.config')}: no such file or directory`);
  });
});

describe('a write killed midway', () => {
  beforeAll(ensureBuilt);

  /**
   * A child process rewrites one file with two alternating 4 MB contents as
   * fast as it can and is killed with SIGKILL at a random moment: whatever the
   * moment, the file holds one of the two contents whole. (A plain
   * writeFileSync leaves a truncated file at most such moments.)
   */
  it('leaves the file whole, old or new, at whatever moment the process dies', async () => {
    const file = path.join(dir(), 'big.config');
    const lines = 350_000; // 4 MB
    const contents = ['A', 'B'].map((c) => `CONFIG_${c}=y\n`.repeat(lines));
    fs.writeFileSync(file, contents[0]!);
    const script = `
      import { writeFileAtomic } from ${JSON.stringify(path.join(REPO, 'dist/src/io/files.js'))};
      const contents = ['A', 'B'].map((c) => \`CONFIG_\${c}=y\\n\`.repeat(${lines}));
      process.stdout.write('writing\\n');
      for (let i = 1; ; i++) writeFileAtomic(${JSON.stringify(file)}, contents[i % 2], { force: true });
    `;
    for (let round = 0; round < 5; round++) {
      const child = spawn(process.execPath, ['--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
      await new Promise((resolve) => child.stdout.once('data', resolve));
      await new Promise((resolve) => setTimeout(resolve, 20 + Math.random() * 200));
      child.kill('SIGKILL');
      await new Promise((resolve) => child.once('exit', resolve));
      const now = fs.readFileSync(file, 'utf8');
      expect(now.length).toBe(contents[0]!.length);
      expect(contents).toContain(now);
    }
  });
});
