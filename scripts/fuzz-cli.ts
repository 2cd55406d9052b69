/**
 * Fuzz cases at the command line (issue 18): every command with random
 * arguments and options, run in-process through main.ts's run() against a
 * tree on disk (one of the seed trees mutated, or one of generated
 * structure), with files of odd kinds where files go (a FIFO, a directory, a
 * symlink out of the tree, a dangling one, /dev/null) and random output
 * paths. A failure: an exit code other than 0-3, an internal error or a
 * stack trace in the output, a file written or changed outside the output
 * places the command line names, a temporary file left, or a case over its
 * CPU budget twice.
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import fc from 'fast-check';
import { run } from '../src/cli/main.js';
import { arbMutation, FuzzFailure, mutate, snapshot, structureTree, type Mutation, type Seed, type StructureCase } from './fuzz-cases.js';

/** CPU time a command line may take on these small trees (`dead --reasons` and `fix` solve per symbol). */
export const CLI_CASE_BUDGET_MS = 3000;

export type Tree = { kind: 'seed'; seed: number; file: number; mutations: Mutation[] } | ({ kind: 'structure' } & StructureCase);

/** A path argument: an odd file, a file of the case, or a path made of pieces (relative to the working directory). */
export type PathArg = { odd: (typeof ODD)[number] } | { pieces: string[]; absolute: boolean };

/** Names the scratch directory holds for every case, never changed by one (fixture.ts makes them). */
const ODD = ['fifo', 'dir', 'link-out', 'dangling', 'dev-null', 'missing', 'config', 'patch', 'tree/Kconfig', 'outside/precious', 'tree'] as const;
const PIECES = ['out', 'a.config', 'sub', '..', '.', '', 'x'.repeat(250), '.kconfsat-0.tmp', '-n', 'fifo', 'dir', 'link-out', 'dangling', 'dev-null'];

/** Stands for `--arch ARCH` with the tree's arch (nothing for a tree without arches). */
const ARCH_PLACEHOLDER = '@arch';

export interface CliCase {
  tree: Tree;
  /** The command line with placeholders: a string goes as is, a PathArg becomes a path in the scratch directory. */
  argv: (string | PathArg)[];
  /** .config text for the `config` file. */
  config: Mutation[];
}

const EXPR_GARBAGE = ['', '(', 'A &&', '=y', '"', 'CONFIG_X=y', 'y', 'n', '$(FOO)', '\u0000', 'A=', '!!', 'X'.repeat(5000), 'A="\\', 'A>=0x', 'A=y B=y', '-y'];
const NUMBERS = ['0', '1', '2', '3', '-1', 'x', '1.5', '', '0x10', '1e3', '99999999999999999999'];

const arbPath: fc.Arbitrary<PathArg> = fc.oneof(
  { weight: 2, arbitrary: fc.record({ odd: fc.constantFrom(...ODD) }) },
  { weight: 3, arbitrary: fc.record({ pieces: fc.array(fc.constantFrom(...PIECES), { minLength: 1, maxLength: 3 }), absolute: fc.boolean() }) },
);

function arbExpr(symbols: fc.Arbitrary<string>): fc.Arbitrary<string> {
  return fc.oneof(
    symbols,
    fc.tuple(symbols, fc.constantFrom('=y', '=m', '=n', '!=y', '>=5', '<0x10', '="s"', '=""', '=12')).map(([s, op]) => s + op),
    fc.tuple(symbols, fc.constantFrom(' && ', ' || ', ' && !'), symbols).map(([a, op, b]) => a + op + b),
    symbols.map((s) => `!${s}`),
    fc.constantFrom(...EXPR_GARBAGE),
  );
}

/** `--name value` (or the flag alone) some of the time. */
function maybe(name: string, value?: fc.Arbitrary<string | PathArg>): fc.Arbitrary<(string | PathArg)[]> {
  const present: fc.Arbitrary<(string | PathArg)[]> = value ? value.map((v) => [name, v]) : fc.constant([name]);
  return fc.oneof({ weight: 2, arbitrary: fc.constant<(string | PathArg)[]>([]) }, { weight: 1, arbitrary: present });
}

/** Mostly a well-formed value, a tenth of the time a bad one: most command lines get past the option parsing. */
function mostly<T>(good: fc.Arbitrary<T>, bad: fc.Arbitrary<T>): fc.Arbitrary<T> {
  return fc.oneof({ weight: 9, arbitrary: good }, { weight: 1, arbitrary: bad });
}

