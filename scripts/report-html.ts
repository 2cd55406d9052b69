/**
 * A sweep (scripts/sweep-run.ts) as one self-contained HTML page: inline CSS
 * and SVG, no script, no external URL, so it opens from a file in any
 * browser. Charts: audit findings, formula size and the time of each stage,
 * per arch. Corpora of one family (names that differ only after the last
 * '-', such as linux-6.1 and linux-6.12) share their charts, side by side.
 * Every bar carries its number as text, exactly as in sweep.csv, and
 * data-series/data-category attributes say which row it is.
 */
import { STAGE_COLUMNS, SWEEP_COLUMNS, type SweepResult, type SweepRow } from './sweep-run.js';

type NumericColumn = 'findings' | 'variables' | 'clauses' | (typeof STAGE_COLUMNS)[number][0];

export interface ChartSpec {
  /** Unique in the page: the svg's data-chart attribute. */
  id: string;
  title: string;
  column: NumericColumn;
}

/** Corpora that share charts, in sweep order. */
export interface Family {
  name: string;
  corpora: string[];
}

const SERIES_COLOURS = ['#2f6db5', '#e0802b', '#3a9a4a', '#b8404a', '#7a5bb0', '#8c6d3f'];

const BAR = 11;
const GAP = 3;
const LABEL_WIDTH = 96;
const PLOT_WIDTH = 330;
const VALUE_WIDTH = 70;
const TITLE_HEIGHT = 34;
/** Wide enough for an 11px sans-serif character, so legend entries do not overlap. */
const LEGEND_CHAR_WIDTH = 6.5;

export function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** linux-6.1 and linux-6.12 form the family `linux`; a name with no sibling is its own family. */
export function families(rows: SweepRow[]): Family[] {
  const corpora = [...new Set(rows.map((r) => r.corpus))];
  const prefix = (name: string): string => (name.includes('-') ? name.slice(0, name.lastIndexOf('-')) : name);
  const result: Family[] = [];
  for (const corpus of corpora) {
    const siblings = corpora.filter((c) => prefix(c) === prefix(corpus));
    const name = siblings.length > 1 ? prefix(corpus) : corpus;
    const family = result.find((f) => f.name === name);
    if (family) family.corpora.push(corpus);
    else result.push({ name, corpora: [corpus] });
  }
  return result;
}

/** The charts of one family: findings and formula size, then one per stage any row timed. */
export function chartSpecs(family: Family, rows: SweepRow[]): ChartSpec[] {
  const specs: ChartSpec[] = [
    { id: `findings-${family.name}`, title: 'audit findings', column: 'findings' },
    { id: `variables-${family.name}`, title: 'formula variables', column: 'variables' },
    { id: `clauses-${family.name}`, title: 'formula clauses', column: 'clauses' },
  ];
  for (const [column, label] of STAGE_COLUMNS) {
    if (rows.some((r) => family.corpora.includes(r.corpus) && r[column] !== undefined)) {
      specs.push({ id: `${column}-${family.name}`, title: `${label} time (ms)`, column });
    }
  }
  return specs;
}

/** Horizontal grouped bars: one group per arch, one bar per corpus of the family. */
export function barChart(spec: ChartSpec, family: Family, rows: SweepRow[]): string {
  const mine = rows.filter((r) => family.corpora.includes(r.corpus) && !r.error);
  const arches = [...new Set(mine.map((r) => r.arch))];
  const value = (corpus: string, arch: string): number | undefined => mine.find((r) => r.corpus === corpus && r.arch === arch)?.[spec.column];
  const max = Math.max(1, ...mine.map((r) => r[spec.column] ?? 0));
  const groupHeight = family.corpora.length * (BAR + GAP) + 6;
  const legendHeight = family.corpora.length > 1 ? 16 : 0;
  const height = TITLE_HEIGHT + legendHeight + arches.length * groupHeight + 4;
  const width = LABEL_WIDTH + PLOT_WIDTH + VALUE_WIDTH;
  const parts: string[] = [`<text class="title" x="0" y="16">${escapeXml(`${family.name}: ${spec.title}`)}</text>`];
  let legendX = LABEL_WIDTH;
  family.corpora.forEach((corpus, i) => {
    if (legendHeight === 0) return;
    const x = legendX;
    legendX += 30 + corpus.length * LEGEND_CHAR_WIDTH;
    parts.push(`<rect x="${x}" y="${TITLE_HEIGHT - 8}" width="10" height="10" fill="${SERIES_COLOURS[i % SERIES_COLOURS.length]}"/>`);
    parts.push(`<text class="legend" x="${x + 14}" y="${TITLE_HEIGHT + 1}">${escapeXml(corpus)}</text>`);
  });
  arches.forEach((arch, a) => {
    const top = TITLE_HEIGHT + legendHeight + a * groupHeight;
    parts.push(`<text class="label" x="${LABEL_WIDTH - 6}" y="${top + groupHeight / 2 + 1}">${escapeXml(arch)}</text>`);
    family.corpora.forEach((corpus, i) => {
      const v = value(corpus, arch);
      if (v === undefined) return;
      const y = top + i * (BAR + GAP);
      const w = (v / max) * PLOT_WIDTH;
      const where = `data-series="${escapeXml(corpus)}" data-category="${escapeXml(arch)}"`;
      parts.push(`<rect x="${LABEL_WIDTH}" y="${y}" width="${w.toFixed(1)}" height="${BAR}" fill="${SERIES_COLOURS[i % SERIES_COLOURS.length]}"><title>${escapeXml(`${corpus} ${arch}: ${v}`)}</title></rect>`);
      parts.push(`<text class="value" x="${(LABEL_WIDTH + w + 4).toFixed(1)}" y="${y + BAR - 2}" ${where}>${v}</text>`);
    });
  });
  return `<svg xmlns="http://www.w3.org/2000/svg" data-chart="${escapeXml(spec.id)}" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img">${parts.join('')}</svg>`;
}

