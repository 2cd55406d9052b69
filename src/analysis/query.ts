/**
 * "Can these expressions hold together?" Yes comes with a witness .config that
 * conf accepts unchanged; no comes with an explanation.
 */
import { KconfsatError } from '../errors.js';
import { FALSE, type Lit } from '../formula/formula.js';
import { ExprResolver, newSymbol } from '../model/build.js';
import { symbolsOf } from '../model/expr.js';
import type { KSymbol, ModelExpr } from '../model/types.js';
import { parseExpression } from '../parse/parser.js';
import { cone } from './cone.js';
import { explain, type Explanation } from './explain.js';
import { keepMaximal } from './maximal.js';
import type { ConfigEntry, ConfigValues, Session } from './session.js';

export interface Witness {
  /** The complete configuration, as conf would write it. */
  config: ConfigEntry[];
  /** The values that matter: the query's symbols and what they depend on, nearest first. */
  relevant: ConfigEntry[];
}

export interface QueryAnswer {
  expressions: string[];
  arch?: string;
  satisfiable: boolean;
  witness?: Witness;
  explanation?: Explanation;
  /** With a base configuration: its values the witness had to change. */
  changedFromBase?: { name: string; base: string; witness: string }[];
}

export interface QueryOptions {
  /** Compute an explanation when the answer is no (default true). */
  explain?: boolean;
  /** How many relevant values to list with a witness (default 12). */
  relevantLimit?: number;
  /**
   * Answer relative to an existing configuration: its values are kept where
   * they do not conflict with the query (the witness changes as few as it can,
   * giving way first on the values nearest the query).
   */
  base?: ConfigValues;
  /**
   * A configuration conf wrote with some toolchain: the witness keeps that
   * toolchain's probe results (compiler, linker and assembler names and
   * versions, `$(cc-option,...)` answers). Default: `base`'s.
   */
  toolchain?: ConfigValues;
  /** Called as each stage of the answer ends, with the milliseconds it took. */
  onStage?: (stage: QueryStage, ms: number) => void;
}

/**
 * The stages of an answer on a loaded session: the expressions made literals
 * (the formula widened for values the tree never mentions), yes or no, the
 * witness a yes comes with, the explanation of a no.
 */
export type QueryStage = 'encode' | 'solve' | 'witness' | 'explanation';

const RELEVANT_SEARCH = 256;

const NUMBER = /^(-?[0-9]+|0[xX][0-9a-fA-F]+)$/;

/** A query expression resolved against the session's tree; unknown symbols are errors unless `undefinedAsN`. */
export function resolveExpression(session: Session, text: string, options: { undefinedAsN?: boolean } = {}): ModelExpr {
  const ast = parseExpression(text, '<query>');
  const resolver = new ExprResolver(
    (name) => {
      const sym = definedSymbol(session, name);
      if (sym) return sym;
      // Kconfig text read from the tree may name symbols this arch does not define: conf reads them as n.
      if (NUMBER.test(name) || options.undefinedAsN) return undefinedConstant(session, name);
      throw new KconfsatError('symbol', `unknown symbol '${name}'${session.arch ? ` for ${session.arch}` : ''} in '${text}'`);
    },
    () => {
      throw new KconfsatError('expression', `macros are not allowed in a query: '${text}'`);
    },
    () => (session.model.modules ? { kind: 'leaf', leaf: { kind: 'symbol', symbol: session.model.modules } } : { kind: 'leaf', leaf: { kind: 'const', text: 'n' } }),
  );
  return resolver.value(ast);
}

const DOT_CONFIG_PREFIX = 'CONFIG_';

/**
 * The symbol a user means by NAME: the defined symbol of that name, else, for
 * a name spelt as in a .config (`CONFIG_SMP`), the symbol without the prefix.
 */
export function definedSymbol(session: Session, name: string): KSymbol | undefined {
  const defined = (n: string): KSymbol | undefined => {
    const sym = session.model.byName.get(n);
    return sym && sym.definitions.length > 0 ? sym : undefined;
  };
  return defined(name) ?? (name.startsWith(DOT_CONFIG_PREFIX) ? defined(name.slice(DOT_CONFIG_PREFIX.length)) : undefined);
}

