/**
 * "Can these expressions hold together?" Yes comes with a witness .config that
 * conf accepts unchanged; no comes with an explanation.
 */
import { KconfsatError } from '../errors.js';
import type { Lit } from '../logic/cnf.js';
import { ExprResolver, newSymbol } from '../model/build.js';
import { symbolsOf } from '../model/expr.js';
import type { KSymbol, ModelExpr } from '../model/types.js';
import { parseExpression } from '../parse/parser.js';
import { cone } from './cone.js';
import { explain, type Explanation } from './explain.js';
import type { ConfigEntry, Session } from './session.js';

export interface Witness {
  /** The complete configuration, as conf would write it. */
  config: ConfigEntry[];
  /** The values that matter: the query's symbols and what they depend on, nearest first. */
  relevant: { name: string; value: string }[];
}

export interface QueryAnswer {
  expressions: string[];
  arch?: string;
  satisfiable: boolean;
  witness?: Witness;
  explanation?: Explanation;
}

export interface QueryOptions {
  /** Compute an explanation when the answer is no (default true). */
  explain?: boolean;
  /** How many relevant values to list with a witness (default 12). */
  relevantLimit?: number;
}

const NUMBER = /^(-?[0-9]+|0[xX][0-9a-fA-F]+)$/;

/** A query expression resolved against the session's tree; unknown symbols are errors. */
export function resolveExpression(session: Session, text: string): ModelExpr {
  const ast = parseExpression(text, '<query>');
  const resolver = new ExprResolver(
    (name) => {
      const sym = session.model.byName.get(name);
      if (sym && sym.definitions.length > 0) return sym;
      if (NUMBER.test(name)) return undefinedConstant(session, name);
      throw new KconfsatError('symbol', `unknown symbol '${name}'${session.arch ? ` for ${session.arch}` : ''} in '${text}'`);
    },
    () => {
      throw new KconfsatError('expression', `macros are not allowed in a query: '${text}'`);
    },
    () => (session.model.modules ? { kind: 'leaf', leaf: { kind: 'symbol', symbol: session.model.modules } } : { kind: 'leaf', leaf: { kind: 'const', text: 'n' } }),
  );
  return resolver.value(ast);
}

/** A number written without quotes is a symbol conf never defines: its value is its name. */
function undefinedConstant(session: Session, name: string): KSymbol {
  return session.model.byName.get(name) ?? newSymbol(-1, name);
}

/** The literal "this expression is not n" (how `depends on` and `if` read an expression). */
export function holds(session: Session, e: ModelExpr): Lit {
  return session.encoding.expr(e).m;
}

export function query(session: Session, expressions: string[], options: QueryOptions = {}): QueryAnswer {
  const exprs = expressions.map((text) => resolveExpression(session, text));
  const lits = exprs.map((e) => holds(session, e));
  const roots = [...new Set(exprs.flatMap((e) => [...symbolsOf(e)]))].filter((s) => s.definitions.length > 0);
  const answer: QueryAnswer = { expressions, satisfiable: session.solve(lits) === 'sat' };
  if (session.arch) answer.arch = session.arch;
  if (answer.satisfiable) {
    const config = session.modelConfig();
    const values = new Map(config.map((c) => [c.name, c.value]));
    const relevant = cone(roots)
      .filter((s) => {
        const v = values.get(s.name);
        return v !== undefined && v !== 'n' && v !== '' && !s.choiceInfo;
      })
      .slice(0, options.relevantLimit ?? 12)
      .map((s) => ({ name: s.name, value: values.get(s.name)! }));
    answer.witness = { config, relevant };
  } else if (options.explain ?? true) {
    answer.explanation = explain(session, lits, roots);
  }
  return answer;
}
