/**
 * A tree with some files' texts replaced in memory: how a candidate fix is
 * tried without touching the files on disk.
 */
import * as path from 'node:path';
import { OUTSIDE_ROOT, type SourceFiles } from './files.js';

export class OverlaySourceFiles implements SourceFiles {
  private readonly texts: Map<string, string>;

  constructor(
    private readonly base: SourceFiles,
    texts: Record<string, string>,
  ) {
    this.texts = new Map(Object.entries(texts).map(([name, text]) => [path.posix.normalize(name), text]));
  }

  get root(): string {
    return this.base.root;
  }

  read(name: string): string | undefined {
    return this.texts.get(path.posix.normalize(name)) ?? this.base.read(name);
  }

  glob(pattern: string): string[] {
    return this.base.glob(pattern);
  }

  /** An edited file is still confined by where the name leads on disk. */
  readConfined(name: string): string | undefined | typeof OUTSIDE_ROOT {
    const text = this.texts.get(path.posix.normalize(name));
    const onDisk = this.base.readConfined(name);
    return text === undefined || onDisk === OUTSIDE_ROOT ? onDisk : text;
  }
}
