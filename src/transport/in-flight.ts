/**
 * The requests a transport has sent and not yet seen answered, so that every one of them gets
 * exactly one reply: the server's, or one made up here when the server can no longer give it. The
 * made-up reply is a JSON-RPC error whose `data` tells the client whether the request may have
 * reached the server; the proxy learns the same through `takeLocalReply`, never from the line
 * (a server could write any `data`).
 */
import type { LineReadable } from './line-streams.js';
import { errorLine, type ClientRequest } from './messages.js';
import type { LocalReply } from './upstream.js';

export const INTERNAL_ERROR = -32603;

interface Entry {
  request: ClientRequest;
  /** Whether it may have reached the server so far (set once its HTTP request had a connection). */
  mayHaveReached: boolean;
  /** Called once it is answered, by the server or here. */
  onDone: Array<() => void>;
}

/** Made-up replies the proxy has not asked about are forgotten beyond this many (oldest first). */
const LOCAL_REPLIES_KEPT = 4096;

export class InFlight {
  private readonly entries = new Map<string, Entry>();
  private readonly localReplies = new Map<string, LocalReply>();
  private readonly idleWaiters: Array<() => void> = [];

  constructor(
    private readonly output: LineReadable,
    /** Names the server in made-up replies ("https://host/mcp"). */
    private readonly serverName: string,
  ) {}

  get size(): number {
    return this.entries.size;
  }

  has(key: string): boolean {
    return this.entries.has(key);
  }

  add(request: ClientRequest): void {
    this.entries.set(request.key, { request, mayHaveReached: false, onDone: [] });
  }

  /** Resolves once `key` is answered (at once when it is not in flight). */
  done(key: string): Promise<void> {
    const entry = this.entries.get(key);
    if (!entry) return Promise.resolve();
    return new Promise((resolve) => entry.onDone.push(resolve));
  }

  /** The request's HTTP exchange got a connection: from now on a failure may follow its execution. */
  markSent(key: string): void {
    const entry = this.entries.get(key);
    if (entry) entry.mayHaveReached = true;
  }

  /** The server answered `key`; false when nothing was waiting for it. */
  settle(key: string): boolean {
    const entry = this.entries.get(key);
    if (!entry) return false;
    this.finish(key, entry);
    return true;
  }

  /**
   * Answers `key` with an error made up here (once; a request already answered is left alone).
   * `reached` overrides what the transport knows: 'no' when the server provably did not take it
   * (refused connection, 401), 'maybe' when it may have run. `serverSaid` (an excerpt of the
   * server's error body) goes to the client only: servers and gateways quote the request in their
   * errors (FastAPI's 422 `input`), so the reason the audit log keeps must not carry it. Resolves
   * once the line is queued.
   */
  async fail(key: string, reason: string, reached?: 'no' | 'maybe', extra?: Record<string, unknown>, serverSaid?: string): Promise<void> {
    const entry = this.entries.get(key);
    if (!entry) return;
    const mayHaveReachedServer = reached === undefined ? entry.mayHaveReached : reached === 'maybe';
    this.localReplies.set(key, { mayHaveReachedServer, reason });
    if (this.localReplies.size > LOCAL_REPLIES_KEPT) this.localReplies.delete(this.localReplies.keys().next().value!);
    const message = `${this.serverName}: ${reason}${serverSaid ? `: ${serverSaid}` : ''}`;
    const line = errorLine(entry.request.idJson, INTERNAL_ERROR, message, { mayHaveReachedServer, ...extra });
    this.finish(key, entry);
    await this.output.pushLine(line);
  }

  /** Fails every request still waiting (the upstream is going away). */
  async failAll(reason: string, reached?: 'no' | 'maybe'): Promise<void> {
    for (const key of [...this.entries.keys()]) await this.fail(key, reason, reached);
  }

  takeLocalReply(key: string): LocalReply | undefined {
    const reply = this.localReplies.get(key);
    this.localReplies.delete(key);
    return reply;
  }

  /** Resolves when nothing is in flight (at once if nothing is). */
  idle(): Promise<void> {
    if (this.entries.size === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  private finish(key: string, entry: Entry): void {
    this.entries.delete(key);
    for (const resolve of entry.onDone) resolve();
    if (this.entries.size === 0) this.notifyIdle();
  }

  private notifyIdle(): void {
    for (const resolve of this.idleWaiters.splice(0)) resolve();
  }
}
