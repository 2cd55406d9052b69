/**
 * Fuzz cases for kconfsat's inputs (issue 8), shared by the CI test
 * (test/fuzz) and the long run (scripts/fuzz): real-looking Kconfig trees
 * and .config files, mutated byte by byte and line by line (flips,
 * truncations, duplicated lines, deep nesting, huge tokens, invalid UTF-8,
 * CRLF), then put through everything a user's input goes through. The only
 * failure a user may see is a KconfsatError naming file and line; anything
 * else thrown, or a case slower than a second, is a bug.
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import fc from 'fast-check';
import { checkConfig } from '../src/analysis/check.js';
import { query } from '../src/analysis/query.js';
import { Session } from '../src/analysis/session.js';
import { KconfsatError } from '../src/errors.js';
import { parseDotConfig, writeDotConfig } from '../src/io/dotconfig.js';
import { safeFileNames, writeFilesAtomic } from '../src/io/files.js';
import { MemorySourceFiles } from '../src/parse/files.js';
import { repo } from '../src/workflow/reference.js';

/** More CPU time than this per case counts as a hang (CPU time: a busy machine must not fail a case). */
export const CASE_BUDGET_MS = 1000;

/** A small tree in the style of Linux: menus, ifs, a choice, selects, numbers, strings, macros, a sourced file. */
const DRIVERS_TREE: Record<string, string> = {
  Kconfig: `# SPDX-License-Identifier: GPL-2.0
mainmenu "Fuzz $(ARCH) Kernel Configuration"

ARCH := x86
cc-option = $(shell,true $(1) && echo y || echo n)

config MODULES
	bool "Enable loadable module support"
	modules
	help
	  Kernel modules are small pieces of compiled code.

config 64BIT
	def_bool y

config CC_HAS_FOO
	def_bool $(cc-option,-mfoo)

config EMBEDDED
	bool "Embedded system"
	select EXPERT

menu "General setup"
	visible if !EMBEDDED

config EXPERT
	bool "Configure standard kernel features (expert users)"

config NR_CPUS
	int "Maximum number of CPUs" if EXPERT
	range 2 512 if 64BIT
	range 2 64
	default 64 if 64BIT
	default 8

config PHYS_OFFSET
	hex "Physical address offset"
	default 0x1000000

config LOCALVERSION
	string "Local version - append to kernel release"
	default "-fuzz"

endmenu

source "drivers/Kconfig"
`,
  'drivers/Kconfig': `menuconfig NETDEVICES
	bool "Network device support"
	default y

if NETDEVICES

config NET_CORE
	tristate "Network core driver support"
	depends on MODULES || !64BIT
	imply PHYLIB

config PHYLIB
	tristate "PHY Device support"
	select CRC32 if NET_CORE = y

choice
	prompt "Default link speed"
	default SPEED_1000
	depends on NET_CORE

config SPEED_100
	bool "100 Mbit/s"

config SPEED_1000
	bool "1 Gbit/s"
	depends on 64BIT && NR_CPUS >= 4

endchoice

endif # NETDEVICES

config CRC32
	tristate
	default m if PHYLIB != n
`,
};

/** Older dialects (BusyBox, toybox style): optional choice, def_tristate, `---help---`, comments. */
const APPLETS_TREE: Record<string, string> = {
  Kconfig: `mainmenu "Applets"

comment "Archival utilities"

config FEATURE_SEAMLESS_GZ
	bool "Make tar, rpm, modprobe etc understand .gz data"
	default y

config GZIP
	tristate "gzip"
	default m
	---help---
	  gzip is used to compress files.

config FEATURE_GZIP_LEVELS
	bool "Enable compression levels"
	default n
	depends on GZIP

config GZIP_FAST
	int "Trade memory for speed (0:small,slow - 2:fast,big)"
	default 0
	range 0 2
	depends on GZIP

choice
	prompt "Buffer allocation policy"
	optional

config FEATURE_BUFFERS_USE_MALLOC
	bool "Allocate with Malloc"

config FEATURE_BUFFERS_GO_ON_STACK
	bool "Allocate on the Stack"

endchoice

config TAR
	def_tristate GZIP && FEATURE_SEAMLESS_GZ
	select FEATURE_GZIP_LEVELS if TAR = y
`,
};

