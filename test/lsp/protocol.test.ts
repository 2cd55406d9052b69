/**
 * Bad input over the protocol: each gets a protocol error (a request) or an
 * error message to the user (a notification, which has no reply), and the
 * server goes on serving. A raw client (scripts/lsp-client.ts), so that any message can be sent.
 */
import { spawn } from 'node:child_process';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { RawClient, type Message } from '../../scripts/lsp-client.js';
import { ensureBuilt, MAIN, REPO } from '../cli/run.js';

const TREE = path.join(REPO, 'corpora/examples/xen-zone-device/buggy');
const XEN = pathToFileURL(path.join(TREE, 'drivers/xen/Kconfig')).href;

describe('kconfsat lsp refuses bad input and keeps serving', () => {
  let client: RawClient;
  beforeAll(async () => {
    ensureBuilt();
    client = new RawClient(spawn(process.execPath, [MAIN, 'lsp'], { cwd: REPO }));
    const init = await client.request('initialize', { processId: null, rootUri: pathToFileURL(TREE).href, capabilities: {}, initializationOptions: { arches: ['i386'] } });
    expect(init.result).toMatchObject({ capabilities: { hoverProvider: true, codeActionProvider: { codeActionKinds: ['quickfix'] } } });
    client.send({ method: 'initialized', params: {} });
  }, 60_000);
  afterAll(() => client?.child.kill());

  const hover = (uri: string, line: number, character: number): Promise<Message> => client.request('textDocument/hover', { textDocument: { uri }, position: { line, character } });
  const hoverTitle = async (): Promise<string> => ((await hover(XEN, 12, 10)).result as { contents: { value: string } }).contents.value.split('\n')[0]!;
  const shown = (): Promise<Message> => client.next((m) => m.method === 'window/showMessage');

  test('an unknown method: MethodNotFound', async () => {
    expect((await client.request('kconfsat/noSuchMethod', {})).error?.code).toBe(-32601);
    expect(await hoverTitle()).toBe('**ZONE_DEVICE** (bool) "Device memory (pmem, HMM, etc...) hotplug support"');
  });

  test('references and completion over the protocol', async () => {
    const refs = await client.request('textDocument/references', { textDocument: { uri: XEN }, position: { line: 12, character: 10 }, context: { includeDeclaration: true } });
    expect((refs.result as { uri: string; range: { start: { line: number; character: number } } }[]).map((l) => [path.relative(TREE, new URL(l.uri).pathname), l.range.start])).toEqual([
      ['mm/Kconfig', { line: 29, character: 7 }],
      ['drivers/xen/Kconfig', { line: 12, character: 8 }],
    ]);
    const completion = await client.request('textDocument/completion', { textDocument: { uri: XEN }, position: { line: 12, character: 12 } });
    expect(completion.result).toEqual([{ label: 'ZONE_DEVICE', kind: 6, detail: 'bool "Device memory (pmem, HMM, etc...) hotplug support"' }]);
  });

  test('bad params: InvalidParams', async () => {
    const missing = await client.request('textDocument/hover', { textDocument: { uri: XEN } });
    expect(missing.error).toEqual({ code: -32602, message: 'expected textDocument and position {line, character}' });
    expect((await hover(XEN, -1, 0)).error?.code).toBe(-32602);
    expect((await hover('untitled:1', 0, 0)).error).toEqual({ code: -32602, message: 'not a file URI: "untitled:1"' });
    expect((await client.request('textDocument/codeAction', { textDocument: { uri: XEN } })).error?.code).toBe(-32602);
    expect(await hoverTitle()).toMatch(/^\*\*ZONE_DEVICE\*\*/);
  });

  test('a file outside the tree: InvalidParams for a request, an error message for didOpen', async () => {
    const outside = await hover(pathToFileURL(path.join(TREE, '../fixed/drivers/xen/Kconfig')).href, 12, 10);
    expect(outside.error).toEqual({ code: -32602, message: `${path.join(TREE, '../fixed/drivers/xen/Kconfig')} is outside the tree ${TREE}` });
    client.send({ method: 'textDocument/didOpen', params: { textDocument: { uri: 'file:///etc/passwd', languageId: 'kconfig', version: 1, text: '' } } });
    expect((await shown()).params).toEqual({ type: 1, message: `kconfsat: didOpen ignored: /etc/passwd is outside the tree ${TREE}` });
    expect(await hoverTitle()).toMatch(/^\*\*ZONE_DEVICE\*\*/);
  }, 30_000);

  test('a malformed edit is refused whole; the document keeps its text and its diagnostics', async () => {
    const text = 'config XEN_UNPOPULATED_ALLOC\n\tbool "x"\n\tselect ZONE_DEVICE\n';
    client.send({ method: 'textDocument/didOpen', params: { textDocument: { uri: XEN, languageId: 'kconfig', version: 1, text } } });
    const first = await client.next((m) => m.method === 'textDocument/publishDiagnostics');
    expect(first.params?.diagnostics).toHaveLength(1);
    const edits = [
      [{ range: { start: { line: 99, character: 0 }, end: { line: 99, character: 1 } }, text: 'x' }],
      [{ range: { start: { line: 2, character: 5 }, end: { line: 2, character: 1 } }, text: 'x' }],
      [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } } }],
      'not a list',
    ];
    for (const [i, contentChanges] of edits.entries()) {
      client.send({ method: 'textDocument/didChange', params: { textDocument: { uri: XEN, version: 2 + i }, contentChanges } });
      expect((await shown()).params?.message).toBe('kconfsat: didChange ignored: malformed edit: every change needs its text and a range inside the document');
    }
    client.send({ method: 'textDocument/didChange', params: { textDocument: { uri: pathToFileURL(path.join(TREE, 'Kconfig')).href, version: 2 }, contentChanges: [{ text: '' }] } });
    expect((await shown()).params?.message).toMatch(/^kconfsat: didChange ignored: file:.*\/Kconfig is not open$/);
    // Line 3 (0-based 2) is still "\tselect ZONE_DEVICE".
    expect(((await hover(XEN, 2, 10)).result as { contents: { value: string } }).contents.value).toMatch(/^\*\*ZONE_DEVICE\*\*/);
    // A good edit after the bad ones is applied, and its diagnostics come.
    client.send({ method: 'textDocument/didChange', params: { textDocument: { uri: XEN, version: 10 }, contentChanges: [{ range: { start: { line: 2, character: 1 }, end: { line: 2, character: 7 } }, text: 'depends on' }] } });
    const after = await client.next((m) => m.method === 'textDocument/publishDiagnostics');
    // On i386 XEN_UNPOPULATED_ALLOC now depends on what can never hold: the finding is gone, the symbol dead;
    // its reason comes in a second round.
    const summary = (m: Message): string[][] => (m.params?.diagnostics as { code: string; message: string }[]).map((d) => [d.code, d.message.split('\n')[0]!]);
    expect(summary(after)).toEqual([['dead', 'XEN_UNPOPULATED_ALLOC can never be enabled on i386']]);
    const explained = await client.next((m) => m.method === 'textDocument/publishDiagnostics');
    expect(summary(explained)).toEqual([['dead', 'XEN_UNPOPULATED_ALLOC can never be enabled on i386: XEN_UNPOPULATED_ALLOC ← ZONE_DEVICE ← ARCH_HAS_PTE_DEVMAP ← X86_64 ← 64BIT']]);
  }, 60_000);

  test('shutdown and exit end the server with status 0', async () => {
    expect((await client.request('shutdown', null)).result).toBeNull();
    const exited = new Promise<number | null>((resolve) => client.child.on('exit', resolve));
    client.send({ method: 'exit' });
    expect(await exited).toBe(0);
  });
});