const STYLE = `
body { font: 14px/1.4 system-ui, sans-serif; margin: 24px; color: #222; }
h1 { font-size: 22px; margin: 0 0 4px; } h2 { font-size: 18px; margin: 28px 0 8px; border-bottom: 1px solid #ccc; }
.charts { display: grid; grid-template-columns: repeat(2, max-content); gap: 18px 28px; }
svg text { font: 11px system-ui, sans-serif; fill: #222; } svg text.title { font-size: 13px; font-weight: 600; }
svg text.label { text-anchor: end; dominant-baseline: middle; }
table { border-collapse: collapse; font-size: 12px; } th, td { border: 1px solid #ddd; padding: 2px 6px; text-align: right; }
th { background: #f3f3f3; } td.text { text-align: left; } .error { color: #a00; }
`;

function table(rows: SweepRow[]): string {
  const columns = SWEEP_COLUMNS.filter((c) => rows.some((r) => r[c] !== undefined));
  const textual = new Set<string>(['corpus', 'version', 'arch', 'error']);
  const cell = (row: SweepRow, c: (typeof columns)[number]): string =>
    `<td${textual.has(c) ? ' class="text"' : ''}>${escapeXml(String(row[c] ?? ''))}</td>`;
  return `<table><thead><tr>${columns.map((c) => `<th>${escapeXml(c)}</th>`).join('')}</tr></thead><tbody>${rows
    .map((r) => `<tr>${columns.map((c) => cell(r, c)).join('')}</tr>`)
    .join('')}</tbody></table>`;
}

/** Several sweeps (run apart, e.g. one corpus each) as one: their rows in order, their wall times summed. */
export function mergeSweeps(results: SweepResult[]): SweepResult {
  return {
    started: results.map((r) => r.started).sort()[0]!,
    wallMs: results.reduce((sum, r) => sum + r.wallMs, 0),
    jobs: Math.max(...results.map((r) => r.jobs)),
    confirm: results.some((r) => r.confirm),
    planned: results.reduce((sum, r) => sum + (r.planned ?? r.rows.length), 0),
    rows: results.flatMap((r) => r.rows),
    ...(results.length > 1 ? { sweeps: results.length } : {}),
  };
}

export function renderReport(result: SweepResult): string {
  const failed = result.rows.filter((r) => r.error);
  const sections = families(result.rows).map((family) => {
    const charts = chartSpecs(family, result.rows).map((spec) => barChart(spec, family, result.rows));
    return `<h2>${escapeXml(family.corpora.join(' vs '))}</h2><div class="charts">${charts.join('\n')}</div>`;
  });
  const summary =
    `${result.rows.length - failed.length} of ${result.rows.length} targets analysed, ${(result.wallMs / 1000).toFixed(1)} s wall` +
    `${result.sweeps ? ` (sum of ${result.sweeps} sweeps)` : ''}, ` +
    `${result.planned !== undefined && result.planned > result.rows.length ? `stopped early (${result.planned - result.rows.length} of ${result.planned} targets not reached), ` : ''}` +
    `${result.jobs} worker thread${result.jobs === 1 ? '' : 's'}${result.confirm ? ', findings confirmed by conf' : ''}; started ${result.started}`;
  return [
    '<!DOCTYPE html>',
    '<html lang="en"><head><meta charset="utf-8"><title>kconfsat sweep</title>',
    `<style>${STYLE}</style></head><body>`,
    `<h1>kconfsat sweep</h1><p>${escapeXml(summary)}</p>`,
    ...sections,
    failed.length
      ? `<h2>Not analysed</h2><ul>${failed.map((r) => `<li class="error">${escapeXml(`${r.corpus} ${r.arch}: ${r.error}`)}</li>`).join('')}</ul>`
      : '',
    `<h2>All numbers</h2>${table(result.rows)}`,
    '</body></html>',
    '',
  ].join('\n');
}
