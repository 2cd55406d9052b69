/**
 * Which version of conf's Kconfig rules a tree follows. The language changed
 * under the same name: Linux 6.12's conf reworked choices (see
 * docs/dialects.md), 6.18's added `transitional`. A tree is analysed with the
 * rules of the conf it ships, so the dialect is read from the tree itself.
 */
import { KconfsatError } from '../errors.js';
import type { SourceFiles } from './files.js';

/** Named after the first Linux release whose conf kconfsat reproduces with these rules. */
export const DIALECTS = ['6.1', '6.12', '6.18'] as const;
export type KconfigDialect = (typeof DIALECTS)[number];

export function parseDialect(text: string): KconfigDialect {
  const d = DIALECTS.find((x) => x === text);
  if (!d) throw new KconfsatError('usage', `unknown Kconfig dialect '${text}' (known: ${DIALECTS.join(', ')})`);
  return d;
}

/** Whether `dialect` has the rules introduced by `since`. */
export function hasRules(dialect: KconfigDialect, since: KconfigDialect): boolean {
  return DIALECTS.indexOf(dialect) >= DIALECTS.indexOf(since);
}

/**
 * The dialect of a tree: from the conf sources it vendors
 * (scripts/kconfig in Linux, BusyBox and U-Boot; tools/kconfig under Xen's
 * xen/; kconfig in toybox), else from the top Makefile's VERSION and
 * PATCHLEVEL, else 6.1 (the oldest rules kconfsat knows, which is what
 * every non-Linux tree vendors).
 */
export function detectDialect(files: SourceFiles): KconfigDialect {
  for (const dir of ['scripts/kconfig', 'tools/kconfig', 'kconfig']) {
    const fromSources = dialectOfConfSources(files, dir);
    if (fromSources) return fromSources;
  }
  return dialectOfMakefile(files.read('Makefile')) ?? '6.1';
}

/**
 * Markers in conf's own sources: 6.18's lexer knows the `transitional`
 * keyword; 6.12's symbol.c keeps a choice's members in a priority list
 * (`choice_members`, the rework that also removed named, tristate and
 * optional choices).
 */
function dialectOfConfSources(files: SourceFiles, dir: string): KconfigDialect | undefined {
  const lexer = files.read(`${dir}/lexer.l`) ?? files.read(`${dir}/zconf.l`);
  const symbol = files.read(`${dir}/symbol.c`);
  if (lexer === undefined && symbol === undefined) return undefined;
  if (lexer?.includes('"transitional"')) return '6.18';
  if (symbol?.includes('choice_members')) return '6.12';
  return '6.1';
}

function dialectOfMakefile(text: string | undefined): KconfigDialect | undefined {
  if (text === undefined) return undefined;
  const field = (name: string): number | undefined => {
    const m = new RegExp(`^${name}\\s*=\\s*(\\d+)\\s*$`, 'm').exec(text);
    return m ? Number(m[1]) : undefined;
  };
  const version = field('VERSION');
  const patchlevel = field('PATCHLEVEL');
  // U-Boot's VERSION is a year: only a kernel's numbering means anything here
  if (version === undefined || patchlevel === undefined || version > 9) return undefined;
  if (version > 6 || (version === 6 && patchlevel >= 18)) return '6.18';
  if (version === 6 && patchlevel >= 12) return '6.12';
  return '6.1';
}

/**
 * The value an int/hex symbol has before a default or user value gives it
 * one (sym_calc_value): empty in 6.1, "0" and "0x0" since 6.12. It is also
 * what a default that is not a single symbol leaves.
 */
export function initialValue(dialect: KconfigDialect, type: string): string {
  if (!hasRules(dialect, '6.12')) return '';
  return type === 'int' ? '0' : type === 'hex' ? '0x0' : '';
}
