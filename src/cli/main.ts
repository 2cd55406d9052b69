#!/usr/bin/env node
/**
 * The kconfsat command line: a thin layer over the library. Exit codes:
 * 0 yes / valid / nothing found, 1 no / invalid / findings, 2 usage or input
 * error, 3 unknown (--timeout).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Command, CommanderError, Option } from 'commander';
import { isStackOverflow, KconfsatError } from '../errors.js';
import { packageRoot } from '../io/package-root.js';
import { SolverMemoryError } from '../formula/formula.js';
import { runAudit, runCheck, runDead, runDemo, runDimacs, runInfo, runQuery, runSample, runValues, type AuditCommandOptions } from './commands.js';
import { EXIT, type GlobalOptions } from './context.js';
import { runFix, runResolve, type FixCommandOptions, type ResolveCommandOptions } from './repair-commands.js';
import { registerCorpusCommands } from './corpus.js';
import { registerReviewCommands } from './review-command.js';
import { runListNewConfig } from './newconfig-command.js';
import { registerServeCommands } from './serve-commands.js';
import { parseSeconds, runWithDeadline } from './deadline.js';
import { directOutput, type Output } from './output.js';

export const EXAMPLE_TREE = path.join(packageRoot(), 'corpora/examples/xen-zone-device/');

function collectEnv(value: string, previous: string[]): string[] {
  return [...previous, value];
}

/** The command line's program, its output on `output`; `exit` receives each action's exit code. */
export function buildProgram(output: Output, exit: (code: number) => void): Command {
  const program = new Command('kconfsat')
    .description('Exact answers about Kconfig trees: queries with witnesses, explanations, validity checks')
    .version(readVersion())
    .addOption(new Option('--tree <dir>', 'Kconfig tree root').env('srctree').default('.'))
    .addOption(new Option('--arch <arch>', "architecture (ARCH value), or 'all' where allowed").env('ARCH'))
    .option('--kconfig <file>', 'top-level Kconfig file, relative to the tree', 'Kconfig')
    .option('--env <VAR=value>', 'environment variable for the Kconfig macros (repeatable)', collectEnv, [])
    .option('--run-shell', 'run $(shell,...) on this host (off: toolchain results are free inputs)', false)
    .option('--allow-outside-tree', "let 'source' read files outside the tree root (off: an error)", false)
    .option('--kconfig-dialect <version>', "Kconfig rules of conf 6.1, 6.12 or 6.18 (default: detected from the tree)")
    .option('--no-cache', 'neither read nor keep the loaded tree in the session cache ($XDG_CACHE_HOME/kconfsat/sessions)')
    .addOption(new Option('--timeout <seconds>', "stop the command after this long: 'unknown (timeout)', exit code 3").argParser(parseSeconds))
    .option('--force', 'let output files (--out, --out-dir, ...) replace existing ones', false)
    .option('--json', 'machine-readable output', false)
    .option('--progress', 'progress with ETA on stderr even when it is not a terminal (on a terminal it is always shown)', false)
    // Subcommands copy these settings when they are created below.
    .configureHelp({ showGlobalOptions: true })
    // Commander's help and errors go where the commands' output goes (held on a --timeout worker, captured by run()).
    .configureOutput({ writeOut: (text) => output.stdout(text), writeErr: (text) => output.stderr(text), outputError: (text, write) => write(`kconfsat: ${text.replace(/^error: /, '')}`) })
    .exitOverride();

  const globals = (): GlobalOptions => ({ ...program.opts<Omit<GlobalOptions, 'output'>>(), output });

  program
    .command('demo')
    .description('the bundled XEN_UNPOPULATED_ALLOC / ZONE_DEVICE example, buggy and fixed, on i386 and x86_64')
    .action(() => exit(runDemo(EXAMPLE_TREE, globals())));

  program
    .command('info')
    .description('parse and resolve the tree; print symbol counts and formula size')
    .option('--kbuild', "the tree's Kbuild makefiles instead: directories, objects and the constructs read as free inputs", false)
    .action(async (opts: { kbuild: boolean }) => exit(opts.kbuild ? (await import('./builds-command.js')).runKbuildInfo(globals()) : runInfo(globals())));

  program
    .command('query')
    .description('can all EXPRs hold together? yes: a witness .config; no: the Kconfig lines that rule it out')
    .argument('[expr...]', "Kconfig expressions, e.g. XEN_UNPOPULATED_ALLOC=y 'A && !B' NR_CPUS>=64")
    .option('--builds <target...>', 'and these FILE or FILE:LINE targets compiled: Kbuild makefiles and #if blocks (after the expressions)')
    .option('--out <file>', 'write the witness .config here')
    .option('--config <base>', 'answer relative to this .config: keep its values where they do not conflict')
    .option('--toolchain <config>', "a .config conf wrote with the toolchain to hold the witness to (its compiler, linker, versions, cc-option answers); default: --config's")
    .option('--verbose', 'every Kconfig line behind a no (default: the chain of decisive lines); with --arch all: the witness or reason for every arch; the time of each stage on stderr', false)
    .action(async (exprs: string[], opts: { out?: string; config?: string; toolchain?: string; verbose: boolean; builds?: string[] }, command: Command) => {
      if (opts.builds) return exit(await (await import('./builds-command.js')).runBuilds(opts.builds, exprs, opts, globals()));
      if (exprs.length === 0) command.error("missing required argument 'expr'");
      exit(await runQuery(exprs, opts, globals()));
    });

  program
    .command('check')
    .description('is this .config valid for the tree (would conf leave it unchanged)?')
    .argument('[config]', '.config file (default $KCONFIG_CONFIG or .config)')
    .option('--partial', 'the file is a fragment or defconfig: report only the values it sets that do not survive', false)
    .option('--keep', 'with --partial: the fewest extra lines that make the lost values survive', false)
    .action((config: string | undefined, opts: { partial: boolean; keep: boolean }) => exit(runCheck(config, opts, globals())));

  program
    .command('listnewconfig')
    .description("the symbols conf's oldconfig would ask about (no value in CONFIG, prompt visible), as conf --listnewconfig prints them")
    .argument('[config]', '.config file (default $KCONFIG_CONFIG or .config; none: every symbol is new)')
    .action((config: string | undefined) => exit(runListNewConfig(config, globals())));

  program
    .command('values')
    .description('the values each SYMBOL can take in some valid configuration (per arch with --arch all)')
    .argument('[symbol...]', 'symbol names, without CONFIG_')
    .option('--builds <file>', "instead: whether FILE's object can be built in (y), as a module (m) or not at all, each with a witness or the reason")
    .option('--verbose', 'with --builds and --arch all: the witness or reason for every arch', false)
    .action(async (names: string[], opts: { builds?: string; verbose: boolean }, command: Command) => {
      if (opts.builds !== undefined) {
        if (names.length > 0) command.error('values --builds takes a file, not symbols');
        return exit((await import('./builds-command.js')).runBuildValues(opts.builds, opts, globals()));
      }
      if (names.length === 0) command.error("missing required argument 'symbol'");
      exit(runValues(names, globals()));
    });

  program
    .command('dead')
    .description('symbols no valid configuration enables (dead) and symbols none disables (always on)')
    .option('--reasons', 'explain each one (minimal set of Kconfig lines)', false)
    .option('--prompt-only', 'only symbols with a prompt: offered to the user, yet no configuration can enable (or disable) them', false)
    .action((opts: { reasons: boolean; promptOnly: boolean }) => exit(runDead(opts, globals())));

  program
    .command('sample')
    .description('N valid, varied configurations (each one conf leaves unchanged)')
    .option('-n, --count <n>', 'how many', '10')
    .option('--seed <s>', 'random seed', '1')
    .option('--out-dir <dir>', 'write config-1, config-2, ... here')
    .action(async (opts: { count: string; seed: string; outDir?: string }) => exit(await runSample(opts, globals())));

  program
    .command('audit')
    .description("every select that can force its target past the target's own dependencies (conf's unmet-dependency warning), with witnesses")
    .option('--sarif <file>', 'write the findings as SARIF 2.1.0')
    .option('--csv <file>', 'write one row per (arch, finding)')
    .option('--out-dir <dir>', 'write each witness .config here')
    .option('--jobs <n>', 'arches audited in parallel, on worker threads', '1')
    .option('--confirm', "run each witness through the tree's own conf (Linux; implies --run-shell with conf's environment)", false)
    .option('--conf <path>', 'conf binary for --confirm (default: built by scripts/build-conf)')
    .action(async (opts: AuditCommandOptions) => exit(await runAudit(opts, globals(), readVersion())));

  program
    .command('fix')
    .description('verified Kconfig repairs for audit findings (select -> depends on, ...), ranked by impact; --patch-dir writes the best as patches')
    .option('--finding <SELECTOR:SELECTEE>', 'only this finding (repeatable)', collectEnv, [])
    .option('--verify-arch <list>', "arches each repair is verified on: comma list or 'all' (default: every arch of the tree)")
    .option('--patch-dir <dir>', 'write the best verified repair of each finding as DIR/SELECTOR-SELECTEE-FILE-LINE.patch')
    .option('--jobs <n>', 'target arches audited in parallel, on worker threads', '1')
    .action(async (opts: FixCommandOptions) => exit(await runFix(opts, globals())));

  program
    .command('resolve')
    .description('minimal sets of changes to a .config that make the WISHes hold in a valid configuration')
    .argument('<wish...>', "Kconfig expressions, e.g. XEN_UNPOPULATED_ALLOC=y '!DEBUG_INFO'")
    .option('--config <file>', 'the current .config (default $KCONFIG_CONFIG or .config)')
    .option('--max <n>', 'diagnoses to list', '10')
    .option('--max-changes <n>', 'largest diagnosis looked for', '12')
    .option('--out-dir <dir>', 'write each resulting configuration as DIR/diagnosis-N.config')
    .action(async (wishes: string[], opts: ResolveCommandOptions) => exit(await runResolve(wishes, opts, globals())));

  program
    .command('cover')
    .description('the smallest change to a .config under which every line the PATCHes add is compiled (.c/.h/Makefile/Kbuild/Kconfig), several configurations when one cannot')
    .argument('<patch...>', 'unified diffs against the tree (- for stdin)')
    .option('--config <base>', 'the .config to start from (default $KCONFIG_CONFIG or .config)')
    .option('--max-changes <n>', 'largest change looked for per configuration (past it: the witness nearest the base)', '12')
    .option('--out-dir <dir>', 'write the configurations as DIR/cover-N.config (cover-ARCH-N.config with --arch all)')
    .action(async (patches: string[], opts: { config?: string; outDir?: string; maxChanges: string }) => exit(await (await import('./builds-command.js')).runCover(patches, opts, globals())));

  program
    .command('dimacs')
    .description('write the formula in DIMACS CNF with a variable name map')
    .option('--out <file>', 'output file (default stdout)')
    .action(async (opts: { out?: string }) => exit(await runDimacs(opts, globals())));

  registerCorpusCommands(program, globals, exit);
  registerReviewCommands(program, globals, exit, readVersion());
  registerServeCommands(program, globals, readVersion());

  // A usage error is one line and where to read more, not the whole help.
  program.showHelpAfterError('see kconfsat --help');
  const hint = (command: Command, name: string): void => {
    command.showHelpAfterError(`see kconfsat ${name} --help`);
    for (const sub of command.commands) hint(sub, `${name} ${sub.name()}`);
  };
  for (const command of program.commands) hint(command, command.name());
  // A command's option written before the command (`--arch all --verbose query`) is that slip, not an unknown option.
  // The commands keep the output settings they copied; this one is the program's alone.
  program.configureOutput({
    outputError: (text, write) => {
      const flag = /^error: unknown option '(--[^']+)'/.exec(text)?.[1];
      const owners = program.commands.filter((c) => c.options.some((o) => o.long === flag)).map((c) => c.name());
      if (!owners.length) return write(`kconfsat: ${text.replace(/^error: /, '')}`);
      write(`kconfsat: ${flag} is an option of ${owners.join(', ')}: write it after the command (kconfsat ${owners[0]} ${flag} ...)\n`);
    },
  });
  return program;
}

