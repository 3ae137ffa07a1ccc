import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readLineBatches } from '../../src/replay/lines.js';
import { mergeByTime } from '../../src/replay/merge.js';
import { parseRecordingLine } from '../../src/replay/parse-line.js';
import { DEFAULT_START_MS } from '../../src/engine/call.js';
import { readRecording, type RecordingItem } from '../../src/replay/read-recording.js';
import { tempDir } from '../helpers/temp.js';

const folder = tempDir('policylayer-replay-');
let counter = 0;
function file(content: string | Buffer): string {
  const path = join(folder, `f${counter++}.jsonl`);
  writeFileSync(path, content);
  return path;
}

async function all<T>(source: AsyncIterable<T[]>): Promise<T[]> {
  const items: T[] = [];
  for await (const batch of source) items.push(...batch);
  return items;
}

describe('readLineBatches', () => {
  it('splits on \\n and \\r\\n, drops a BOM, keeps a last line without a newline, and numbers lines from 1', async () => {
    const lines = await all(readLineBatches(file('\ufeffa\r\nb\n\nc')));
    expect(lines).toEqual([
      { number: 1, text: 'a' },
      { number: 2, text: 'b' },
      { number: 3, text: '' },
      { number: 4, text: 'c' },
    ]);
  });

  it('keeps multi-byte characters split across reads intact', async () => {
    const line = `${'é'.repeat(200_000)}\n${'日本'.repeat(100_000)}\n`;
    const lines = await all(readLineBatches(file(line)));
    expect(lines.map((l) => l.text?.length)).toEqual([200_000, 200_000]);
  });

  it('reports invalid UTF-8 per line and goes on', async () => {
    const lines = await all(readLineBatches(file(Buffer.concat([Buffer.from('ok\n'), Buffer.from([0xff, 0xfe, 0x0a]), Buffer.from('next\n')]))));
    expect(lines).toEqual([
      { number: 1, text: 'ok' },
      { number: 2, problem: 'not valid UTF-8' },
      { number: 3, text: 'next' },
    ]);
  });

  it('skips a line longer than the limit without holding it, and reads on', async () => {
    const long = 'x'.repeat(1_000_000);
    const lines = await all(readLineBatches(file(`first\n${long}\nlast\n${long}`), 1000));
    expect(lines).toEqual([
      { number: 1, text: 'first' },
      { number: 2, problem: 'line longer than 0.00095367431640625 MiB; skipped' },
      { number: 3, text: 'last' },
      { number: 4, problem: 'line longer than 0.00095367431640625 MiB; skipped' },
    ]);
  });
});

