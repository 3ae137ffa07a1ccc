/**
 * The client's bytes however they are cut into chunks: a line with a byte that is not UTF-8 is
 * refused, also when the byte arrived in an earlier chunk than the line's end, and every other line
 * is forwarded. (Checking a whole chunk at once instead of each line was tried: no faster.)
 */
import { isUtf8 } from 'node:buffer';
import { Writable } from 'node:stream';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { PolicyDocument } from '../../src/policy/schema.js';
import { StreamWriter } from '../../src/proxy/wire/stream-writer.js';
import { cutAt, inProcessProxy } from '../helpers/in-process-proxy.js';

const ALLOW_ALL = { version: '1', default: 'allow' } as const;

// Notifications are forwarded without a decision; the ones with a bad byte carry it inside a string
// (still JSON, so only the UTF-8 check can refuse them), placed to be cut anywhere.
const line = fc.record({ n: fc.nat({ max: 999 }), bad: fc.boolean(), pad: fc.string({ maxLength: 12 }) }).map(({ n, bad, pad }) => {
  const text = `{"jsonrpc":"2.0","method":"notifications/n${n}","params":{"pad":${JSON.stringify(pad)},"x":"@"}}\n`;
  const bytes = Buffer.from(text);
  // \xe2\x82 alone: the start of a three-byte character cut short.
  return bad ? Buffer.concat([bytes.subarray(0, bytes.lastIndexOf('@')), Buffer.from([0xe2, 0x82]), bytes.subarray(bytes.lastIndexOf('@') + 1)]) : bytes;
});

describe('UTF-8 checks on client chunks', () => {
  it('refuses exactly the lines that are not UTF-8, wherever the chunks are cut', () => {
    fc.assert(
      fc.property(fc.array(line, { minLength: 1, maxLength: 8 }), fc.array(fc.nat(), { maxLength: 6 }), (lines, cuts) => {
        const input = Buffer.concat(lines);
        const run = inProcessProxy(ALLOW_ALL);
        for (const piece of cutAt(input, cuts)) run.chunks.client(piece);
        const valid = lines.filter((bytes) => isUtf8(bytes));
        expect(run.toServer.text()).toBe(Buffer.concat(valid).toString('utf8'));
        const refused = run.toClient
          .text()
          .split('\n')
          .filter((text) => text.includes('not valid UTF-8'));
        expect(refused).toHaveLength(lines.length - valid.length);
      }),
      { numRuns: 500 },
    );
  });
});

describe('client chunks passed on whole', () => {
  const policy: PolicyDocument = {
    version: '1',
    default: 'deny',
    tools: { run: { limits: [{ counter: 'runs', window: 'day', max: 3, scope: 'grant' }] } },
  };
  // Lines the proxy forwards as they came, answers itself, or splits (a batch): any mix of them in
  // one chunk must reach each side as it does line by line.
  const clientLine = fc.oneof(
    fc.nat({ max: 30 }).map((id) => JSON.stringify({ jsonrpc: '2.0', id, method: 'tools/call', params: { name: 'run', arguments: {} } })),
    fc.nat({ max: 30 }).map((id) => JSON.stringify({ jsonrpc: '2.0', id, method: 'tools/call', params: { name: 'other' } })),
    fc.nat({ max: 30 }).map((id) => JSON.stringify({ jsonrpc: '2.0', id: `p${id}`, method: 'ping' })),
    fc.constant('{"jsonrpc":"2.0","method":"notifications/initialized"}'),
    fc.constant('{"jsonrpc":"2.0","method":"notifications/progress","params":{"a":1}}\r'),
    fc.constant('[{"jsonrpc":"2.0","method":"notifications/a"},{"jsonrpc":"2.0","id":"b1","method":"ping"}]'),
    fc.constant('not json'),
    fc.constant('   '),
  );

  it('gives each side the same bytes as the line-by-line way, wherever the chunks are cut', () => {
    fc.assert(
      fc.property(fc.array(clientLine, { minLength: 1, maxLength: 10 }), fc.array(fc.nat(), { maxLength: 6 }), (lines, cuts) => {
        const input = Buffer.from(lines.map((text) => `${text}\n`).join(''));
        const seen = [true, false].map((passWholeChunks) => {
          const run = inProcessProxy(policy, { passWholeChunks });
          for (const piece of cutAt(input, cuts)) run.chunks.client(piece);
          // A denial's retry time depends on when it is made; the two runs are a moment apart.
          const untimed = (text: string): string => text.replace(/try again in \d+ s/g, 'try again in … s').replace(/"retry_after_ms":\d+/g, '"retry_after_ms":…');
          return { toServer: run.toServer.text(), toClient: untimed(run.toClient.text()), logs: run.logs.map(untimed) };
        });
        expect(seen[0]).toEqual(seen[1]);
      }),
      { numRuns: 1000 },
    );
  });
});

