/**
 * What conf's olddefconfig does to a .config, line by line, and why.
 *
 * The answer comes from simulating conf on the file (src/model/evaluate.ts),
 * so it is conf's own result, not the formula's: the same values, the same
 * lines written. The formula only picks the free inputs (toolchain probes)
 * when $(shell,...) was not run: a configuration is then valid when *some*
 * toolchain makes conf keep it, so the inputs are taken from a model of the
 * formula that agrees with every line of the file when there is one, else
 * with the lines of the probe symbols.
 *
 * Two kinds of file:
 * - complete (what conf writes): every line conf would change, add or drop;
 * - partial (a defconfig, a fragment, a snippet): only the values the user
 *   set that do not survive.
 * Each item names its reason in one line, with the Kconfig lines behind it,
 * and items that only follow from another change are listed under it.
 */
import { checkAgainstModel, confValue, type DotConfig, type DotConfigCheck, type DotConfigEntry } from '../io/dotconfig.js';
import { formatLocation } from '../errors.js';
import { simulate, type Simulation } from '../model/evaluate.js';
import { N, type KSymbol, type Loc, type Tristate } from '../model/types.js';
import { influences } from './cone.js';
import { resolve, type ResolveResult } from './resolve.js';
import { sourceLine, type Fact } from './explain.js';
import { configValues, type ConfigValues, type Session } from './session.js';

export type CheckMode = 'complete' | 'partial';

/** One line of the file that conf does not keep, or one it adds. */
export interface Violation {
  symbol: string;
  /**
   * changed: conf writes another value; dropped: conf does not write the
   * line at all; added: conf writes a line the file lacks; lost (partial
   * files): a value the user set does not survive.
   */
  kind: 'changed' | 'dropped' | 'added' | 'lost';
  /** The file's value ('n' for a bool/tristate the file leaves out, '' for another symbol it leaves out). */
  value: string;
  /** conf's value; absent when conf does not write the symbol. */
  expected?: string;
  /** The file's line, when the file has one. */
  line?: number;
  /** Why, in one line. */
  reason: string;
  /** The Kconfig lines behind the reason. */
  facts: Fact[];
  /** The changes of the file's own lines that this one follows from ([]: it is one of them). */
  causedBy: string[];
}

export interface CheckResult {
  mode: CheckMode;
  valid: boolean;
  /** Causes first (in file order), each followed by what follows from it. */
  violations: Violation[];
  /** Entries naming symbols the tree does not define for this arch: conf drops them. */
  unknownSymbols: { name: string; line: number }[];
  /** Entries whose value does not fit the symbol's type: conf ignores them. */
  invalidValues: { name: string; line: number; reason: string }[];
}

export interface CheckOptions {
  /** A partial file (defconfig, fragment): report only the user's values that do not survive. */
  partial?: boolean;
}

/** What conf reads from the file: its valid lines in file order, and the free inputs chosen as the module comment says. */
export function confReads(
  session: Session,
  config: DotConfig,
  mode: CheckMode,
): { sorted: DotConfigCheck; user: ConfigValues; lines: [string, string][]; inputs: Map<number, string> } {
  const sorted = checkAgainstModel(config, session.model);
  const user = configValues({ ...config, entries: sorted.valid });
  session.formula.coverComparisons(session.valueComparisons(user));
  // conf reads every line in order, earlier assignments to a symbol included.
  const skipped = new Set([...sorted.unknown, ...sorted.invalid.map((i) => i.entry)]);
  const lines = config.entries.flatMap((e): [string, string][] => {
    if (skipped.has(e)) return [];
    const value = confValue(e, session.model.byName.get(e.name)!.type);
    return 'value' in value ? [[e.name, value.value]] : [];
  });
  return { sorted, user, lines, inputs: freeInputs(session, user, mode) };
}

/** conf's olddefconfig on the file: what it reads, and the run. */
function simulateFile(session: Session, config: DotConfig, mode: CheckMode): { sorted: DotConfigCheck; user: ConfigValues; run: Simulation } {
  const { sorted, user, lines, inputs } = confReads(session, config, mode);
  return { sorted, user, run: simulate(session.model, lines, inputs) };
}

