import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT, runCli } from '../helpers/cli.js';
import { expectGolden } from '../helpers/golden.js';

const GOLDEN = join(ROOT, 'test/replay/golden');
const SEED = 'fixtures/policies/valid/seed-execute-python-code.json';
const FULL = 'fixtures/policies/valid/mcp-slicer/full.json';
const READ_LOW = 'fixtures/policies/valid/recommended/read-low.json';
const SESSION = 'fixtures/recordings/slicer-segmentation.jsonl';
const SECOND = 'fixtures/recordings/slicer-second-agent.jsonl';
const JSONRPC = 'fixtures/recordings/slicer-segmentation.jsonrpc.jsonl';
const AUDIT = 'fixtures/recordings/slicer-segmentation.audit.jsonl';
const PROBLEMS = 'test/replay/data/with-problems.jsonl';

/** Durations are the only thing that changes from run to run. */
function normalise(text: string): string {
  return text
    .replace(/ in \d+\.\d s/g, ' in <duration>')
    .replace(/time="\d+\.\d{3}"/g, 'time="<t>"')
    .replace(/"duration_ms":\d+/g, '"duration_ms":0');
}

async function replay(...args: string[]) {
  const result = await runCli(['replay', ...args], { cwd: ROOT });
  return { ...result, stdout: normalise(result.stdout) };
}