function readVersion(): string {
  const pkg = path.join(packageRoot(), 'package.json');
  return (JSON.parse(fs.readFileSync(pkg, 'utf8')) as { version: string }).version;
}

export async function main(argv: string[]): Promise<void> {
  // A reader that stops early (`| head`) closes the pipe: stop quietly, as other CLI tools do.
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code !== 'EPIPE') throw e;
    process.exit(process.exitCode ?? 0);
  });
  process.exitCode = await runCli(argv);
}

/** The command's answer, thrown past its action once a --timeout worker has given it. */
class AnsweredOnWorker {
  constructor(readonly exitCode: number) {}
}

/**
 * One command line (without the `node kconfsat` in front) run in this process
 * with its output on `io`: the exit code, never a process.exit. The fuzzing
 * drives the CLI through it.
 */
export function run(args: string[], io: Pick<Output, 'stdout' | 'stderr'>): Promise<number> {
  const output: Output = { stdout: (text) => io.stdout(text), stderr: (text) => io.stderr(text), writeFiles: directOutput.writeFiles };
  return runCli(['node', 'kconfsat', ...args], { output });
}

/** Runs one command line and returns its exit code (here, or on deadline.ts's worker with `onWorker`). */
export async function runCli(argv: string[], { output = directOutput, onWorker = false }: { output?: Output; onWorker?: boolean } = {}): Promise<number> {
  let exitCode: number = EXIT.yes;
  const program = buildProgram(output, (code) => {
    exitCode = code;
  });
  // With --timeout this thread hands the whole command line to a worker instead of running the action.
  if (!onWorker) {
    program.hook('preAction', async (_, action) => {
      const g = program.opts<GlobalOptions>();
      if (g.timeout === undefined) return;
      const context = { command: action.name(), args: action.args, json: g.json, ...(g.arch !== undefined ? { arch: g.arch } : {}) };
      throw new AnsweredOnWorker(await runWithDeadline(argv, g.timeout, context, output));
    });
  }
  try {
    await program.parseAsync(argv);
    return exitCode;
  } catch (e) {
    return e instanceof AnsweredOnWorker ? e.exitCode : reportError(e, output);
  }
}

