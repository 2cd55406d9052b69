/**
 * Global CLI options and how they become library calls.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Session } from '../analysis/session.js';
import { KconfsatError } from '../errors.js';
import { parseDialect } from '../parse/dialect.js';
import type { LoadOptions } from '../model/load.js';
import { allArches } from '../workflow/arches.js';
import type { Output } from './output.js';

/**
 * Exit codes, as linters and test runners use them in CI: 0 yes / valid /
 * nothing found, 1 no / invalid / findings, 2 usage or input error, 3 unknown.
 */
export const EXIT = { yes: 0, no: 1, error: 2, timeout: 3, internal: 70 } as const;

export interface GlobalOptions {
  tree: string;
  arch?: string;
  kconfig: string;
  env: string[];
  runShell: boolean;
  allowOutsideTree: boolean;
  /** False with --no-cache: sessions are then neither read from nor kept in the session cache. */
  cache: boolean;
  /** --kconfig-dialect: whose conf rules apply (default: detected from the tree). */
  kconfigDialect?: string;
  json: boolean;
  /** Seconds; the command then runs on a worker that is stopped when they are up (deadline.ts). */
  timeout?: number;
  /** Output files may replace existing ones. */
  force: boolean;
  /** Progress on stderr even when it is not a terminal. */
  progress: boolean;
  /** Where the command's stdout, stderr and files go (not an option: runCli's). */
  output: Output;
}

/**
 * --arch, else $ARCH (commander fills that in), else $SRCARCH as the kernel's
 * scripts/kconfig would see it, else, in a tree with arch/ directories, the
 * host's architecture, as kbuild's SUBARCH does.
 */
function defaultArch(g: GlobalOptions): string | undefined {
  const given = g.arch ?? process.env.SRCARCH;
  if (given !== undefined || !fs.existsSync(path.join(g.tree, 'arch'))) return given;
  return hostArch(os.machine());
}

/**
 * ARCH for a `uname -m` value: kbuild's SUBARCH mapping, except that x86
 * machines keep their word size (i386 or x86_64, which kbuild reaches through
 * the 64BIT default) so that answers name the arch they hold for.
 */
export function hostArch(machine: string): string {
  const rules: [RegExp, string][] = [
    [/^i.86$/, 'i386'],
    [/^x86_64$/, 'x86_64'],
    [/^sun4u$/, 'sparc64'],
    [/^(arm.*|sa110)$/, 'arm'],
    [/^s390x$/, 's390'],
    [/^ppc.*$/, 'powerpc'],
    [/^mips.*$/, 'mips'],
    [/^sh[234].*$/, 'sh'],
    [/^aarch64.*$/, 'arm64'],
    [/^riscv.*$/, 'riscv'],
    [/^loongarch.*$/, 'loongarch'],
  ];
  return rules.find(([re]) => re.test(machine))?.[1] ?? machine;
}

/**
 * A --tree that is not a Kconfig source tree: the directory that is missing,
 * a kbuild output directory (O=) with the source tree it points at, or a
 * directory without the top Kconfig file.
 */
function checkTree(tree: string, rootFile: string): void {
  if (!fs.existsSync(tree) || !fs.statSync(tree).isDirectory()) {
    throw new KconfsatError('io', `tree not found: ${tree} (pass the Kconfig source tree with --tree or $srctree)`);
  }
  // An empty name would join to the tree itself, found, and fail later as ":0: can't find file ".
  if (rootFile === '') throw new KconfsatError('usage', '--kconfig expects a file name, relative to the tree');
  if (fs.existsSync(path.join(tree, rootFile))) return;
  const source = buildDirectorySource(tree);
  if (source !== undefined) {
    throw new KconfsatError('usage', `${tree} is a build directory (make O=), not the source tree: try --tree ${source}`);
  }
  const hint = fs.existsSync(path.join(tree, '.config')) ? ' (it has a .config: a build directory?)' : '';
  throw new KconfsatError('usage', `${tree} is not a Kconfig tree: no ${rootFile} there${hint}; pass the source tree with --tree or $srctree`);
}