export function checkConfig(session: Session, config: DotConfig, options: CheckOptions = {}): CheckResult {
  const mode: CheckMode = options.partial ? 'partial' : 'complete';
  const { sorted, user, run } = simulateFile(session, config, mode);

  // The last line for each symbol decides what conf reads, whether or not conf accepts it.
  const lastLine = new Map<string, DotConfigEntry>();
  for (const e of config.entries) lastLine.set(e.name, e);
  const rejected = new Map(sorted.invalid.map((i) => [i.entry, i.reason]));
  const found: Violation[] = [];
  for (const sym of session.model.symbols) {
    if (sym.definitions.length === 0 || sym.ownChoice || sym.type === 'unknown') continue;
    const entry = lastLine.get(sym.name);
    const rejectedBecause = entry && rejected.get(entry);
    // A complete file keeps a line conf writes back as it stands (even one it could not read);
    // a partial file keeps a value the user set when conf reads it and ends with it.
    const kept = (value: string): boolean =>
      entry !== undefined &&
      (mode === 'partial' ? !rejectedBecause && user.get(sym.name) === value : entry.value === value && entry.quoted === (sym.type === 'string'));
    const written = run.written.has(sym.name);
    const value = run.values.get(sym.name)!;
    const item = (kind: Violation['kind']): Violation => ({
      symbol: sym.name,
      kind,
      value: entry?.value ?? session.formula.absentValue(sym),
      ...(written || mode === 'partial' ? { expected: value } : {}),
      ...(entry ? { line: entry.line } : {}),
      ...describe(session, run, sym, user.get(sym.name), rejectedBecause),
      causedBy: [],
    });
    if (mode === 'partial') {
      if (entry && !kept(value)) found.push(item('lost'));
    } else if (entry && !written) found.push(item('dropped'));
    else if (entry && !kept(value)) found.push(item('changed'));
    else if (!entry && written) found.push(item('added'));
  }
  const unknown = sorted.unknown.filter((e) => lastLine.get(e.name) === e);
  return {
    mode,
    valid: found.length === 0 && unknown.length === 0,
    violations: groupByCause(session, found),
    unknownSymbols: unknown.map((e) => ({ name: e.name, line: e.line })),
    invalidValues: sorted.invalid.map((i) => ({ name: i.entry.name, line: i.entry.line, reason: i.reason })),
  };
}

/**
 * A complete check's answer as the lines conf's output differs in: symbol →
 * the value conf writes (undefined: conf drops the line); lineChanges of the
 * file and conf's output gives the same map.
 */
export function changedLines(result: CheckResult): Map<string, string | undefined> {
  const out = new Map<string, string | undefined>();
  for (const v of result.violations) out.set(v.symbol, v.kind === 'dropped' ? undefined : v.expected);
  for (const u of result.unknownSymbols) out.set(u.name, undefined);
  return out;
}

/**
 * The fewest extra settings under which the file's own values that conf
 * drops survive: resolve's minimal diagnoses, taken from conf's result of the
 * file. Undefined when every value survives.
 */
export function keepLostValues(session: Session, config: DotConfig, result: CheckResult): ResolveResult | undefined {
  const rejected = new Set(result.invalidValues.map((i) => i.name));
  const lost = result.violations.filter((v) => v.causedBy.length === 0 && v.kind !== 'added' && v.line !== undefined && !rejected.has(v.symbol));
  if (lost.length === 0) return undefined;
  const wishes = lost.map((v) => `${v.symbol}=${session.symbol(v.symbol).type === 'string' ? JSON.stringify(v.value) : v.value}`);
  const { run } = simulateFile(session, config, result.mode);
  const after: ConfigValues = new Map([...run.values].filter(([name]) => run.written.has(name)));
  return resolve(session, wishes, after);
}

