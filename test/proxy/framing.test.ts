import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { hasDuplicateKeys } from '../../src/proxy/wire/member-names.js';
import { readEnvelope, readResultMembers, readSdkResult, sdkResultKey } from '../../src/proxy/wire/envelope.js';
import { idKeyFromJson, idKeyFromValue } from '../../src/proxy/wire/ids.js';
import { LineSplitter, type OversizedLine } from '../../src/util/line-splitter.js';
import { findId, findsMethod } from '../../src/proxy/wire/oversize.js';

function split(chunks: Buffer[], max?: number): { lines: string[]; oversized: OversizedLine[] } {
  const lines: string[] = [];
  const oversized: OversizedLine[] = [];
  const splitter = new LineSplitter({ line: (line) => lines.push(line.toString('utf8')), oversized: (line) => oversized.push(line) }, max);
  for (const chunk of chunks) splitter.push(chunk);
  splitter.end();
  return { lines, oversized };
}

/** Cuts a buffer into pieces at the given (sorted, in-range) offsets. */
function cut(buffer: Buffer, offsets: number[]): Buffer[] {
  const points = [...new Set(offsets.map((o) => o % (buffer.length + 1)))].sort((a, b) => a - b);
  const pieces: Buffer[] = [];
  let last = 0;
  for (const point of points) {
    pieces.push(buffer.subarray(last, point));
    last = point;
  }
  pieces.push(buffer.subarray(last));
  return pieces;
}

describe('LineSplitter', () => {
  it('yields the same lines however the bytes are chunked, multi-byte characters included', () => {
    fc.assert(
      fc.property(fc.array(fc.string({ unit: 'grapheme' }).map((s) => s.replace(/\n/g, '')), { maxLength: 20 }), fc.array(fc.nat(), { maxLength: 30 }), (lines, offsets) => {
        const bytes = Buffer.from(lines.map((line) => `${line}\n`).join(''), 'utf8');
        expect(split(cut(bytes, offsets)).lines).toEqual(lines);
      }),
    );
  });

  it('keeps a trailing \\r (forwarded as sent) and delivers a last line without a newline at end of input', () => {
    expect(split([Buffer.from('a\r\nb')]).lines).toEqual(['a\r', 'b']);
  });

  it('reports a line over the limit once, with its length, head and tail, and goes on with the next line', () => {
    const big = `{"id":7,"x":"${'y'.repeat(500)}"}`;
    const { lines, oversized } = split(cut(Buffer.from(`ok1\n${big}\nok2\n`), [10, 100, 300]), 100);
    expect(lines).toEqual(['ok1', 'ok2']);
    expect(oversized).toHaveLength(1);
    expect(oversized[0]!.length).toBe(Buffer.byteLength(big));
    expect(oversized[0]!.head.toString()).toBe(big);
    expect(oversized[0]!.tail.toString()).toBe(big);
  });

  it('passes a line of exactly the limit and refuses one byte more', () => {
    expect(split([Buffer.from(`${'a'.repeat(64)}\n`)], 64).lines).toHaveLength(1);
    expect(split([Buffer.from(`${'a'.repeat(65)}\n`)], 64).oversized).toHaveLength(1);
  });

  it('keeps memory bounded while dropping an endless line', () => {
    const splitter = new LineSplitter({ line: () => {}, oversized: () => {} }, 1024);
    const chunk = Buffer.alloc(65536, 0x61);
    for (let i = 0; i < 100; i++) splitter.push(chunk);
    expect(splitter.pendingBytes).toBe(100 * 65536);
  });

  it('assembles a 64 MiB line from 64 KiB chunks in linear time', () => {
    const chunk = Buffer.alloc(65536, 0x61);
    let length = 0;
    const splitter = new LineSplitter({ line: (line) => (length = line.length), oversized: () => {} });
    const start = performance.now();
    for (let i = 0; i < 1024; i++) splitter.push(chunk);
    splitter.push(Buffer.from('\n'));
    expect(length).toBe(64 * 1024 * 1024);
    // Quadratic joining would copy ~32 GiB here; linear work takes well under a few seconds anywhere.
    expect(performance.now() - start).toBeLessThan(5000);
  });
});

const jsonValue = fc.jsonValue({ maxDepth: 3 });
const id = fc.oneof(fc.integer({ min: -1e6, max: 1e9 }), fc.string({ maxLength: 8 }));

