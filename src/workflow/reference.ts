/**
 * The reference side: the corpora of corpora/manifest.json, the environment
 * each project's Makefile hands its conf (ARCH, SRCARCH, KERNELVERSION, CC,
 * CC_VERSION_TEXT...), and the bash helpers that fetch a tree, build conf and
 * run it (scripts/fetch-corpus, build-conf, conf-reference). This is the only
 * module that starts those helpers and the only one that computes conf's
 * environment; conf-reference asks for it through scripts/conf-env.
 */
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { KconfsatError } from '../errors.js';
import { packageRoot } from '../io/package-root.js';
import { kernelVersion } from '../model/arch.js';
import { openTree } from '../model/load.js';

/** The package root, where corpora/ and scripts/ are. */
export const repo = packageRoot();

export interface Corpus {
  name: string;
  kind: 'debian-binary' | 'debian-source' | 'bundled';
  /** The Debian version wanted (any when absent). */
  version?: string;
  /** The Kconfig root below the fetched directory. */
  srctree: string;
  rootKconfig: string | null;
  /** ARCH values to analyse; empty when the architecture is not a Kconfig input. */
  arches: string[];
  srcarch: Record<string, string>;
  /** Environment for conf; `${NAME}` placeholders are the derived values below. */
  env: Record<string, string>;
  defconfigs?: Record<string, string | null>;
  configs?: { glob: string; arch: string; files: string[] }[];
  /** A bundled corpus' directory, relative to the package. */
  path?: string;
  notes: string[];
}

/** KCONFSAT_MANIFEST replaces the manifest (for scripts/fetch-corpus too). */
export function readManifest(): Corpus[] {
  const file = process.env.KCONFSAT_MANIFEST ?? path.join(repo, 'corpora/manifest.json');
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8')) as Corpus[];
  } catch (e) {
    throw new KconfsatError('io', `${file}: ${(e as Error).message}`);
  }
}

export function manifestEntry(name: string): Corpus {
  const manifest = readManifest();
  const entry = manifest.find((e) => e.name === name);
  if (!entry) throw new KconfsatError('usage', `no corpus named '${name}' (known: ${manifest.map((e) => e.name).join(', ')})`);
  return entry;
}

/** Where scripts/fetch-corpus puts a corpus, and the version its completion marker records (none: not fetched). */
export function cachedCorpus(entry: Corpus): { dir: string; version?: string } {
  if (entry.kind === 'bundled') return { dir: path.join(repo, entry.path ?? ''), version: 'bundled' };
  const dir = path.join(process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache'), 'kconfsat', entry.name);
  const marker = path.join(dir, MARKER);
  return fs.existsSync(marker) ? { dir, version: fs.readFileSync(marker, 'utf8').split('\n')[0]! } : { dir };
}

/** scripts/fetch-corpus's completion marker, whose first line is the version it installed. */
const MARKER = '.kconfsat-complete';

/** The package version scripts/fetch-corpus installed for a tree root it printed; `bundled` for the project's own trees. */
export function fetchedVersion(corpus: Corpus, tree: string): string {
  if (corpus.kind === 'bundled') return 'bundled';
  // The marker sits in the fetched directory, srctree levels above the root.
  const fetched = path.resolve(tree, path.relative(path.resolve('/', corpus.srctree), '/'));
  return fs.readFileSync(path.join(fetched, MARKER), 'utf8').split('\n')[0]!;
}

/**
 * Fetches (and prepares) a corpus with scripts/fetch-corpus, once; returns
 * its Kconfig root. Progress lines go to `onProgress` as they come; the
 * script's own error line (unreachable archive, failed check...) is the error.
 */
export async function fetchCorpus(corpus: Corpus, onProgress: (line: string) => void = (line) => process.stderr.write(`${line}\n`)): Promise<string> {
  let failure: string | undefined;
  const stdout = await runHelper('fetch-corpus', [corpus.name], (line) => {
    const error = /^fetch-corpus: error: (.*)$/.exec(line);
    if (error) failure = error[1];
    else onProgress(line);
  }).catch((e: unknown) => {
    throw new KconfsatError('io', `${corpus.name}: ${failure ?? (e as Error).message}`);
  });
  // The tree root is the script's last line; the Kconfig root may sit below it (Xen: xen/).
  return path.resolve(stdout.trim().split('\n').pop()!, corpus.srctree);
}

/** The environment conf gets for one ARCH (or none), with every placeholder resolved. */
export function corpusEnvironment(corpus: Corpus, tree: string, arch: string | undefined): Record<string, string> {
  const derived: Record<string, () => string> = {
    ARCH: () => arch ?? '',
    SRCARCH: () => (arch === undefined ? '' : (corpus.srcarch[arch] ?? arch)),
    // Linux and U-Boot compute their version the same way from the top Makefile.
    KERNELVERSION: () => kernelVersion(openTree(tree)) ?? '',
    UBOOTVERSION: () => kernelVersion(openTree(tree)) ?? '',
    XEN_FULLVERSION: () => xenVersion(tree),
    CC_VERSION_TEXT: () => ccVersionText(corpus.env.CC ?? 'gcc'),
    DEFCONFIG: () => (arch === undefined ? '' : (corpus.defconfigs?.[arch] ?? '')),
  };
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries(corpus.env)) {
    env[name] = value.replace(/\$\{([A-Z_]+)\}/g, (all, key: string) => {
      const make = derived[key];
      if (!make) throw new Error(`${corpus.name}: unknown placeholder ${all} in the manifest's env.${name}`);
      return make();
    });
  }
  return env;
}