/** The bundled XEN/ZONE_DEVICE example, files as on disk (four files, an arch directory). */
function exampleTree(): Record<string, string> {
  const root = path.join(repo, 'corpora/examples/xen-zone-device/buggy');
  const files: Record<string, string> = {};
  const walk = (dir: string): void => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else files[path.relative(root, full)] = fs.readFileSync(full, 'utf8');
    }
  };
  walk(root);
  return files;
}

export interface Seed {
  name: string;
  files: Record<string, string>;
  arch?: string;
}

export function kconfigSeeds(): Seed[] {
  return [
    { name: 'drivers', files: DRIVERS_TREE },
    { name: 'applets', files: APPLETS_TREE },
    { name: 'xen-zone-device', files: exampleTree(), arch: 'i386' },
  ];
}

/** One edit of a text; positions are fractions of its length so they stay valid while shrinking. */
export type Mutation =
  | { kind: 'flip'; at: number; byte: number }
  | { kind: 'insert'; at: number; bytes: number[] }
  | { kind: 'delete'; at: number; length: number }
  | { kind: 'truncate'; at: number }
  | { kind: 'duplicate-line'; at: number; times: number }
  | { kind: 'move-line'; at: number; to: number }
  | { kind: 'insert-line'; at: number; line: string }
  | { kind: 'nest'; depth: number; open: string; close: string; block: boolean }
  | { kind: 'huge-token'; at: number; char: string; length: number }
  | { kind: 'crlf'; from: number };

/** Lines that open, close or cross Kconfig's constructs. */
const KCONFIG_LINES = [
  'if NETDEVICES',
  'endif',
  'menu "m"',
  'endmenu',
  'choice',
  'endchoice',
  'config NEW',
  'menuconfig NEW',
  '\tbool "new"',
  '\ttristate',
  '\tint "n"',
  '\thex',
  '\tstring "s"',
  '\tdepends on !MODULES',
  '\tdepends on (A || (B && !(C',
  '\tselect NEW if y',
  '\timply MODULES',
  '\tdefault "x$(ARCH)y"',
  '\tdefault 0x',
  '\trange 10 1',
  '\trange NR_CPUS 0x20',
  '\tdef_bool m',
  '\thelp',
  '\toption env="ARCH"',
  '\tmodules',
  '\toptional',
  '\tvisible if n',
  'source "Kconfig"',
  'source "drivers/Kconfig"',
  'source "missing/Kconfig"',
  'osource "*/Kconfig"',
  'rsource "../x"',
  'X := $(X)$(X)',
  'f = $(f,$(1))',
  '$(error-if,y,stop)',
  '$(warning-if,y,careful)',
  '$(shell,echo y)',
  '$(info,$(',
  'mainmenu "again"',
  'comment "c" \\',
  '\\',
  '"',
  '#',
];

/** Bytes worth inserting: line structure, quoting, macro syntax, and bytes that are not UTF-8. */
const INTERESTING_BYTES = [0x0a, 0x0d, 0x09, 0x20, 0x22, 0x27, 0x5c, 0x23, 0x24, 0x28, 0x29, 0x21, 0x3d, 0x26, 0x7c, 0x00, 0x80, 0xc3, 0xe2, 0xed, 0xf0, 0xff];

/** Opening and closing text for deep nesting; blocks wrap the file, the others one `depends on` (some left unclosed). */
const NESTINGS: [string, string, boolean][] = [
  ['if y\n', 'endif\n', true],
  ['if MODULES\n', 'endif\n', true],
  ['menu "m"\n', 'endmenu\n', true],
  ['if y\n', '', true],
  ['(', ')', false],
  ['!', '', false],
  ['!(', ')', false],
  ['(MODULES && ', ')', false],
  ['(', '', false],
];