describe('StreamWriter#collapseInto', () => {
  function writer() {
    const writes: Buffer[] = [];
    const stream = new Writable({
      write(chunk: Buffer, _encoding, callback) {
        writes.push(chunk);
        callback();
      },
    });
    return { out: new StreamWriter(stream), writes };
  }
  // Not from Buffer's pool, so no other buffer shares its memory.
  const chunkOf = (text: string): Buffer => Buffer.from(new TextEncoder().encode(text).buffer);
  const linesOf = (chunk: Buffer): Buffer[] => {
    const lines: Buffer[] = [];
    for (let start = 0, nl = chunk.indexOf(10); nl >= 0; start = nl + 1, nl = chunk.indexOf(10, start)) lines.push(chunk.subarray(start, nl));
    return lines;
  };

  it('writes the chunk itself when its lines were queued in order', () => {
    const chunk = chunkOf('{"a":1}\n{"b":2}\r\n\n{"c":3}\n');
    const { out, writes } = writer();
    out.hold();
    for (const line of linesOf(chunk)) out.writeLine(line);
    out.collapseInto(chunk);
    out.release();
    expect(writes).toHaveLength(1);
    expect(writes[0]).toBe(chunk);
  });

  it('copies as before when anything differs: a line left out, reordered, from elsewhere, or no final newline', () => {
    const chunk = chunkOf('{"a":1}\n{"b":2}\n{"c":3}\n');
    const [a, b, c] = linesOf(chunk) as [Buffer, Buffer, Buffer];
    const cases: Array<[Buffer, Buffer[]]> = [
      [chunk, [a, c]],
      [chunk, [b, a, c]],
      [chunk, [a, Buffer.from(b), c]],
      [chunk, [a, b]],
      [chunk.subarray(0, chunk.length - 1), [a, b, c.subarray(0, c.length)]],
      // A batch's elements lie one comma apart: never taken for lines.
      [chunkOf('[{"a":1},{"b":2}]\n'), [chunkOf('[{"a":1},{"b":2}]\n').subarray(1, 8)]],
    ];
    for (const [input, lines] of cases) {
      const { out, writes } = writer();
      out.hold();
      for (const line of lines) out.writeLine(line);
      out.collapseInto(input);
      out.release();
      expect(writes).toHaveLength(1);
      expect(writes[0]).not.toBe(input);
      expect(writes[0]!.toString()).toBe(lines.map((line) => `${line.toString()}\n`).join(''));
    }
  });

  it('copies as before when the pieces only line up by their offsets', () => {
    const chunk = chunkOf('{"a":1}\n{"b":2}\n');
    const [a, b] = linesOf(chunk) as [Buffer, Buffer];
    const comma = chunkOf('{"a":1},{"b":2}\n');
    const cases: Array<[string, Buffer, Buffer[], string]> = [
      // Same offset and length in another buffer, other bytes.
      ['another buffer', chunk, [chunkOf('{"x":9}'), b], '{"x":9}\n{"b":2}\n'],
      // Two views one byte apart where that byte is not a newline.
      ['a gap that is not a newline', comma, [comma.subarray(0, 7), comma.subarray(8, 15)], '{"a":1}\n{"b":2}\n'],
    ];
    for (const [name, input, lines, expected] of cases) {
      const { out, writes } = writer();
      out.hold();
      for (const line of lines) out.writeLine(line);
      out.collapseInto(input);
      out.release();
      expect(writes.map((write) => write.toString()).join(''), name).toBe(expected);
    }
    // Bytes queued without a newline of their own between the chunk's lines.
    const { out, writes } = writer();
    out.hold();
    out.writeLines(a);
    out.writeLines(Buffer.from('zzz\n'));
    out.writeLine(b);
    out.collapseInto(chunk);
    out.release();
    expect(writes.map((write) => write.toString()).join('')).toBe('{"a":1}zzz\n{"b":2}\n');
  });
});
