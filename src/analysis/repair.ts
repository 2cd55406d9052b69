/**
 * Candidate Kconfig edits for an unmet-dependency finding (`select T` in S,
 * where T's dependencies can be unmet while S is on), written as line edits
 * in the selector's own style:
 *   depends-on          `select T` becomes `depends on T` (the usual upstream fix)
 *   add-dependencies    S also `depends on` T's dependencies that S lacks
 *   conditional-select  `select T if <T's missing dependencies>`
 *   imply               `imply T` (only where T has a prompt a user can answer)
 * Candidates are only proposals; fix.ts verifies each one by solving again.
 */
import type { SourceFiles } from '../parse/files.js';
import type { SourceEdit } from '../io/patch.js';
import { andAll, conjuncts, exprToString, mentionsInput } from '../model/expr.js';
import type { ReverseDependency } from '../model/types.js';
import { directDependency } from './audit.js';

export type RepairKind = 'depends-on' | 'add-dependencies' | 'conditional-select' | 'imply';

export const REPAIR_KINDS: readonly RepairKind[] = ['depends-on', 'add-dependencies', 'conditional-select', 'imply'];

export interface RepairCandidate {
  kind: RepairKind;
  /** The edit in words, e.g. `XEN_UNPOPULATED_ALLOC: select ZONE_DEVICE -> depends on ZONE_DEVICE`. */
  summary: string;
  edit: SourceEdit;
}

export interface SkippedRepair {
  kind: RepairKind;
  reason: string;
}

/** `select T [if C] [# comment]` on one line, with the pieces an edit keeps. */
const SELECT_LINE = /^(\s*)select\s+([A-Za-z0-9_]+)(?:\s+if\s+(.*?))?(\s*#.*)?\s*$/;

export function repairCandidates(files: SourceFiles, select: ReverseDependency): { candidates: RepairCandidate[]; skipped: SkippedRepair[] } {
  const candidates: RepairCandidate[] = [];
  const skipped: SkippedRepair[] = [];
  const { loc } = select;
  const raw = files.read(loc.file)?.split('\n')[loc.line - 1]?.replace(/\r$/, '');
  const parts = raw === undefined ? null : SELECT_LINE.exec(raw);
  if (!parts || raw!.endsWith('\\')) {
    for (const kind of REPAIR_KINDS) skipped.push({ kind, reason: `${loc.file}:${loc.line} is not a one-line 'select' this tool can rewrite` });
    return { candidates, skipped };
  }
  const [, indent = '', target = '', condition, comment = ''] = parts;
  const selector = select.selector.name;
  const line = (text: string): string => `${indent}${text}${comment}`;
  const replace = (kind: RepairKind, text: string, what: string): void => {
    candidates.push({ kind, summary: `${selector}: ${what}`, edit: { file: loc.file, line: loc.line, deleteCount: 1, insert: [line(text)] } });
  };

  replace(
    'depends-on',
    condition === undefined ? `depends on ${target}` : `depends on ${target} || ${negated(condition)}`,
    `select ${target} -> depends on ${target}`,
  );

  const missing = missingDependencies(select);
  if (missing === undefined) {
    for (const kind of ['add-dependencies', 'conditional-select'] as const) {
      skipped.push({ kind, reason: `${target}'s dependencies involve toolchain probes that Kconfig text cannot name` });
    }
  } else if (missing === '') {
    for (const kind of ['add-dependencies', 'conditional-select'] as const) {
      skipped.push({ kind, reason: `${selector} already has every dependency of ${target}` });
    }
  } else {
    candidates.push({
      kind: 'add-dependencies',
      summary: `${selector}: add depends on ${missing}`,
      edit: { file: loc.file, line: loc.line + 1, deleteCount: 0, insert: [`${indent}depends on ${missing}`] },
    });
    const guarded = condition === undefined ? missing : `${parenthesised(condition)} && ${missing}`;
    replace('conditional-select', `select ${target} if ${guarded}`, `select ${target} if ${missing}`);
  }

  if (select.target.prompts.length > 0) {
    replace('imply', `imply ${target}${condition === undefined ? '' : ` if ${condition}`}`, `select ${target} -> imply ${target}`);
  } else {
    skipped.push({ kind: 'imply', reason: `${target} has no prompt, so nothing could turn it on once implied` });
  }
  return { candidates, skipped };
}

/**
 * The conjuncts of the target's direct dependencies that the select's
 * condition (which includes the selector's own dependencies) does not already
 * have, as Kconfig text; undefined when they cannot be written.
 */
function missingDependencies(select: ReverseDependency): string | undefined {
  const have = new Set(conjuncts(select.condition).map(exprToString));
  const missing = conjuncts(directDependency(select.target)).filter((c) => !have.has(exprToString(c)));
  return missing.some(mentionsInput) ? undefined : exprToString(andAll(missing)).replace(/^y$/, '');
}

const SINGLE_OPERAND = /^!?[A-Za-z0-9_]+$/;

function parenthesised(condition: string): string {
  return SINGLE_OPERAND.test(condition) ? condition : `(${condition})`;
}

function negated(condition: string): string {
  return condition.startsWith('!') && SINGLE_OPERAND.test(condition) ? condition.slice(1) : `!${parenthesised(condition)}`;
}
