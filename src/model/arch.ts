/**
 * Architecture selection the way the kernel's top Makefile does it: ARCH picks
 * the source directory SRCARCH and a few variables the Kconfig files read.
 */
import { spawnSync } from 'node:child_process';
import type { SourceFiles } from '../parse/files.js';

/** ARCH values whose sources live under another arch/ directory. */
const SRCARCH_ALIASES: Record<string, string> = {
  i386: 'x86',
  x86_64: 'x86',
  sparc32: 'sparc',
  sparc64: 'sparc',
  parisc64: 'parisc',
  sh64: 'sh',
};

export function srcArchFor(arch: string): string {
  return SRCARCH_ALIASES[arch] ?? arch;
}

/** Whether the tree looks like a kernel-style tree with per-arch Kconfig files. */
export function hasArchDirectories(files: SourceFiles): boolean {
  return files.glob('arch/*/Kconfig').length > 0;
}

/** ARCH aliases current kernels still build (sh64 and sparc32 are gone or synonyms). */
const LISTED_ALIASES = ['i386', 'x86_64', 'sparc64', 'parisc64'];

/** Every ARCH value of a tree: each arch/ directory with a Kconfig, plus the aliases of present ones. */
export function listArchitectures(files: SourceFiles): string[] {
  const dirs = files.glob('arch/*/Kconfig').map((f) => f.split('/')[1]!);
  const present = new Set(dirs);
  const aliases = LISTED_ALIASES.filter((alias) => present.has(srcArchFor(alias)));
  return [...dirs, ...aliases].sort();
}

export function archExists(files: SourceFiles, arch: string): boolean {
  return files.read(`arch/${srcArchFor(arch)}/Kconfig`) !== undefined;
}

/** KERNELVERSION as the top Makefile computes it, when the tree has one. */
export function kernelVersion(files: SourceFiles): string | undefined {
  const makefile = files.read('Makefile');
  if (!makefile) return undefined;
  const field = (name: string): string | undefined => new RegExp(`^${name}[ \\t]*=[ \\t]*(\\S*)`, 'm').exec(makefile)?.[1];
  const version = field('VERSION');
  const patchlevel = field('PATCHLEVEL');
  if (version === undefined || patchlevel === undefined) return undefined;
  const sublevel = field('SUBLEVEL');
  return `${version}.${patchlevel}${sublevel ? `.${sublevel}` : ''}${field('EXTRAVERSION') ?? ''}`;
}

/** Variables the kernel's Makefile exports to Kconfig for one ARCH. */
export function archEnvironment(files: SourceFiles, arch: string): Record<string, string> {
  const env: Record<string, string> = { ARCH: arch, SRCARCH: srcArchFor(arch), srctree: '.' };
  const version = kernelVersion(files);
  if (version) env.KERNELVERSION = version;
  if (arch === 'um') {
    // User-mode Linux is built for the host's architecture; x86 is what conf assumes here.
    env.SUBARCH = 'x86';
    env.HEADER_ARCH = 'x86';
  }
  return env;
}

/**
 * The toolchain variables the kernel's top Makefile exports to Kconfig, for
 * runs that execute $(shell,...): the macros call $(CC), $(LD) and friends.
 * Values in `given` win, as `make CC=clang` would. CC_VERSION_TEXT runs the
 * compiler, which is why this is only for runs that opted in to the shell.
 */
export function toolchainEnvironment(given: Record<string, string>): Record<string, string> {
  const cross = given.CROSS_COMPILE ?? '';
  const env: Record<string, string> = {
    CROSS_COMPILE: cross,
    CC: `${cross}gcc`,
    LD: `${cross}ld`,
    AR: `${cross}ar`,
    NM: `${cross}nm`,
    OBJCOPY: `${cross}objcopy`,
    HOSTCC: 'gcc',
    HOSTCXX: 'g++',
    CLANG_FLAGS: '',
    USERCFLAGS: '',
    USERLDFLAGS: '',
    PAHOLE: 'pahole',
    RUSTC: 'rustc',
    BINDGEN: 'bindgen',
    ...given,
  };
  if (env.CC_VERSION_TEXT === undefined) {
    const result = spawnSync(env.CC!, ['--version'], { encoding: 'utf8', env: { ...process.env, LC_ALL: 'C' } });
    env.CC_VERSION_TEXT = (result.stdout ?? '').split('\n')[0]!.replaceAll('#', '');
  }
  return env;
}
