import type { Reply } from '../context.js';

/**
 * Collects the answers to the requests of one client batch and sends them as one array once all
 * are in, in the order they arrive (JSON-RPC does not order a batch's answers). A batch of only
 * notifications and responses gets no answer at all.
 */
export class BatchReply {
  private readonly answers: Buffer[] = [];
  private expected = 0;
  private sealed = false;
  private sent = false;

  constructor(private readonly send: Reply) {}

  /** One more answer to wait for; the returned function delivers it. */
  expect(): Reply {
    this.expected++;
    let used = false;
    const reply: Reply = (line) => {
      if (used || this.sent) return;
      used = true;
      this.answers.push(line);
      this.maybeSend();
    };
    return reply;
  }

  /** The element turned out not to need an answer (a notification or a response). */
  unexpect(_reply: Reply): void {
    this.expected--;
    this.maybeSend();
  }

  /** Every element has been handed out. */
  seal(): void {
    this.sealed = true;
    this.maybeSend();
  }

  private maybeSend(): void {
    if (!this.sealed || this.sent || this.answers.length < this.expected) return;
    this.sent = true;
    if (this.expected === 0) return;
    const parts: Buffer[] = [OPEN];
    this.answers.forEach((answer, i) => {
      if (i > 0) parts.push(COMMA);
      parts.push(answer);
    });
    parts.push(CLOSE);
    this.send(Buffer.concat(parts));
  }
}

const OPEN = Buffer.from('[');
const COMMA = Buffer.from(',');
const CLOSE = Buffer.from(']');
