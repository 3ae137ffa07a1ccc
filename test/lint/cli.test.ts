import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ROOT, runCli } from '../helpers/cli.js';
import { PAYMENTS_CATALOG } from './fixtures.js';

const SEED = 'fixtures/policies/valid/seed-execute-python-code.json';
const WARNS = 'fixtures/policies/invalid/default-allow.json';
const ERRORS = 'fixtures/policies/invalid/unknown-key.json';
const temp = mkdtempSync(join(tmpdir(), 'policylayer-lint-'));
afterAll(() => rmSync(temp, { recursive: true, force: true }));

function tree(files: Record<string, string>): string {
  const root = mkdtempSync(join(temp, 'tree-'));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(join(root, path, '..'), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  return root;
}

const POLICY = '{"version": "1", "default": "deny"}';

describe('policylayer lint', () => {
  it('exits 0 on a clean policy, 1 on errors', async () => {
    expect((await runCli(['lint', SEED])).code).toBe(0);
    expect((await runCli(['lint', ERRORS])).code).toBe(1);
  });

  it('counts warnings against --max-warnings', async () => {
    expect((await runCli(['lint', WARNS])).code).toBe(0);
    expect((await runCli(['lint', WARNS, '--max-warnings', '1'])).code).toBe(0);
    const over = await runCli(['lint', WARNS, '--max-warnings', '0']);
    expect(over.code).toBe(1);
    expect(over.stderr).toBe('policylayer: 1 warning, more than --max-warnings 0\n');
  });

  it('--quiet shows and counts errors only', async () => {
    const quiet = await runCli(['lint', WARNS, ERRORS, '--quiet', '--max-warnings', '0', '--format', 'json']);
    expect(quiet.code).toBe(1);
    const report = JSON.parse(quiet.stdout);
    expect(report.summary).toMatchObject({ errorCount: 3, warningCount: 0 });
    expect((await runCli(['lint', WARNS, '--quiet', '--max-warnings', '0'])).code).toBe(0);
  });

  it('rejects bad option values in one line with did-you-mean', async () => {
    const format = await runCli(['lint', SEED, '--format', 'jsn']);
    expect(format).toMatchObject({ code: 2, stdout: '' });
    expect(format.stderr).toBe('policylayer: --format: expected one of stylish, json, sarif, github, markdown, not "jsn" (did you mean "json"?)\n');
    const max = await runCli(['lint', SEED, '--max-warnings', 'ten']);
    expect(max.stderr).toBe('policylayer: --max-warnings: expected a non-negative integer, got "ten"\n');
    const server = await runCli(['lint', SEED, '--server', 'mcp-slicr']);
    expect(server.code).toBe(2);
    expect(server.stderr).toMatch(/^policylayer: --server: no built-in catalog "mcp-slicr" \(did you mean "mcp-slicer"\?\); built-in: mcp-slicer;.*\n$/);
    const both = await runCli(['lint', SEED, '--server', 'mcp-slicer', '--catalog', PAYMENTS_CATALOG]);
    expect(both.stderr).toBe('policylayer: give one catalog source, not --server and --catalog\n');
  });

  it('runs catalog rules only with a catalog', async () => {
    const file = 'fixtures/policies/invalid/mcp-slicer/unknown-tool.json';
    expect((await runCli(['lint', file])).code).toBe(0);
    const withCatalog = await runCli(['lint', file, '--server', 'mcp-slicer', '--format', 'json']);
    expect(withCatalog.code).toBe(1);
    expect(JSON.parse(withCatalog.stdout).files[0].findings.map((f: { ruleId: string }) => f.ruleId)).toContain('unknown-tool');
  });

  it('flags execute_python_code under default allow with no rule', async () => {
    const dir = tree({ 'p.json': POLICY.replace('deny', 'allow') });
    const result = await runCli(['lint', 'p.json', '--server', 'mcp-slicer', '--format', 'json'], { cwd: dir });
    const findings = JSON.parse(result.stdout).files[0].findings;
    expect(findings.find((f: { ruleId: string }) => f.ruleId === 'unlimited-high-risk').message).toMatch(/^"execute_python_code" \(Execute, High risk\) is allowed by "default": "allow" with no limit/);
  });

  it('reads a saved catalog and explains a broken one', async () => {
    expect((await runCli(['lint', 'fixtures/policies/invalid/payments/critical-tool-allowed.json', '--catalog', PAYMENTS_CATALOG])).code).toBe(0);
    const dir = tree({
      'syntax.json': '{"id": ',
      'shape.json': JSON.stringify({ id: 'x', name: 'X', serverName: 'x', summary: '', launch: [], tools: [{ name: 't', risk: 'Severe' }] }),
    });
    const syntax = await runCli(['lint', SEED, '--catalog', join(dir, 'syntax.json')], { cwd: dir });
    expect(syntax.code).toBe(2);
    expect(syntax.stderr).toMatch(/^policylayer: syntax\.json:1:7: not a catalog: invalid JSON: /);
    const shape = await runCli(['lint', join(ROOT, SEED), '--catalog', 'shape.json'], { cwd: dir });
    expect(shape.stderr).toBe('policylayer: shape.json: not a catalog (the JSON of `policylayer catalog --format json`): tools[0].summary must be a string\n');
    const missing = await runCli(['lint', SEED, '--catalog', 'nope.json']);
    expect(missing.stderr).toBe('policylayer: nope.json: no such catalog file\n');
  });

  it('finds the project policy upward when given no paths', async () => {
    const dir = tree({ 'policylayer.yaml': 'version: "1"\ndefault: allow\n', 'sub/deeper/x.txt': '' });
    const result = await runCli(['lint', '--format', 'json'], { cwd: join(dir, 'sub/deeper') });
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout).files[0].path).toBe(join(dir, 'policylayer.yaml'));
    const none = await runCli(['lint'], { cwd: tree({}) });
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/^policylayer: no policy given and no policylayer\.json, policylayer\.yaml or policylayer\.yml here or in a folder above/);
  });

  it('searches folders recursively, skipping node_modules, dot-folders and dot-files', async () => {
    const dir = tree({
      'policies/a.json': POLICY,
      'policies/team/b.yaml': 'version: "1"\ndefault: deny\n',
      'policies/team/c.yml': 'version: "1"\ndefault: deny\n',
      'policies/notes.txt': 'not a policy',
      'policies/node_modules/pkg/package.json': '{}',
      'policies/.git/config.json': '{}',
      'policies/.hidden.json': '{}',
    });
    symlinkSync(join(dir, 'policies'), join(dir, 'policies/team/loop'));
    const result = await runCli(['lint', 'policies', '--format', 'json'], { cwd: dir });
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout).files.map((f: { path: string }) => f.path)).toEqual(['policies/a.json', 'policies/team/b.yaml', 'policies/team/c.yml']);
  });

  it('lints a file named twice once', async () => {
    const result = await runCli(['lint', SEED, `./${SEED}`, 'fixtures/policies/valid/seed-execute-python-code.json', '--format', 'json']);
    expect(JSON.parse(result.stdout).files).toHaveLength(1);
  });

  it('lints standard input with "-": JSON or YAML told apart by the text, or named with --stdin-filename', async () => {
    const json = await runCli(['lint', '-', '--format', 'json'], { stdin: '{"version": "1", "default": "deny", "tools": {"t": {"limit": []}}}' });
    expect(json.code).toBe(1);
    expect(JSON.parse(json.stdout).files.map((f: { path: string; findings: Array<{ ruleId: string }> }) => [f.path, f.findings.map((x) => x.ruleId)])).toEqual([['<stdin>', ['unknown-key']]]);
    const yaml = await runCli(['lint', '-'], { stdin: 'version: "1"\ndefault: deny\n' });
    expect(yaml).toMatchObject({ code: 0, stdout: 'no problems in 1 file\n' });
    const named = await runCli(['lint', '-', SEED, '--stdin-filename', 'policies/team.yaml', '--format', 'json'], { stdin: 'version: "1"\ndefault: allow\n' });
    expect(JSON.parse(named.stdout).files.map((f: { path: string }) => f.path)).toEqual(['policies/team.yaml', SEED]);
  });

  it('standard input: unreadable text is exit 2; "-" twice, or --stdin-filename without "-", is a usage error', async () => {
    expect(await runCli(['lint', '-'], { stdin: Buffer.from([0xff, 0xfe, 0x7b]) })).toMatchObject({ code: 2, stderr: 'policylayer: <stdin>: not valid UTF-8 text\n' });
    expect(await runCli(['lint', '-', '-'])).toMatchObject({ code: 2, stderr: 'policylayer: "-" (standard input) can be given once\n' });
    expect(await runCli(['lint', SEED, '--stdin-filename', 'x.json'])).toMatchObject({ code: 2, stderr: 'policylayer: --stdin-filename names standard input: give "-" among the paths\n' });
  });

  it('reports everything it can, then exits 2 for a missing path or a folder without policies', async () => {
    const dir = tree({ 'ok.json': POLICY, 'empty/readme.md': '# nothing here' });
    const result = await runCli(['lint', 'ok.json', 'missing.json', 'empty', ERRORS.replace('fixtures', join(ROOT, 'fixtures'))], { cwd: dir });
    expect(result.code).toBe(2);
    expect(result.stdout).toMatch(/unknown key "limit"/);
    expect(result.stderr).toBe(
      'policylayer: missing.json: no such file or folder\npolicylayer: empty: no policy files (.json, .yaml, .yml) in this folder or below it\n',
    );
  });
});
