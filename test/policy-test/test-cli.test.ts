import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT, runCli } from '../helpers/cli.js';
import { expectGolden } from '../helpers/golden.js';
import { tempDir } from '../helpers/temp.js';

const GOLDEN = join(ROOT, 'test/policy-test/golden');
const FAILING = 'test/policy-test/data/failing.policytest.json';
const INVALID = 'test/policy-test/data/invalid.policytest.yaml';

const test = (args: string[], cwd = ROOT) => runCli(['test', ...args], { cwd });
const normalise = (text: string) => text.replace(/time="\d+\.\d{3}"/g, 'time="<t>"');

describe('policylayer test', () => {
  it('runs the test files of every fixture policy: all pass, exit 0', async () => {
    const result = await test(['fixtures/tests']);
    expect(result.code).toBe(0);
    expect(result.stdout.trimEnd().split('\n').at(-1)).toMatch(/^\d+ passed, 0 failed$/);
    expect(result.stderr).toBe('');
  });

  it('covers every valid fixture policy', async () => {
    const result = await test(['fixtures/tests', '--format', 'json']);
    const tested = new Set(JSON.parse(result.stdout).files.map((file: { policy: string }) => file.policy));
    const { readdirSync } = await import('node:fs');
    const policies = (readdirSync(join(ROOT, 'fixtures/policies/valid'), { recursive: true }) as string[])
      .filter((name) => /\.(json|ya?ml)$/.test(name))
      .map((name) => `fixtures/policies/valid/${name}`);
    expect(policies.filter((policy) => !tested.has(policy))).toEqual([]);
  });

  it('reports failed cases with expected and actual decisions and their position, exit 1', async () => {
    const result = await test([FAILING]);
    expect(result.code).toBe(1);
    expect(result.stdout.trimEnd().split('\n').at(-1)).toBe('1 passed, 2 failed');
    expectGolden(GOLDEN, 'failing.stylish.txt', result.stdout);
    const json = await test([FAILING, '--format', 'json']);
    expect(json.code).toBe(1);
    expectGolden(GOLDEN, 'failing.json', json.stdout);
    const junit = await test([FAILING, '--format', 'junit']);
    expect(junit.code).toBe(1);
    expectGolden(GOLDEN, 'failing.junit.xml', normalise(junit.stdout));
  });

  it('an invalid test file is reported with file:line:col for each problem, the other files still run, exit 2', async () => {
    const result = await test([INVALID, 'fixtures/tests/recommended/read-low.policytest.json']);
    expect(result.code).toBe(2);
    expectGolden(GOLDEN, 'invalid.stylish.txt', result.stdout);
    expect(result.stdout).toContain(`${INVALID}:5:5: unknown key "expected" in case 1 (did you mean "expect"?)`);
    expect(result.stdout.trimEnd().split('\n').at(-1)).toBe('3 passed, 0 failed');
    const junit = await test([INVALID, '--format', 'junit']);
    expectGolden(GOLDEN, 'invalid.junit.xml', normalise(junit.stdout));
  });

  it('without arguments finds *.policytest.{json,yaml,yml} under the working folder, skipping node_modules and dot-folders', async () => {
    const folder = tempDir('policylayer-test-find-');
    writeFileSync(join(folder, 'policylayer.yaml'), 'version: "1"\ndefault: deny\ntools:\n  list_nodes: {}\n');
    mkdirSync(join(folder, 'policy-tests'));
    mkdirSync(join(folder, 'node_modules'));
    mkdirSync(join(folder, '.hidden'));
    const file = (name: string) => `cases:\n  - { name: "${name}", tool: list_nodes, expect: allow }\n`;
    writeFileSync(join(folder, 'policy-tests', 'a.policytest.yml'), file('found in a folder, policy found upward'));
    writeFileSync(join(folder, 'b.PolicyTest.JSON'), JSON.stringify({ cases: [{ name: 'found at the top', tool: 'x', expect: 'deny' }] }));
    writeFileSync(join(folder, 'node_modules', 'c.policytest.yaml'), file('never'));
    writeFileSync(join(folder, '.hidden', 'd.policytest.yaml'), file('never'));
    writeFileSync(join(folder, 'notes.yaml'), 'not a test');
    const result = await test([], folder);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('✓ found in a folder, policy found upward');
    expect(result.stdout).toContain('✓ found at the top');
    expect(result.stdout).not.toContain('never');
    expect(result.stdout.trimEnd().split('\n').at(-1)).toBe('2 passed, 0 failed');
  });

  it('no test files, or a missing path: exit 2 with one line', async () => {
    const empty = tempDir('policylayer-test-empty-');
    const none = await test([], empty);
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/^policylayer: \/.*: no policy test files \(\*\.policytest\.json, \*\.policytest\.yaml, \*\.policytest\.yml\) in this folder or below it\n$/);
    const missing = await test(['nope.policytest.json']);
    expect(missing).toMatchObject({ code: 2, stderr: 'policylayer: nope.policytest.json: no such file or folder\n' });
    const format = await test(['fixtures/tests', '--format', 'tap']);
    expect(format).toMatchObject({ code: 2, stderr: 'policylayer: --format: expected one of stylish, json, junit, markdown, not "tap"\n' });
  });

  it('a test file whose policy is invalid or missing is an error, exit 2', async () => {
    const folder = tempDir('policylayer-test-policy-');
    writeFileSync(join(folder, 'bad-policy.json'), '{"version": 1, "default": "deny"}');
    writeFileSync(join(folder, 'a.policytest.json'), JSON.stringify({ policy: 'bad-policy.json', cases: [{ name: 'x', tool: 'x', expect: 'deny' }] }));
    writeFileSync(join(folder, 'b.policytest.json'), JSON.stringify({ policy: 'missing.json', cases: [{ name: 'x', tool: 'x', expect: 'deny' }] }));
    const result = await test([], folder);
    expect(result.code).toBe(2);
    expect(result.stdout).toContain('a.policytest.json:1:11: policy bad-policy.json: invalid policy (1 error)');
    expect(result.stdout).toContain('bad-policy.json:1:13: version must be the string "1"; quote it [invalid-value]');
    expect(result.stdout).toContain('b.policytest.json:1:11: policy missing.json: no such file');
  });
});
