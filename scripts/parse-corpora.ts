/**
 * parse-corpora: load every corpus of corpora/manifest.json with kconfsat
 * ($(shell,...) not run), once per ARCH the manifest lists, and tabulate what
 * came out. With --compare-kconfiglib, also load each tree with Kconfiglib
 * (scripts/kconfiglib-symbols.py) and compare defined and undefined symbol names;
 * with --compare-conf, run the kernel's own conf --allyesconfig on each Linux
 * tree and arch and check that every CONFIG_ name it writes is a symbol kconfsat defines.
 * Exit status 1 when any tree fails to parse with kconfsat, 2 on bad usage.
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { KconfsatError } from '../src/errors.js';
import { parseDotConfig } from '../src/io/dotconfig.js';
import { loadKconfig } from '../src/model/load.js';
import {
  buildConf,
  confSideFiles,
  corpusEnvironment,
  ensureKconfiglib,
  fetchCorpus,
  readManifest,
  referenceEnvironment,
  repo,
  SYSTEM_PYTHON,
  type Corpus,
} from '../src/workflow/reference.js';
import { scriptOptions } from './lib/options.js';
import { formatTable } from './lib/table.js';

const USAGE = `usage: node dist/scripts/parse-corpora.js [options]
  --corpus LIST          comma-separated manifest names (default: all; fetched when missing)
  --arch LIST            only these ARCH values (corpora without arches are unaffected)
  --compare-kconfiglib   compare symbol names with Kconfiglib's (Debian python3-kconfiglib)
  --compare-conf         Linux trees: the names conf --allyesconfig writes must all be kconfsat's symbols
  --python PATH          interpreter that has kconfiglib (default /usr/bin/python3, which gets
                         Debian's python3-kconfiglib when it lacks it)
  --json                 print the results as JSON instead of a table
`;

/** Names conf parses as symbols although they are numbers (`range 1 0x10`). */
const NUMBER = /^-?([0-9]+|0[xX][0-9a-fA-F]+)$/;
/** Names shown per difference in the table. */
const SHOWN = 6;

interface SymbolNames {
  defined: string[];
  undefined: string[];
}

interface Difference {
  onlyKconfsat: string[];
  onlyKconfiglib: string[];
}

interface Row {
  corpus: string;
  arch?: string;
  files?: number;
  defined?: number;
  undefined?: number;
  choices?: number;
  parseMs?: number;
  modelMs?: number;
  /** kconfsat's first error, `file:line:col: message`. */
  error?: string;
  kconfiglib?: { defined: number; undefined: number; definedDiff: Difference; undefinedDiff: Difference } | { error: string };
  /** conf --allyesconfig: how many names it wrote, and those kconfsat does not define. */
  conf?: { written: number; unknown: string[] } | { error: string };
}

function fail(message: string): never {
  process.stderr.write(`parse-corpora: error: ${message}\n${USAGE}`);
  process.exit(2);
}

const list = (text: string | undefined): string[] | undefined => text?.split(',').filter(Boolean);

function kconfsatNames(corpus: Corpus, tree: string, env: Record<string, string>, row: Row): SymbolNames | undefined {
  try {
    const loaded = loadKconfig({ tree, rootFile: corpus.rootKconfig!, env, runShell: false });
    const { model } = loaded;
    const names: SymbolNames = { defined: [], undefined: [] };
    for (const sym of model.symbols) {
      if (sym.ownChoice) continue;
      if (sym.definitions.length > 0) names.defined.push(sym.name);
      else if (!NUMBER.test(sym.name)) names.undefined.push(sym.name);
    }
    Object.assign(row, {
      files: new Set(model.files).size,
      defined: names.defined.length,
      undefined: names.undefined.length,
      choices: model.choices.length,
      parseMs: Math.round(loaded.timings.parseMs),
      modelMs: Math.round(loaded.timings.buildMs),
    });
    return names;
  } catch (e) {
    if (!(e instanceof KconfsatError)) throw e;
    row.error = e.format();
    return undefined;
  }
}