/** The manifest entry of a Linux tree: linux-VERSION.PATCHLEVEL from its Makefile. */
export function linuxCorpus(tree: string): Corpus {
  requireLinuxTree(tree);
  const version = kernelVersion(openTree(tree));
  if (version === undefined) throw new KconfsatError('usage', `cannot read VERSION from ${path.join(tree, 'Makefile')}`);
  return manifestEntry(`linux-${version.split('.').slice(0, 2).join('.')}`);
}

/** The environment the kernel's top Makefile exports to conf for this arch (`corpus`: default from the tree's version). */
export function confEnvironment(tree: string, arch: string, corpus: Corpus = linuxCorpus(tree)): Record<string, string> {
  const env = corpusEnvironment(corpus, tree, arch);
  const srcarch = env.SRCARCH ?? arch;
  if (!fs.existsSync(path.join(tree, 'arch', srcarch, 'Kconfig'))) throw new KconfsatError('arch', `ARCH=${arch}: no arch/${srcarch}/Kconfig in ${tree}`);
  return env;
}

/** xen/Makefile: $(XEN_VERSION).$(XEN_SUBVERSION)$(XEN_EXTRAVERSION), with XEN_VENDORVERSION empty. */
function xenVersion(tree: string): string {
  const makefile = fs.readFileSync(path.join(tree, 'Makefile'), 'utf8');
  const field = (name: string): string =>
    new RegExp(`^(?:export\\s+)?${name}\\s*\\??=\\s*(\\S*)`, 'm').exec(makefile)?.[1]?.replace('$(XEN_VENDORVERSION)', '') ?? '';
  return `${field('XEN_VERSION')}.${field('XEN_SUBVERSION')}${field('XEN_EXTRAVERSION')}`;
}

const ccVersions = new Map<string, string>();

/** The top Makefiles' CC_VERSION_TEXT: the first line of `$CC --version` without '#'. */
function ccVersionText(cc: string): string {
  let text = ccVersions.get(cc);
  if (text === undefined) {
    try {
      const out = execFileSync(cc, ['--version'], { encoding: 'utf8', env: { ...process.env, LC_ALL: 'C' }, stdio: ['ignore', 'pipe', 'ignore'] });
      text = out.split('\n')[0]!.replaceAll('#', '');
    } catch {
      text = '';
    }
    ccVersions.set(cc, text);
  }
  return text;
}

function requireLinuxTree(tree: string): void {
  if (!fs.existsSync(path.join(tree, 'scripts/kconfig/conf.c'))) {
    throw new KconfsatError('usage', `${tree} is not a Linux tree (no scripts/kconfig/conf.c): conf cannot confirm`);
  }
}

/** The kernel's own conf for a Linux tree: scripts/build-conf builds it once, out of tree, and caches it. */
export function buildConf(tree: string): string {
  requireLinuxTree(tree);
  return runHelperSync('build-conf', [tree]).trim().split('\n').pop()!;
}

/**
 * conf's olddefconfig on `file` (conf-reference writes DIR/olddef-NAME.config):
 * the values it changed, one a line, and conf's warnings ("unmet direct
 * dependencies detected for ...").
 */
export async function confOlddefconfig(o: { tree: string; arch: string; conf: string }, dir: string, file: string): Promise<{ changed: string; warnings: string }> {
  const changed = await runHelper('conf-reference', [o.tree, o.arch, dir, '--olddefconfig', file, '--conf', o.conf]).catch((e: unknown) => {
    throw new KconfsatError('io', `conf olddefconfig failed on ${o.arch}: ${(e as Error).message}`);
  });
  return { changed, warnings: fs.readFileSync(path.join(dir, `olddef-${path.basename(file)}.warnings`), 'utf8') };
}

