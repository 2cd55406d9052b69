/**
 * lsp-bench: `kconfsat lsp` on Linux 6.1 as an editor meets it, in fresh
 * server processes, against the kernel's conf in the same run:
 * - first diagnostics: from starting the server to the diagnostics of
 *   drivers/xen/Kconfig (with the XEN select bug put back in the editor's
 *   copy), loading the tree included, as a ratio to conf --allnoconfig;
 * - re-diagnosis after a one-line edit, from the change to its diagnostics:
 *   a line of help text (the model stays), and a `default` line (it changes).
 *
 * Environment: KCONFSAT_LINUX_61 (tree; default: scripts/fetch-corpus
 * linux-6.1), KCONFSAT_CONF_61 (conf; default: scripts/build-conf TREE).
 */
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { buildConf, confSideFiles, corpusEnvironment, fetchCorpus, readManifest, referenceEnvironment, repo } from '../src/workflow/reference.js';
import { RawClient, type Message } from './lsp-client.js';
import { scriptOptions } from './lib/options.js';
import { median } from './lib/statistics.js';

const USAGE = `usage: node dist/scripts/lsp-bench.js [--runs N] [--arch ARCH] [--json FILE]
  --runs N      server processes (and conf runs); the median is reported (default 3)
  --arch ARCH   the workspace's arch (default i386, where the XEN select bug shows)
  --json FILE   where the results go as JSON (default lsp-bench-results.json)
`;

const FILE = 'drivers/xen/Kconfig';
const SELECT_LINE = '\tdepends on ZONE_DEVICE\n\tdefault XEN_BACKEND || XEN_GNTDEV || XEN_DOM0\n';

interface Run {
  firstMs: number;
  /** Until the second round, with the reasons of the dead symbols. */
  reasonsMs: number;
  helpEditMs: number;
  modelEditMs: number;
}


/** The line of `text` holding `needle` (0-based) and that line's length. */
function lineOf(text: string, needle: string): { line: number; length: number } {
  const lines = text.split('\n');
  const line = lines.findIndex((l) => l.includes(needle));
  if (line < 0) throw new Error(`${FILE}: no line with '${needle}'`);
  return { line, length: lines[line]!.length };
}

async function serverRun(tree: string, arch: string, text: string): Promise<Run> {
  const uri = pathToFileURL(path.join(tree, FILE)).href;
  const t0 = performance.now();
  const child = spawn(process.execPath, [path.join(repo, 'dist/src/cli/main.js'), 'lsp'], { cwd: tree });
  const client = new RawClient(child);
  /** The diagnostics of one version of the document: the first round, or the second with the reasons of dead symbols. */
  const diagnostics = (version: number): Promise<Message> => client.next((m) => m.method === 'textDocument/publishDiagnostics' && m.params?.version === version);
  const dead = (m: Message): { message: string }[] => (m.params?.diagnostics as { code: string; message: string }[]).filter((d) => d.code === 'dead');
  /** The second round comes only when the first had dead symbols without their reasons. */
  const settled = async (m: Message, version: number): Promise<void> => {
    if (dead(m).length > 0 && !dead(m).some((d) => d.message.includes(': '))) await diagnostics(version);
  };
  try {
    await client.request('initialize', { processId: process.pid, rootUri: pathToFileURL(tree).href, capabilities: {}, initializationOptions: { arches: [arch] } });
    client.send({ method: 'initialized', params: {} });
    client.send({ method: 'textDocument/didOpen', params: { textDocument: { uri, languageId: 'kconfig', version: 1, text } } });
    const first = await diagnostics(1);
    const firstMs = performance.now() - t0;
    // The edits meet a server that has finished with the document.
    await settled(first, 1);
    const reasonsMs = performance.now() - t0;
    const found = (first.params?.diagnostics as { code: string; range: { start: { line: number } } }[]).filter((d) => d.code === 'unmet-dependency');
    const select = lineOf(text, '\tselect ZONE_DEVICE').line;
    if (!found.some((d) => d.range.start.line === select)) throw new Error(`no unmet-dependency diagnostic on line ${select + 1}: ${JSON.stringify(first.params?.diagnostics)}`);

    const edit = async (version: number, needle: string, replace: (line: string) => string): Promise<number> => {
      const { line, length } = lineOf(text, needle);
      const newText = replace(text.split('\n')[line]!);
      text = text.split('\n').map((l, i) => (i === line ? newText : l)).join('\n');
      const t = performance.now();
      client.send({ method: 'textDocument/didChange', params: { textDocument: { uri, version }, contentChanges: [{ range: { start: { line, character: 0 }, end: { line, character: length } }, text: newText }] } });
      const m = await diagnostics(version);
      const ms = performance.now() - t;
      await settled(m, version);
      return ms;
    };
    const helpEditMs = await edit(2, 'Use unpopulated memory ranges in order', (l) => l.replace('Use unpopulated', 'Use the unpopulated'));
    const modelEditMs = await edit(3, 'default XEN_BACKEND || XEN_GNTDEV || XEN_DOM0', (l) => l.replace(' || XEN_DOM0', ''));
    await client.request('shutdown', null);
    client.send({ method: 'exit' });
    return { firstMs, reasonsMs, helpEditMs, modelEditMs };
  } finally {
    child.kill();
  }
}