describe('readEnvelope', () => {
  it('reads kind, id and method exactly as JSON.parse does, whatever the member order and spacing', () => {
    fc.assert(
      fc.property(
        fc.record({ id: fc.option(id, { nil: undefined }), method: fc.option(fc.string(), { nil: undefined }), params: fc.option(jsonValue, { nil: undefined }), result: fc.option(jsonValue, { nil: undefined }) }),
        fc.boolean(),
        (message, spaced) => {
          const members = Object.entries(message).filter(([, v]) => v !== undefined);
          const text = spaced ? JSON.stringify(Object.fromEntries([['jsonrpc', '2.0'], ...members]), null, 1).replace(/\n/g, ' ') : JSON.stringify(Object.fromEntries([...members.reverse(), ['jsonrpc', '2.0']]));
          const buffer = Buffer.from(text);
          const envelope = readEnvelope(buffer)!;
          expect(envelope).toBeDefined();
          const parsed = JSON.parse(text) as Record<string, unknown>;
          // A method beside a result is ambiguous: readers would disagree on what the message is.
          if (parsed.method !== undefined) expect(envelope.kind).toBe(parsed.result !== undefined ? 'other' : parsed.id !== undefined ? 'request' : 'notification');
          else if (parsed.result !== undefined) expect(envelope.kind).toBe('response');
          if (parsed.id !== undefined) expect(JSON.parse(buffer.toString('utf8', envelope.id![0], envelope.id![1]))).toEqual(parsed.id);
          expect(envelope.method).toBe(parsed.method);
        },
      ),
    );
  });

  it('finds isError and tools in a result after members with nested strings, escapes and brackets', () => {
    const text = '{"result":{"content":[{"type":"text","text":"a \\" } ] { [ \\\\"}],"tools":[{"name":"x"}],"isError":true},"jsonrpc":"2.0","id":3}';
    const buffer = Buffer.from(text);
    const envelope = readEnvelope(buffer)!;
    expect(envelope.kind).toBe('response');
    const members = readResultMembers(buffer, envelope.result!)!;
    expect(members.isError).toBe(true);
    expect(JSON.parse(buffer.toString('utf8', members.tools![0], members.tools![1]))).toEqual([{ name: 'x' }]);
  });

  it('recognises a result in either SDK\'s order from its ends, and anything else is left to the full scan', () => {
    const result = '{"content":[{"type":"text","text":"\\"id\\":1,\\"result\\":2}"}]}';
    const typescript = (id: string) => Buffer.from(`{"result":${result},"jsonrpc":"2.0","id":${id}}`);
    const python = (id: string) => Buffer.from(`{"jsonrpc":"2.0","id":${id},"result":${result}}`);
    for (const id of ['7', '-3', '"abc"', '"x-1"', '""', '0']) {
      for (const buffer of [typescript(id), python(id)]) {
        const fast = readSdkResult(buffer)!;
        expect(fast, buffer.toString()).toEqual(readEnvelope(buffer));
      }
    }
    for (const text of [
      '{"result":{},"jsonrpc":"2.0","id":"a\\"b"}',
      '{"result":{}, "jsonrpc":"2.0","id":7}',
      '{"result":{"jsonrpc":"2.0","id":7}}',
      '{"result":{},"jsonrpc":"2.0","id":}',
      '{"jsonrpc":"2.0","id":"a\\"b","result":{}}',
      '{"jsonrpc":"2.0", "id":7,"result":{}}',
      '{"jsonrpc":"2.0","id":7,"error":{}}',
      '{"jsonrpc":"2.0","id":7,"result":}',
      '{"jsonrpc":"2.0","id":-,"result":{}}',
      '{"jsonrpc":"2.0","id":,"result":{}}',
    ]) {
      expect(readSdkResult(Buffer.from(text)), text).toBeUndefined();
    }
  });

  it('never disagrees with the full scan: the fast path finds the same envelope or leaves the line to it', () => {
    const id = fc.oneof(fc.integer().map(String), fc.string().map((text) => JSON.stringify(text)));
    fc.assert(
      fc.property(fc.jsonValue(), id, fc.boolean(), (result, idJson, sdkOrder) => {
        const text = sdkOrder ? `{"result":${JSON.stringify(result)},"jsonrpc":"2.0","id":${idJson}}` : `{"jsonrpc":"2.0","id":${idJson},"result":${JSON.stringify(result)}}`;
        const buffer = Buffer.from(text);
        const fast = readSdkResult(buffer);
        if (fast) expect(fast).toEqual(readEnvelope(buffer));
        else expect(idJson.includes('\\'), 'only an id with escapes is left to the full scan').toBe(true);
      }),
    );
  });

  it('reads the id key of an SDK-shaped result inside a larger chunk as the line path does', () => {
    const id = fc.oneof(fc.integer().map(String), fc.maxSafeInteger().map(String), fc.string().map((text) => JSON.stringify(text)), fc.constantFrom('-0', '007', '-', '1e3'));
    fc.assert(
      fc.property(fc.jsonValue(), id, fc.boolean(), fc.string(), fc.string(), (result, idJson, typescriptOrder, before, after) => {
        const line = Buffer.from(
          typescriptOrder ? `{"result":${JSON.stringify(result)},"jsonrpc":"2.0","id":${idJson}}` : `{"jsonrpc":"2.0","id":${idJson},"result":${JSON.stringify(result)}}`,
        );
        const head = Buffer.from(`${before.replace(/\n/g, '')}\n`);
        const chunk = Buffer.concat([head, line, Buffer.from(`\n${after}`)]);
        const key = sdkResultKey(chunk, head.length, head.length + line.length);
        const envelope = readSdkResult(line);
        const digits = idJson.replace(/^-/, '');
        if (!envelope || (/^\d+$/.test(digits) && digits.length > 15)) {
          expect(key).toBeUndefined();
          return;
        }
        expect(key).toBe(idKeyFromJson(line.toString('utf8', envelope.id![0], envelope.id![1])));
      }),
    );
  });

  it('says undefined for text that is not one JSON object or array', () => {
    for (const text of ['hello', '{"a":1} trailing', '{"a":', '"string"', '42', '']) expect(readEnvelope(Buffer.from(text))).toBeUndefined();
  });
});