/** conf's randconfig `count` times from KCONFIG_SEED `seed` on: DIR/rand-K.config with conf's stderr in DIR/rand-K.log. */
export async function confRandconfig(o: { tree: string; arch: string; conf: string }, dir: string, count: number, seed: number): Promise<void> {
  await runHelper('conf-reference', [o.tree, o.arch, dir, '--randconfig', String(count), '--seed', String(seed), '--conf', o.conf]);
}

/** conf-reference's allno/allyes/allmod/def configurations of one arch, into `dir`. */
export async function confReferenceConfigs(o: { tree: string; arch: string; conf: string }, dir: string): Promise<void> {
  await runHelper('conf-reference', [o.tree, o.arch, dir, '--conf', o.conf]);
}

type Helper = 'fetch-corpus' | 'build-conf' | 'conf-reference';

function helperFile(name: Helper): string {
  const file = path.join(repo, 'scripts', name);
  if (!fs.existsSync(file)) throw new KconfsatError('io', `cannot find scripts/${name} of the kconfsat package`);
  return file;
}

/** A helper's failure: its last stderr line, without its own `NAME: error:` prefix. */
function helperFailed(name: Helper, stderr: string, status: number | null): KconfsatError {
  const last = stderr.trim().split('\n').pop()?.replace(new RegExp(`^${name}: (error: )?`), '');
  return new KconfsatError('io', `${name} failed: ${last || `exit status ${status}`}`);
}

/** Runs one of scripts/'s bash helpers to the end; returns its stdout. */
export function runHelperSync(name: Helper, args: string[]): string {
  const r = spawnSync('bash', [helperFile(name), ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 1 << 28 });
  if (r.error) throw new KconfsatError('io', `cannot run scripts/${name}: ${r.error.message}`);
  if (r.status !== 0) throw helperFailed(name, r.stderr, r.status);
  return r.stdout;
}

/** Runs one of scripts/'s bash helpers; resolves with its stdout. Its stderr lines go to `onStderr` as they come. */
export function runHelper(name: Helper, args: string[], onStderr?: (line: string) => void): Promise<string> {
  const child = spawn('bash', [helperFile(name), ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  let pending = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
    const lines = (pending + chunk.toString()).split('\n');
    pending = lines.pop()!;
    if (onStderr) lines.forEach(onStderr);
  });
  return new Promise((resolve, reject) => {
    child.on('error', (e) => reject(new KconfsatError('io', `cannot run scripts/${name}: ${e.message}`)));
    child.on('close', (code) => {
      if (pending) onStderr?.(pending);
      if (code === 0) resolve(stdout);
      else reject(helperFailed(name, stderr, code));
    });
  });
}

/** Debian's python3-kconfiglib lives in the system interpreter, not whatever python3 is first on PATH. */
export const SYSTEM_PYTHON = '/usr/bin/python3';

/**
 * Makes Kconfiglib importable by `python`, installing Debian's
 * python3-kconfiglib when that interpreter is the system's and apt-get can
 * (as the corpora come from Debian's archive too). Returns why it cannot be
 * had, or undefined when it can be imported.
 */
export function ensureKconfiglib(python: string, log: (message: string) => void): string | undefined {
  const importable = (): boolean => spawnSync(python, ['-c', 'import kconfiglib']).status === 0;
  if (importable()) return undefined;
  if (python !== SYSTEM_PYTHON) return `${python} cannot import kconfiglib`;
  log('installing python3-kconfiglib from Debian (apt-get install)');
  const install = spawnSync('apt-get', ['install', '-y', '-q', 'python3-kconfiglib'], {
    stdio: ['ignore', 'ignore', 'pipe'],
    encoding: 'utf8',
    env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
  });
  if (importable()) return undefined;
  const why = install.error?.message ?? install.stderr.trim().split('\n').pop() ?? `exit ${install.status}`;
  return `${python} cannot import kconfiglib, and apt-get install python3-kconfiglib failed: ${why}`;
}

/**
 * What a reference tool (conf, Kconfiglib) runs with: PATH, HOME, the C
 * locale and the environment the project's Makefile would give conf, nothing
 * else of the caller's shell.
 */
export function referenceEnvironment(env: Record<string, string>): Record<string, string> {
  return { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: os.homedir(), LC_ALL: 'C', ...env };
}

/** Where conf writes its side files (auto.conf, autoconf.h, ...): a scratch directory, so the tree stays clean. */
export function confSideFiles(dir: string): Record<string, string> {
  return {
    KCONFIG_AUTOCONFIG: path.join(dir, 'auto.conf'),
    KCONFIG_AUTOHEADER: path.join(dir, 'autoconf.h'),
    KCONFIG_RUSTCCFG: path.join(dir, 'rustc_cfg'),
  };
}
