/**
 * report: renders a sweep's JSON (scripts/sweep) as a self-contained HTML
 * page (scripts/report-html.ts); several files (sweeps run apart) become one
 * page, so corpora swept on different days still share their charts.
 *   scripts/report sweep-results/sweep.json [more.json...] -o report.html
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { mergeSweeps, renderReport } from './report-html.js';
import type { SweepResult } from './sweep-run.js';

const USAGE = `usage: scripts/report SWEEP.json... [-o FILE]
  -o, --out FILE   the HTML page (default report.html)
`;

function fail(message: string): never {
  process.stderr.write(`report: error: ${message}\n`);
  process.exit(2);
}

// scriptOptions takes no positional arguments; this script's inputs are.
let parsed;
try {
  parsed = parseArgs({ allowPositionals: true, options: { out: { type: 'string', short: 'o', default: 'report.html' }, help: { type: 'boolean', short: 'h' } } });
} catch (e) {
  fail(`${(e as Error).message}\n${USAGE}`);
}
if (parsed.values.help) {
  process.stdout.write(USAGE);
  process.exit(0);
}
if (parsed.positionals.length === 0) fail(`a sweep JSON file expected\n${USAGE}`);
const results = parsed.positionals.map((input): SweepResult => {
  let result: SweepResult;
  try {
    result = JSON.parse(fs.readFileSync(input, 'utf8')) as SweepResult;
  } catch (e) {
    fail(`${input}: ${(e as Error).message}`);
  }
  if (!Array.isArray(result.rows)) fail(`${input}: not a sweep result (no rows)`);
  // Witnesses are relative to the sweep's directory; the page links them from its own.
  const from = path.dirname(path.resolve(parsed.values.out));
  for (const row of result.rows) {
    for (const f of row.findingList ?? []) if (f.witness) f.witness = path.relative(from, path.resolve(path.dirname(input), f.witness));
  }
  return result;
});
const result = mergeSweeps(results);
fs.writeFileSync(parsed.values.out, renderReport(result));
process.stderr.write(`report: wrote ${parsed.values.out} (${result.rows.length} rows)\n`);
