/**
 * The byte-level SSE parser against eventsource-parser (the MCP SDK's parser) as the reference:
 * generated event streams (every field kind, CR/LF/CRLF, BOM, comments, unknown fields, ids with
 * NUL, multi-line and long data, any Unicode), cut into random chunks, must give the same events
 * and retry values.
 */
import fc from 'fast-check';
import { createParser } from 'eventsource-parser';
import { describe, expect, it } from 'vitest';
import { joinData, SseParser, SseTooLarge } from '../../src/transport/sse.js';

interface Seen {
  events: Array<{ id: string | undefined; event: string | undefined; data: string }>;
  retries: number[];
}

function ours(chunks: Buffer[], max = 1 << 30): Seen {
  const seen: Seen = { events: [], retries: [] };
  const parser = new SseParser(max, (ms) => seen.retries.push(ms));
  for (const chunk of chunks) for (const event of parser.feed(chunk)) seen.events.push({ id: event.id, event: event.event, data: joinData(event, 0x0a).toString('utf8') });
  return seen;
}

function reference(chunks: Buffer[]): Seen {
  const seen: Seen = { events: [], retries: [] };
  const decoder = new TextDecoder('utf-8');
  const parser = createParser({ onEvent: (event) => seen.events.push({ id: event.id, event: event.event, data: event.data }), onRetry: (ms) => seen.retries.push(ms) });
  for (const chunk of chunks) parser.feed(decoder.decode(chunk, { stream: true }));
  parser.feed(decoder.decode());
  return seen;
}

const text = fc.string({ unit: 'grapheme', maxLength: 12 }).map((value) => value.replace(/[\r\n]/g, ''));
const eol = fc.constantFrom('\n', '\r', '\r\n');
const line = fc.oneof(
  { weight: 5, arbitrary: fc.tuple(fc.constantFrom('data:', 'data: ', 'data'), text).map(([field, value]) => field + (field === 'data' ? '' : value)) },
  { weight: 1, arbitrary: fc.tuple(fc.constantFrom('data:', 'data: '), fc.integer({ min: 70_000, max: 200_000 }), fc.constantFrom('x', 'é', '{"a":1}')).map(([field, count, unit]) => field + unit.repeat(Math.ceil(count / unit.length))) },
  { weight: 2, arbitrary: text.map((value) => `event:${value}`) },
  { weight: 2, arbitrary: fc.tuple(text, fc.boolean()).map(([value, nul]) => `id: ${value}${nul ? '\0' : ''}`) },
  { weight: 1, arbitrary: fc.oneof(fc.nat({ max: 100_000 }).map(String), text).map((value) => `retry: ${value}`) },
  { weight: 1, arbitrary: text.map((value) => `:${value}`) },
  { weight: 1, arbitrary: fc.tuple(fc.constantFrom('foo', 'Data', 'DATA', 'ids'), text).map(([field, value]) => `${field}: ${value}`) },
  { weight: 3, arbitrary: fc.constant('') },
);
const stream = fc
  .tuple(fc.boolean(), fc.array(fc.tuple(line, eol), { maxLength: 30 }))
  .map(([bom, lines]) => Buffer.from(`${bom ? '\uFEFF' : ''}${lines.map(([l, end]) => l + end).join('')}\n\n`, 'utf8'));

/** Cuts bytes at random places (inside characters, between CR and LF, one byte at a time…). */
const chunked = stream.chain((bytes) =>
  fc.array(fc.nat({ max: bytes.length }), { maxLength: 12 }).map((cuts) => {
    const points = [...new Set([0, ...cuts, bytes.length])].sort((a, b) => a - b);
    return points.slice(1).map((end, i) => bytes.subarray(points[i]!, end));
  }),
);

describe('SSE parser', () => {
  it('property: the same events and retries as eventsource-parser, however the stream is cut', () => {
    fc.assert(
      fc.property(chunked, (chunks) => {
        expect(ours(chunks)).toEqual(reference(chunks));
      }),
      { numRuns: 400 },
    );
  });

  it('examples: CRLF split across chunks, a BOM a byte at a time, multi-line data, priming events', () => {
    const bytes = Buffer.from('\uFEFFid: 1\r\ndata: {"a":\r\ndata: 1}\r\n\r\nid: p\ndata: \n\n: keep-alive\n\nevent: endpoint\ndata: /message?x=1\r\r', 'utf8');
    const oneByte = [...bytes].map((byte) => Buffer.from([byte]));
    const expected = [
      { id: '1', event: undefined, data: '{"a":\n1}' },
      { id: 'p', event: undefined, data: '' },
      { id: undefined, event: 'endpoint', data: '/message?x=1' },
    ];
    expect(ours([bytes]).events).toEqual(expected);
    expect(ours(oneByte).events).toEqual(expected);
  });

  it('keeps a long data line in the chunks it came in until it is joined once', () => {
    const payload = Buffer.alloc(5 * 1024 * 1024, 0x78);
    const chunks = [Buffer.from('event: message\ndata: '), ...Array.from({ length: 80 }, (_, i) => payload.subarray(i * 65536, (i + 1) * 65536)), Buffer.from('\n\n')];
    const parser = new SseParser(64 * 1024 * 1024);
    const events = chunks.flatMap((chunk) => parser.feed(chunk));
    expect(events.length).toBe(1);
    expect(events[0]!.data.length).toBeGreaterThan(70);
    expect(joinData(events[0]!, 0x20).equals(payload)).toBe(true);
  });

  it('stops at the size limit, in data and in a line that never ends', () => {
    expect(() => new SseParser(1000).feed(Buffer.from(`data: ${'x'.repeat(600)}\ndata: ${'y'.repeat(600)}\n\n`))).toThrow(SseTooLarge);
    const parser = new SseParser(1000);
    expect(() => {
      for (let i = 0; i < 20; i++) parser.feed(Buffer.from(': '.padEnd(100, 'z')));
    }).toThrow(SseTooLarge);
  });
});