function confRun(conf: string, tree: string, env: Record<string, string>): number {
  const t = performance.now();
  const r = spawnSync(conf, ['--allnoconfig', 'Kconfig'], { cwd: tree, env, stdio: 'ignore' });
  if (r.status !== 0) throw new Error(`conf --allnoconfig failed (${r.status})`);
  return performance.now() - t;
}

async function main(): Promise<void> {
  const values = scriptOptions('lsp-bench', USAGE, {
    runs: { type: 'string', default: '3' },
    arch: { type: 'string', default: 'i386' },
    json: { type: 'string', default: 'lsp-bench-results.json' },
  });
  const runs = Number(values.runs);
  if (!Number.isInteger(runs) || runs < 1) throw new Error(`--runs must be a positive integer, not '${values.runs}'`);
  const corpus = readManifest().find((c) => c.name === 'linux-6.1')!;
  const tree = path.resolve(process.env.KCONFSAT_LINUX_61 ?? (await fetchCorpus(corpus)));
  const conf = process.env.KCONFSAT_CONF_61 ?? buildConf(tree);
  const original = fs.readFileSync(path.join(tree, FILE), 'utf8');
  // The 2020 bug, in the editor's copy only: the tree on disk stays as it is.
  const text = original.replace(SELECT_LINE, '\tselect ZONE_DEVICE\n\tdefault XEN_BACKEND || XEN_GNTDEV || XEN_DOM0\n');
  if (text === original) throw new Error(`${FILE}: XEN_UNPOPULATED_ALLOC's depends on ZONE_DEVICE not found`);

  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'kconfsat-lsp-bench-'));
  try {
    const env = { ...referenceEnvironment(corpusEnvironment(corpus, tree, values.arch)), ...confSideFiles(scratch), KCONFIG_CONFIG: path.join(scratch, 'allno.config') };
    const confMs: number[] = [];
    const server: Run[] = [];
    // Interleaved, so that a change of the machine's load falls on both alike.
    for (let i = 0; i < runs; i++) {
      confMs.push(confRun(conf, tree, env));
      server.push(await serverRun(tree, values.arch, text));
      process.stderr.write(`lsp-bench: run ${i + 1}/${runs}: ${JSON.stringify(server.at(-1))}, conf ${confMs.at(-1)!.toFixed(0)} ms\n`);
    }
    const result = {
      tree,
      arch: values.arch,
      runs,
      loadavg: os.loadavg(),
      confAllnoconfigMs: median(confMs),
      firstDiagnosticsMs: median(server.map((r) => r.firstMs)),
      firstDiagnosticsRatio: median(server.map((r) => r.firstMs)) / median(confMs),
      reasonsMs: median(server.map((r) => r.reasonsMs)),
      helpEditMs: median(server.map((r) => r.helpEditMs)),
      modelEditMs: median(server.map((r) => r.modelEditMs)),
      all: { confMs, server },
    };
    fs.writeFileSync(values.json, `${JSON.stringify(result, null, 2)}\n`);
    const row = (name: string, ms: number, target: string): string => `${name.padEnd(58)} ${`${ms.toFixed(0)} ms`.padStart(9)}  ${target}\n`;
    process.stdout.write(
      `kconfsat lsp on Linux 6.1 ${values.arch}, median of ${runs} (load average ${result.loadavg.map((l) => l.toFixed(1)).join(' ')})\n` +
        row('conf --allnoconfig (reference)', result.confAllnoconfigMs, '') +
        row(`first diagnostics of ${FILE} (server start and load included)`, result.firstDiagnosticsMs, `${result.firstDiagnosticsRatio.toFixed(2)}x conf (target 1.5x)`) +
        row('the same with the reasons of its dead symbols', result.reasonsMs, `${(result.reasonsMs / result.confAllnoconfigMs).toFixed(2)}x conf`) +
        row('re-diagnosis after a one-line edit of help text', result.helpEditMs, 'target 300 ms') +
        row('re-diagnosis after a one-line edit of a default', result.modelEditMs, 'target 300 ms'),
    );
  } finally {
    fs.rmSync(scratch, { recursive: true, force: true });
  }
}

await main();
