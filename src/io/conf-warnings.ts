/**
 * conf's "unmet direct dependencies" warnings, read from its stderr:
 *
 *   WARNING: unmet direct dependencies detected for T
 *     Depends on [n]: A [=n] && B [=y]
 *     Selected by [y]:
 *     - S [=y] && C [=y]
 *     Selected by [m]:
 *     - R [=m]
 *
 * conf lists every select term whose value is y under [y] and every one at m
 * under [m], whether or not that term is what lifts T above its dependencies.
 * Only a term above the "Depends on" level causes the warning (with Depends
 * on [m], a term listed under [m] does not), so `causingSelectors` keeps those.
 */

export type Level = 'n' | 'm' | 'y';

export interface ConfWarning {
  symbol: string;
  dependsAt: Level;
  /** The dependency expression as conf prints it, `[=v]` annotations included. */
  dependsOn: string;
  selectedBy: { level: Level; selector: string; term: string }[];
}

const HEADER = /^WARNING: unmet direct dependencies detected for (\S+)\s*$/;
const DEPENDS = /^ {2}Depends on \[([nmy])\]: (.*)$/;
const SELECTED = /^ {2}Selected by \[([nmy])\]:\s*$/;
const TERM = /^ {2}- (.*)$/;

/** Every warning block in `text`; other lines (conf's chatter on stdout, other warnings) are skipped. */
export function parseConfWarnings(text: string): ConfWarning[] {
  const lines = text.split(/\r?\n/);
  const warnings: ConfWarning[] = [];
  for (let i = 0; i < lines.length; i++) {
    const header = HEADER.exec(lines[i]!);
    const depends = header && DEPENDS.exec(lines[i + 1] ?? '');
    if (!header || !depends) continue;
    const warning: ConfWarning = { symbol: header[1]!, dependsAt: depends[1] as Level, dependsOn: depends[2]!, selectedBy: [] };
    let level: Level | undefined;
    for (i += 2; i < lines.length; i++) {
      const selected = SELECTED.exec(lines[i]!);
      const term = TERM.exec(lines[i]!);
      if (selected) level = selected[1] as Level;
      else if (term && level) warning.selectedBy.push({ level, selector: term[1]!.split(' ')[0]!, term: term[1]! });
      else break;
    }
    i--; // the line that ended the block may start the next one
    warnings.push(warning);
  }
  return warnings;
}

const RANK: Record<Level, number> = { n: 0, m: 1, y: 2 };

/** The selectors whose own term is above the dependencies: the ones that caused this warning. */
export function causingSelectors(warning: ConfWarning): string[] {
  const names = warning.selectedBy.filter((s) => RANK[s.level] > RANK[warning.dependsAt]).map((s) => s.selector);
  return [...new Set(names)];
}

/** `selectee<-selector` for every causing pair in a set of warnings, without repeats. */
export function causingPairs(warnings: ConfWarning[]): Set<string> {
  return new Set(warnings.flatMap((w) => causingSelectors(w).map((s) => pairKey(w.symbol, s))));
}

export function pairKey(selectee: string, selector: string): string {
  return `${selectee}<-${selector}`;
}