/** Kconfiglib runs $(shell,...) itself, so it gets only PATH, HOME and conf's environment. */
function kconfiglibNames(python: string, corpus: Corpus, tree: string, env: Record<string, string>): SymbolNames {
  const out = execFileSync(python, [path.join(repo, 'scripts/kconfiglib-symbols.py'), corpus.rootKconfig!], {
    cwd: tree,
    encoding: 'utf8',
    maxBuffer: 1 << 26,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: referenceEnvironment(env),
  });
  return JSON.parse(out) as SymbolNames;
}

/** The CONFIG_ names conf --allyesconfig writes (its $(shell,...) calls run, as in a real build). */
function confAllyesNames(conf: string, corpus: Corpus, tree: string, env: Record<string, string>, scratch: string): string[] {
  const config = path.join(scratch, 'allyes.config');
  execFileSync(conf, ['--allyesconfig', corpus.rootKconfig!], {
    cwd: tree,
    stdio: ['ignore', 'ignore', 'pipe'],
    env: { ...referenceEnvironment(env), ...confSideFiles(scratch), KCONFIG_CONFIG: config },
  });
  return parseDotConfig(fs.readFileSync(config, 'utf8'), config).entries.map((e) => e.name);
}

function compareConf(row: Row, ours: SymbolNames, run: () => string[]): void {
  try {
    const written = run();
    const defined = new Set(ours.defined);
    row.conf = { written: written.length, unknown: written.filter((n) => !defined.has(n)) };
  } catch (e) {
    const stderr = (e as { stderr?: string }).stderr ?? String(e);
    row.conf = { error: stderr.trim().split('\n').pop()! };
  }
}

function difference(ours: string[], theirs: string[]): Difference {
  const a = new Set(ours);
  const b = new Set(theirs);
  return { onlyKconfsat: ours.filter((n) => !b.has(n)), onlyKconfiglib: theirs.filter((n) => !a.has(n)) };
}

function compare(row: Row, ours: SymbolNames, run: () => SymbolNames): void {
  try {
    const theirs = run();
    row.kconfiglib = {
      defined: theirs.defined.length,
      undefined: theirs.undefined.length,
      definedDiff: difference(ours.defined, theirs.defined),
      undefinedDiff: difference(ours.undefined, theirs.undefined),
    };
  } catch (e) {
    // Kconfiglib's own message is the last line of its traceback.
    const stderr = (e as { stderr?: string }).stderr ?? String(e);
    row.kconfiglib = { error: stderr.trim().split('\n').pop()! };
  }
}