describe('hasDuplicateKeys', () => {
  it('agrees with a parser that keeps every member', () => {
    const withDuplicates = (text: string): boolean => {
      // Reference: re-parse with a reviver-free walk over a tokenizer that records member names per object.
      const stack: Array<Set<string>> = [];
      let duplicate = false;
      const tokens = text.match(/"(?:[^"\\]|\\.)*"(?:\s*:)?|[{}]/g) ?? [];
      for (const token of tokens) {
        if (token === '{') stack.push(new Set());
        else if (token === '}') stack.pop();
        else if (token.endsWith(':')) {
          const name = JSON.parse(token.replace(/\s*:$/, '')) as string;
          const members = stack[stack.length - 1]!;
          if (members.has(name)) duplicate = true;
          members.add(name);
        }
      }
      return duplicate;
    };
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 3 }), fc.option(fc.string({ maxLength: 4 }), { nil: undefined }), (value, repeated) => {
        let text = JSON.stringify({ v: value });
        // Spliced, not String#replace: a name such as "$'" would be read as a replacement pattern.
        if (repeated !== undefined) text = `{${JSON.stringify(repeated)}:1,${JSON.stringify(repeated)}:2,${text.slice(1)}`;
        expect(hasDuplicateKeys(text, JSON.parse(text))).toBe(withDuplicates(text));
      }),
    );
  });

  it('counts names in any text: multi-byte characters, escapes and whitespace around the colon', () => {
    fc.assert(
      fc.property(
        fc.jsonValue({ maxDepth: 3, stringUnit: 'binary' }),
        fc.string({ unit: 'binary', maxLength: 4 }),
        fc.constantFrom('', ' ', '\n', '\t '),
        (value, name, space) => {
          const member = `${JSON.stringify(name)}${space}:${space}`;
          const once = `{${member}1,"v":${JSON.stringify(value, null, space.length > 0 ? 1 : undefined)}}`;
          const twice = `{${member}1,${member}2,"v":${JSON.stringify(value)}}`;
          expect(hasDuplicateKeys(once, JSON.parse(once))).toBe(name === 'v');
          expect(hasDuplicateKeys(twice, JSON.parse(twice))).toBe(true);
        },
      ),
    );
  });

  it('follows strings that hold colons, escaped quotes or end in backslashes', () => {
    // Each text has more colons than members, so only following the strings tells names from text.
    const values = ['c:d', 'x\\', 'x\\\\', 'say "hi": now', '\\":', 'a\\"b:c\\\\'];
    for (const first of values) {
      for (const second of values) {
        const once = JSON.stringify({ a: first, b: second });
        expect(hasDuplicateKeys(once, JSON.parse(once)), once).toBe(false);
        const twice = `{"a":${JSON.stringify(first)},"b":${JSON.stringify(second)},"a":1}`;
        expect(hasDuplicateKeys(twice, JSON.parse(twice)), twice).toBe(true);
      }
    }
  });

  it('sees a duplicate spelled with an escape', () => {
    const text = '{"name":"list_nodes","na\\u006de":"execute_python_code"}';
    expect(hasDuplicateKeys(text, JSON.parse(text))).toBe(true);
  });
});

describe('ids and oversized lines', () => {
  it('keys an id the same whether read from the client value or the server bytes', () => {
    expect(idKeyFromJson('7')).toBe(idKeyFromValue(7));
    expect(idKeyFromJson('"a\\u0062"')).toBe(idKeyFromValue('ab'));
    expect(idKeyFromJson('"plain"')).toBe('plain');
    expect(idKeyFromJson('"7"')).not.toBe(idKeyFromValue(7));
    expect(idKeyFromJson('null')).toBeUndefined();
  });

  it('finds the id of an oversized message at its start or as its last member', () => {
    const line = (text: string): OversizedLine => ({ length: 1e9, head: Buffer.from(text.slice(0, 40)), tail: Buffer.from(text.slice(-40)) });
    const request = `{"jsonrpc":"2.0","id":"r1","method":"tools/call","params":{"x":"${'a'.repeat(200)}"}}`;
    expect(findId(line(request))).toBe('"r1"');
    expect(findsMethod(line(request))).toBe(true);
    const sdkResponse = `{"result":{"x":"${'a'.repeat(200)}"},"jsonrpc":"2.0","id":12}`;
    expect(findId(line(sdkResponse))).toBe('12');
    expect(findsMethod(line(sdkResponse))).toBe(false);
    expect(findId(line(`{"result":{"x":"${'a'.repeat(200)}","id":5}}`))).toBeUndefined();
  });
});
