/**
 * Global CLI options and how they become library calls.
 */
import * as fs from 'node:fs';
import { Session } from '../analysis/session.js';
import { KconfsatError } from '../errors.js';
import { listArchitectures } from '../model/arch.js';
import { parseDialect } from '../model/dialect.js';
import { openTree, type LoadOptions } from '../model/load.js';
import { writeOutputFiles, writeStdout } from './output.js';

export const EXIT = { yes: 0, no: 1, error: 2, timeout: 3, internal: 70 } as const;

export interface GlobalOptions {
  tree: string;
  arch?: string;
  kconfig: string;
  env: string[];
  runShell: boolean;
  allowOutsideTree: boolean;
  /** --kconfig-dialect: whose conf rules apply (default: detected from the tree). */
  kconfigDialect?: string;
  json: boolean;
  /** Seconds; the command then runs on a worker that is stopped when they are up (deadline.ts). */
  timeout?: number;
  /** Output files may replace existing ones. */
  force: boolean;
}

/** --arch, else $ARCH (commander fills that in), else $SRCARCH as the kernel's scripts/kconfig would see it. */
function defaultArch(g: GlobalOptions): string | undefined {
  return g.arch ?? process.env.SRCARCH;
}

export function loadOptions(g: GlobalOptions, arch = defaultArch(g)): LoadOptions {
  const env: Record<string, string> = {};
  for (const pair of g.env) {
    const eq = pair.indexOf('=');
    if (eq <= 0) throw new KconfsatError('usage', `--env expects VAR=value, got '${pair}'`);
    env[pair.slice(0, eq)] = pair.slice(eq + 1);
  }
  const options: LoadOptions = { tree: g.tree, rootFile: g.kconfig, env, runShell: g.runShell, allowOutsideRoot: g.allowOutsideTree };
  if (arch !== undefined) options.arch = arch;
  if (g.kconfigDialect !== undefined) options.dialect = parseDialect(g.kconfigDialect);
  if (!fs.existsSync(g.tree)) throw new KconfsatError('io', `tree not found: ${g.tree}`);
  return options;
}

export function openSession(g: GlobalOptions, arch = defaultArch(g)): Session {
  return Session.open(loadOptions(g, arch));
}

/** The architectures a command runs on: the one given, or every one with --arch all. */
export function architectures(g: GlobalOptions): (string | undefined)[] {
  if (g.arch !== 'all') return [defaultArch(g)];
  const arches = listArchitectures(openTree(g.tree));
  if (arches.length === 0) throw new KconfsatError('arch', `--arch all: ${g.tree} has no arch/*/Kconfig`);
  return arches;
}

/** The kernel's CONFIG_ environment variable overrides the symbol prefix of .config files, read and written. */
export function dotConfigPrefix(): { prefix?: string } {
  const prefix = process.env.CONFIG_;
  return prefix !== undefined ? { prefix } : {};
}

export function print(text: string): void {
  writeStdout(text.endsWith('\n') ? text : `${text}\n`);
}

export function printJson(value: unknown): void {
  print(JSON.stringify(value, null, 2));
}

/** An output file of a command: refused if it exists, unless --force. */
export async function writeOutput(g: GlobalOptions, file: string, content: string): Promise<void> {
  await writeOutputFiles({ files: [{ file, content }], force: g.force });
}

/**
 * A command's several output files in `directory` (made when missing):
 * refused together, before the first is written, if one exists.
 */
export async function writeOutputs(g: GlobalOptions, directory: string, files: { file: string; content: string }[]): Promise<void> {
  await writeOutputFiles({ files, force: g.force, directory });
}

/** A count option's value: digits only, at least 1. */
export function positiveInteger(text: string, option: string): number {
  if (!/^[0-9]+$/.test(text) || Number(text) < 1) throw new KconfsatError('usage', `${option} expects a positive integer, got '${text}'`);
  return Number(text);
}