function printTable(rows: Row[], compared: boolean, confCompared: boolean): void {
  const head = ['corpus', 'arch', 'files', 'defined', 'undefined', 'choices', 'parse ms', 'model ms'];
  if (compared) head.push('kconfiglib def/undef', 'def diff +/-', 'undef diff +/-');
  if (confCompared) head.push('conf allyes names', 'not kconfsat symbols');
  const cells = rows.map((r) => {
    const k = r.kconfiglib;
    const row = [r.corpus, r.arch ?? '-', r.files, r.defined, r.undefined, r.choices, r.parseMs, r.modelMs].map((v) => String(v ?? '-'));
    if (compared) {
      const diff = (d: Difference): string => `+${d.onlyKconfsat.length}/-${d.onlyKconfiglib.length}`;
      row.push(...(!k || 'error' in k ? [k ? 'error' : '-', '-', '-'] : [`${k.defined}/${k.undefined}`, diff(k.definedDiff), diff(k.undefinedDiff)]));
    }
    if (confCompared) {
      const c = r.conf;
      row.push(...(!c || 'error' in c ? [c ? 'error' : '-', '-'] : [String(c.written), String(c.unknown.length)]));
    }
    return row;
  });
  const out = [formatTable(head, cells, 2)];
  const shown = (names: string[]): string => names.slice(0, SHOWN).join(' ') + (names.length > SHOWN ? ' ...' : '');
  for (const r of rows) {
    const who = `${r.corpus}${r.arch ? ` ${r.arch}` : ''}`;
    if (r.error) out.push(`${who}: error: ${r.error}`);
    if (r.conf && 'error' in r.conf) out.push(`${who}: conf error: ${r.conf.error}`);
    else if (r.conf?.unknown.length) out.push(`${who}: conf writes names kconfsat does not define: ${shown(r.conf.unknown)}`);
    const k = r.kconfiglib;
    if (!k) continue;
    if ('error' in k) {
      out.push(`${who}: kconfiglib error: ${k.error}`);
      continue;
    }
    for (const [what, d] of [['defined', k.definedDiff], ['undefined', k.undefinedDiff]] as const) {
      if (d.onlyKconfsat.length) out.push(`${who}: ${what} only in kconfsat: ${shown(d.onlyKconfsat)}`);
      if (d.onlyKconfiglib.length) out.push(`${who}: ${what} only in kconfiglib: ${shown(d.onlyKconfiglib)}`);
    }
  }
  process.stdout.write(out.join('\n') + '\n');
}

async function main(): Promise<void> {
  const values = scriptOptions('parse-corpora', USAGE, {
    corpus: { type: 'string' },
    arch: { type: 'string' },
    'compare-kconfiglib': { type: 'boolean', default: false },
    'compare-conf': { type: 'boolean', default: false },
    python: { type: 'string', default: SYSTEM_PYTHON },
    json: { type: 'boolean', default: false },
  });
  const manifest = readManifest().filter((c) => c.rootKconfig !== null);
  const names = list(values.corpus);
  const unknown = names?.filter((n) => !manifest.some((c) => c.name === n));
  if (unknown?.length) fail(`unknown corpus ${unknown.join(', ')} (known: ${manifest.map((c) => c.name).join(', ')})`);
  const arches = list(values.arch);
  if (values['compare-kconfiglib']) {
    const missing = ensureKconfiglib(values.python!, (m) => process.stderr.write(`parse-corpora: ${m}\n`));
    if (missing) fail(missing);
  }
  const rows: Row[] = [];
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'kconfsat-corpora-'));
  for (const corpus of manifest.filter((c) => !names || names.includes(c.name))) {
    const tree = await fetchCorpus(corpus);
    // conf is the kernel's: only Linux trees have it to build.
    const conf = values['compare-conf'] && corpus.name.startsWith('linux-') ? buildConf(tree) : undefined;
    const targets = corpus.arches.length === 0 ? [undefined] : corpus.arches.filter((a) => !arches || arches.includes(a));
    for (const arch of targets) {
      const row: Row = { corpus: corpus.name };
      if (arch !== undefined) row.arch = arch;
      const env = corpusEnvironment(corpus, tree, arch);
      const ours = kconfsatNames(corpus, tree, env, row);
      if (ours && values['compare-kconfiglib']) compare(row, ours, () => kconfiglibNames(values.python!, corpus, tree, env));
      if (ours && conf) compareConf(row, ours, () => confAllyesNames(conf, corpus, tree, env, scratch));
      process.stderr.write(`parse-corpora: ${corpus.name}${arch ? ` ${arch}` : ''}: ${row.error ? 'error' : 'ok'}\n`);
      rows.push(row);
    }
  }
  fs.rmSync(scratch, { recursive: true, force: true });
  if (values.json) process.stdout.write(JSON.stringify(rows, null, 2) + '\n');
  else printTable(rows, values['compare-kconfiglib'], values['compare-conf']);
  const confDisagrees = rows.some((r) => r.conf && ('error' in r.conf || r.conf.unknown.length > 0));
  process.exit(rows.some((r) => r.error) || confDisagrees ? 1 : 0);
}

await main();