describe('parseRecordingLine', () => {
  it('reads a recording line with defaults left to the caller', () => {
    expect(parseRecordingLine('{"tool":"list_nodes"}')).toEqual({ calls: [{ tool: 'list_nodes', args: {}, argsKnown: true, format: 'recording' }] });
    expect(parseRecordingLine('{"ts":"2026-11-24T10:00:00.123Z","tool":"t","args":{"a":1},"grant":"g","session":"s","expect":"deny","id":7,"comment":"x"}')).toEqual({
      calls: [{ tool: 't', args: { a: 1 }, argsKnown: true, grant: 'g', session: 's', tsMs: Date.UTC(2026, 10, 24, 10, 0, 0, 123), expect: 'deny', format: 'recording' }],
    });
    expect(parseRecordingLine('{"ts":1795000000000,"tool":"t"}').calls![0]!.tsMs).toBe(1795000000000);
    expect(parseRecordingLine('{"ts":"2026-11-24T11:00:00+01:00","tool":"t"}').calls![0]!.tsMs).toBe(Date.UTC(2026, 10, 24, 10));
  });

  it('explains what is wrong with a line', () => {
    const problems: Array<[string, string]> = [
      ['{"tool": 5}', '"tool" must be a non-empty string, not number 5'],
      ['{"tool": ""}', '"tool" must be a non-empty string, not ""'],
      ['{"tool":"t","args":[1]}', '"args" must be an object (MCP tool arguments), not an array'],
      ['{"tool":"t","ts":"2026-11-24 10:00"}', '"ts" must be an ISO 8601 time with a time zone, e.g. "2026-11-24T10:00:00Z", or Unix milliseconds; not "2026-11-24 10:00"'],
      ['{"tool":"t","ts":"2026-02-30T10:00:00Z"}', '"ts" must be an ISO 8601 time with a time zone, e.g. "2026-11-24T10:00:00Z", or Unix milliseconds; not "2026-02-30T10:00:00Z"'],
      ['{"tool":"t","expect":"denied"}', '"expect" must be one of allow, deny, approval_required, not "denied"'],
      ['{"tool":"t","expect":"Allow"}', '"expect" must be one of allow, deny, approval_required, not "Allow" (did you mean "allow"?)'],
      ['{"tool":"t","expected":"allow"}', 'unknown key "expected" (did you mean "expect"?)'],
      ['{"tool":"t","__proto__":{}}', 'unknown key "__proto__" (known keys: ts, tool, args, grant, session, expect, id, comment)'],
      ['{"tool":"t",}', 'invalid JSON at column 12: trailing comma before "}" (JSON allows none)'],
      ['[1]', 'item 0 of the JSON-RPC batch is not a JSON-RPC message'],
      ['42', 'expected a JSON object, not number 42'],
      ['{"name":"t"}', 'not a recorded call: expected a "tool" member, a JSON-RPC tools/call request, or an audit log line'],
    ];
    for (const [line, problem] of problems) expect({ line, result: parseRecordingLine(line) }).toEqual({ line, result: { problem } });
  });

  it('skips blank lines', () => {
    expect(parseRecordingLine('')).toEqual({ calls: [] });
    expect(parseRecordingLine('   \t')).toEqual({ calls: [] });
  });

  it('takes tools/call requests from JSON-RPC, ignores other messages, and expands batches', () => {
    expect(parseRecordingLine('{"jsonrpc":"2.0","id":3,"method":"tools/call","params":{"name":"list_nodes","arguments":{"filter_type":"ids"}}}')).toEqual({
      calls: [{ tool: 'list_nodes', args: { filter_type: 'ids' }, argsKnown: true, format: 'jsonrpc' }],
    });
    expect(parseRecordingLine('{"jsonrpc":"2.0","id":3,"method":"tools/call","params":{"name":"t"}}').calls![0]!.args).toEqual({});
    for (const other of ['{"jsonrpc":"2.0","id":1,"method":"tools/list"}', '{"jsonrpc":"2.0","method":"notifications/initialized"}', '{"jsonrpc":"2.0","id":1,"result":{}}']) {
      expect(parseRecordingLine(other)).toEqual({ calls: [] });
    }
    const batch = parseRecordingLine(
      '[{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"a"}},{"jsonrpc":"2.0","method":"notifications/progress"},{"jsonrpc":"2.0","id":2,"method":"tools/call","params":{"name":"b"}}]',
    );
    expect(batch.calls!.map((c) => c.tool)).toEqual(['a', 'b']);
    expect(parseRecordingLine('{"jsonrpc":"2.0","id":3,"method":"tools/call","params":{"arguments":{}}}')).toEqual({ problem: 'tools/call "params.name" must be a non-empty string, not nothing' });
    expect(parseRecordingLine('{"jsonrpc":"2.0","id":3,"method":"tools/call","params":{"name":"t","arguments":"x"}}')).toEqual({ problem: 'tools/call "params.arguments" must be an object, not "x"' });
  });

  it('takes audit call lines with argument keys only, result lines as the end of a call, and ignores lifecycle lines', () => {
    const call = parseRecordingLine(
      '{"v":1,"ts":"2026-11-24T10:00:00.000Z","seq":2,"prev":"00","event":"call","grant":"alice","session":"s1","request_id":1,"tool":"t","outcome":"allow","enforced":true,"rule":"/tools/t","message":"","arg_keys":["code","__proto__"],"args_sha256":"ab"}',
    );
    expect(call.calls![0]).toMatchObject({ tool: 't', argsKnown: false, grant: 'alice', session: 's1', tsMs: Date.UTC(2026, 10, 24, 10), format: 'audit', requestId: '1' });
    expect(Object.keys(call.calls![0]!.args as object)).toEqual(['code', '__proto__']);
    expect(Object.getPrototypeOf(call.calls![0]!.args)).toBe(Object.prototype);
    expect(parseRecordingLine('{"v":1,"ts":"2026-11-24T10:00:00.000Z","seq":3,"prev":"00","event":"result","request_id":1,"tool":"t","latency_ms":3,"error":null,"rolled_back":false}')).toEqual({
      calls: [],
      settled: { requestId: '1', rolledBack: false, tsMs: Date.UTC(2026, 10, 24, 10) },
    });
    expect(parseRecordingLine('{"v":1,"ts":"2026-11-24T10:00:00.000Z","seq":3,"prev":"00","event":"result","request_id":"a","tool":"t","error":"server exited","rolled_back":"yes"}')).toEqual({
      problem: 'audit result line: "rolled_back" must be true or false, not "yes"',
    });
    expect(parseRecordingLine('{"v":1,"ts":"2026-11-24T10:00:00.000Z","seq":1,"prev":"00","event":"start","policy":"p.json"}')).toEqual({ calls: [] });
    // Checkpoint and seal lines (docs/audit-log.md) carry no call.
    expect(parseRecordingLine(`{"v":1,"ts":"2026-11-24T10:00:00.000Z","seq":4,"prev":"00","event":"checkpoint","count":4,"head":"${'ab'.repeat(32)}"}`)).toEqual({ calls: [] });
    expect(parseRecordingLine(`{"v":1,"ts":"2026-11-24T10:00:00.000Z","seq":5,"prev":"00","event":"seal","count":5,"head":"${'ab'.repeat(32)}"}`)).toEqual({ calls: [] });
    expect(parseRecordingLine('{"v":1,"ts":"x","seq":2,"event":"call","tool":"t","grant":"a","session":"s","arg_keys":[]}')).toEqual({
      problem: 'audit call line: "ts" must be an ISO 8601 time with a time zone, e.g. "2026-11-24T10:00:00Z"',
    });
  });
});

