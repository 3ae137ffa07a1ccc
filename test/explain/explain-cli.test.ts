import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compilePolicy } from '../../src/engine/compile.js';
import { MemoryCounterStore } from '../../src/engine/memory-store.js';
import { makeCall } from '../../src/engine/call.js';
import { explainCall } from '../../src/explain/explain.js';
import { ROOT, runCli } from '../helpers/cli.js';
import { expectGolden } from '../helpers/golden.js';
import { tempDir } from '../helpers/temp.js';

const GOLDEN = join(ROOT, 'test/explain/golden');
const SEED = 'fixtures/policies/valid/seed-execute-python-code.json';
// A copy of fixtures/policies/valid/mcp-slicer/full.json: explain prints policy positions, so the goldens need a file that only changes with them.
const FULL = 'test/explain/data/slicer.json';
const AT = '2026-11-24T10:00:20Z';

const explain = (...args: string[]) => runCli(['explain', ...args], { cwd: ROOT });

describe('policylayer explain', () => {
  it('allowed call: exit 0, the rules passed in order, the counter it will use', async () => {
    const result = await explain('--policy', SEED, '--tool', 'execute_python_code', '--args', '{"code": "print(1)"}', '--at', AT);
    expect(result.code).toBe(0);
    expectGolden(GOLDEN, 'allow.txt', result.stdout);
  });

  it('the 11th call of a minute (--repeat 11): exit 1, the full counter, the exact retry time', async () => {
    const result = await explain('--policy', SEED, '--tool', 'execute_python_code', '--repeat', '11', '--at', AT);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('10 used + 1 > max 10; resets in 40 s — full: denies the call');
    expect(result.stdout).toContain('retry    in 40 s (at 2026-11-24T10:01:00.000Z)');
    expectGolden(GOLDEN, 'rate-limited.txt', result.stdout);
  });

  it('every condition with its path, operator, the value found and whether it held', async () => {
    const result = await explain('--policy', FULL, '--tool', 'capture_screenshot', '--args', '{"view_type": "3d", "image_size": 512}', '--at', AT);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('holds  args.view_type eq "3d"  (found "3d")');
    expect(result.stdout).toContain('holds  args.camera_axis exists false  (not present)');
    expectGolden(GOLDEN, 'approval.txt', result.stdout);
  });

  it('json: the decision, the trace with conditions, counters and policy positions', async () => {
    const result = await explain('--policy', FULL, '--tool', 'execute_python_code', '--args', '{"code": "import subprocess"}', '--at', AT, '--format', 'json', '--grant', 'alice', '--session', 's1');
    expect(result.code).toBe(1);
    const json = JSON.parse(result.stdout);
    expect(json).toMatchObject({
      tool: 'execute_python_code',
      grant: 'alice',
      session: 's1',
      outcome: 'deny',
      rule: '/tools/execute_python_code/deny_if/0',
      location: { file: FULL, line: 23 },
      message: 'No shell commands or recursive deletes from the agent.',
    });
    expect(json.trace.at(-1).conditions).toEqual([{ path: 'args.code', op: 'regex', value: '\\b(subprocess|os\\.system|shutil\\.rmtree)\\b', present: true, actual: 'import subprocess', held: true }]);
    expectGolden(GOLDEN, 'deny.json', result.stdout);
  });

  it('unlisted and hidden tools, and tool names that must be shown safely', async () => {
    expect((await explain('--policy', FULL, '--tool', 'list_nodes', '--at', AT)).stdout).toMatch(/^list_nodes → deny\n {2}rule {5}\(hidden\)/);
    const odd = await explain('--policy', SEED, '--tool', 'evil\u001b[2Jtool', '--at', AT);
    expect(odd.stdout).toContain('evil\\u001b[2Jtool → deny');
    expect(odd.stdout).not.toContain('\u001b');
  });

  it('reads arguments from @file, relative to the working folder', async () => {
    const folder = tempDir('policylayer-explain-');
    writeFileSync(join(folder, 'call.json'), '\ufeff{\n  "code": "open(\'x\')"\n}\n');
    writeFileSync(join(folder, 'bad.json'), '{\n  "code": "x",\n}\n');
    writeFileSync(join(folder, 'list.json'), '[1]');
    const ok = await runCli(['explain', '--policy', join(ROOT, FULL), '--tool', 'execute_python_code', '--args', '@call.json', '--at', AT], { cwd: folder });
    expect(ok.stdout).toContain('execute_python_code → approval_required');
    const bad = await runCli(['explain', '--policy', join(ROOT, FULL), '--tool', 'x', '--args', '@bad.json'], { cwd: folder });
    expect(bad).toMatchObject({ code: 2, stderr: 'policylayer: bad.json:2:14: invalid JSON: trailing comma before "}" (JSON allows none)\n' });
    const list = await runCli(['explain', '--policy', join(ROOT, FULL), '--tool', 'x', '--args', '@list.json'], { cwd: folder });
    expect(list).toMatchObject({ code: 2, stderr: 'policylayer: list.json: tool arguments must be a JSON object, not an array\n' });
  });

  it('usage and input errors: exit 2 with one line', async () => {
    const cases: Array<[string[], string]> = [
      [['--policy', SEED], "policylayer: required option '--tool <name>' not specified\n"],
      [['--policy', SEED, '--tool', 'x', '--args', '{"code":}'], 'policylayer: --args: invalid JSON at 1:9: unexpected "}" (quote the JSON for your shell, or pass @file.json)\n'],
      [['--policy', SEED, '--tool', 'x', '--args', '"str"'], 'policylayer: --args: tool arguments must be a JSON object, not "str"\n'],
      [['--policy', SEED, '--tool', 'x', '--args', '@missing.json'], 'policylayer: missing.json: no such file\n'],
      [['--policy', SEED, '--tool', 'x', '--at', '2026-11-24 10:00'], 'policylayer: --at: expected an ISO 8601 time with a time zone, e.g. "2026-11-24T10:00:00Z", got "2026-11-24 10:00"\n'],
      [['--policy', SEED, '--tool', 'x', '--repeat', '0'], 'policylayer: --repeat: expected a whole number from 1 to 1000000, got "0"\n'],
      [['--policy', SEED, '--tool', 'x', '--format', 'yaml'], 'policylayer: --format: expected one of stylish, json, not "yaml"\n'],
      [['--policy', SEED, '--tool', ''], 'policylayer: --tool: a tool name cannot be empty\n'],
      [['--policy', 'test/replay/data/with-problems.jsonl', '--tool', 'x'], ''],
    ];
    for (const [args, stderr] of cases) {
      const result = await explain(...args);
      expect(result.code).toBe(2);
      if (stderr) expect({ args, stderr: result.stderr }).toEqual({ args, stderr });
      else expect(result.stderr).toMatch(/^policylayer: test\/replay\/data\/with-problems\.jsonl: invalid policy/);
    }
  });

  it('finds the project policy like lint does when --policy is not given', async () => {
    const folder = tempDir('policylayer-explain-project-');
    writeFileSync(join(folder, 'policylayer.json'), '{"version":"1","default":"deny","tools":{"list_nodes":{}}}');
    const nested = join(folder, 'a', 'b');
    const { mkdirSync } = await import('node:fs');
    mkdirSync(nested, { recursive: true });
    const result = await runCli(['explain', '--tool', 'list_nodes'], { cwd: nested });
    expect(result.code).toBe(0);
    // Outside the working folder, paths are shown absolute.
    expect(result.stdout).toContain(`rule     /tools/list_nodes (${join(folder, 'policylayer.json')}:1:42)`);
  });
});

describe('explainCall', () => {
  it('reads counters from a store but never reserves in it', async () => {
    const policy = compilePolicy({ version: '1', default: 'deny', tools: { t: { limits: [{ counter: 'c', window: 'minute', max: 3, scope: 'grant' }] } } });
    const store = new MemoryCounterStore();
    const at = Date.UTC(2026, 10, 24, 10);
    const call = makeCall('t');
    const first = await explainCall(policy, call, at, { store });
    store.tryReserve(first.reservations, at);
    store.tryReserve(first.reservations, at);
    expect((await explainCall(policy, call, at, { store, repeat: 1 })).outcome).toBe('allow');
    expect((await explainCall(policy, call, at, { store, repeat: 2 })).outcome).toBe('deny');
    expect(store.get(first.reservations[0]!.key)).toBe(2);
  });
});