function command(name: string, ...parts: fc.Arbitrary<(string | PathArg)[]>[]): fc.Arbitrary<(string | PathArg)[]> {
  return fc.tuple(...parts).map((lists) => [name, ...lists.flat()]);
}

const SYMBOLS = ['MODULES', 'NETDEVICES', 'NET_CORE', 'NR_CPUS', 'EXPERT', 'LOCALVERSION', 'PHYS_OFFSET', 'XEN_UNPOPULATED_ALLOC', 'ZONE_DEVICE', 'X86_64', 'M0', 'M1', 'S0', 'T', 'D', 'P0', 'Q1', 'A', 'B', 'C', 'N', 'R0', 'X1', 'NOPE'];

function arbArgv(): fc.Arbitrary<(string | PathArg)[]> {
  const sym = fc.constantFrom(...SYMBOLS);
  const expr = arbExpr(sym);
  const num = fc.constantFrom(...NUMBERS);
  const exprs = fc.array(expr, { minLength: 1, maxLength: 3 });
  const file = maybe('--config', mostly<PathArg>(fc.constant({ odd: 'config' }), arbPath));
  const jobs = maybe('--jobs', mostly(fc.constantFrom('1', '2'), fc.constantFrom('0', 'x')));
  const commands = fc.oneof(
    { weight: 4, arbitrary: command('query', exprs, maybe('--out', arbPath), file, maybe('--toolchain', arbPath), maybe('--verbose'), fc.oneof({ weight: 9, arbitrary: fc.constant<(string | PathArg)[]>([]) }, { weight: 1, arbitrary: fc.array(fc.constantFrom('Makefile', 'drivers/Makefile:3', 'a.c:1', ''), { minLength: 1, maxLength: 2 }).map((t) => ['--builds', ...t]) })) },
    { weight: 3, arbitrary: command('check', fc.oneof(fc.constant<PathArg[]>([]), arbPath.map((p) => [p])), maybe('--partial'), maybe('--keep')) },
    { weight: 2, arbitrary: command('listnewconfig', fc.oneof(fc.constant<PathArg[]>([]), arbPath.map((p) => [p]))) },
    { weight: 2, arbitrary: command('values', fc.array(sym, { minLength: 1, maxLength: 3 })) },
    { weight: 2, arbitrary: command('dead', maybe('--reasons'), maybe('--prompt-only')) },
    { weight: 2, arbitrary: command('sample', maybe('-n', mostly(fc.constantFrom('1', '3'), fc.constantFrom('0', '-1', 'x', '1.5', ''))), maybe('--seed', num), maybe('--out-dir', arbPath)) },
    { weight: 2, arbitrary: command('audit', maybe('--sarif', arbPath), maybe('--csv', arbPath), maybe('--out-dir', arbPath), jobs) },
    { weight: 2, arbitrary: command('fix', fc.array(fc.tuple(sym, sym).map(([a, b]) => ['--finding', `${a}:${b}`]), { maxLength: 2 }).map((l) => l.flat()), maybe('--verify-arch', fc.constantFrom('all', 'i386', 'x86_64,i386', 'nope', '')), maybe('--patch-dir', arbPath), jobs) },
    { weight: 3, arbitrary: command('resolve', exprs, file, maybe('--max', mostly(fc.constantFrom('1', '3'), num)), maybe('--max-changes', mostly(fc.constantFrom('2', '4'), num)), maybe('--out-dir', arbPath)) },
    { weight: 2, arbitrary: command('dimacs', maybe('--out', arbPath)) },
    { weight: 2, arbitrary: command('info', maybe('--kbuild')) },
    { weight: 2, arbitrary: command('review', mostly(fc.constant<PathArg[]>([{ odd: 'patch' }]), fc.array(arbPath, { maxLength: 2 })), mostly(fc.constant<(string | PathArg)[]>([]), fc.tuple(maybe('--old', arbPath), maybe('--new', arbPath), maybe('--rev', fc.constantFrom('a..b', 'HEAD', ''))).map((l) => l.flat())), maybe('--sarif', arbPath), maybe('--no-fix')) },
    { weight: 1, arbitrary: command('upgrade', mostly(fc.constant<(string | PathArg)[]>(['--config', { odd: 'config' }]), maybe('--config', arbPath)), maybe('--old', arbPath), maybe('--new', arbPath), maybe('--keep')) },
    { weight: 1, arbitrary: fc.constantFrom(['corpus', 'list'], ['corpus'], ['help', 'query'], ['--version'], ['nosuchcommand'], [], ['query', '--help'], ['demo']) },
  );
  const globals = fc.tuple(
    fc.oneof({ weight: 9, arbitrary: fc.constant(['--tree', { odd: 'tree' } as PathArg]) }, { weight: 1, arbitrary: arbPath.map((p) => ['--tree', p]) }),
    // ARCH_PLACEHOLDER: the tree's own arch, when it has arches.
    mostly(fc.constant<(string | PathArg)[]>([ARCH_PLACEHOLDER]), maybe('--arch', fc.constantFrom('i386', 'x86_64', 'all', 'nope', '', '../x'))),
    fc.oneof({ weight: 9, arbitrary: fc.constant<(string | PathArg)[]>([]) }, { weight: 1, arbitrary: fc.constantFrom('Kconfig', 'fifo', 'dir', 'link-out', 'dangling', 'missing', '../outside/precious', '/dev/null', '').map((k) => ['--kconfig', k]) }),
    maybe('--env', mostly(fc.constantFrom('ARCH=x86', 'SRCARCH=x86', 'CC=gcc', 'srctree=/'), fc.constantFrom('NOEQUALS', '=x'))),
    maybe('--kconfig-dialect', mostly(fc.constantFrom('6.1', '6.12', '6.18'), fc.constantFrom('5.0', 'x'))),
    maybe('--json'),
    maybe('--force'),
    maybe('--allow-outside-tree'),
    // A --timeout runs the command on a worker thread: seldom, and never one that fires (its straggler guard exits the process).
    fc.oneof({ weight: 40, arbitrary: fc.constant<(string | PathArg)[]>([]) }, { weight: 1, arbitrary: fc.constantFrom('60', '0', '-1', 'x').map((t) => ['--timeout', t]) }),
  );
  return fc.tuple(commands, globals.map((l) => l.flat()), fc.boolean()).map(([cmd, g, before]) => (before || cmd.length === 0 ? [...g, ...cmd] : [cmd[0]!, ...g, ...cmd.slice(1)]));
}

