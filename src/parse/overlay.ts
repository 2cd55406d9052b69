/**
 * A tree with some files' texts replaced, added or deleted in memory: how a
 * candidate fix is tried, and a patch reviewed, without touching the files
 * on disk.
 */
import * as path from 'node:path';
import { wellFormed } from '../macro/expander.js';
import { matchGlob, OUTSIDE_ROOT, type SourceFiles } from './files.js';

export class OverlaySourceFiles implements SourceFiles {
  /** null: the file is deleted. */
  private readonly texts: Map<string, string | null>;

  constructor(
    private readonly base: SourceFiles,
    texts: Record<string, string | null>,
  ) {
    // As if read from disk: a lone surrogate (which no UTF-8 file holds) could spell a macro marker.
    this.texts = new Map(Object.entries(texts).map(([name, text]) => [path.posix.normalize(name), text === null ? null : wellFormed(text)]));
  }

  get root(): string {
    return this.base.root;
  }

  read(name: string): string | undefined {
    const text = this.texts.get(path.posix.normalize(name));
    return text === null ? undefined : (text ?? this.base.read(name));
  }

  glob(pattern: string): string[] {
    const deleted = new Set([...this.texts].filter(([, t]) => t === null).map(([n]) => n));
    const added = matchGlob(pattern, [...this.texts].filter(([, t]) => t !== null).map(([n]) => n));
    return [...new Set([...this.base.glob(pattern), ...added])].filter((n) => !deleted.has(n)).sort();
  }

  /** An edited file is still confined by where the name leads on disk. */
  readConfined(name: string): string | undefined | typeof OUTSIDE_ROOT {
    const text = this.texts.get(path.posix.normalize(name));
    const onDisk = this.base.readConfined(name);
    if (onDisk === OUTSIDE_ROOT) return onDisk;
    return text === null ? undefined : (text ?? onDisk);
  }
}
