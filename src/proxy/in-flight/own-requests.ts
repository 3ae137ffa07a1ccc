import { randomBytes } from 'node:crypto';
import { idKeyFromValue, type IdKey } from '../wire/ids.js';

export type ClientAnswer = { result: unknown } | { error: { code?: unknown; message?: unknown } } | { closed: string };

/**
 * Requests the proxy itself sends to the client (approval prompts). Their ids live in a namespace
 * of their own — `policylayer-<random>-<n>` strings — so they never collide with the server's ids
 * (SDK servers count integers from 0), and their answers are consumed here, never forwarded.
 */
export class OwnRequests {
  private readonly prefix = `policylayer-${randomBytes(4).toString('hex')}-`;
  private next = 1;
  private readonly waiting = new Map<IdKey, (answer: ClientAnswer) => void>();

  constructor(private readonly sendToClient: (line: Buffer) => void) {}

  /** Sends a request; on abort, tells the client with notifications/cancelled and resolves `closed`. */
  request(method: string, params: unknown, signal: AbortSignal): Promise<ClientAnswer> {
    const id = `${this.prefix}${this.next++}`;
    const key = idKeyFromValue(id)!;
    return new Promise((resolve) => {
      const finish = (answer: ClientAnswer): void => {
        this.waiting.delete(key);
        signal.removeEventListener('abort', onAbort);
        resolve(answer);
      };
      const onAbort = (): void => {
        if (!this.waiting.has(key)) return;
        const reason = typeof signal.reason === 'string' ? signal.reason : 'cancelled';
        this.sendToClient(Buffer.from(JSON.stringify({ jsonrpc: '2.0', method: 'notifications/cancelled', params: { requestId: id, reason } })));
        finish({ closed: reason });
      };
      this.waiting.set(key, finish);
      signal.addEventListener('abort', onAbort, { once: true });
      if (signal.aborted) {
        onAbort();
        return;
      }
      this.sendToClient(Buffer.from(JSON.stringify({ jsonrpc: '2.0', id, method, params })));
    });
  }

  /** Whether an id is one of ours (cheap prefix test before the table lookup). */
  owns(id: unknown): boolean {
    return typeof id === 'string' && id.startsWith(this.prefix);
  }

  /** Delivers the client's response to one of our requests; false when it is not ours. */
  deliver(key: IdKey, message: Record<string, unknown>): boolean {
    const finish = this.waiting.get(key);
    if (!finish) return false;
    if ('error' in message) finish({ error: (message.error ?? {}) as { code?: unknown; message?: unknown } });
    else finish({ result: message.result });
    return true;
  }

  /** The client is gone: every waiting request ends. */
  closeAll(reason: string): void {
    for (const finish of [...this.waiting.values()]) finish({ closed: reason });
  }
}