export function arbCliCase(seeds: Seed[]): fc.Arbitrary<CliCase> {
  const tree: fc.Arbitrary<Tree> = fc.oneof(
    { weight: 3, arbitrary: fc.record({ kind: fc.constant('seed' as const), seed: fc.nat({ max: seeds.length - 1 }), file: fc.nat(), mutations: fc.oneof(fc.constant<Mutation[]>([]), fc.array(arbMutation(), { minLength: 1, maxLength: 3 })) }) },
    {
      weight: 1,
      arbitrary: fc.record({
        kind: fc.constant('structure' as const),
        shape: fc.constantFrom('choice', 'fanin', 'chain', 'domain', 'ranges'),
        // Commands go over every symbol (dead, audit, fix): smaller than the load-only structure cases
        // (`fix` on a fan-in of 40 selectors, three candidates verified for each, takes about 0.7 s of CPU).
        size: fc.integer({ min: 1, max: 40 }),
        wishes: fc.constant<number[]>([]),
      }),
    },
  );
  return fc.record({ tree, argv: arbArgv(), config: fc.array(arbMutation(['CONFIG_MODULES=m', 'CONFIG_NR_CPUS=0x10', '# CONFIG_EXPERT is not set', 'CONFIG_LOCALVERSION="x']), { maxLength: 2 }) });
}

const CONFIG_SEED = 'CONFIG_MODULES=y\nCONFIG_NETDEVICES=y\nCONFIG_NR_CPUS=64\nCONFIG_LOCALVERSION="-fuzz"\n# CONFIG_EXPERT is not set\nCONFIG_M1=y\nCONFIG_S0=y\n';
const PATCH = '--- a/Kconfig\n+++ b/Kconfig\n@@ -0,0 +1,4 @@\n+config FUZZ_NEW\n+\tbool "new"\n+\tselect MODULES\n+\n';

/** The scratch directory: odd files made once; the tree, the config and the working directory remade per case. */
export class CliScratch {
  readonly cwd: string;
  readonly tree: string;
  readonly tmp: string;

