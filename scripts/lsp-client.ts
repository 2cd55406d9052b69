/**
 * A language-server client with nothing but the framing: it sends any
 * message as given, malformed ones included (test/lsp/protocol.test.ts), and
 * times the server's answers (scripts/lsp-bench.ts).
 */
import type { ChildProcessWithoutNullStreams } from 'node:child_process';

export interface Message {
  id?: number;
  method?: string;
  params?: { message?: string; type?: number; uri?: string; version?: number; diagnostics?: unknown[] };
  result?: unknown;
  error?: { code: number; message: string };
}

export class RawClient {
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
