/**
 * One function per CLI command: call the library, print text or JSON,
 * return the exit code.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { checkConfig } from '../analysis/check.js';
import type { Fact } from '../analysis/explain.js';
import { query, type QueryAnswer } from '../analysis/query.js';
import { Session } from '../analysis/session.js';
import { KconfsatError } from '../errors.js';
import { writeDimacs } from '../io/dimacs.js';
import { parseDotConfig, writeDotConfig } from '../io/dotconfig.js';
import { writeFileAtomic } from '../io/files.js';
import { architectures, EXIT, openSession, print, printJson, type GlobalOptions } from './context.js';

function formatFacts(facts: Fact[], indent = '  '): string[] {
  const width = Math.max(0, ...facts.map((f) => `${f.loc.file}:${f.loc.line}`.length));
  return facts.map((f) => `${indent}${`${f.loc.file}:${f.loc.line}`.padEnd(width)}  ${f.symbol}: ${f.text}`);
}

function formatAnswer(a: QueryAnswer, verbose: boolean): string[] {
  const where = a.arch ? ` on ${a.arch}` : '';
  const lines = [`${a.expressions.join(' && ')}${where}: ${a.satisfiable ? 'yes' : 'no'}`];
  if (!verbose) return lines;
  if (a.witness) {
    lines.push('  witness (values that matter):');
    for (const r of a.witness.relevant) lines.push(`    CONFIG_${r.name}=${r.value}`);
  }
  if (a.explanation) {
    lines.push(`  because (${a.explanation.symbols.join(', ')}):`);
    lines.push(...formatFacts(a.explanation.facts, '    '));
  }
  return lines;
}

export function runQuery(exprs: string[], opts: { out?: string; verbose: boolean }, g: GlobalOptions): number {
  const arches = architectures(g);
  const answers = arches.map((arch) => query(openSession(g, arch), exprs));
  if (opts.out) {
    const witness = answers.find((a) => a.witness)?.witness;
    if (witness) writeFileAtomic(opts.out, writeDotConfig(witness.config));
  }
  if (g.json) printJson(arches.length === 1 ? answers[0] : answers);
  else {
    const verbose = arches.length === 1 || opts.verbose;
    for (const a of answers) print(formatAnswer(a, verbose).join('\n'));
    if (opts.out && answers.some((a) => a.witness)) print(`witness written to ${opts.out}`);
  }
  return answers.some((a) => a.satisfiable) ? EXIT.yes : EXIT.no;
}

export function runCheck(file: string, g: GlobalOptions): number {
  const configFile = file || process.env.KCONFIG_CONFIG || '.config';
  let text: string;
  try {
    text = fs.readFileSync(configFile, 'utf8');
  } catch {
    throw new KconfsatError('io', `cannot read ${configFile}`);
  }
  const session = openSession(g);
  const result = checkConfig(session, parseDotConfig(text, configFile));
  if (g.json) printJson(result);
  else {
    print(`${configFile}${session.arch ? ` (${session.arch})` : ''}: ${result.valid ? 'valid' : `${result.violations.length} value(s) conf would change`}`);
    for (const v of result.violations) {
      const expected = v.expected !== undefined ? `, conf gives ${JSON.stringify(v.expected)}` : '';
      print(`  ${v.symbol}=${JSON.stringify(v.value)}${expected}`);
      print(formatFacts(v.facts, '    ').join('\n'));
    }
    for (const u of result.unknownSymbols) print(`  ${configFile}:${u.line}: unknown symbol ${u.name} (ignored, as conf does)`);
    for (const i of result.invalidValues) print(`  ${configFile}:${i.line}: ${i.name}: ${i.reason} (ignored, as conf does)`);
  }
  return result.valid ? EXIT.yes : EXIT.no;
}

export function runInfo(g: GlobalOptions): number {
  const rows = architectures(g).map((arch) => {
    const s = openSession(g, arch);
    const defined = s.model.symbols.filter((x) => x.definitions.length > 0 && !x.choiceInfo);
    const byType: Record<string, number> = {};
    for (const x of defined) byType[x.type] = (byType[x.type] ?? 0) + 1;
    return {
      arch: arch ?? null,
      files: s.model.files.length,
      symbols: defined.length,
      byType,
      choices: s.model.choices.length,
      undefinedReferences: s.model.symbols.filter((x) => x.definitions.length === 0).length,
      inputs: s.model.inputs.length,
      variables: s.encoding.cnf.numVars,
      clauses: s.encoding.cnf.numClauses,
      timingsMs: Object.fromEntries(Object.entries(s.timings).map(([k, v]) => [k, Math.round(v)])),
    };
  });
  if (g.json) printJson(rows.length === 1 ? rows[0] : rows);
  else {
    for (const r of rows) {
      const types = Object.entries(r.byType).map(([t, n]) => `${n} ${t}`).join(', ');
      print(
        `${r.arch ?? path.basename(path.resolve(g.tree))}: ${r.symbols} symbols (${types}), ${r.choices} choices, ` +
          `${r.undefinedReferences} undefined references, ${r.inputs} toolchain inputs, ${r.files} files; ` +
          `formula ${r.variables} variables, ${r.clauses} clauses; ms ${JSON.stringify(r.timingsMs)}`,
      );
    }
  }
  return EXIT.yes;
}

export function runDimacs(opts: { out?: string }, g: GlobalOptions): number {
  const s = openSession(g);
  const cnf = s.encoding.cnf;
  // The constraint-group selectors are switched on, so the models are exactly the valid configurations.
  const clauses = (function* () {
    yield* cnf.clauses();
    yield [s.allConstraints];
  })();
  const names = new Map([...cnf.names].filter(([, n]) => !n.startsWith('group:') && n !== 'all-constraints'));
  const text = writeDimacs(cnf.numVars, clauses, names, [
    `kconfsat formula for ${path.resolve(g.tree)}${s.arch ? ` ARCH=${s.arch}` : ''}`,
    'names: SYMBOL=y and SYMBOL>=m for bool/tristate, SYMBOL="value" for int/hex/string',
  ]);
  if (opts.out) writeFileAtomic(opts.out, text);
  else process.stdout.write(text);
  return EXIT.yes;
}

const DEMO_QUERY = 'XEN_UNPOPULATED_ALLOC=y';

export function runDemo(exampleTree: string, g: GlobalOptions): number {
  const results: QueryAnswer[] = [];
  for (const variant of ['buggy', 'fixed']) {
    for (const arch of ['i386', 'x86_64']) {
      const session = Session.open({ tree: path.join(exampleTree, variant), arch });
      const answer = query(session, [DEMO_QUERY]);
      results.push(answer);
      if (!g.json) {
        print(`[${variant}] ${formatAnswer(answer, true).join('\n')}`);
      }
    }
  }
  if (g.json) printJson(results);
  return EXIT.yes;
}