const isLogic = (sym: KSymbol): boolean => sym.type === 'bool' || sym.type === 'tristate';

/**
 * Values for the free inputs, from a model of the formula that fits the file:
 * for a complete file, every symbol at its line's value and every symbol the
 * file leaves out unwritten (conf writes every symbol it can); for a partial
 * file, the user's values; failing that, only the symbols computed straight
 * from the inputs as the file has them; failing that, any model.
 */
function freeInputs(session: Session, user: ConfigValues, mode: CheckMode): Map<number, string> {
  if (session.model.inputs.length === 0) return new Map();
  const probes = new Set(session.probeSymbols());
  const attempts = mode === 'complete' ? [() => true, (s: KSymbol) => probes.has(s)] : [(s: KSymbol) => user.has(s.name), (s: KSymbol) => probes.has(s) && user.has(s.name)];
  for (const fits of attempts) {
    const inputs = session.inputsOfModelWhere(user, { complete: mode === 'complete', only: fits });
    if (inputs) return inputs;
  }
  return session.inputsOfModelWhere(user, { complete: false, only: () => false }) ?? new Map();
}

type Described = Pick<Violation, 'reason' | 'facts'>;

/** The reason conf ends with its value for `sym`, read from the simulation's final state. */
function describe(session: Session, run: Simulation, sym: KSymbol, given: string | undefined, rejectedBecause: string | undefined): Described {
  const r = run.reasons(sym);
  const value = run.values.get(sym.name)!;
  const facts: Fact[] = [];
  const fact = (role: Fact['role'], loc: Loc, prefix = ''): string => {
    const text = sourceLine(session, loc);
    facts.push({ symbol: sym.name, role, loc, text: prefix + text });
    return `${prefix}${text} (${formatLocation(loc)})`;
  };
  const hidden = (): string => {
    const deps = sym.definitions.flatMap((d) => d.ownDepends);
    if (r.dependencies === N && deps.length > 0) return `its dependencies are not met: ${deps.map((d) => fact('depends on', d.loc)).join('; ')}`;
    if (sym.prompts.length === 0) return `it has no prompt: ${fact('defined', sym.definitions[0]!.loc)}`;
    return `its prompt is not visible: ${sym.prompts.map((p) => fact('prompt', p.loc)).join('; ')}`;
  };
  const source = (): string => {
    const raisers = r.selectedBy.filter((s) => s.value >= tri(value));
    if (raisers.length > 0 && value !== 'n') return `selected by ${raisers.map((s) => fact('selected by', s.rev.loc, `${s.rev.selector.name}: `)).join(', ')}`;
    if (r.impliedBy.length > 0 && isLogic(sym) && value !== 'n') return `implied by ${r.impliedBy.map((s) => fact('implied by', s.rev.loc, `${s.rev.selector.name}: `)).join(', ')}`;
    // The line itself says default or def_bool.
    if (r.default) return fact('default', r.default.prop.loc);
    return isLogic(sym) ? 'nothing sets it, so it is n' : 'no default applies, so it is empty';
  };
  if (rejectedBecause) return { reason: `conf ignores the line (${rejectedBecause}); its value comes from: ${source()}`, facts };
  if (run.droppedOutOfRange.includes(sym.name) || (r.range && given !== undefined && given !== value && !isLogic(sym) && r.visibility !== N)) {
    const range = r.range ? `${r.range.low}..${r.range.high} ${fact('range', r.range.prop.loc)}` : 'its range';
    return { reason: `${given} is outside ${range}`, facts };
  }
  if (given === undefined) {
    if (r.visibility === N) return { reason: source(), facts };
    const prompt = `it has a visible prompt (${fact('prompt', sym.prompts[0]!.loc)}), so conf writes it`;
    return { reason: value === 'n' || value === '' ? prompt : `${prompt}; the value comes from: ${source()}`, facts };
  }
  if (sym.memberOf && r.choiceSelection && r.choiceSelection !== sym && given === 'y') {
    return { reason: `${r.choiceSelection.name} is the member of its choice that conf selects (${fact('choice', sym.memberOf.loc)})`, facts };
  }
  if (r.visibility === N) return { reason: `conf ignores the value because ${hidden()}; the value comes from: ${source()}`, facts };
  if (isLogic(sym) && tri(value) > tri(given)) return { reason: source(), facts };
  if (isLogic(sym) && tri(value) < tri(given)) {
    return { reason: `it can be at most ${value} here: ${sym.prompts.map((p) => fact('prompt', p.loc)).join('; ')}`, facts };
  }
  return { reason: `conf writes it as ${value}: ${source()}`, facts };
}

