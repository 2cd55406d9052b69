/**
 * The front end in one call: files → macro expansion → parse tree → model,
 * for one tree and one architecture.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { isStackOverflow, KconfsatError } from '../errors.js';
import { MacroExpander, type MacroDiagnostic } from '../macro/expander.js';
import type { ParsedTree } from '../parse/ast.js';
import { DiskSourceFiles, type SourceFiles } from '../parse/files.js';
import { MemoConflict, type ParseMemo } from '../parse/memo.js';
import { OverlaySourceFiles } from '../parse/overlay.js';
import { parseKconfig } from '../parse/parser.js';
import { archEnvironment, archExists, hasArchDirectories, listArchitectures, toolchainEnvironment } from './arch.js';
import { buildModel } from './build.js';
import { cycleError, dependencyCycles, type DependencyCycle } from './cycles.js';
import { detectDialect, type KconfigDialect } from '../parse/dialect.js';
import type { KconfigModel } from './types.js';

export interface LoadOptions {
  /** Tree root directory, or in-memory files. */
  tree: string | SourceFiles;
  /** Top-level Kconfig file, relative to the root. Default `Kconfig`. */
  rootFile?: string;
  /** ARCH value (i386, x86_64, arm64, um, ...) for trees with arch/ directories. */
  arch?: string;
  /** Extra environment for macros; wins over the arch defaults. */
  env?: Record<string, string>;
  /** Run `$(shell,...)` on the host. Unset variables then expand to "" as in a real build. */
  runShell?: boolean;
  /** Let `source` read files outside the tree root. */
  allowOutsideRoot?: boolean;
  /**
   * Recursive dependencies: an error, as conf has made them since Linux 4.x
   * (U-Boot, Xen), or only reported in `cycles`, as the older confs of
   * BusyBox and toybox warn and go on. Default 'error'.
   */
  recursiveDependencies?: 'error' | 'warn';
  /** Whose Kconfig rules apply; default: detected from the tree (detectDialect). */
  dialect?: KconfigDialect;
  /** Texts used instead of these files (names relative to the root; null: deleted): a tree edited in memory. */
  overrides?: Record<string, string | null>;
  /** Session.open: reuse and keep the session in the persisted cache (src/cache/session-cache.ts); the CLI's default. */
  cache?: boolean;
}

export interface LoadedTree {
  model: KconfigModel;
  parsed: ParsedTree;
  files: SourceFiles;
  arch?: string;
  diagnostics: MacroDiagnostic[];
  /** The recursive dependencies conf reports (empty unless `recursiveDependencies: 'warn'`). */
  cycles: DependencyCycle[];
  /** With `cacheMs`, the tree was read from the session cache (src/cache) instead of parsed and built. */
  timings: { parseMs: number; buildMs: number; cacheMs?: number };
}

export function openTree(tree: string | SourceFiles, allowOutsideRoot = false): SourceFiles {
  if (typeof tree !== 'string') return tree;
  if (!fs.existsSync(tree) || !fs.statSync(tree).isDirectory()) {
    throw new KconfsatError('io', `tree not found: ${tree}`);
  }
  return new DiskSourceFiles(tree, allowOutsideRoot);
}

/** With a `memo`, files parsed by an earlier load with it are reused where nothing they read changed (parse/memo.ts). */
export function loadKconfig(options: LoadOptions, memo?: ParseMemo): LoadedTree {
  const { tree, allowOutsideRoot } = options;
  const disk = memo && typeof tree === 'string' ? memo.tree(`${allowOutsideRoot ?? false}\0${path.resolve(tree)}`, () => openTree(tree, allowOutsideRoot)) : openTree(tree, allowOutsideRoot);
  const files = options.overrides ? new OverlaySourceFiles(disk, options.overrides) : disk;
  const rootFile = options.rootFile ?? 'Kconfig';
  let env: Record<string, string> = {};
  if (options.arch !== undefined) {
    if (!hasArchDirectories(files) || !archExists(files, options.arch)) {
      const known = listArchitectures(files);
      throw new KconfsatError(
        'arch',
        `unknown architecture '${options.arch}'${known.length ? ` (known: ${known.join(', ')})` : ''}`,
      );
    }
    env = archEnvironment(files, options.arch);
  }
  env = { ...env, ...options.env };
  if (options.runShell && options.arch !== undefined) env = toolchainEnvironment(env);
  const expander = (): MacroExpander =>
    new MacroExpander({
      env,
      runShell: options.runShell ?? false,
      emptyUnsetEnv: options.runShell ?? false,
      shellCwd: typeof options.tree === 'string' ? options.tree : undefined,
    });
  let macros = expander();
  const t0 = performance.now();
  const dialect = options.dialect ?? detectDialect(files);
  let parsed: ParsedTree;
  try {
    parsed = parseKconfig(files, rootFile, macros, dialect, memo);
  } catch (e) {
    // Reusing and keeping parses takes a few more frames per `source` level than parsing alone does.
    if (!(e instanceof MemoConflict) && !(memo && isStackOverflow(e))) throw e;
    macros = expander();
    parsed = parseKconfig(files, rootFile, macros, dialect);
  }
  const t1 = performance.now();
  const model = buildModel(parsed, { env, dialect, describeInput: (text) => macros.render(text) });
  const cycles = dependencyCycles(model);
  if (cycles.length > 0 && options.recursiveDependencies !== 'warn') throw cycleError(cycles);
  const t2 = performance.now();
  const loaded: LoadedTree = {
    model,
    parsed,
    files,
    diagnostics: macros.diagnostics,
    cycles,
    timings: { parseMs: t1 - t0, buildMs: t2 - t1 },
  };
  if (options.arch !== undefined) loaded.arch = options.arch;
  return loaded;
}
