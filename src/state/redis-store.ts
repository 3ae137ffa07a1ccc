import { createHash } from 'node:crypto';
import type { Redis as RedisClient } from 'ioredis';
import type { CounterStore, ReserveResult } from '../engine/store.js';
import type { Reservation } from '../engine/types.js';
import { READ_SCRIPT, RESERVE_SCRIPT, ROLLBACK_SCRIPT } from './redis-scripts.js';
import type { StateSpec } from './spec.js';
import { importModule } from '../util/import-module.js';

/** Keys outlive their window by this much, so a rollback of a call that straddled the window's end still finds its counter. */
export const EXPIRY_MARGIN_MS = 60_000;
const MAX_RECONNECT_DELAY_MS = 1000;

interface Script {
  lua: string;
  sha: string;
}
const script = (lua: string): Script => ({ lua, sha: createHash('sha1').update(lua).digest('hex') });
const READ = script(READ_SCRIPT);
const RESERVE = script(RESERVE_SCRIPT);
const ROLLBACK = script(ROLLBACK_SCRIPT);

export interface RedisStoreOptions {
  /** Connect timeout, per-command timeout and the longest a call waits for a connection in progress. */
  timeoutMs: number;
}

/**
 * Counters in Redis, shared by every proxy that points at the same server, database and prefix.
 * Reserve and rollback are Lua scripts (atomic across all counters of a call); keys expire with
 * their window. Windows come from the Redis server's clock (see redis-scripts.ts); `now()` is this
 * process's estimate of it, learned from every reply, so deciding costs no extra round trip.
 *
 * Never blocks a call for longer than `timeoutMs`: the client connects lazily in the background and
 * reconnects forever (every ≤ 1 s); nothing is queued while disconnected; while the server is known
 * to be down calls fail at once; a command that does not answer in time fails and forces a reconnect.
 * A command sent just before a failure may still have been applied: the budget is then counted
 * without the call, never the other way round.
 */
export class RedisCounterStore implements CounterStore {
  private offsetMs = 0;
  /** Set from the first failure until the next successful connection: calls fail at once meanwhile. */
  private down: string | undefined;
  private ready: Promise<void> | undefined;
  private closed = false;

  private constructor(
    private readonly client: RedisClient,
    private readonly spec: Extract<StateSpec, { kind: 'redis' }>,
    private readonly timeoutMs: number,
  ) {
    client.on('ready', () => {
      this.down = undefined;
    });
    client.on('error', (error: Error) => {
      this.down = describeRedisError(error);
    });
    client.on('close', () => {
      this.down ??= 'connection closed';
    });
  }

  get label(): string {
    return this.spec.label;
  }

  /** Returns at once; the connection is made in the background (the proxy starts while Redis is down). */
  static async open(spec: Extract<StateSpec, { kind: 'redis' }>, options: RedisStoreOptions): Promise<RedisCounterStore> {
    const { Redis } = await importModule<typeof import('ioredis')>('ioredis');
    const client = new Redis({
      host: spec.host,
      port: spec.port,
      db: spec.db,
      ...(spec.username !== undefined ? { username: spec.username } : {}),
      ...(spec.password !== undefined ? { password: spec.password } : {}),
      ...(spec.tls ? { tls: { servername: spec.host } } : {}),
      lazyConnect: true,
      enableOfflineQueue: false,
      // In-flight commands fail when the connection drops instead of being sent again later,
      // when the caller has long since decided without them.
      autoResendUnfulfilledCommands: false,
      maxRetriesPerRequest: 0,
      // A forced reconnect (after a command timed out) destroys the socket at once: a paused server
      // never finishes a graceful close, and the commands still waiting on it must fail now.
      disconnectTimeout: 0,
      connectTimeout: options.timeoutMs,
      commandTimeout: options.timeoutMs,
      retryStrategy: (attempt: number) => Math.min(attempt * 100, MAX_RECONNECT_DELAY_MS),
      connectionName: 'policylayer',
    });
    const store = new RedisCounterStore(client, spec, options.timeoutMs);
    client.connect().catch(() => {});
    return store;
  }

  now(): number {
    return Date.now() + this.offsetMs;
  }

  async read(keys: readonly string[]): Promise<number[]> {
    const reply = await this.run(READ, keys, []);
    return keys.map((_, i) => toNumber(reply[i + 2]));
  }