describe('readRecording and mergeByTime', () => {
  const calls = (items: RecordingItem[]) =>
    items.map((item) =>
      item.kind === 'call' ? `${item.file}:${item.line} ${item.call.tool}@${item.atMs}` : item.kind === 'result' ? `${item.file}:${item.line} result ${item.requestId}@${item.atMs}` : `${item.file}:${item.line} ! ${item.message}`,
    );

  it('spaces calls without ts one second apart, starting at 2000-01-01T00:00:00Z or after the last ts', async () => {
    const later = DEFAULT_START_MS + 600_000;
    const items = await all(readRecording(file(`{"tool":"a"}\n{"tool":"b"}\n{"ts":${later},"tool":"c"}\n{"tool":"d"}\n`), 'r'));
    expect(calls(items)).toEqual([`r:1 a@${DEFAULT_START_MS}`, `r:2 b@${DEFAULT_START_MS + 1000}`, `r:3 c@${later}`, `r:4 d@${later + 1000}`]);
  });

  it('applies the defaults: args {}, grant local, session default', async () => {
    const [item] = await all(readRecording(file('{"tool":"a"}\n'), 'r'));
    expect(item).toMatchObject({ kind: 'call', call: { tool: 'a', args: {}, grant: 'local', session: 'default' }, argsKnown: true });
  });

  it('replays a call recorded earlier than the one before it at that one\'s time, saying so', async () => {
    const items = await all(readRecording(file('{"ts":2000,"tool":"a"}\n{"ts":1000,"tool":"b"}\n{"ts":3000,"tool":"c"}\n'), 'r'));
    expect(items[1]).toMatchObject({ atMs: 2000, recordedAtMs: 1000 });
    expect(items[2]).toMatchObject({ atMs: 3000 });
    expect(items[2]).not.toHaveProperty('recordedAtMs');
  });

  it('reports unreadable lines in place with their line numbers', async () => {
    const items = await all(readRecording(file('{"tool":"a"}\nnope\n{"tool":"b"}\n'), 'r'));
    expect(calls(items)).toEqual([`r:1 a@${DEFAULT_START_MS}`, "r:2 ! invalid JSON at column 1: unexpected identifier 'nope'", `r:3 b@${DEFAULT_START_MS + 1000}`]);
  });

  it('merges files by time; equal times keep the order of the files', async () => {
    const a = readRecording(file('{"ts":1000,"tool":"a1"}\n{"ts":3000,"tool":"a2"}\n{"ts":3000,"tool":"a3"}\n'), 'A');
    const b = readRecording(file('{"ts":500,"tool":"b1"}\n{"ts":3000,"tool":"b2"}\n{"ts":9000,"tool":"b3"}\n'), 'B');
    const c = readRecording(file(''), 'C');
    const merged = await all(mergeByTime([a, b, c]));
    expect(calls(merged)).toEqual(['B:1 b1@500', 'A:1 a1@1000', 'A:2 a2@3000', 'A:3 a3@3000', 'B:2 b2@3000', 'B:3 b3@9000']);
  });

  it('merges large files with batches of different sizes, in order', async () => {
    const lines = (offset: number, n: number) => Array.from({ length: n }, (_, i) => `{"ts":${offset + i * 3},"tool":"t"}`).join('\n');
    const merged = await all(mergeByTime([readRecording(file(lines(0, 30_000)), 'A'), readRecording(file(lines(1, 20_000)), 'B'), readRecording(file(lines(2, 100)), 'C')]));
    expect(merged).toHaveLength(50_100);
    const times = merged.map((item) => (item.kind === 'call' ? item.atMs : -1));
    expect(times).toEqual([...times].sort((x, y) => x - y));
  });
});
