import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { VERSION } from '../../src/version.js';
import { ROOT, runBin } from '../helpers/cli.js';

// The built binary, spawned: these tests see what a user and CI see (bundle, lazy imports, exit codes).
const dir = mkdtempSync(join(tmpdir(), 'policylayer-e2e-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('policylayer (built binary): lint, fmt, schema', () => {
  it('lint: 0 for the valid fixtures, 1 for findings, 2 for a missing file', async () => {
    expect(await runBin(['lint', 'fixtures/policies/valid'])).toMatchObject({ code: 0, stdout: 'no problems in 13 files\n', stderr: '' });
    const findings = await runBin(['lint', 'fixtures/policies/invalid/unknown-key.json']);
    expect(findings.code).toBe(1);
    expect(findings.stdout).toContain('  6:7  error  unknown key "limit" in tool "execute_python_code"  unknown-key\n');
    expect(findings.stdout).toContain('^^^^^^^ did you mean "limits"?');
    expect(await runBin(['lint', 'nope.json'])).toMatchObject({ code: 2, stderr: 'policylayer: nope.json: no such file or folder\n' });
  });

  it('lint --server mcp-slicer runs the catalog rules; --format sarif and github are machine-readable', async () => {
    const sarif = await runBin(['lint', 'fixtures/policies/invalid/mcp-slicer/unknown-tool.json', '--server', 'mcp-slicer', '--format', 'sarif']);
    expect(sarif.code).toBe(1);
    const results = JSON.parse(sarif.stdout).runs[0].results;
    expect(results.map((r: { ruleId: string }) => r.ruleId)).toEqual(['unknown-tool', 'unknown-tool', 'unknown-tool', 'unknown-tool']);
    const github = await runBin(['lint', 'fixtures/policies/invalid/mcp-slicer/unknown-tool.json', '--server', 'mcp-slicer', '--format', 'github']);
    expect(github.stdout.split('\n')[0]).toBe(
      '::error file=fixtures/policies/invalid/mcp-slicer/unknown-tool.json,line=4,col=12,endLine=4,endColumn=28,title=policylayer unknown-tool::MCP-Slicer has no tool "capture_screen" (did you mean "capture_screenshot"?)%0ASee https://github.com/policylayer/policylayer/blob/main/docs/rules/unknown-tool.md',
    );
  });

  it('lint finds catastrophic backtracking with recheck in the bundle, offline, with no Java', async () => {
    const result = await runBin(['lint', 'fixtures/policies/invalid/unsafe-regex.json', '--format', 'json'], { env: { PATH: '/usr/bin:/bin', JAVA_HOME: '' } });
    expect(result.code, result.stderr).toBe(1);
    const findings = JSON.parse(result.stdout).files[0].findings;
    expect(findings).toMatchObject([{ ruleId: 'unsafe-regex', pointer: '/tools/execute_python_code/deny_if/0/conditions/0/value' }]);
  });

  it('fmt: prints, checks (exit 1) and writes', async () => {
    const path = join(dir, 'p.json');
    writeFileSync(path, '{"default":"deny","version":"1"}');
    expect(await runBin(['fmt', 'p.json'], { cwd: dir })).toMatchObject({ code: 0, stdout: '{\n  "version": "1",\n  "default": "deny"\n}\n' });
    expect(await runBin(['fmt', '--check', 'p.json'], { cwd: dir })).toMatchObject({ code: 1, stdout: 'p.json: not formatted\n' });
    expect(await runBin(['fmt', '--write', 'p.json'], { cwd: dir })).toMatchObject({ code: 0, stdout: 'formatted p.json\n' });
    expect(await runBin(['fmt', '--check', 'p.json'], { cwd: dir })).toMatchObject({ code: 0, stdout: '' });
    writeFileSync(join(dir, 'bad.json'), '{"version": ');
    expect(await runBin(['fmt', 'bad.json'], { cwd: dir })).toMatchObject({ code: 2, stdout: '' });
  });

  it('lint --fix and a .policylayer-lint.yaml work from the bundle', async () => {
    writeFileSync(join(dir, 'fix.yaml'), 'version: 1\ndefault: allow\n');
    writeFileSync(join(dir, 'lint.yaml'), 'rules:\n  default-allow: off\n');
    expect(await runBin(['lint', '--fix', '--config', 'lint.yaml', 'fix.yaml'], { cwd: dir })).toMatchObject({
      code: 0,
      stderr: 'policylayer: fix.yaml: fixed 1 problem (invalid-value)\npolicylayer: 1 finding not shown (turned off or ignored by lint.yaml)\n',
    });
    expect(readFileSync(join(dir, 'fix.yaml'), 'utf8')).toBe('version: "1"\ndefault: allow\n');
  });

  it('lint - and fmt - read standard input', async () => {
    expect(await runBin(['lint', '-'], { cwd: dir, input: 'version: "1"\ndefault: deny\n' })).toMatchObject({ code: 0, stdout: 'no problems in 1 file\n' });
    expect(await runBin(['fmt', '-'], { cwd: dir, input: '{"default":"deny","version":"1"}' })).toMatchObject({ code: 0, stdout: '{\n  "version": "1",\n  "default": "deny"\n}\n' });
  });

  it('schema prints schema/policy.schema.json', async () => {
    const result = await runBin(['schema']);
    expect(result.code).toBe(0);
    expect(result.stdout).toBe(readFileSync(join(ROOT, 'schema/policy.schema.json'), 'utf8'));
  });

  it('--help, --version, and help for each command', async () => {
    const help = await runBin(['--help']);
    expect(help.code).toBe(0);
    for (const command of ['lint', 'fmt', 'schema']) expect(help.stdout).toMatch(new RegExp(`^  ${command} `, 'm'));
    expect(await runBin(['--version'])).toMatchObject({ code: 0, stdout: `${VERSION}\n` });
    const lintHelp = await runBin(['lint', '--help']);
    expect(lintHelp.code).toBe(0);
    for (const option of ['--format', '--max-warnings', '--quiet', '--no-color', '--server', '--catalog']) expect(lintHelp.stdout).toContain(option);
    expect((await runBin(['fmt', '--help'])).stdout).toContain('--check');
  });

  it('a mistyped command or option is exit 2 with one line and a suggestion', async () => {
    expect(await runBin(['lnt'])).toMatchObject({ code: 2, stdout: '', stderr: "policylayer: unknown command 'lnt' (Did you mean lint?)\n" });
    expect(await runBin(['lint', '--formt', 'json'])).toMatchObject({ code: 2, stdout: '', stderr: "policylayer: unknown option '--formt' (Did you mean --format?)\n" });
    expect(await runBin(['fmt', '--chek'])).toMatchObject({ code: 2, stderr: "policylayer: unknown option '--chek' (Did you mean --check?)\n" });
  });
});
