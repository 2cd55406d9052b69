/**
 * A sweep (scripts/sweep-run.ts) as one self-contained HTML page: inline CSS
 * and SVG, no script, no external URL, so it opens from a file in any
 * browser. It leads with what a sweep is for: the audit's findings, each
 * linked to its `select` line and its witnesses, then, for corpora of one
 * family (names that differ only after the last '-', such as linux-6.1 and
 * linux-6.12), how the versions compare per arch (findings and dead and
 * always-on symbols new and gone, symbols, formula size) in tables and
 * side-by-side charts. Stage timings are an appendix. Every bar carries its
 * number as text, exactly as in sweep.csv, and data-series/data-category
 * attributes say which row it is.
 */
import { STAGE_COLUMNS, SWEEP_COLUMNS, type SweepFinding, type SweepResult, type SweepRow } from './sweep-run.js';

type NumericColumn = 'findings' | 'dead' | 'alwaysOn' | 'symbols' | 'variables' | 'clauses';

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

/** The comparison charts of one family: what the sweep found and how big the formula is, per arch. */
export function chartSpecs(family: Family): ChartSpec[] {
  const spec = (column: NumericColumn, title: string): ChartSpec => ({ id: `${column}-${family.name}`, title, column });
  return [
    spec('findings', 'audit findings'),
    spec('dead', 'dead symbols'),
    spec('alwaysOn', 'always-on symbols'),
    spec('symbols', 'symbols'),
    spec('variables', 'formula variables'),
    spec('clauses', 'formula clauses'),
  ];
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
h3 { font-size: 15px; margin: 18px 0 6px; }
.charts { display: grid; grid-template-columns: repeat(2, max-content); gap: 18px 28px; margin-top: 12px; }
svg text { font: 11px system-ui, sans-serif; fill: #222; } svg text.title { font-size: 13px; font-weight: 600; }
svg text.label { text-anchor: end; dominant-baseline: middle; }
table { border-collapse: collapse; font-size: 12px; } th, td { border: 1px solid #ddd; padding: 2px 6px; text-align: right; vertical-align: top; }
th { background: #f3f3f3; text-align: left; } td.text { text-align: left; } .error { color: #a00; }
.new { color: #a00; font-weight: 600; } .gone { color: #3a7a3a; font-weight: 600; } .same { color: #666; }
a { color: #1f5ea8; } details { margin: 4px 0; font-size: 12px; } details code { word-break: break-all; }
`;

/** The analysed rows of one family, by corpus and arch. */
function familyRows(family: Family, rows: SweepRow[]): SweepRow[] {
  return rows.filter((r) => family.corpora.includes(r.corpus) && !r.error);
}

/** Arches in sweep order. */
function archesOf(rows: SweepRow[]): string[] {
  return [...new Set(rows.map((r) => r.arch))];
}

/** One select line's findings across the family: the same selector and selectee, whatever line it moved to. */
interface FindingGroup {
  selector: string;
  selectee: string;
  dependsOn: string;
  /** Per corpus: the finding on each arch it was found on, with its row (for the tree). */
  found: Map<string, { arch: string; finding: SweepFinding; row: SweepRow }[]>;
}

export function findingGroups(family: Family, rows: SweepRow[]): FindingGroup[] {
  const groups = new Map<string, FindingGroup>();
  for (const row of familyRows(family, rows)) {
    for (const finding of row.findingList ?? []) {
      const key = `${finding.selector}\0${finding.selectee}`;
      let group = groups.get(key);
      if (!group) groups.set(key, (group = { selector: finding.selector, selectee: finding.selectee, dependsOn: finding.dependsOn, found: new Map() }));
      const list = group.found.get(row.corpus) ?? [];
      list.push({ arch: row.arch, finding, row });
      group.found.set(row.corpus, list);
    }
  }
  return [...groups.values()];
}

/** How a set present in some versions of a family reads: in all, new in the first that has it, or gone after the last. */
export function versionStatus(family: Family, present: string[]): { kind: 'same' | 'new' | 'gone'; text: string } {
  const { corpora } = family;
  const first = corpora.findIndex((c) => present.includes(c));
  const last = corpora.length - 1 - [...corpora].reverse().findIndex((c) => present.includes(c));
  const contiguous = corpora.slice(first, last + 1).every((c) => present.includes(c));
  if (present.length === corpora.length) return { kind: 'same', text: corpora.length > 1 ? 'in every version' : '' };
  if (contiguous && last === corpora.length - 1) return { kind: 'new', text: `new in ${corpora[first]}` };
  if (contiguous && first === 0) return { kind: 'gone', text: `gone in ${corpora[last + 1]}` };
  return { kind: 'same', text: `only in ${present.join(', ')}` };
}

/** `file:line` linking to the file in the analysed tree (the line is in the text: a file URL has no line anchor). */
function sourceLink(row: SweepRow, finding: SweepFinding): string {
  const text = escapeXml(`${finding.file}:${finding.line}`);
  if (!row.tree) return text;
  const url = `file://${encodeURI(`${row.tree.replace(/\/$/, '')}/${finding.file}`)}`;
  return `<a href="${escapeXml(url)}">${text}</a>`;
}

/** The findings of one family: one row per selector → selectee, its select line and witnesses per version, and what changed. */
function findingsTable(family: Family, rows: SweepRow[]): string {
  const groups = findingGroups(family, rows);
  if (groups.length === 0) return `<p>No findings in ${escapeXml(family.corpora.join(', '))}.</p>`;
  const several = family.corpora.length > 1;
  const order = { new: 0, gone: 1, same: 2 };
  const status = (g: FindingGroup): ReturnType<typeof versionStatus> => versionStatus(family, [...g.found.keys()]);
  groups.sort((a, b) => (several ? order[status(a).kind] - order[status(b).kind] : 0) || a.selectee.localeCompare(b.selectee) || a.selector.localeCompare(b.selector));
  const cell = (g: FindingGroup, corpus: string): string => {
    const found = g.found.get(corpus);
    if (!found) return '<td class="text same">—</td>';
    const lines = [...new Map(found.map((f) => [`${f.finding.file}:${f.finding.line}`, f])).values()].map((f) => sourceLink(f.row, f.finding));
    const witnesses = found.map((f) => {
      const label = escapeXml(f.arch + (f.finding.confirmed === undefined ? '' : f.finding.confirmed ? ' ✓' : ' ✗'));
      return f.finding.witness ? `<a href="${escapeXml(f.finding.witness)}" data-witness="${escapeXml(`${corpus} ${f.arch}`)}">${label}</a>` : label;
    });
    return `<td class="text">${lines.join('<br>')}<br>on ${witnesses.join(', ')}</td>`;
  };
  const head = ['selector → selectee', 'selectee depends on', ...family.corpora, ...(several ? ['change'] : [])];
  const body = groups.map((g) => {
    const st = status(g);
    return (
      `<tr data-finding="${escapeXml(`${g.selector}->${g.selectee}`)}"><td class="text">${escapeXml(`${g.selector} → ${g.selectee}`)}</td>` +
      `<td class="text">${escapeXml(g.dependsOn)}</td>${family.corpora.map((c) => cell(g, c)).join('')}` +
      `${several ? `<td class="text ${st.kind}">${escapeXml(st.text)}</td>` : ''}</tr>`
    );
  });
  return `<table class="findings"><thead><tr>${head.map((h) => `<th>${escapeXml(h)}</th>`).join('')}</tr></thead><tbody>${body.join('')}</tbody></table>`;
}

/** Names in the first version's list and not the last one's, and the other way round. */
function listChange(first: string[] | undefined, last: string[] | undefined): { added: string[]; removed: string[] } | undefined {
  if (!first || !last) return undefined;
  const before = new Set(first);
  const after = new Set(last);
  return { added: last.filter((n) => !before.has(n)), removed: first.filter((n) => !after.has(n)) };
}

const findingKeys = (row: SweepRow | undefined): string[] | undefined => row?.findingList?.map((f) => `${f.selector} → ${f.selectee}`);

/**
 * Per arch, each measure in every version (first → … → last) and, for the
 * lists, how many entries the last version has that the first has not (+)
 * and the other way round (−); the names go in collapsed lists below.
 */
function comparisonTable(family: Family, rows: SweepRow[]): string {
  const mine = familyRows(family, rows);
  const row = (corpus: string, arch: string): SweepRow | undefined => mine.find((r) => r.corpus === corpus && r.arch === arch);
  const firstCorpus = family.corpora[0]!;
  const lastCorpus = family.corpora[family.corpora.length - 1]!;
  const measures: [string, NumericColumn, ((r: SweepRow | undefined) => string[] | undefined)?][] = [
    ['findings', 'findings', findingKeys],
    ['dead', 'dead', (r) => r?.deadList],
    ['always on', 'alwaysOn', (r) => r?.alwaysOnList],
    ['symbols', 'symbols'],
    ['clauses', 'clauses'],
  ];
  const details: string[] = [];
  const body = archesOf(mine).map((arch) => {
    const cells = measures.map(([label, column, list]) => {
      const values = family.corpora.map((c) => row(c, arch)?.[column]);
      let text = values.map((v) => (v === undefined ? '—' : String(v))).join(' → ');
      const change = list && listChange(list(row(firstCorpus, arch)), list(row(lastCorpus, arch)));
      if (change) {
        text += ` (+${change.added.length} / −${change.removed.length})`;
        for (const [names, what] of [[change.added, `${label} in ${lastCorpus}, not in ${firstCorpus}`], [change.removed, `${label} in ${firstCorpus}, not in ${lastCorpus}`]] as const) {
          if (names.length) details.push(`<details><summary>${escapeXml(`${arch}: ${names.length} ${what}`)}</summary><code>${escapeXml(names.join(' '))}</code></details>`);
        }
      } else if (values.every((v) => v !== undefined) && values.length > 1) {
        const delta = (values[values.length - 1] as number) - (values[0] as number);
        text += ` (${delta >= 0 ? '+' : '−'}${Math.abs(delta)})`;
      }
      return `<td data-measure="${column}">${escapeXml(text)}</td>`;
    });
    return `<tr data-arch="${escapeXml(arch)}"><td class="text">${escapeXml(arch)}</td>${cells.join('')}</tr>`;
  });
  const head = ['arch', ...measures.map(([label]) => label)];
  return (
    `<table class="comparison"><thead><tr>${head.map((h) => `<th>${escapeXml(h)}</th>`).join('')}</tr></thead><tbody>${body.join('')}</tbody></table>` +
    details.join('')
  );
}

function table(rows: SweepRow[]): string {
  const columns = SWEEP_COLUMNS.filter((c) => rows.some((r) => r[c] !== undefined));
  const textual = new Set<string>(['corpus', 'version', 'arch', 'error']);
  const cell = (row: SweepRow, c: (typeof columns)[number]): string =>
    `<td${textual.has(c) ? ' class="text"' : ''}>${escapeXml(String(row[c] ?? ''))}</td>`;
  return `<table><thead><tr>${columns.map((c) => `<th>${escapeXml(c)}</th>`).join('')}</tr></thead><tbody>${rows
    .map((r) => `<tr>${columns.map((c) => cell(r, c)).join('')}</tr>`)
    .join('')}</tbody></table>`;
}

const TIMING_COLOURS = ['#2f6db5', '#e0802b', '#3a9a4a', '#b8404a', '#7a5bb0', '#8c6d3f', '#5a9aa8'];

/**
 * The appendix chart of one family: one stacked bar per (corpus, arch), a
 * segment per stage in pipeline order; each segment holds its milliseconds
 * (data-stage, data-ms and a tooltip), the bar's end its total in seconds.
 */
export function timingChart(family: Family, rows: SweepRow[]): string {
  const mine = familyRows(family, rows);
  const stages = STAGE_COLUMNS.filter(([column]) => mine.some((r) => r[column] !== undefined));
  const total = (r: SweepRow): number => stages.reduce((sum, [column]) => sum + (r[column] ?? 0), 0);
  const max = Math.max(1, ...mine.map(total));
  const top = TITLE_HEIGHT + 16;
  const width = LABEL_WIDTH * 2 + PLOT_WIDTH + VALUE_WIDTH;
  const height = top + mine.length * (BAR + GAP * 2) + 4;
  const parts: string[] = [`<text class="title" x="0" y="16">${escapeXml(`${family.name}: time of each stage`)}</text>`];
  let legendX = LABEL_WIDTH * 2;
  stages.forEach(([, label], i) => {
    parts.push(`<rect x="${legendX}" y="${TITLE_HEIGHT - 8}" width="10" height="10" fill="${TIMING_COLOURS[i % TIMING_COLOURS.length]}"/>`);
    parts.push(`<text class="legend" x="${legendX + 14}" y="${TITLE_HEIGHT + 1}">${escapeXml(label)}</text>`);
    legendX += 24 + label.length * LEGEND_CHAR_WIDTH;
  });
  mine.forEach((r, k) => {
    const y = top + k * (BAR + GAP * 2);
    parts.push(`<text class="label" x="${LABEL_WIDTH * 2 - 6}" y="${y + BAR / 2 + 1}">${escapeXml(`${r.corpus} ${r.arch}`)}</text>`);
    let x = LABEL_WIDTH * 2;
    stages.forEach(([column, label], i) => {
      const v = r[column];
      if (v === undefined) return;
      const w = (v / max) * PLOT_WIDTH;
      const where = `data-series="${escapeXml(r.corpus)}" data-category="${escapeXml(r.arch)}" data-stage="${column}" data-ms="${v}"`;
      parts.push(`<rect x="${x.toFixed(1)}" y="${y}" width="${w.toFixed(1)}" height="${BAR}" fill="${TIMING_COLOURS[i % TIMING_COLOURS.length]}" ${where}><title>${escapeXml(`${r.corpus} ${r.arch} ${label}: ${v} ms`)}</title></rect>`);
      x += w;
    });
    parts.push(`<text class="value" x="${(x + 4).toFixed(1)}" y="${y + BAR - 2}">${(total(r) / 1000).toFixed(1)} s</text>`);
  });
  return `<svg xmlns="http://www.w3.org/2000/svg" data-chart="${escapeXml(`timings-${family.name}`)}" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img">${parts.join('')}</svg>`;
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
  const all = families(result.rows).filter((f) => familyRows(f, result.rows).length > 0);
  const title = (f: Family): string => escapeXml(f.corpora.join(' vs '));
  const findings = all.map((f) => `<h3>${title(f)}</h3>${findingsTable(f, result.rows)}`);
  const comparisons = all.map((f) => {
    const charts = chartSpecs(f).map((spec) => barChart(spec, f, result.rows));
    return `<h3>${title(f)}</h3>${comparisonTable(f, result.rows)}<div class="charts">${charts.join('\n')}</div>`;
  });
  const total = result.rows.reduce((sum, r) => sum + (r.findings ?? 0), 0);
  const summary =
    `${total} findings; ${result.rows.length - failed.length} of ${result.rows.length} targets analysed, ${(result.wallMs / 1000).toFixed(1)} s wall` +
    `${result.sweeps ? ` (sum of ${result.sweeps} sweeps)` : ''}, ` +
    `${result.planned !== undefined && result.planned > result.rows.length ? `stopped early (${result.planned - result.rows.length} of ${result.planned} targets not reached), ` : ''}` +
    `${result.jobs} worker thread${result.jobs === 1 ? '' : 's'}${result.confirm ? ', findings confirmed by conf (✓ warned, ✗ did not)' : ''}; started ${result.started}`;
  return [
    '<!DOCTYPE html>',
    '<html lang="en"><head><meta charset="utf-8"><title>kconfsat sweep</title>',
    `<style>${STYLE}</style></head><body>`,
    `<h1>kconfsat sweep</h1><p>${escapeXml(summary)}</p>`,
    `<h2>Findings</h2><p>Selects that some valid configuration lets force their target past its dependencies (conf's "unmet direct dependencies"); each links to its select line and, per arch, to a witness .config.</p>`,
    ...findings,
    `<h2>Versions compared</h2><p>Per arch, each measure from the first version to the last; (+a / −b): entries of the last version the first has not, and the other way round.</p>`,
    ...comparisons,
    failed.length
      ? `<h2>Not analysed</h2><ul>${failed.map((r) => `<li class="error">${escapeXml(`${r.corpus} ${r.arch}: ${r.error}`)}</li>`).join('')}</ul>`
      : '',
    `<h2>Appendix: timings</h2>${all.map((f) => timingChart(f, result.rows)).join('\n')}`,
    `<h2>Appendix: all numbers</h2>${table(result.rows)}`,
    '</body></html>',
    '',
  ].join('\n');
}
