/**
 * What moving a .config from an old tree to a new one does: conf's
 * olddefconfig on the new tree, simulated as `check` simulates it, every line
 * it changes, adds or drops with its reason (the new tree's Kconfig lines),
 * each marked when the symbol's own Kconfig lines changed between the trees;
 * the symbols the user set that the new tree no longer defines; and, when
 * asked, the fewest extra settings that keep the user's lost values.
 */
import type { DotConfig } from '../io/dotconfig.js';
import type { LoadOptions } from '../model/load.js';
import { checkConfig, keepLostValues, type CheckResult, type Violation } from './check.js';
import type { ResolveResult } from './resolve.js';
import { symbolSignature } from '../model/signature.js';
import { Session } from './session.js';

export interface UpgradeOptions {
  /** The tree the .config was made for (only parsed: which symbols it defines, and their lines). */
  old: LoadOptions;
  /** The tree it moves to (with the same arch). */
  new: LoadOptions;
  config: DotConfig;
  /** Look for the fewest extra settings that keep the values the user loses (as resolve finds them). */
  keep?: boolean;
}

export interface UpgradeChange extends Violation {
  /** The symbol's own Kconfig lines differ between the trees (or it is new). */
  definitionChanged: boolean;
}

export interface UpgradeReport {
  arch?: string;
  /** Nothing changes: conf on the new tree keeps every line. */
  unchanged: boolean;
  /** Causes first, each followed by what follows from it (check's order). */
  changes: UpgradeChange[];
  /** Lines naming symbols the old tree defines and the new one does not: conf drops them. */
  removedSymbols: { name: string; line: number }[];
  /** Lines naming symbols neither tree defines. */
  unknownSymbols: { name: string; line: number }[];
  invalidValues: CheckResult['invalidValues'];
  keep?: ResolveResult;
}

export function upgrade(options: UpgradeOptions): UpgradeReport {
  const old = Session.loadTree(options.old).loaded.model;
  const session = Session.open(options.new);
  const result = checkConfig(session, options.config);
  const changed = (name: string): boolean => {
    const was = old.byName.get(name);
    const now = session.model.byName.get(name)!;
    return !was || was.definitions.length === 0 || symbolSignature(old, was) !== symbolSignature(session.model, now);
  };
  const knewIt = (name: string): boolean => (old.byName.get(name)?.definitions.length ?? 0) > 0;
  const report: UpgradeReport = {
    unchanged: result.valid,
    changes: result.violations.map((v) => ({ ...v, definitionChanged: changed(v.symbol) })),
    removedSymbols: result.unknownSymbols.filter((u) => knewIt(u.name)),
    unknownSymbols: result.unknownSymbols.filter((u) => !knewIt(u.name)),
    invalidValues: result.invalidValues,
  };
  if (session.arch) report.arch = session.arch;
  if (options.keep) {
    const keep = keepLostValues(session, options.config, result);
    if (keep) report.keep = keep;
  }
  return report;
}