const tri = (text: string): Tristate => (text === 'y' ? 2 : text === 'm' ? 1 : 0);

/**
 * Orders the items causes first: an item is a cause when nothing it reads
 * (its dependencies, prompts, defaults, selectors, choice) changed too; every
 * other item follows from the causes reached by walking back over changed
 * symbols, and is listed after the first of them.
 */
function groupByCause(session: Session, items: Violation[]): Violation[] {
  // A line conf only adds with the value the file implied (n, or empty) changes nothing another item could follow from.
  const byName = new Map(items.filter((v) => v.expected !== v.value).map((v) => [v.symbol, v]));
  // A choice is never written: its members are read through it.
  const changedReads = (v: Violation): Violation[] =>
    influences(session.model.byName.get(v.symbol)!)
      .flatMap((s) => (s.ownChoice ? s.ownChoice.members.filter((m) => m.name !== v.symbol) : [s]))
      .map((s) => byName.get(s.name))
      .filter((x): x is Violation => x !== undefined);
  const reads = new Map(items.map((v) => [v, changedReads(v)]));
  const causes = items.filter((v) => reads.get(v)!.length === 0);
  const isCause = new Set(causes);
  /** The causes found walking back from `v`, in the order a breadth-first walk meets them. */
  const rootsFrom = (v: Violation): string[] => {
    const seen = new Set<Violation>([v]);
    const queue = [v];
    const roots: string[] = [];
    for (let i = 0; i < queue.length; i++) {
      for (const next of reads.get(queue[i]!)!) {
        if (seen.has(next)) continue;
        seen.add(next);
        if (isCause.has(next)) roots.push(next.symbol);
        else queue.push(next);
      }
    }
    return roots;
  };
  // An item whose one changed read is no cause has that read's roots, in the same order: a chain of
  // 20,000 changes is one walk, not one per link (over 300 s).
  const found = new Map<Violation, string[]>();
  for (const v of items) {
    if (isCause.has(v) || found.has(v)) continue;
    const chain: Violation[] = [];
    const onChain = new Set<Violation>();
    let end = v;
    for (;;) {
      const endReads = reads.get(end)!;
      const single = endReads.length === 1 ? endReads[0] : undefined;
      if (found.has(end) || onChain.has(end) || !single || isCause.has(single)) break;
      chain.push(end);
      onChain.add(end);
      end = single;
    }
    const roots = found.get(end) ?? rootsFrom(end);
    for (const link of [...chain, end]) found.set(link, roots);
  }
  for (const v of items) if (!isCause.has(v)) v.causedBy = [...found.get(v)!];
  // A change in a loop of changes with no cause outside it counts as a cause itself.
  for (const v of items) {
    if (isCause.has(v) || v.causedBy.length > 0) continue;
    causes.push(v);
    isCause.add(v);
  }
  const byLine = (a: Violation, b: Violation) => (a.line ?? Infinity) - (b.line ?? Infinity);
  // Each cause's followers, in the items' order: one pass, not one per cause (40,000 causes took 37 s).
  const followers = new Map<string, Violation[]>();
  for (const v of items) {
    if (isCause.has(v)) continue;
    const first = v.causedBy[0]!;
    const list = followers.get(first);
    if (list) list.push(v);
    else followers.set(first, [v]);
  }
  return causes.sort(byLine).flatMap((cause) => [cause, ...(followers.get(cause.symbol) ?? [])]);
}
