/**
 * Reads a `text/event-stream` body event by event with eventsource-parser (the parser the MCP SDK
 * uses: line endings CR/LF/CRLF, BOM, multi-line data, `id`, `retry`, comments), one body chunk at a
 * time: the next chunk is read only after every event of this one was handed on, so a slow reader
 * slows the server down instead of filling memory. An event larger than `maxEventChars` stops the
 * stream with SseTooLarge; the parser joins a long line's pieces once, when it ends (no quadratic
 * copying of a 64 MiB event).
 */
import type { IncomingMessage } from 'node:http';
import { createParser, type EventSourceMessage } from 'eventsource-parser';

export type SseEvent = EventSourceMessage;

export class SseTooLarge extends Error {
  constructor(readonly limitChars: number) {
    super(`an event on the stream is larger than ${limitChars} characters`);
    this.name = 'SseTooLarge';
  }
}

export interface SseHandlers {
  /** Called in order; the stream waits while it is pending. */
  onEvent(event: SseEvent): void | Promise<void>;
  /** The server's `retry:` value, in milliseconds. */
  onRetry?(ms: number): void;
}

/** Resolves when the body ends cleanly; rejects when it breaks (network error, abort) or an event is too large. */
export async function readSse(body: IncomingMessage, maxEventChars: number, handlers: SseHandlers): Promise<void> {
  const decoder = new TextDecoder('utf-8');
  let events: SseEvent[] = [];
  let tooLarge = false;
  const parser = createParser({
    onEvent: (event) => events.push(event),
    onRetry: (ms) => handlers.onRetry?.(ms),
    onError: (error) => {
      if (error.type === 'max-buffer-size-exceeded') tooLarge = true;
    },
    maxBufferSize: maxEventChars,
  });
  const deliver = async (): Promise<void> => {
    const ready = events;
    events = [];
    for (const event of ready) await handlers.onEvent(event);
  };
  try {
    for await (const chunk of body as AsyncIterable<Buffer>) {
      parser.feed(decoder.decode(chunk, { stream: true }));
      if (tooLarge) throw new SseTooLarge(maxEventChars);
      await deliver();
    }
    parser.feed(decoder.decode());
    await deliver();
  } finally {
    if (!body.destroyed && !body.complete) body.destroy();
  }
}