export function arbMutation(lines: string[] = KCONFIG_LINES): fc.Arbitrary<Mutation> {
  const at = fc.double({ min: 0, max: 1, noNaN: true, maxExcluded: true });
  const byte = fc.oneof(fc.constantFrom(...INTERESTING_BYTES), fc.integer({ min: 0, max: 255 }));
  return fc.oneof(
    { weight: 3, arbitrary: fc.record({ kind: fc.constant('flip' as const), at, byte }) },
    { weight: 3, arbitrary: fc.record({ kind: fc.constant('insert' as const), at, bytes: fc.array(byte, { minLength: 1, maxLength: 4 }) }) },
    { weight: 2, arbitrary: fc.record({ kind: fc.constant('delete' as const), at, length: fc.integer({ min: 1, max: 64 }) }) },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant('truncate' as const), at }) },
    { weight: 2, arbitrary: fc.record({ kind: fc.constant('duplicate-line' as const), at, times: fc.oneof(fc.integer({ min: 1, max: 3 }), fc.integer({ min: 20, max: 40 })) }) },
    { weight: 2, arbitrary: fc.record({ kind: fc.constant('move-line' as const), at, to: at }) },
    { weight: 4, arbitrary: fc.record({ kind: fc.constant('insert-line' as const), at, line: fc.constantFrom(...lines) }) },
    {
      weight: 1,
      arbitrary: fc.record({
        kind: fc.constant('nest' as const),
        depth: fc.oneof(fc.integer({ min: 1, max: 50 }), fc.integer({ min: 990, max: 1010 }), fc.constant(5000)),
        pair: fc.constantFrom(...NESTINGS),
      }).map(({ kind, depth, pair: [open, close, block] }) => ({ kind, depth, open, close, block })),
    },
    {
      weight: 1,
      arbitrary: fc.record({
        kind: fc.constant('huge-token' as const),
        at,
        char: fc.constantFrom('A', '_', '9', '"', '(', '$', '\\', 'é'),
        length: fc.oneof(fc.integer({ min: 100, max: 5000 }), fc.constant(70_000)),
      }),
    },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant('crlf' as const), from: at }) },
  );
}

/** Applies the edits in order to the file's bytes; the result is read back as a file on disk is (UTF-8, bad bytes replaced). */
export function mutate(text: string, mutations: Mutation[]): string {
  let bytes: Buffer = Buffer.from(text, 'utf8');
  const pos = (at: number, length = bytes.length): number => Math.min(length, Math.floor(at * (length + 1)));
  const lines = (): string[] => bytes.toString('latin1').split('\n');
  const fromLines = (list: string[]): Buffer => Buffer.from(list.join('\n'), 'latin1');
  for (const m of mutations) {
    switch (m.kind) {
      case 'flip':
        if (bytes.length > 0) bytes[Math.min(bytes.length - 1, pos(m.at))] = m.byte;
        break;
      case 'insert': {
        const i = pos(m.at);
        bytes = Buffer.concat([bytes.subarray(0, i), Buffer.from(m.bytes), bytes.subarray(i)]);
        break;
      }
      case 'delete': {
        const i = pos(m.at);
        bytes = Buffer.concat([bytes.subarray(0, i), bytes.subarray(i + m.length)]);
        break;
      }
      case 'truncate':
        bytes = bytes.subarray(0, pos(m.at));
        break;
      case 'duplicate-line': {
        const list = lines();
        const i = Math.min(list.length - 1, pos(m.at, list.length));
        list.splice(i, 0, ...Array<string>(m.times).fill(list[i]!));
        bytes = fromLines(list);
        break;
      }
      case 'move-line': {
        const list = lines();
        const [line] = list.splice(Math.min(list.length - 1, pos(m.at, list.length)), 1);
        list.splice(pos(m.to, list.length), 0, line!);
        bytes = fromLines(list);
        break;
      }
      case 'insert-line': {
        const list = lines();
        list.splice(pos(m.at, list.length), 0, Buffer.from(m.line, 'utf8').toString('latin1'));
        bytes = fromLines(list);
        break;
      }
      case 'nest': {
        const [head, tail] = m.block
          ? [m.open.repeat(m.depth), `\n${m.close.repeat(m.depth)}`]
          : ['', `\nconfig NESTED\n\tbool\n\tdepends on ${m.open.repeat(m.depth)}y${m.close.repeat(m.depth)}\n`];
        bytes = Buffer.concat([Buffer.from(head), bytes, Buffer.from(tail)]);
        break;
      }
      case 'huge-token': {
        const i = pos(m.at);
        bytes = Buffer.concat([bytes.subarray(0, i), Buffer.from(m.char.repeat(m.length), 'utf8'), bytes.subarray(i)]);
        break;
      }
      case 'crlf': {
        const i = pos(m.from);
        bytes = Buffer.concat([bytes.subarray(0, i), Buffer.from(bytes.subarray(i).toString('latin1').replace(/\n/g, '\r\n'), 'latin1')]);
        break;
      }
    }
  }
  return bytes.toString('utf8');
}

/** A mutated tree: which seed, which of its files, and the edits. */
export interface KconfigCase {
  seed: number;
  file: number;
  mutations: Mutation[];
}

