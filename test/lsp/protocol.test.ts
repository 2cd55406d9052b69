/**
 * Bad input over the protocol: each gets a protocol error (a request) or an
 * error message to the user (a notification, which has no reply), and the
 * server goes on serving. A raw client, so that any bytes can be sent.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { ensureBuilt, MAIN, REPO } from '../cli/run.js';

const TREE = path.join(REPO, 'corpora/examples/xen-zone-device/buggy');
const XEN = pathToFileURL(path.join(TREE, 'drivers/xen/Kconfig')).href;

interface Message {
  id?: number;
  method?: string;
  params?: { message?: string; type?: number; uri?: string; diagnostics?: unknown[] };
  result?: unknown;
  error?: { code: number; message: string };
}

class RawClient {
  private buffer = Buffer.alloc(0);
  private readonly messages: Message[] = [];
  private waiters: (() => void)[] = [];
  private nextId = 1;

  constructor(readonly child: ChildProcessWithoutNullStreams) {
    child.stdout.on('data', (chunk: Buffer) => {
      this.buffer = Buffer.concat([this.buffer, chunk]);
      for (;;) {
        const end = this.buffer.indexOf('\r\n\r\n');
        if (end < 0) return;
        const length = Number(/Content-Length: (\d+)/i.exec(this.buffer.subarray(0, end).toString())![1]);
        if (this.buffer.length < end + 4 + length) return;
        this.messages.push(JSON.parse(this.buffer.subarray(end + 4, end + 4 + length).toString()) as Message);
        this.buffer = this.buffer.subarray(end + 4 + length);
        for (const w of this.waiters.splice(0)) w();
      }
    });
  }

  send(message: object): void {
    const body = Buffer.from(JSON.stringify({ jsonrpc: '2.0', ...message }));
    this.child.stdin.write(`Content-Length: ${body.length}\r\n\r\n`);
    this.child.stdin.write(body);
  }

  async request(method: string, params: unknown): Promise<Message> {
    const id = this.nextId++;
    this.send({ id, method, params });
    return this.next((m) => m.id === id && m.method === undefined);
  }

  /** The first message (from now on, or already received and not taken) that matches. */
  async next(match: (m: Message) => boolean): Promise<Message> {
    for (;;) {
      const i = this.messages.findIndex(match);
      if (i >= 0) return this.messages.splice(i, 1)[0]!;
      await new Promise<void>((resolve) => this.waiters.push(resolve));
    }
  }
}

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
    // On i386 XEN_UNPOPULATED_ALLOC now depends on what can never hold: the finding is gone, the symbol dead.
    expect((after.params?.diagnostics as { code: string; message: string }[]).map((d) => [d.code, d.message.split('\n')[0]])).toEqual([
      ['dead', 'XEN_UNPOPULATED_ALLOC can never be enabled on i386: XEN_UNPOPULATED_ALLOC ← ZONE_DEVICE ← ARCH_HAS_PTE_DEVMAP ← X86_64 ← 64BIT'],
    ]);
  }, 60_000);

  test('shutdown and exit end the server with status 0', async () => {
    expect((await client.request('shutdown', null)).result).toBeNull();
    const exited = new Promise<number | null>((resolve) => client.child.on('exit', resolve));
    client.send({ method: 'exit' });
    expect(await exited).toBe(0);
  });
});