describe('policylayer replay', () => {
  it('replays the segmentation session under the seed policy: every expectation met, exit 0', async () => {
    const result = await replay('--policy', SEED, SESSION);
    expect(result.code).toBe(0);
    expect(result.stderr).toBe('');
    // The 11th execute_python_code call of the minute is denied, the first of the next minute allowed.
    expect(result.stdout).toMatch(/slicer-segmentation\.jsonl:16 +2026-11-24T10:00:52\.008Z +alice +execute_python_code +deny +\/tools\/execute_python_code\/limits\/0 +✓ +Rate limit .*try again in 8 s\n/);
    expect(result.stdout).toMatch(/slicer-segmentation\.jsonl:19 +2026-11-24T10:01:00\.015Z +alice +execute_python_code +allow +\/tools\/execute_python_code +✓\n/);
    expectGolden(GOLDEN, 'session.stylish.txt', result.stdout);
  });

  it('merges two agents by time, each with its own budget (scope grant)', async () => {
    const result = await replay('--policy', SEED, SESSION, SECOND);
    expect(result.code).toBe(0);
    expectGolden(GOLDEN, 'two-agents.stylish.txt', result.stdout);
  });

  it('takes the JSON-RPC form: calls one second apart, so 15 execute_python_code calls fall in one minute', async () => {
    const result = await replay('--policy', SEED, '--format', 'json', JSONRPC);
    expect(result.code).toBe(0);
    const lines = result.stdout.trim().split('\n').map((line) => JSON.parse(line));
    const summary = lines.at(-1);
    expect(summary).toMatchObject({ type: 'summary', calls: 21, outcomes: { allow: 10, deny: 11 } });
    expect(lines.filter((l) => l.type === 'call' && l.tool === 'execute_python_code' && l.outcome === 'deny')).toHaveLength(5);
    expect(lines[0]).toMatchObject({ type: 'call', line: 4, ts: '2000-01-01T00:00:00.000Z', grant: 'local', session: 'default' });
    expectGolden(GOLDEN, 'jsonrpc.json', result.stdout);
  });

  it('takes the audit log form: exact under the seed policy, unknown where the full policy reads argument values', async () => {
    const seed = await replay('--policy', SEED, '--quiet', AUDIT);
    expect(seed.code).toBe(0);
    expect(seed.stdout).toContain('execute_python_code     12     3');
    const full = await replay('--policy', FULL, '--against', SEED, AUDIT);
    expect(full.code).toBe(0);
    expectGolden(GOLDEN, 'audit-against.stylish.txt', full.stdout);
  });

  it('--against prints only changed outcomes with the rule on each side, and --fail-on-change exits 1', async () => {
    // read-low allows list_nodes and nothing else: the seed policy's opposite for this session.
    const result = await replay('--policy', READ_LOW, '--against', SEED, SESSION);
    expectGolden(GOLDEN, 'against.stylish.txt', result.stdout);
    expect(result.stdout).toMatch(/slicer-segmentation\.jsonl:1 +\S+ +alice +list_nodes +deny by \(default deny\) +→ +allow by \/tools\/list_nodes/);
    expect(result.stdout).toContain('15 changes compared with fixtures/policies/valid/seed-execute-python-code.json: deny → allow 3, allow → deny 12');
    // Expectations were written for the seed policy, so they fail under the other one.
    expect(result.code).toBe(1);
    // The full policy decides this session exactly as the seed policy does.
    const same = await replay('--policy', FULL, '--against', SEED, '--fail-on-change', '--format', 'json', SESSION);
    expect(same.code).toBe(0);
    expect(JSON.parse(same.stdout.trim())).toMatchObject({ type: 'summary', changes: { total: 0 } });
    const changed = await replay('--policy', READ_LOW, '--against', SEED, '--fail-on-change', '--quiet', JSONRPC);
    expect(changed.code).toBe(1);
    expect(changed.stdout).toContain('13 changes compared with fixtures/policies/valid/seed-execute-python-code.json: deny → allow 3, allow → deny 10');
  });

  it('reports unreadable and out-of-order lines and failed expectations in every format', async () => {
    const stylish = await replay('--policy', SEED, PROBLEMS);
    expect(stylish.code).toBe(1);
    expect(stylish.stderr).toBe(
      [
        'test/replay/data/with-problems.jsonl:2: warning: unknown key "expected" (did you mean "expect"?)',
        "test/replay/data/with-problems.jsonl:3: warning: invalid JSON at column 1: unexpected identifier 'this'",
        'test/replay/data/with-problems.jsonl:4: warning: recorded at 2026-11-24T09:59:00.000Z, before the call above it; replayed at 2026-11-24T10:00:00.000Z',
        '',
      ].join('\n'),
    );
    expectGolden(GOLDEN, 'problems.stylish.txt', stylish.stdout);
    for (const [format, file] of [
      ['json', 'problems.json'],
      ['junit', 'problems.junit.xml'],
      ['github', 'problems.github.txt'],
    ] as const) {
      const result = await replay('--policy', SEED, '--format', format, PROBLEMS);
      expect({ format, code: result.code }).toEqual({ format, code: 1 });
      expectGolden(GOLDEN, file, result.stdout);
    }
  });

  it('--strict stops at the first unreadable line with exit 2 and the position', async () => {
    const result = await replay('--policy', SEED, '--strict', PROBLEMS);
    expect(result.code).toBe(2);
    expect(result.stderr).toBe('policylayer: test/replay/data/with-problems.jsonl:2: unknown key "expected" (did you mean "expect"?)\n');
  });

  it('takes a folder: every *.jsonl in it, merged by time', async () => {
    const result = await replay('--policy', SEED, '--quiet', '--format', 'json', 'fixtures/recordings');
    const summary = JSON.parse(result.stdout.trim().split('\n').at(-1)!);
    expect(summary.files).toEqual([SECOND, AUDIT, SESSION, JSONRPC]);
  });

  it('usage and input errors exit 2 with one line', async () => {
    const cases: Array<[string[], string]> = [
      [['--policy', SEED], "policylayer: missing required argument 'recordings'\n"],
      [['--policy', SEED, 'nope.jsonl'], 'policylayer: nope.jsonl: no such file or folder\n'],
      [['--policy', SEED, '--format', 'xml', SESSION], 'policylayer: --format: expected one of stylish, json, junit, github, markdown, not "xml"\n'],
      [['--policy', SEED, '--fail-on-change', SESSION], 'policylayer: --fail-on-change needs --against OLD_POLICY to compare with\n'],
      [['--policy', 'nope.json', SESSION], 'policylayer: nope.json: no such file\n'],
      [['--policy', SEED, 'test/policy-test'], 'policylayer: test/policy-test: no recordings (*.jsonl) in this folder or below it\n'],
    ];
    for (const [args, stderr] of cases) {
      const result = await replay(...args);
      expect({ args, code: result.code, stderr: result.stderr }).toEqual({ args, code: 2, stderr });
    }
  });
});
