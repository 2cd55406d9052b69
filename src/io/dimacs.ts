/**
 * DIMACS CNF, the input format of every SAT solver, with the variable names
 * in comment lines so the file can be read back or fed to other tools:
 *
 *   c <free comment>          (each of `comments`, in order)
 *   c <var> <name>            (each named variable, by number)
 *   p cnf <vars> <clauses>
 *   1 -2 0                    (one clause per line)
 *
 * A free comment that itself looks like `<number> <text>` would read back as
 * a name, so callers should not start comments with a number.
 */
import { KconfsatError } from '../errors.js';

/**
 * Builds the whole text as an array of lines joined once: cheap for ~100k
 * clauses, and `clauses` may be a generator since the clause count is only
 * written after it has been consumed. A bad literal or name is a caller bug
 * and throws a plain Error.
 */
export function writeDimacs(
  numVars: number,
  clauses: Iterable<number[]>,
  names: Map<number, string>,
  comments: string[] = [],
): string {
  const out: string[] = [];
  for (const comment of comments) {
    for (const line of comment.split(/\r?\n/)) out.push(line ? `c ${line}` : 'c');
  }
  for (const [variable, name] of [...names].sort((a, b) => a[0] - b[0])) {
    checkVariable(variable, numVars);
    if (/[\r\n]/.test(name)) throw new Error(`DIMACS name of variable ${variable} contains a line break`);
    out.push(`c ${variable} ${name}`);
  }

  const headerIndex = out.push('') - 1;
  for (const clause of clauses) {
    for (const literal of clause) checkVariable(Math.abs(literal), numVars);
    out.push(clause.length ? `${clause.join(' ')} 0` : '0');
  }
  out[headerIndex] = `p cnf ${numVars} ${out.length - headerIndex - 1}`;
  return out.join('\n') + '\n';
}

function checkVariable(variable: number, numVars: number): void {
  if (!Number.isInteger(variable) || variable < 1 || variable > numVars) {
    throw new Error(`DIMACS variable ${variable} outside 1..${numVars}`);
  }
}

export interface Dimacs {
  numVars: number;
  clauses: number[][];
  names: Map<number, string>;
  /** The comment lines that are not names, without the leading `c `. */
  comments: string[];
}

/**
 * Reads DIMACS CNF: clauses may span or share lines, and a `%` line (as in
 * the SATLIB benchmarks) ends the clauses. Throws KconfsatError('syntax')
 * with the line for anything malformed, including a clause count that
 * differs from the `p` line.
 */
export function parseDimacs(text: string, file = '<dimacs>'): Dimacs {
  const result: Dimacs = { numVars: 0, clauses: [], names: new Map(), comments: [] };
  let declaredClauses = -1;
  let current: number[] = [];
  let lineNo = 0;
  const fail = (message: string): never => {
    throw new KconfsatError('syntax', message, { file, line: lineNo, column: 0 });
  };

  for (const line of text.split(/\r?\n/)) {
    lineNo++;
    if (line.startsWith('c')) {
      const named = /^c (\d+) (.+)$/.exec(line);
      if (named) result.names.set(Number(named[1]), named[2]!);
      else result.comments.push(line.replace(/^c ?/, ''));
      continue;
    }
    if (line.startsWith('%')) break;
    if (line.startsWith('p')) {
      const header = /^p\s+cnf\s+(\d+)\s+(\d+)\s*$/.exec(line);
      if (!header) fail(`malformed problem line: ${line}`);
      if (declaredClauses >= 0) fail('second problem line');
      result.numVars = Number(header![1]);
      declaredClauses = Number(header![2]);
      continue;
    }
    for (const token of line.split(/\s+/)) {
      if (token === '') continue;
      if (declaredClauses < 0) fail('clause before the problem line');
      if (!/^-?\d+$/.test(token)) fail(`not a literal: ${token}`);
      const literal = Number(token);
      if (literal === 0) {
        result.clauses.push(current);
        current = [];
      } else if (Math.abs(literal) > result.numVars) {
        fail(`literal ${literal} outside 1..${result.numVars}`);
      } else {
        current.push(literal);
      }
    }
  }

  if (declaredClauses < 0) fail('missing problem line');
  if (current.length) fail('last clause is not terminated by 0');
  if (result.clauses.length !== declaredClauses) {
    fail(`problem line declares ${declaredClauses} clauses, found ${result.clauses.length}`);
  }
  return result;
}
