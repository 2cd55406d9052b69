/**
 * corpora/manifest.json for the TypeScript scripts: the entries, fetching a
 * tree, and the environment each project's Makefile would hand its conf.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { KconfsatError } from '../src/errors.js';
import { kernelVersion } from '../src/model/arch.js';
import { openTree } from '../src/model/load.js';
import { packageRoot } from '../src/io/package-root.js';

/** The repository root. */
export const repo = packageRoot();

export interface Corpus {
  name: string;
  kind: 'debian-binary' | 'debian-source' | 'bundled';
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
  notes: string[];
}

/** KCONFSAT_MANIFEST replaces the manifest, as for scripts/fetch-corpus and conf-reference. */
export function readManifest(): Corpus[] {
  const file = process.env.KCONFSAT_MANIFEST ?? path.join(repo, 'corpora/manifest.json');
  return JSON.parse(fs.readFileSync(file, 'utf8')) as Corpus[];
}

/**
 * Fetches (and prepares) a corpus with scripts/fetch-corpus; returns its
 * Kconfig root. Its progress lines are passed on; when it fails, its last
 * line (the reason: unreachable archive, failed check...) is the error.
 */
export function fetchCorpus(corpus: Corpus): string {
  const r = spawnSync('bash', [path.join(repo, 'scripts/fetch-corpus'), corpus.name], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  process.stderr.write(r.stderr ?? '');
  if (r.status !== 0) {
    const reason = (r.stderr ?? '').trim().split('\n').pop()?.replace(/^fetch-corpus: error: /, '') || r.error?.message || `exit status ${r.status}`;
    throw new KconfsatError('io', `${corpus.name}: ${reason}`);
  }
  return path.resolve(r.stdout.trim().split('\n').pop()!, corpus.srctree);
}

/** The package version scripts/fetch-corpus installed for a tree root it printed; `bundled` for the project's own trees. */
export function fetchedVersion(corpus: Corpus, tree: string): string {
  if (corpus.kind === 'bundled') return 'bundled';
  // The marker sits in the fetched directory, srctree levels above the root.
  const fetched = path.resolve(tree, path.relative(path.resolve('/', corpus.srctree), '/'));
  return fs.readFileSync(path.join(fetched, '.kconfsat-complete'), 'utf8').split('\n')[0]!;
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
      const out = execFileSync(cc, ['--version'], { encoding: 'utf8', env: { ...process.env, LC_ALL: 'C' } });
      text = out.split('\n')[0]!.replaceAll('#', '');
    } catch {
      text = '';
    }
    ccVersions.set(cc, text);
  }
  return text;
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

/** The kernel's own conf for a Linux tree: scripts/build-conf builds it once, out of tree, and caches it. */
export function buildConf(tree: string): string {
  return execFileSync('bash', [path.join(repo, 'scripts/build-conf'), tree], { encoding: 'utf8' }).trim();
}

/** Where conf writes its side files (auto.conf, autoconf.h, ...): a scratch directory, so the tree stays clean. */
export function confSideFiles(dir: string): Record<string, string> {
  return {
    KCONFIG_AUTOCONFIG: path.join(dir, 'auto.conf'),
    KCONFIG_AUTOHEADER: path.join(dir, 'autoconf.h'),
    KCONFIG_RUSTCCFG: path.join(dir, 'rustc_cfg'),
  };
}