/** The source tree a kbuild output directory names: its Makefile's `include SRC/Makefile`, or its `source` link. */
function buildDirectorySource(dir: string): string | undefined {
  let makefile = '';
  try {
    makefile = fs.readFileSync(path.join(dir, 'Makefile'), 'utf8');
  } catch {
    // No Makefile: look for the link alone.
  }
  const included = /^include\s+(\S+)\/Makefile\s*$/m.exec(makefile)?.[1];
  if (included !== undefined) return included;
  try {
    return fs.realpathSync(path.join(dir, 'source'));
  } catch {
    return undefined;
  }
}

export function loadOptions(g: GlobalOptions, arch = defaultArch(g)): LoadOptions {
  const env: Record<string, string> = {};
  for (const pair of g.env) {
    const eq = pair.indexOf('=');
    if (eq <= 0) throw new KconfsatError('usage', `--env expects VAR=value, got '${pair}'`);
    env[pair.slice(0, eq)] = pair.slice(eq + 1);
  }
  const options: LoadOptions = { tree: g.tree, rootFile: g.kconfig, env, runShell: g.runShell, allowOutsideRoot: g.allowOutsideTree, cache: g.cache };
  if (arch !== undefined) options.arch = arch;
  if (g.kconfigDialect !== undefined) options.dialect = parseDialect(g.kconfigDialect);
  checkTree(g.tree, g.kconfig);
  return options;
}

export function openSession(g: GlobalOptions, arch = defaultArch(g)): Session {
  return Session.open(loadOptions(g, arch));
}

/** The architectures a command runs on: the one given, or every one with --arch all. */
export function architectures(g: GlobalOptions): (string | undefined)[] {
  if (g.arch !== 'all') return [defaultArch(g)];
  checkTree(g.tree, g.kconfig);
  return allArches(g.tree, '--arch all');
}

/**
 * The .config a command reads when none is named: $KCONFIG_CONFIG, else
 * .config in the current directory, as kbuild reads it.
 */
export function defaultConfigFile(): string {
  const named = process.env.KCONFIG_CONFIG;
  const file = named ?? '.config';
  if (fs.existsSync(file)) return file;
  throw new KconfsatError(
    'usage',
    named !== undefined ? `KCONFIG_CONFIG names ${named}, which does not exist` : `no .config in ${process.cwd()}: pass a file or set KCONFIG_CONFIG`,
  );
}

/** The kernel's CONFIG_ environment variable overrides the symbol prefix of .config files, read and written. */
export function dotConfigPrefix(): { prefix?: string } {
  const prefix = process.env.CONFIG_;
  return prefix !== undefined ? { prefix } : {};
}

export function print(g: GlobalOptions, text: string): void {
  g.output.stdout(text.endsWith('\n') ? text : `${text}\n`);
}

export function printJson(g: GlobalOptions, value: unknown): void {
  print(g, JSON.stringify(value, null, 2));
}

/** An output file of a command: refused if it exists, unless --force. */
export async function writeOutput(g: GlobalOptions, file: string, content: string): Promise<void> {
  await g.output.writeFiles({ files: [{ file, content }], force: g.force });
}

/**
 * A command's several output files in `directory` (made when missing):
 * refused together, before the first is written, if one exists.
 */
export async function writeOutputs(g: GlobalOptions, directory: string, files: { file: string; content: string }[]): Promise<void> {
  await g.output.writeFiles({ files, force: g.force, directory });
}

/** A count option's value: digits only, at least 1. */
export function positiveInteger(text: string, option: string): number {
  if (!/^[0-9]+$/.test(text) || Number(text) < 1) throw new KconfsatError('usage', `${option} expects a positive integer, got '${text}'`);
  return Number(text);
}