/** A number written without quotes is a symbol conf never defines: its value is its name. */
function undefinedConstant(session: Session, name: string): KSymbol {
  return session.model.byName.get(name) ?? newSymbol(-1, name);
}

export function query(session: Session, expressions: string[], options: QueryOptions = {}): QueryAnswer {
  const stage = <T>(name: QueryStage, run: () => T): T => {
    const t0 = performance.now();
    const result = run();
    options.onStage?.(name, performance.now() - t0);
    return result;
  };
  const toolchain = options.toolchain ?? options.base;
  const exprs = expressions.map((text) => resolveExpression(session, text));
  const literals = (): Lit[] => [...exprs.map((e) => session.formula.holds(e)), ...(toolchain ? toolchainLiterals(session, toolchain) : [])];
  let lits = stage('encode', () => {
    const given = [options.base, toolchain].filter((c): c is ConfigValues => c !== undefined);
    session.formula.coverComparisons([...exprs, ...given.flatMap((c) => session.valueComparisons(c))]);
    return literals();
  });
  const roots = [...new Set(exprs.flatMap((e) => [...symbolsOf(e)]))].filter((s) => s.definitions.length > 0);
  const typical = toolchain ? undefined : typicalToolchain(session);
  // The typical toolchain's versions are numbers and a banner the tree never mentions: the domains take
  // them (one re-encoding per session) only once there is a witness to write, so a no stays as fast as before.
  const widened = (): boolean => !typical || session.valueComparisons(typical).length === 0;
  // What a witness should look like where the question leaves it free nearly always fits: asked for
  // together with the question, one solve gives both the yes and the witness (a no asks again without).
  const plausible = options.base || !widened() ? undefined : plausibleWishes(session, typical);
  let { satisfiable, witnessReady } = stage('solve', () => {
    if (plausible && session.formula.solve([...lits, ...plausible.flat()]) === 'sat') return { satisfiable: true, witnessReady: true };
    return { satisfiable: session.formula.solve(lits) === 'sat', witnessReady: false };
  });
  if (satisfiable && !widened()) {
    stage('encode', () => {
      session.formula.coverComparisons(session.valueComparisons(typical!));
      lits = literals();
    });
    satisfiable = stage('solve', () => session.formula.solve(lits) === 'sat');
    witnessReady = false;
  }
  const answer: QueryAnswer = { expressions, satisfiable };
  if (session.arch) answer.arch = session.arch;
  if (satisfiable) {
    stage('witness', () => {
      if (!witnessReady) keepMaximal(session, lits, [...(options.base ? baseWishes(session, roots, options.base) : []), ...plausibleWishes(session, typical)]);
      const config = session.formula.modelConfig();
      // The nearest few hundred symbols hold the handful worth showing; the whole cone can be thousands.
      const relevant = session.formula
        .modelConfig(cone(roots, RELEVANT_SEARCH).filter((s) => !s.ownChoice))
        .filter((entry) => entry.value !== 'n' && entry.value !== '')
        .slice(0, options.relevantLimit ?? 12);
      answer.witness = { config, relevant };
      if (options.base) answer.changedFromBase = changes(session, options.base, new Map(config.map((c) => [c.name, c])));
    });
  } else if (options.explain ?? true) {
    answer.explanation = stage('explanation', () => explain(session, lits, roots));
  }
  return answer;
}

/**
 * The free inputs (the toolchain's `$(shell,...)` probes) held at values that
 * give the symbols computed from them the values `config` records.
 */
