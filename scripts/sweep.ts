/**
 * sweep: corpora × arches in one run (see scripts/sweep-run.ts for what each
 * row holds), written to DIR/sweep.csv (the counts) and DIR/sweep.json (the
 * counts, the findings and the dead and always-on symbols' names), each
 * finding's witness to DIR/witnesses/, and printed as a table; scripts/report renders the JSON as an HTML page. A corpus that
 * cannot be fetched or loaded is a row with its reason, not a failed run.
 * Exit status 0 when every target was analysed, 1 otherwise, 2 on bad usage.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { checkShards, interleave, parseShard, shardTargets } from '../src/cli/shard.js';
import { KconfsatError } from '../src/errors.js';
import { fetchCorpus, fetchedVersion, readManifest } from '../src/workflow/reference.js';
import { scriptOptions } from './lib/options.js';
import { sweep, sweepCsv, SWEEP_COLUMNS, WITNESS_DIR, type SweepResult, type SweepRow, type SweepTarget } from './sweep-run.js';
import { corpusArches, corpusTargets, sweepPlan } from './lib/targets.js';
import { formatTable } from './lib/table.js';

const USAGE = `usage: scripts/sweep --corpus LIST|all [options]
  --corpus LIST   comma-separated names from corpora/manifest.json, or all (every tree in it)
  --arch LIST     comma-separated ARCH values, or all (default); corpora without arches have one row
  --confirm       run each finding's witness through conf (Linux trees; builds conf with scripts/build-conf)
  --jobs N        targets analysed at once, each on a worker thread (default 2)
  --out-dir DIR   where sweep.csv, sweep.json and witnesses/ go (default sweep-results)
  --shard I/N     only targets k (of the (corpus, arch) list) with k mod N = I, I from 0
usage: scripts/sweep --merge [--out-dir DIR] SHARD_DIR...
  the N shards' directories (each once) as one sweep: sweep.csv, sweep.json and witnesses/ in DIR
`;

function fail(message: string): never {
  process.stderr.write(`sweep: error: ${message}\n${USAGE}`);
  process.exit(2);
}

const list = (text: string): string[] => text.split(',').filter(Boolean);

async function main(): Promise<void> {
  const values = scriptOptions('sweep', USAGE, {
    corpus: { type: 'string' },
    arch: { type: 'string', default: 'all' },
    confirm: { type: 'boolean', default: false },
    jobs: { type: 'string', default: '2' },
    'out-dir': { type: 'string', default: 'sweep-results' },
    shard: { type: 'string' },
  });
  if (!values.corpus) fail('--corpus is required');
  const jobs = Number(values.jobs);
  if (!Number.isInteger(jobs) || jobs < 1) fail(`--jobs needs a positive integer, got '${values.jobs}'`);
  const manifest = readManifest().filter((c) => c.rootKconfig !== null);
  const names = values.corpus === 'all' ? manifest.filter((c) => c.kind !== 'bundled').map((c) => c.name) : list(values.corpus);
  const unknown = names.filter((n) => !manifest.some((c) => c.name === n));
  if (unknown.length) fail(`unknown corpus ${unknown.join(', ')} (known: ${manifest.map((c) => c.name).join(', ')})`);
  const arches = values.arch === 'all' ? 'all' : list(values.arch);
  const outDir = path.resolve(values['out-dir']);
  const shard = values.shard === undefined ? undefined : usage(() => parseShard(values.shard!));
  // Every (corpus, arch) of the whole sweep, from the manifest alone: each shard computes the same list.
  const planned = sweepPlan(names.map((name) => manifest.find((c) => c.name === name)!), arches);
  const mine = new Set(shardTargets(planned, shard));

  const started = new Date();
  const t0 = performance.now();
  const skipped: SweepRow[] = [];
  const targets: SweepTarget[] = [];
  for (const name of names) {
    const corpus = manifest.find((c) => c.name === name)!;
    const chosen = corpusArches(corpus, arches);
    if (chosen.length === 0) {
      if (mine.has(`${name} -`)) skipped.push({ corpus: name, version: '-', arch: '-', error: `none of the arches ${arches} (it has ${corpus.arches.join(', ')})` });
      continue;
    }
    const ours = chosen.filter((a) => mine.has(`${name} ${a}`));
    if (ours.length === 0) continue;
    try {
      const tree = await fetchCorpus(corpus);
      targets.push(...corpusTargets(corpus, tree, fetchedVersion(corpus, tree), ours, values.confirm).map((t) => ({ ...t, outDir })));
    } catch (e) {
      if (!(e instanceof KconfsatError)) throw e;
      // A row per target, as when it loads: a shard's rows are its targets'.
      skipped.push(...ours.map((arch) => ({ corpus: name, version: '-', arch, error: e.format() })));
    }
  }
  const result: SweepResult = {
    started: started.toISOString(),
    wallMs: 0,
    jobs,
    confirm: values.confirm,
    planned: targets.length + skipped.length,
    rows: [...skipped],
    targets: planned,
    ...(shard ? { shard } : {}),
  };
  // Written after every target, so a sweep stopped early still leaves what it measured.
  const write = (): void => {
    result.wallMs = Math.round(performance.now() - t0);
    fs.writeFileSync(path.join(outDir, 'sweep.csv'), sweepCsv(result.rows));
    fs.writeFileSync(path.join(outDir, 'sweep.json'), `${JSON.stringify(result, null, 2)}\n`);
  };
  fs.mkdirSync(outDir, { recursive: true });
  write();
  const rows = await sweep(targets, jobs, (row) => {
    result.rows.push(row);
    write();
    const what = row.error ? `error: ${row.error}` : `${row.findings} findings, ${row.variables} variables`;
    process.stderr.write(`sweep: [${result.rows.length - skipped.length}/${targets.length}] ${row.corpus} ${row.arch}: ${what}\n`);
  });
  // In the end, the targets' order rather than the order they finished in.
  const order = (r: SweepRow): number => planned.indexOf(`${r.corpus} ${r.arch}`);
  result.rows = [...rows, ...skipped].sort((a, b) => order(a) - order(b));
  write();
  finish(result, outDir);
}

function finish(result: SweepResult, outDir: string): void {
  printTable(result);
  process.stderr.write(`sweep: wrote ${path.join(outDir, 'sweep.csv')} and sweep.json (${(result.wallMs / 1000).toFixed(1)} s wall)\n`);
  process.exitCode = result.rows.some((r) => r.error) ? 1 : 0;
}

/** A shard option's or a merge's one-line error as the other usage errors: the message, the usage, exit 2. */
function usage<T>(f: () => T): T {
  try {
    return f();
  } catch (e) {
    if (!(e instanceof KconfsatError)) throw e;
    fail(e.format());
  }
}