  async reserve(reservations: readonly Reservation[]): Promise<ReserveResult> {
    const args: string[] = [];
    for (const r of reservations) args.push(String(r.windowStartMs), String(r.windowEndMs), String(r.amount), String(r.max));
    args.push(String(EXPIRY_MARGIN_MS));
    const reply = (await this.run(
      RESERVE,
      reservations.map((r) => r.key),
      args,
    )) as unknown[];
    const status = reply[0] as number;
    const index = reply[1] as number;
    if (status === -2) return { ok: false, failed: index, storeNowMs: this.now() };
    const values = reservations.map((_, i) => toNumber(reply[i + 4]));
    return status === 0 ? { ok: true, values } : { ok: false, failed: index, values };
  }

  async commit(): Promise<void> {}

  async rollback(reservations: readonly Reservation[]): Promise<void> {
    await this.run(
      ROLLBACK,
      reservations.map((r) => r.key),
      reservations.map((r) => String(-r.amount)),
    );
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.client.status === 'ready') {
      const timer = setTimeout(() => this.client.disconnect(), this.timeoutMs);
      try {
        await this.client.quit();
      } catch {
        // Already gone: nothing to flush.
      } finally {
        clearTimeout(timer);
      }
    }
    this.client.disconnect();
  }

  /** Runs a script by its SHA, loading it on a server that does not know it yet; learns the server's clock from the reply. */
  private async run(which: Script, keys: readonly string[], args: readonly string[]): Promise<unknown[]> {
    await this.connected();
    const prefixed = keys.map((key) => this.spec.prefix + key);
    const sent = Date.now();
    let reply: unknown[];
    try {
      try {
        reply = (await this.client.evalsha(which.sha, prefixed.length, ...prefixed, ...args)) as unknown[];
      } catch (error) {
        if (!(error instanceof Error) || !error.message.startsWith('NOSCRIPT')) throw error;
        reply = (await this.client.eval(which.lua, prefixed.length, ...prefixed, ...args)) as unknown[];
      }
    } catch (error) {
      throw this.failure(error);
    }
    const received = Date.now();
    const [seconds, micros] = which === READ ? [reply[0], reply[1]] : [reply[2], reply[3]];
    const serverMs = Number(seconds) * 1000 + Math.floor(Number(micros) / 1000);
    if (Number.isFinite(serverMs)) this.offsetMs = serverMs - Math.round((sent + received) / 2);
    return reply;
  }

  private failure(error: unknown): Error {
    const message = error instanceof Error ? error.message : String(error);
    if (message === 'Command timed out') {
      // A server that stops answering (paused, overloaded, a dead link) looks alive to TCP: reconnect
      // so that the calls after this one fail at once instead of each waiting for the timeout.
      this.down = `no answer within ${this.timeoutMs} ms`;
      if (!this.closed) this.client.disconnect(true);
      return new Error(`${this.label}: no answer within ${this.timeoutMs} ms`);
    }
    return new Error(`${this.label}: ${describeRedisError(error)}`);
  }

  /** Resolves when commands can be sent; rejects at once while the server is known to be down, or after the timeout while a first connection is still being made. */
  private async connected(): Promise<void> {
    const status = this.client.status;
    if (status === 'ready') return;
    if (this.closed || status === 'end') throw new Error(`${this.label}: store closed`);
    if (this.down !== undefined) throw new Error(`${this.label} unreachable: ${this.down}`);
    if (status === 'wait') this.client.connect().catch(() => {});
    // One wait per connection attempt, shared by every call that arrives meanwhile, with one deadline.
    this.ready ??= new Promise<void>((resolve, reject) => {
      const settle = (error?: string): void => {
        clearTimeout(timer);
        this.client.off('ready', onReady).off('error', onError).off('close', onClose);
        this.ready = undefined;
        if (error === undefined) resolve();
        else reject(new Error(`${this.label} unreachable: ${error}`));
      };
      const onReady = (): void => settle();
      const onError = (error: Error): void => settle(describeRedisError(error));
      const onClose = (): void => settle(this.down ?? 'connection closed');
      const timer = setTimeout(() => {
        this.down ??= `no connection within ${this.timeoutMs} ms`;
        settle(this.down);
      }, this.timeoutMs);
      this.client.on('ready', onReady).on('error', onError).on('close', onClose);
    });
    return this.ready;
  }
}

function toNumber(value: unknown): number {
  return value === null || value === undefined ? 0 : Number(value);
}

/** ioredis errors name the socket call (`connect ECONNREFUSED 127.0.0.1:6390`); users want the reason. */
function describeRedisError(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const code = (error as { code?: unknown } | undefined)?.code;
  if (code === 'ECONNREFUSED') return 'connection refused';
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return `host not found (${message.replace(/^getaddrinfo \w+ /, '')})`;
  if (code === 'ETIMEDOUT' || message === 'connect ETIMEDOUT') return 'connect timed out';
  if (code === 'ECONNRESET') return 'connection reset';
  return message;
}