export function arbKconfigCase(seeds: Seed[]): fc.Arbitrary<KconfigCase> {
  return fc.record({
    seed: fc.nat({ max: seeds.length - 1 }),
    file: fc.nat({ max: 7 }),
    mutations: fc.array(arbMutation(), { minLength: 1, maxLength: 6 }),
  });
}

/** The failure fuzzing looks for: anything but an input error with file and line, or a slow case. */
export class FuzzFailure extends Error {}

/**
 * Runs `run`; an input error naming file and line is a normal outcome,
 * anything else a FuzzFailure. A case over budget runs once more and fails
 * only if it is slow again: a real hang repeats, a garbage collection pause
 * does not.
 */
export function expectInputErrorsOnly(run: () => void): 'ok' | 'input error' {
  const first = timedOutcome(run);
  if (first.ms <= CASE_BUDGET_MS) return first.outcome;
  const again = timedOutcome(run);
  if (again.ms > CASE_BUDGET_MS) throw new FuzzFailure(`case took ${first.ms.toFixed(0)} and ${again.ms.toFixed(0)} ms of CPU time`);
  return again.outcome;
}

function timedOutcome(run: () => void): { outcome: 'ok' | 'input error'; ms: number } {
  const t0 = process.cpuUsage();
  let outcome: 'ok' | 'input error' = 'ok';
  try {
    run();
  } catch (e) {
    if (!(e instanceof KconfsatError)) throw e;
    const loc = e.location;
    if (!loc || loc.file === '' || !(loc.line >= 1)) throw new FuzzFailure(`input error without file:line: ${e.format()}`);
    outcome = 'input error';
  }
  const used = process.cpuUsage(t0);
  return { outcome, ms: (used.user + used.system) / 1000 };
}

export function mutatedFiles(seeds: Seed[], c: KconfigCase): { files: Record<string, string>; arch?: string } {
  const seed = seeds[c.seed]!;
  const names = Object.keys(seed.files);
  const target = names[c.file % names.length]!;
  return { files: { ...seed.files, [target]: mutate(seed.files[target]!, c.mutations) }, ...(seed.arch ? { arch: seed.arch } : {}) };
}

/** What a user's tree goes through: load, model, encode, a solve, the configuration conf would write. */
export function runKconfigCase(seeds: Seed[], c: KconfigCase): 'ok' | 'input error' {
  const { files, arch } = mutatedFiles(seeds, c);
  return expectInputErrorsOnly(() => {
    const session = Session.open({ tree: new MemorySourceFiles(files), ...(arch ? { arch } : {}) });
    if (session.formula.solve() === 'sat') session.formula.modelConfig();
  });
}

/** .config texts to mutate: one conf would write for the tree, with comments, strings and numbers. */
export function dotconfigSeeds(session: Session): string[] {
  session.formula.solve();
  const written = writeDotConfig(session.formula.modelConfig(), { header: 'Automatically generated file; DO NOT EDIT.\nFuzz Kernel Configuration' });
  const handwritten = [
    '# CONFIG_MODULES is not set',
    'CONFIG_NETDEVICES=y',
    'CONFIG_NET_CORE=m',
    'CONFIG_NR_CPUS=128',
    'CONFIG_PHYS_OFFSET=0x1000000',
    'CONFIG_LOCALVERSION="-a \\"quoted\\" \\\\ value"',
    'CONFIG_SPEED_1000=y',
    'CONFIG_UNKNOWN=y',
    '',
  ].join('\n');
  return [written, handwritten];
}

/** Lines a .config may hold, well-formed or not. */
const DOTCONFIG_LINES = [
  'CONFIG_MODULES=y',
  'CONFIG_MODULES=m',
  'CONFIG_NR_CPUS=-1',
  'CONFIG_NR_CPUS=0x10',
  'CONFIG_NR_CPUS=99999999999999999999999',
  'CONFIG_PHYS_OFFSET=zz',
  'CONFIG_LOCALVERSION="unterminated',
  'CONFIG_LOCALVERSION=unquoted',
  'CONFIG_=y',
  'CONFIG_X',
  '# CONFIG_NETDEVICES is not set',
  '# CONFIG_NETDEVICES is not set trailing',
  '#CONFIG_NETDEVICES is not set',
  'FOO=y',
  ' CONFIG_EXPERT=y',
  'CONFIG_SPEED_100=y',
  'CONFIG_SPEED_1000=n',
];

export interface DotconfigCase {
  seed: number;
  mutations: Mutation[];
  strict: boolean;
}

