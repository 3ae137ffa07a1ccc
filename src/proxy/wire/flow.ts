import type { Readable } from 'node:stream';

/**
 * Pauses a readable while any reason to pause holds: the client's input waits when the server's
 * stdin is full (it cannot take more calls) and when the client's stdout is full (a client that
 * sends but does not read must not make the proxy buffer its answers without bound).
 */
export class Flow {
  private readonly reasons = new Set<string>();

  constructor(private readonly stream: Readable) {}

  hold(reason: string, held: boolean): void {
    const before = this.reasons.size;
    if (held) this.reasons.add(reason);
    else this.reasons.delete(reason);
    if (before === 0 && this.reasons.size > 0) this.stream.pause();
    else if (before > 0 && this.reasons.size === 0) this.stream.resume();
  }
}