/**
 * --merge: the shards' sweep.json as the one sweep they split, rows in the
 * targets' order, their witnesses copied over (names are unique per target).
 * The times are the shards': the earliest start, the longest wall time.
 */
function mergeMain(args: string[]): void {
  let parsed;
  try {
    parsed = parseArgs({ args, options: { merge: { type: 'boolean' }, 'out-dir': { type: 'string', default: 'sweep-results' } }, allowPositionals: true });
  } catch (e) {
    fail((e as Error).message);
  }
  const outDir = path.resolve(parsed.values['out-dir']);
  const parts = usage(() =>
    checkShards(
      parsed.positionals.map((dir) => {
        const file = path.join(dir, 'sweep.json');
        let sweep: SweepResult;
        try {
          sweep = JSON.parse(fs.readFileSync(file, 'utf8')) as SweepResult;
        } catch (e) {
          throw new KconfsatError('io', `${file}: ${(e as Error).message}`);
        }
        if (!Array.isArray(sweep.targets)) throw new KconfsatError('usage', `${file}: no target list: not from scripts/sweep with --shard`);
        return { file, dir, shard: sweep.shard, targets: JSON.stringify([sweep.targets, sweep.confirm]), sweep, results: sweep.rows };
      }),
    ),
  );
  const first = parts[0]!.sweep;
  const rows = usage(() => interleave(parts, first.targets!.length));
  const result: SweepResult = {
    started: parts.map((p) => p.sweep.started).sort()[0]!,
    wallMs: Math.max(...parts.map((p) => p.sweep.wallMs)),
    jobs: first.jobs,
    confirm: first.confirm,
    planned: first.targets!.length,
    rows,
    targets: first.targets!,
  };
  fs.mkdirSync(path.join(outDir, WITNESS_DIR), { recursive: true });
  for (const row of rows) {
    for (const f of row.findingList ?? []) {
      const from = parts.find((p) => p.results.includes(row))!.dir;
      if (f.witness !== undefined) fs.copyFileSync(path.join(from, f.witness), path.join(outDir, f.witness));
    }
  }
  fs.writeFileSync(path.join(outDir, 'sweep.csv'), sweepCsv(result.rows));
  fs.writeFileSync(path.join(outDir, 'sweep.json'), `${JSON.stringify(result, null, 2)}\n`);
  finish(result, outDir);
}

function printTable(result: SweepResult): void {
  const columns = SWEEP_COLUMNS.filter((c) => c !== 'error' && result.rows.some((r) => r[c] !== undefined));
  const cells = result.rows.map((r) => columns.map((c) => String(r[c] ?? '-')));
  const out = [formatTable(columns, cells, 3)];
  for (const r of result.rows) if (r.error) out.push(`${r.corpus} ${r.arch}: ${r.error}`);
  process.stdout.write(`${out.join('\n')}\n`);
}

if (process.argv.includes('--merge')) mergeMain(process.argv.slice(2));
else await main();
