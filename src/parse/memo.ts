/**
 * Parses of sourced files kept for the next load of a tree: review loads the
 * tree before and after a change, on every arch, and most files parse the
 * same each time.
 *
 * A file's parse (with everything it sources) is a function of its text,
 * what it read of the tree (the texts of the files it sourced, the names its
 * globs matched), what its macros read of the variables and the environment,
 * the unknowns it made, the grammar, and how deeply blocks nest where it is
 * sourced. A kept parse records all of these; the parser reuses it only when
 * each is the same again (nodes, files, macro effects and diagnostics as a
 * fresh parse would give), and otherwise parses the file, reusing what it
 * can of the files beneath.
 *
 * Reused nodes are shared between trees, which nothing changes after
 * parsing, with one exception the parser watches for: option lines after a
 * `source` belong to the sourced file's last entry. A kept parse ending in
 * an entry that later lines extended is forgotten, and a reused one that
 * would be extended makes the load parse again without the memo.
 */
import type { MacroRecording } from '../macro/expander.js';
import type { Entry, Node } from './ast.js';
import type { KconfigDialect } from './dialect.js';
import { readInside, type OUTSIDE_ROOT, type SourceFiles } from './files.js';

/** A read of the tree a parse made: a file's text (or that it is missing or outside), or a glob's matches. */
export type TreeInput =
  | { kind: 'read'; name: string; text: string | undefined | typeof OUTSIDE_ROOT }
  | { kind: 'glob'; pattern: string; names: readonly string[] };

export interface FileParse {
  /** Unique in the memo; `contains` lists it and every file parse within it, to keep any node from appearing twice in one tree. */
  readonly id: number;
  readonly file: string;
  readonly text: string;
  readonly dialect: KconfigDialect;
  /** Blocks open where it was sourced (their nesting is limited). */
  readonly depth: number;
  /** What it added to the block it was sourced in. */
  readonly nodes: readonly Node[];
  /** Every file read, itself first, as ParsedTree.files lists them. */
  readonly files: readonly string[];
  /** The entry option lines after its `source` would belong to. */
  readonly exit: Entry | undefined;
  readonly inputs: readonly TreeInput[];
  readonly macros: MacroRecording;
  readonly contains: readonly number[];
}

export class ParseMemo {
  private readonly byFile = new Map<string, FileParse>();
  /** Weak: an entry no tree holds any more can take no option line. */
  private readonly byExit = new WeakMap<Entry, FileParse[]>();
  private ids = 0;
  private readonly trees = new Map<string, SourceFiles>();

  /**
   * The tree `key` names, opened once by `open` for every load through the
   * memo, its answers kept: each file is read from disk once, however many
   * loads read it (or check a kept parse's reads).
   */
  tree(key: string, open: () => SourceFiles): SourceFiles {
    let files = this.trees.get(key);
    if (!files) this.trees.set(key, (files = new KeptFiles(open())));
    return files;
  }

  /**
   * The next load through the memo reads every tree again (a file may have
   * changed on disk since); the kept parses stay, each reused only where the
   * texts it read are still the same.
   */
  reread(): void {
    this.trees.clear();
  }

  newId(): number {
    return this.ids++;
  }

  /** The kept parse of `file` for this text, grammar and depth (one per file: the latest). */
  find(file: string, text: string, dialect: KconfigDialect, depth: number): FileParse | undefined {
    const parse = this.byFile.get(file);
    return parse && parse.text === text && parse.dialect === dialect && parse.depth === depth ? parse : undefined;
  }

  keep(parse: FileParse): void {
    this.byFile.set(parse.file, parse);
    if (parse.exit) this.byExit.set(parse.exit, [...(this.byExit.get(parse.exit) ?? []), parse]);
  }

  /** Lines were added to `entry` after the files ending in it were parsed: their kept parses no longer say what they gave. */
  forget(entry: Entry): void {
    for (const parse of this.byExit.get(entry) ?? []) if (this.byFile.get(parse.file) === parse) this.byFile.delete(parse.file);
    this.byExit.delete(entry);
  }
}

class KeptFiles implements SourceFiles {
  private readonly texts = new Map<string, string | undefined | typeof OUTSIDE_ROOT>();
  private readonly globs = new Map<string, string[]>();

  constructor(private readonly files: SourceFiles) {}

  get root(): string {
    return this.files.root;
  }

  read(name: string): string | undefined {
    return readInside(this, name);
  }

  readConfined(name: string): string | undefined | typeof OUTSIDE_ROOT {
    if (!this.texts.has(name)) this.texts.set(name, this.files.readConfined(name));
    return this.texts.get(name);
  }

  glob(pattern: string): string[] {
    let names = this.globs.get(pattern);
    if (names === undefined) this.globs.set(pattern, (names = this.files.glob(pattern)));
    return names;
  }
}

/** A reused parse would have had lines added to its last entry: the load parses again without the memo. */
export class MemoConflict extends Error {}