export function arbDotconfigCase(seedCount: number): fc.Arbitrary<DotconfigCase> {
  return fc.record({
    seed: fc.nat({ max: seedCount - 1 }),
    mutations: fc.array(arbMutation(DOTCONFIG_LINES), { minLength: 1, maxLength: 6 }),
    strict: fc.boolean(),
  });
}

/** What a user's .config goes through: parsing (strict as under KCONFIG_WERROR, or as conf reads it) and checking. */
export function runDotconfigCase(session: Session, seeds: string[], c: DotconfigCase): 'ok' | 'input error' {
  const text = mutate(seeds[c.seed]!, c.mutations);
  return expectInputErrorsOnly(() => {
    const config = parseDotConfig(text, '.config', { strict: c.strict });
    checkConfig(session, config);
  });
}

/** The tree .config cases are checked against. */
export function dotconfigSession(): Session {
  return Session.open({ tree: new MemorySourceFiles(DRIVERS_TREE) });
}

/**
 * Trees with generated structure (issue 18) rather than mutated text: one
 * big choice, a long select fan-in, a chain of dependent choices, ints
 * compared over many constants, many ranges on one int; sized so that a
 * case fits the budget. The oracle is exact: the configuration a solve
 * gives, written as conf writes it and read back, is one `check` accepts.
 */
export interface StructureCase {
  shape: 'choice' | 'fanin' | 'chain' | 'domain' | 'ranges';
  size: number;
  /** Symbols a query asks to be y (indices, taken modulo the size). */
  wishes: number[];
}

export function arbStructureCase(): fc.Arbitrary<StructureCase> {
  return fc.record({
    shape: fc.constantFrom('choice', 'fanin', 'chain', 'domain', 'ranges'),
    size: fc.integer({ min: 1, max: 300 }),
    wishes: fc.array(fc.nat(), { maxLength: 3 }),
  });
}

export function structureTree(c: StructureCase): { text: string; symbol: (i: number) => string } {
  // Comparisons and ranges grow with the square of their constants: fewer of those keep a case in budget.
  const n = c.shape === 'domain' || c.shape === 'ranges' ? 1 + (c.size % 60) : c.size;
  const each = (line: (i: number) => string): string => Array.from({ length: n }, (_, i) => line(i)).join('');
  switch (c.shape) {
    case 'choice':
      return { text: `choice\n\tprompt "c"\n${each((i) => `config M${i}\n\tbool "m${i}"\n`)}endchoice\n`, symbol: (i) => `M${i % n}` };
    case 'fanin':
      return { text: `config T\n\tbool\n\tdepends on D\nconfig D\n\tbool "d"\n${each((i) => `config S${i}\n\tbool "s${i}"\n\tselect T\n`)}`, symbol: (i) => `S${i % n}` };
    case 'chain':
      return {
        text: each((i) => `choice\n\tprompt "c${i}"\n${i ? `\tdepends on P${i - 1}\n` : ''}config P${i}\n\tbool "p${i}"\nconfig Q${i}\n\tbool "q${i}"\nendchoice\n`),
        symbol: (i) => `${i % 2 ? 'Q' : 'P'}${i % n}`,
      };
    case 'domain':
      return {
        text: `config A\n\tint "a"\nconfig B\n\tint "b"\nconfig C\n\tbool "c"\n\tdepends on A < B\n${each((i) => `config X${i}\n\tbool "x${i}"\n\tdepends on A = ${i * 7} || B != ${i * 11}\n`)}`,
        symbol: (i) => (i % 3 === 0 ? 'C' : `X${i % n}`),
      };
    case 'ranges':
      return { text: `config N\n\tint "n"\n${each((i) => `\trange ${i} ${i + n} if R${i}\n`)}${each((i) => `config R${i}\n\tbool "r${i}"\n`)}`, symbol: (i) => `R${i % n}` };
  }
}

export function runStructureCase(c: StructureCase): 'ok' | 'input error' {
  const { text, symbol } = structureTree(c);
  return expectInputErrorsOnly(() => {
    const session = Session.open({ tree: new MemorySourceFiles({ Kconfig: text }) });
    const wishes = c.wishes.map(symbol);
    const answer = query(session, wishes.length ? wishes : ['y']);
    if (!answer.witness) return;
    const written = parseDotConfig(writeDotConfig(answer.witness.config), '.config');
    const check = checkConfig(session, written);
    if (!check.valid) throw new FuzzFailure(`a witness check rejects: ${JSON.stringify(check.violations.map((v) => v.symbol))}`);
  });
}

