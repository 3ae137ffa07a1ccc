/**
 * A raw MCP client for proxy tests: writes JSON-RPC lines and reads lines back, byte for byte, so
 * tests can check exactly what crosses the proxy. Works over any pair of streams: an in-process
 * proxy's PassThroughs or a spawned process's stdio.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import type { Readable, Writable } from 'node:stream';

export type Message = Record<string, unknown>;

export class McpStream {
  /** Every line received, as text (exactly the bytes, decoded). */
  readonly lines: string[] = [];
  private readonly waiters: Array<{ match: (message: Message, line: string) => boolean; resolve: (value: { message: Message; line: string }) => void }> = [];
  private parts: Buffer[] = [];
  /** Messages no waiter has claimed yet. */
  private unclaimed: Array<{ message: Message; line: string }> = [];
  private nextId = 1;
  private closed = false;

  constructor(
    private readonly input: Writable,
    output: Readable,
  ) {
    output.on('data', (chunk: Buffer) => this.onData(chunk));
    output.on('end', () => {
      this.closed = true;
    });
  }

  private onData(chunk: Buffer): void {
    let start = 0;
    for (;;) {
      const newline = chunk.indexOf(10, start);
      if (newline < 0) break;
      const line = Buffer.concat([...this.parts, chunk.subarray(start, newline)]).toString('utf8');
      this.parts = [];
      start = newline + 1;
      this.lines.push(line);
      let message: Message;
      try {
        message = JSON.parse(line) as Message;
      } catch {
        continue;
      }
      const index = this.waiters.findIndex((waiter) => waiter.match(message, line));
      if (index >= 0) this.waiters.splice(index, 1)[0]!.resolve({ message, line });
      else this.unclaimed.push({ message, line });
    }
    if (start < chunk.length) this.parts.push(Buffer.from(chunk.subarray(start)));
  }

  /** Writes one line (an object is serialised; a string or Buffer is sent as is, plus the newline). */
  send(message: Message | string | Buffer): void {
    const body = Buffer.isBuffer(message) ? message : Buffer.from(typeof message === 'string' ? message : JSON.stringify(message));
    this.input.write(Buffer.concat([body, Buffer.from('\n')]));
  }

  /** The next message (also one that already arrived and was not yet claimed) matching `match`. */
  waitFor(match: (message: Message, line: string) => boolean, timeoutMs = 10_000, label = 'a message'): Promise<{ message: Message; line: string }> {
    const index = this.unclaimed.findIndex((entry) => match(entry.message, entry.line));
    if (index >= 0) return Promise.resolve(this.unclaimed.splice(index, 1)[0]!);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        const index = this.waiters.findIndex((w) => w.resolve === done);
        if (index >= 0) this.waiters.splice(index, 1);
        reject(new Error(`timed out after ${timeoutMs} ms waiting for ${label}; received:\n${this.lines.slice(-10).join('\n').slice(0, 4000)}`));
      }, timeoutMs);
      const done = (value: { message: Message; line: string }): void => {
        clearTimeout(timer);
        resolve(value);
      };
      this.waiters.push({ match, resolve: done });
    });
  }

  response(id: unknown, timeoutMs?: number): Promise<{ message: Message; line: string }> {
    return this.waitFor((message) => message.id === id && ('result' in message || 'error' in message), timeoutMs, `the response to ${JSON.stringify(id)}`);
  }

  /** Sends a request with a fresh numeric id and resolves with its response message. */
  async request(method: string, params?: unknown, timeoutMs?: number): Promise<Message> {
    const id = this.nextId++;
    const answer = this.response(id, timeoutMs);
    this.send({ jsonrpc: '2.0', id, method, ...(params === undefined ? {} : { params }) });
    return (await answer).message;
  }

  async initialize(capabilities: Message = {}, protocolVersion = '2025-06-18'): Promise<Message> {
    const result = await this.request('initialize', { protocolVersion, capabilities, clientInfo: { name: 'policylayer-test', version: '1' } });
    this.send({ jsonrpc: '2.0', method: 'notifications/initialized' });
    return result;
  }

  callTool(name: string, args: Message = {}, extra: Message = {}): Promise<Message> {
    return this.request('tools/call', { name, arguments: args, ...extra });
  }

  end(): void {
    if (!this.closed) this.input.end();
  }
}

/** A spawned process spoken to over stdio; always stopped by `kill()` (call it in afterEach). */
export class McpProcess extends McpStream {
  stderr = '';
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;

  constructor(readonly child: ChildProcessWithoutNullStreams) {
    super(child.stdin, child.stdout);
    child.stderr.on('data', (chunk: Buffer) => (this.stderr += chunk.toString('utf8')));
    child.stdin.on('error', () => {});
    this.exited = new Promise((resolve) => child.once('close', (code, signal) => resolve({ code, signal })));
  }

  static spawn(command: string, args: readonly string[], options: { env?: NodeJS.ProcessEnv; cwd?: string } = {}): McpProcess {
    const process_ = new McpProcess(spawn(command, args, { env: { ...process.env, ...options.env }, cwd: options.cwd, stdio: ['pipe', 'pipe', 'pipe'] }));
    running.add(process_);
    return process_;
  }

  kill(): void {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill('SIGKILL');
    running.delete(this);
  }

  /** Resolves with the exit, or kills the process and rejects after `timeoutMs`. */
  async exit(timeoutMs = 10_000): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        this.kill();
        reject(new Error(`the process did not exit within ${timeoutMs} ms; stderr:\n${this.stderr}`));
      }, timeoutMs);
    });
    try {
      return await Promise.race([this.exited, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }
}

const running = new Set<McpProcess>();

/** Kills every process spawned with McpProcess.spawn that is still running (afterEach). */
export function killAll(): void {
  for (const process_ of [...running]) process_.kill();
}