  constructor(readonly root: string) {
    this.cwd = path.join(root, 'cwd');
    this.tree = path.join(root, 'tree');
    this.tmp = path.join(root, 'tmp');
    fs.mkdirSync(path.join(root, 'outside'), { recursive: true });
    fs.writeFileSync(path.join(root, 'outside/precious'), 'precious\n');
    fs.mkdirSync(path.join(root, 'dir'), { recursive: true });
    execFileSync('mkfifo', [path.join(root, 'fifo')]);
    fs.symlinkSync(path.join(root, 'outside/precious'), path.join(root, 'link-out'));
    fs.symlinkSync(path.join(root, 'nowhere'), path.join(root, 'dangling'));
    fs.symlinkSync('/dev/null', path.join(root, 'dev-null'));
  }

  /** The path a PathArg stands for. */
  resolve(p: string | PathArg): string {
    if (typeof p === 'string') return p;
    if ('odd' in p) return p.odd === 'dev-null' ? '/dev/null' : path.join(this.root, p.odd);
    const rel = path.join(...p.pieces);
    return p.absolute ? path.join(this.cwd, rel) : rel;
  }

  /** The tree's files on disk, while no case has changed anything (removing directories costs most of a case). */
  private written: Record<string, string> | undefined;

  /** A case changed files (in its output places): the next one starts from an empty scratch directory. */
  changed(): void {
    this.written = undefined;
  }

  /** Writes the case's tree and .config (only the files that differ from the last case's), the working directory empty. */
  prepare(c: CliCase, seeds: Seed[]): void {
    const files = treeFiles(c.tree, seeds);
    if (!this.written) this.reset();
    const last = this.written ?? {};
    for (const name of Object.keys(last)) if (!(name in files)) this.remove(name);
    for (const [name, text] of Object.entries(files)) {
      if (last[name] === text) continue;
      fs.mkdirSync(path.dirname(path.join(this.tree, name)), { recursive: true });
      fs.writeFileSync(path.join(this.tree, name), text);
    }
    this.written = files;
    fs.writeFileSync(path.join(this.root, 'config'), mutate(CONFIG_SEED, c.config));
    // The .config a command reads when given none.
    fs.copyFileSync(path.join(this.root, 'config'), path.join(this.cwd, '.config'));
    fs.writeFileSync(path.join(this.root, 'patch'), PATCH);
  }

  /** Removes a tree file and the directories it leaves empty, as if the tree had never had it. */
  private remove(name: string): void {
    fs.rmSync(path.join(this.tree, name));
    for (let dir = path.dirname(name); dir !== '.'; dir = path.dirname(dir)) {
      if (fs.readdirSync(path.join(this.tree, dir)).length) break;
      fs.rmdirSync(path.join(this.tree, dir));
    }
  }

  private reset(): void {
    for (const dir of [this.tree, this.cwd, this.tmp]) {
      fs.rmSync(dir, { recursive: true, force: true });
      fs.mkdirSync(dir);
    }
    for (const odd of ['fifo', 'dir', 'link-out', 'dangling']) fs.symlinkSync(path.join(this.root, odd), path.join(this.tree, odd));
  }
}

export function treeFiles(tree: Tree, seeds: Seed[]): Record<string, string> {
  if (tree.kind === 'structure') return { Kconfig: structureTree(tree).text };
  const seed = seeds[tree.seed]!;
  const names = Object.keys(seed.files);
  const target = names[tree.file % names.length]!;
  return { ...seed.files, [target]: mutate(seed.files[target]!, tree.mutations) };
}

/** The case's command line with its placeholders filled in. */
function commandLine(c: CliCase, seeds: Seed[], scratch: CliScratch): string[] {
  const arch = c.tree.kind === 'seed' ? seeds[c.tree.seed]!.arch : undefined;
  return c.argv.flatMap((a) => (a === ARCH_PLACEHOLDER ? (arch ? ['--arch', arch] : []) : [scratch.resolve(a)]));
}

/** Options whose value names where a command writes. */
const OUTPUT_OPTIONS = new Set(['--out', '--out-dir', '--sarif', '--csv', '--patch-dir']);

export interface CliOutcome {
  code: number;
  stdout: string;
  stderr: string;
  ms: number;
}

