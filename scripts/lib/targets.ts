/**
 * The target matrix of the scripts: which (tree, arch) pairs a run covers.
 * --arch lists (a comma list or `all`) for one tree, and the (corpus × arch)
 * targets of a sweep, with the session each one opens and, for --confirm,
 * the conf that confirms its findings. Every script builds its list here.
 */
import type { SessionOptions } from '../../src/analysis/session.js';
import { allArches } from '../../src/workflow/arches.js';
import { confRunsShell } from '../../src/workflow/confirm.js';
import { buildConf, corpusEnvironment, type Corpus } from '../../src/workflow/reference.js';

/** An --arch option's ARCH values: a comma list, or `all` for every arch of `tree`; `defaults` when the option is absent. */
export function archList(option: string | undefined, defaults: string[], tree: string): string[] {
  if (option === 'all') return allArches(tree, '--arch all');
  return option === undefined ? defaults : option.split(',').filter(Boolean);
}

/** The arches of a corpus a sweep takes, from the manifest alone (`-` when the arch is not an input): a shard's share is known before fetching. */
export function corpusArches(corpus: Corpus, arches: string[] | 'all'): string[] {
  return corpus.arches.length === 0 ? ['-'] : corpus.arches.filter((a) => arches === 'all' || arches.includes(a));
}

/** Every `corpus arch` of a sweep over `corpora` (a corpus none of whose arches is asked for stays as `corpus -`): what --shard splits. */
export function sweepPlan(corpora: Corpus[], arches: string[] | 'all'): string[] {
  return corpora.flatMap((corpus) => {
    const chosen = corpusArches(corpus, arches);
    return (chosen.length > 0 ? chosen : ['-']).map((arch) => `${corpus.name} ${arch}`);
  });
}

/** One (corpus, arch) target: everything a worker thread needs, as plain data. */
export interface CorpusTarget {
  corpus: string;
  version: string;
  /** `-` where the architecture is not an input of the tree. */
  arch: string;
  session: SessionOptions;
  /** Confirm the findings with this Linux tree's conf (the session then runs $(shell,...) as conf does). */
  confirm?: { tree: string; arch: string; conf: string };
}

/**
 * The targets of one fetched corpus: one per manifest arch, or one for the
 * whole tree when the architecture is not an input. The manifest's
 * environment is what the project's Makefile hands its conf for that arch.
 */
export function corpusTargets(corpus: Corpus, tree: string, version: string, arches: string[] | 'all', confirm: boolean): CorpusTarget[] {
  const chosen = corpusArches(corpus, arches).map((a) => (a === '-' ? undefined : a));
  // Linux trees are the ones whose Makefile hands Kconfig a KERNELVERSION (U-Boot and BusyBox have a scripts/kconfig/conf.c too).
  const linux = corpus.env.KERNELVERSION !== undefined;
  const conf = confirm && linux ? buildConf(tree) : undefined;
  return chosen.map((arch) => {
    const session: SessionOptions = { tree, rootFile: corpus.rootKconfig ?? 'Kconfig', env: corpusEnvironment(corpus, tree, arch) };
    const target: CorpusTarget = { corpus: corpus.name, version, arch: arch ?? '-', session };
    if (conf && arch !== undefined) {
      // conf runs $(shell,...) with the host toolchain: the witnesses must come from a session that did too.
      target.session = confRunsShell(session, tree, arch, corpus);
      target.confirm = { tree, arch, conf };
    }
    return target;
  });
}
