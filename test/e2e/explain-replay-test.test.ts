import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ROOT, runBin } from '../helpers/cli.js';

// The built binary, spawned: exit codes, lazy imports in the bundle, stdout/stderr as CI sees them.
const dir = mkdtempSync(join(tmpdir(), 'policylayer-e2e-engine-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const SEED = 'fixtures/policies/valid/seed-execute-python-code.json';
const SESSION = 'fixtures/recordings/slicer-segmentation.jsonl';

describe('policylayer (built binary): explain, replay, test', () => {
  it('explain: 0 allow, 1 deny, 1 approval required, 2 usage errors', async () => {
    const allow = await runBin(['explain', '--policy', SEED, '--tool', 'execute_python_code', '--args', '{"code":"print(1)"}']);
    expect(allow).toMatchObject({ code: 0, stderr: '' });
    expect(allow.stdout.split('\n')[0]).toBe('execute_python_code → allow');
    const deny = await runBin(['explain', '--policy', SEED, '--tool', 'execute_python_code', '--repeat', '11', '--format', 'json']);
    expect(deny.code).toBe(1);
    expect(JSON.parse(deny.stdout)).toMatchObject({ outcome: 'deny', rule: '/tools/execute_python_code/limits/0' });
    const approval = await runBin(['explain', '--policy', 'fixtures/policies/valid/spend-cap.yml', '--tool', 'refund_order', '--args', '{"amount": 900}']);
    expect(approval.code).toBe(1);
    expect(approval.stdout.split('\n')[0]).toBe('refund_order → approval_required');
    const usage = await runBin(['explain', '--policy', SEED, '--tool', 'x', '--args', '{bad']);
    expect(usage).toMatchObject({ code: 2, stdout: '' });
    expect(usage.stderr).toMatch(/^policylayer: --args: invalid JSON at 1:2: /);
  });

  it('replay: 0 when expectations hold (denials are not failures), 1 on a failed expectation, 2 on unreadable input', async () => {
    const ok = await runBin(['replay', '--policy', SEED, SESSION]);
    expect(ok.code).toBe(0);
    expect(ok.stdout).toContain('Expectations: 21 checked, all met');
    const failed = await runBin(['replay', '--policy', 'fixtures/policies/valid/recommended/read-low.json', '--format', 'junit', SESSION]);
    expect(failed.code).toBe(1);
    expect(failed.stdout).toMatch(/<testsuites name="policylayer replay" tests="21" failures="15"/);
    const missing = await runBin(['replay', '--policy', SEED, join(dir, 'none.jsonl')]);
    expect(missing.code).toBe(2);
    const strict = join(dir, 'strict.jsonl');
    writeFileSync(strict, '{"tool":"a"}\n{oops\n');
    const strictRun = await runBin(['replay', '--policy', SEED, '--strict', strict]);
    expect(strictRun.code).toBe(2);
    expect(strictRun.stderr).toMatch(/strict\.jsonl:2: invalid JSON at column 2: /);
  });

  it('replay streams a large recording and keeps the output in order through a pipe', async () => {
    const big = join(dir, 'big.jsonl');
    const line = (i: number) => `{"ts":${Date.UTC(2026, 10, 24) + i * 100},"tool":"execute_python_code","grant":"g${i % 3}"}\n`;
    writeFileSync(big, Array.from({ length: 50_000 }, (_, i) => line(i)).join(''));
    const result = await runBin(['replay', '--policy', SEED, '--format', 'json', big], { timeoutMs: 60_000 });
    expect(result.code).toBe(0);
    const lines = result.stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(50_001);
    expect(JSON.parse(lines[49_999]!)).toMatchObject({ line: 50_000 });
    // 100 ms apart from a minute boundary: 84 minutes (the last one partly), 3 grants round-robin,
    // each with 10 calls allowed a minute: 84 × 3 × 10 allowed.
    expect(JSON.parse(lines[50_000]!)).toMatchObject({ type: 'summary', calls: 50_000, outcomes: { allow: 2520, deny: 47_480 } });
  });

  it('test: 0 all pass, 1 a failure, 2 an invalid test file', async () => {
    const pass = await runBin(['test', 'fixtures/tests']);
    expect(pass.code).toBe(0);
    expect(pass.stdout.trimEnd().split('\n').at(-1)).toMatch(/^\d+ passed, 0 failed$/);
    const fail = await runBin(['test', 'test/policy-test/data/failing.policytest.json']);
    expect(fail.code).toBe(1);
    expect(fail.stdout.trimEnd().split('\n').at(-1)).toBe('1 passed, 2 failed');
    const invalid = await runBin(['test', 'test/policy-test/data/invalid.policytest.yaml', '--format', 'json']);
    expect(invalid.code).toBe(2);
    expect(JSON.parse(invalid.stdout)).toMatchObject({ passed: 0, failed: 0, broken_files: 1 });
  });

  it('help for each command lists its exit codes', async () => {
    for (const command of ['explain', 'replay', 'test']) {
      const help = await runBin([command, '--help'], { cwd: ROOT });
      expect(help.code).toBe(0);
      expect(help.stdout).toContain('Exit codes:');
    }
  });
});