/** Runs the case once: its outcome, or a FuzzFailure saying what went wrong. */
async function runOnce(c: CliCase, seeds: Seed[], scratch: CliScratch): Promise<CliOutcome> {
  process.chdir(scratch.root);
  scratch.prepare(c, seeds);
  process.chdir(scratch.cwd);
  const argv = commandLine(c, seeds, scratch);
  const outputs = argv.flatMap((a, i) => (i > 0 && OUTPUT_OPTIONS.has(argv[i - 1]!) ? [path.resolve(scratch.cwd, a)] : []));
  const before = snapshot(scratch.root);
  const listeners = ['SIGINT', 'SIGTERM', 'exit'].map((e) => process.listenerCount(e));
  const out = { stdout: '', stderr: '' };
  const t0 = process.cpuUsage();
  const code = await run(argv, { stdout: (t) => (out.stdout += t), stderr: (t) => (out.stderr += t) });
  const used = process.cpuUsage(t0);
  const fail = (why: string): never => {
    throw new FuzzFailure(`${why}\nargv: ${JSON.stringify(argv)}\nexit ${code}\nstdout: ${out.stdout.slice(0, 2000)}\nstderr: ${out.stderr.slice(0, 2000)}`);
  };
  if (![0, 1, 2, 3].includes(code)) fail(`exit code ${code}`);
  if (/internal error|\n\s+at .+[(:]\d+|\bTypeError\b|\bReferenceError\b/.test(out.stdout + out.stderr)) fail('an internal error or a stack trace in the output');
  if (process.exitCode !== undefined) fail(`process.exitCode set to ${String(process.exitCode)}`);
  if (['SIGINT', 'SIGTERM', 'exit'].some((e, i) => process.listenerCount(e) !== listeners[i])) fail('process listeners left behind');
  // The named places, and the directories made on the way to one.
  const named = (file: string): boolean => outputs.some((o) => file === o || file.startsWith(o + path.sep) || (o.startsWith(file + path.sep) && !before.has(file)));
  const after = snapshot(scratch.root);
  if (after.size !== before.size || [...after].some(([file, what]) => before.get(file) !== what)) scratch.changed();
  for (const [file, what] of after) {
    if (/\.kconfsat-[0-9a-f]+\.tmp$/.test(file) && !before.has(file) && !named(file)) fail(`temporary file left: ${file}`);
    if (before.get(file) !== what && !named(file)) fail(`${file} written outside the output places ${JSON.stringify(outputs)}`);
  }
  for (const file of before.keys()) if (!after.has(file) && !named(file)) fail(`${file} removed`);
  if (fs.readdirSync(scratch.tmp).length) fail(`left in TMPDIR: ${fs.readdirSync(scratch.tmp).join(', ')}`);
  return { code, ...out, ms: (used.user + used.system) / 1000 };
}

/**
 * Runs the case in the scratch directory's working directory with TMPDIR
 * inside it; a case over budget runs once more and fails only if slow again
 * (a garbage collection pause does not repeat, a hang does).
 */
export async function runCliCase(c: CliCase, seeds: Seed[], scratch: CliScratch): Promise<CliOutcome> {
  const cwd = process.cwd();
  const tmpdir = process.env.TMPDIR;
  process.env.TMPDIR = scratch.tmp;
  try {
    const first = await runOnce(c, seeds, scratch);
    if (first.ms <= CLI_CASE_BUDGET_MS) return first;
    const again = await runOnce(c, seeds, scratch);
    if (again.ms > CLI_CASE_BUDGET_MS) throw new FuzzFailure(`case took ${first.ms.toFixed(0)} and ${again.ms.toFixed(0)} ms of CPU time: ${JSON.stringify(c.argv)}`);
    return again;
  } finally {
    process.chdir(cwd);
    if (tmpdir === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = tmpdir;
  }
}

/** The case as text: the command line and the tree's files. */
export function showCliCase(c: CliCase, seeds: Seed[], scratch: CliScratch): string {
  const files = Object.entries(treeFiles(c.tree, seeds)).map(([name, text]) => `--- ${name}\n${text.length > 4000 ? `${text.slice(0, 4000)}... (${text.length} characters)` : text}`);
  return [`kconfsat ${commandLine(c, seeds, scratch).map((a) => JSON.stringify(a)).join(' ')}`, ...files].join('\n');
}