/**
 * Output paths (issue 18): a batch of files to write in a scratch directory,
 * named as audit and fix name them from a tree's symbols (safeFileNames) out
 * of random pieces (`..`, `/`, dots, long names, empty names), onto whatever
 * is already there (files, directories, symlinks out, FIFOs). The oracle: the batch is written whole or refused with a
 * KconfsatError, nothing outside the directory changes, no temporary file is
 * left, and --force never replaced anything but a regular file.
 */
export interface PathsCase {
  names: string[][];
  existing: { at: number; kind: 'file' | 'dir' | 'symlink-out' | 'fifo' }[];
  force: boolean;
}

const PATH_PIECES = ['a', 'config-1', '..', '.', '', 'sub', 'x'.repeat(250), '.kconfsat-0.tmp', 'out', '-n'];

export function arbPathsCase(): fc.Arbitrary<PathsCase> {
  return fc.record({
    names: fc.array(fc.array(fc.constantFrom(...PATH_PIECES), { minLength: 1, maxLength: 3 }), { minLength: 1, maxLength: 3 }),
    existing: fc.array(fc.record({ at: fc.nat(2), kind: fc.constantFrom('file', 'dir', 'symlink-out', 'fifo') }), { maxLength: 2 }),
    force: fc.boolean(),
  });
}

/** Every entry under `dir` with what it is, for comparing before and after. */
export function snapshot(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const d of fs.readdirSync(dir, { recursive: true, withFileTypes: true }) as fs.Dirent[]) {
    const full = path.join(d.parentPath, d.name);
    out.set(full, d.isFile() ? `file:${fs.readFileSync(full, 'latin1')}` : d.isSymbolicLink() ? `link:${fs.readlinkSync(full)}` : d.isDirectory() ? 'dir' : 'other');
  }
  return out;
}

export function runPathsCase(c: PathsCase, scratch: string): 'ok' | 'input error' {
  const fail = (why: string): never => {
    throw new FuzzFailure(`${why}; names ${JSON.stringify(c.names)}`);
  };
  fs.rmSync(scratch, { recursive: true, force: true });
  const dir = path.join(scratch, 'out');
  const outside = path.join(scratch, 'outside');
  fs.mkdirSync(dir, { recursive: true });
  fs.mkdirSync(outside);
  fs.writeFileSync(path.join(outside, 'precious'), 'precious\n');
  const names = safeFileNames(c.names.map((parts) => ({ parts, identity: parts.join('/') })), '.config');
  const files = names.map((name, i) => ({ file: path.join(dir, name), content: `CONFIG_N${i}=y\n` }));
  if (new Set(names).size !== names.length || names.some((n) => n.includes('/') || n.startsWith('.'))) fail(`unsafe or repeated names ${JSON.stringify(names)}`);
  for (const e of c.existing) {
    const target = files[e.at % files.length]!.file;
    if (!target.startsWith(dir + path.sep) || fs.existsSync(target)) continue;
    try {
      fs.mkdirSync(path.dirname(target), { recursive: true });
      if (e.kind === 'file') fs.writeFileSync(target, 'old\n');
      else if (e.kind === 'dir') fs.mkdirSync(target);
      else if (e.kind === 'symlink-out') fs.symlinkSync(path.join(outside, 'precious'), target);
      else execFileSync('mkfifo', [target]);
    } catch {
      // A name that cannot be made (too long, under a file) stays missing.
    }
  }
  const outsideBefore = snapshot(outside);
  const before = snapshot(scratch);
  let outcome: 'ok' | 'input error' = 'ok';
  try {
    writeFilesAtomic(files, { force: c.force });
  } catch (e) {
    if (!(e instanceof KconfsatError)) throw e;
    outcome = 'input error';
  }
  const after = snapshot(scratch);
  if (JSON.stringify([...snapshot(outside)]) !== JSON.stringify([...outsideBefore])) fail('a file outside the output directory changed');
  for (const [name, what] of after) {
    if (/\.kconfsat-[0-9a-f]+\.tmp$/.test(name) && !before.has(name)) fail(`temporary file left: ${name}`);
    const was = before.get(name);
    if (was !== undefined && was !== what && !was.startsWith('file:')) fail(`${name} (${was.split(':')[0]}) was replaced`);
    if (!name.startsWith(dir) && was === undefined) fail(`${name} written outside the output directory`);
  }
  return outcome;
}