/** One line on stderr for anything a user can cause; a short line for the rest. */
export function reportError(e: unknown, output: Output): number {
  const result = reportedError(e);
  if (result.line !== undefined) output.stderr(`kconfsat: ${oneLine(result.line)}\n`);
  return result.exitCode;
}

/**
 * Control characters a message quotes from the input (a NUL in a Kconfig
 * line, a newline in an argument) written as \xNN: the message stays one line
 * of text.
 */
function oneLine(message: string): string {
  // eslint-disable-next-line no-control-regex -- control characters are what it looks for
  return message.replace(/[\u0000-\u0008\u000a-\u001f\u007f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
}

function reportedError(e: unknown): { line?: string; exitCode: number } {
  if (e instanceof CommanderError) {
    return { exitCode: e.exitCode === 0 || e.code === 'commander.helpDisplayed' || e.code === 'commander.version' ? EXIT.yes : EXIT.error };
  }
  if (e instanceof KconfsatError) return { line: e.format(), exitCode: EXIT.error };
  // Limits of this process, reached by an input too large for them: a user error, one line.
  if (e instanceof SolverMemoryError) return { line: `input too large: the formula, for the SAT solver's 64 MB heap (${e.message})`, exitCode: EXIT.error };
  if (isStackOverflow(e)) return { line: 'input too large: nesting deeper than the call stack holds', exitCode: EXIT.error };
  return { line: `internal error: ${e instanceof Error ? e.message : String(e)}`, exitCode: EXIT.internal };
}

if (process.argv[1] && fs.realpathSync(process.argv[1]) === fileURLToPath(import.meta.url)) await main(process.argv);
