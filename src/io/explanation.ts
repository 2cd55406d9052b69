/**
 * An explanation as text, one line per step of its chain (the CLI's answers,
 * the language server's diagnostics and hovers).
 */
import type { ChainStep, Explanation, Fact } from '../analysis/explain.js';

function formatFacts(facts: Fact[], indent = '  '): string[] {
  const width = Math.max(0, ...facts.map((f) => `${f.loc.file}:${f.loc.line}`.length));
  return facts.map((f) => `${indent}${`${f.loc.file}:${f.loc.line}`.padEnd(width)}  ${f.symbol}: ${f.text}`);
}

/**
 * The argument as a chain, one line per step from the question to the root
 * cause (`--verbose`: every line of every symbol involved as well).
 */
export function formatExplanation(e: Explanation, indent: string, verbose = false): string[] {
  if (e.facts.length === 0) return [`${indent}because the expressions contradict each other, whatever the tree says`];
  const chain = e.chain.map((step, i) => `${indent}${i === 0 ? 'because ' : '← '}${formatStep(step)}`);
  if (!verbose) return chain;
  return [...chain, `${indent}every line of ${e.symbols.join(', ')}:`, ...formatFacts(e.facts, `${indent}  `)];
}

/** `SYM: line; line (file:L1,L2)`, and the other dependencies that can never hold. */
function formatStep(step: ChainStep): string {
  const also = step.alsoImpossible.length
    ? `; also needs ${step.alsoImpossible.map((f) => f.text.replace(/^depends on\s+/, '')).join(', ')} (${locations(step.alsoImpossible)}), never possible`
    : '';
  return `${step.symbol}: ${withLocations(step.facts, step.isChoice)}${also}`;
}

function withLocations(facts: Fact[], isChoice = false): string {
  const phrase = (f: Fact): string => {
    // A choice's own line is the word `choice`: say what it does.
    if (f.role === 'choice') return isChoice ? 'a choice: at most one member is y' : 'member of the choice';
    if (f.role === 'defined') return `${f.text}, with no prompt or default that can apply`;
    if (f.role !== 'selected by' && f.role !== 'implied by') return f.text;
    const colon = f.text.indexOf(': ');
    return `${f.role} ${f.text.slice(0, colon)} (${f.text.slice(colon + 2)})`;
  };
  const files = new Set(facts.map((f) => f.loc.file));
  if (files.size === 1) return `${facts.map(phrase).join('; ')} (${locations(facts)})`;
  return facts.map((f) => `${phrase(f)} (${f.loc.file}:${f.loc.line})`).join('; ');
}

/** `file:L1,L2` for facts of one file, `file:L1, file:L2` otherwise. */
function locations(facts: Fact[]): string {
  const byFile = new Map<string, number[]>();
  for (const f of facts) byFile.set(f.loc.file, [...(byFile.get(f.loc.file) ?? []), f.loc.line]);
  return [...byFile].map(([file, lines]) => `${file}:${lines.join(',')}`).join(', ');
}