export function toolchainLiterals(session: Session, config: ConfigValues): Lit[] {
  // A whole .config as conf wrote it pins the most probes: which symbols it leaves out says which prompts
  // the probes hid (GCC_PLUGINS, CFI_CLANG), which values alone do not (absent and "is not set" are both n).
  // Failing that, its values; a configuration conf would change needs the probe symbols alone.
  const probes = new Set(session.probeSymbols());
  const inputs =
    session.inputsOfModelWhere(config, { complete: true, only: () => true }) ??
    (session.formula.solve(session.assumptionsFor(config)) === 'sat'
      ? session.formula.modelInputs()
      : (session.inputsOfModelWhere(config, { complete: false, only: (sym) => probes.has(sym) }) ?? new Map<number, string>()));
  return session.model.inputs.flatMap((input) => {
    const value = inputs.get(input.id);
    const lit = value === undefined ? undefined : session.formula.inputIs(input, value);
    return lit === undefined ? [] : [lit];
  });
}

/**
 * Leaves the solver on a model of the query that keeps a maximal set of the
 * base's values. Values far from the query are tried first, in large groups
 * that nearly always fit; those in the query's cone of influence come last
 * and nearest last, so they are the ones that give way.
 */
function baseWishes(session: Session, roots: KSymbol[], base: ConfigValues): Lit[][] {
  const near = cone(roots);
  const rank = new Map(near.map((s, i) => [s, near.length - i]));
  return session.model.symbols
    .filter((s) => s.definitions.length > 0 && !s.ownChoice && base.has(s.name))
    .sort((a, b) => (rank.get(a) ?? 0) - (rank.get(b) ?? 0))
    .map((s) => session.formula.valueLiterals(s, base.get(s.name)));
}

/**
 * A toolchain that exists, for witnesses whose toolchain probes are free:
 * Debian 12's GCC 12.2 and GNU binutils 2.40 (one compiler, one linker, one
 * assembler, versions as their probes report them), no Rust, no pahole. Names a tree
 * does not define are passed over.
 */
const TYPICAL_TOOLCHAIN: [string, string][] = [
  ['CC_IS_GCC', 'y'],
  ['CC_IS_CLANG', 'n'],
  ['CC_VERSION_TEXT', 'gcc (Debian 12.2.0-14) 12.2.0'],
  ['GCC_VERSION', '120200'],
  ['CLANG_VERSION', '0'],
  ['LD_IS_BFD', 'y'],
  ['LD_IS_LLD', 'n'],
  ['LD_VERSION', '24000'],
  ['LLD_VERSION', '0'],
  ['AS_IS_GNU', 'y'],
  ['AS_IS_LLVM', 'n'],
  ['AS_VERSION', '24000'],
  ['RUST_IS_AVAILABLE', 'n'],
  // No pahole, as on a machine without dwarves: no BTF option the question does not ask for.
  ['PAHOLE_VERSION', '0'],
];

/** The typical toolchain's values of the symbols this tree defines. */
function typicalToolchain(session: Session): ConfigValues {
  return new Map(TYPICAL_TOOLCHAIN.filter(([name]) => definedSymbol(session, name)));
}

/**
 * What a witness should look like where the question leaves it free: the
 * `typical` toolchain's values, and strings a user can set holding a value
 * the tree mentions (their defaults among them) rather than a made-up one.
 */
function plausibleWishes(session: Session, typical: ConfigValues | undefined): Lit[][] {
  const wishes: Lit[][] = [];
  for (const [name, value] of typical ?? []) wishes.push(session.formula.valueLiterals(definedSymbol(session, name)!, value));
  for (const sym of session.model.symbols) {
    const madeUp = sym.prompts.length > 0 ? session.formula.madeUp(sym) : FALSE;
    if (madeUp !== FALSE) wishes.push([-madeUp]);
  }
  return wishes;
}

function changes(session: Session, base: ConfigValues, witness: Map<string, ConfigEntry>): QueryAnswer['changedFromBase'] {
  const out: NonNullable<QueryAnswer['changedFromBase']> = [];
  for (const [name, value] of base) {
    const sym = session.model.byName.get(name);
    if (!sym || sym.definitions.length === 0 || sym.ownChoice) continue;
    const now = witness.get(name)?.value ?? session.formula.absentValue(sym);
    if (now !== value) out.push({ name, base: value, witness: now });
  }
  return out;
}
