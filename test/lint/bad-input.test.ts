import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runBin, runCli } from '../helpers/cli.js';

const dir = mkdtempSync(join(tmpdir(), 'policylayer-bad-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function file(name: string, content: string | Buffer): string {
  writeFileSync(join(dir, name), content);
  return name;
}

async function lintJson(name: string) {
  const result = await runCli(['lint', name, '--format', 'json'], { cwd: dir });
  return { ...result, findings: result.stdout ? JSON.parse(result.stdout).files[0]?.findings ?? [] : [] };
}

describe('lint on bad input: a clear message, the right exit code, no crash, no hang', () => {
  it('an empty file is a syntax finding at 1:1 (exit 1)', async () => {
    for (const name of [file('empty.json', ''), file('blank.yaml', '  \n# only a comment\n')]) {
      const result = await lintJson(name);
      expect(result.code).toBe(1);
      expect(result.findings).toMatchObject([{ ruleId: 'invalid-syntax', line: 1, column: 1, message: expect.stringMatching(/^the file is empty/) }]);
    }
  });

  it('a binary file is unreadable (exit 2) with the offset of the NUL byte', async () => {
    const result = await runCli(['lint', file('image.json', Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x00, 0x01]))], { cwd: dir });
    expect(result.code).toBe(2);
    expect(result.stderr).toBe('policylayer: image.json: not a text file (NUL byte at offset 4)\n');
  });

  it('invalid UTF-8 is unreadable (exit 2)', async () => {
    const result = await runCli(['lint', file('latin1.json', Buffer.from('{"description": "caf\xe9"}', 'latin1'))], { cwd: dir });
    expect(result).toMatchObject({ code: 2, stderr: 'policylayer: latin1.json: not valid UTF-8 text\n' });
  });

  it('a 20 MB file is refused before it is read (exit 2)', async () => {
    const name = file('huge.json', `{"description": "${'x'.repeat(20 * 1024 * 1024)}"}`);
    const started = Date.now();
    const result = await runBin(['lint', name], { cwd: dir });
    expect(result.code).toBe(2);
    expect(result.stderr).toBe('policylayer: huge.json: file is 20.0 MiB; policies over 10 MiB are refused\n');
    expect(Date.now() - started).toBeLessThan(10_000);
  });

  it('10,000-deep nesting is a syntax finding with its position, not a stack overflow', async () => {
    for (const [name, text] of [
      ['deep.json', `{"version": "1", "default": "deny", "description": ${'['.repeat(10_000)}${']'.repeat(10_000)}}`],
      ['deep.yaml', `version: "1"\ndefault: deny\ndescription: ${'['.repeat(10_000)}${']'.repeat(10_000)}\n`],
    ] as const) {
      const result = await runBin(['lint', file(name, text), '--format', 'json'], { cwd: dir });
      expect(result.code, result.stderr).toBe(1);
      const finding = JSON.parse(result.stdout).files[0].findings[0];
      expect(finding).toMatchObject({ ruleId: 'invalid-syntax', message: 'nesting deeper than 64 levels' });
      expect(finding.line).toBe(name === 'deep.json' ? 1 : 3);
    }
  });

  it('a folder with no policies is exit 2 with one line', async () => {
    const empty = mkdtempSync(join(dir, 'nothing-'));
    writeFileSync(join(empty, 'README.md'), '# no policies');
    const result = await runCli(['lint', empty], { cwd: empty });
    expect(result).toMatchObject({ code: 2, stdout: 'nothing linted: 1 path could not be read\n' });
    expect(result.stderr).toBe(`policylayer: ${empty}: no policy files (.json, .yaml, .yml) in this folder or below it\n`);
  });

  it('positions are right with CRLF line endings, tabs, a BOM and non-ASCII text', async () => {
    const text = '\uFEFF{\r\n\t"description": "Überwachung 🩻 — ünïcödé",\r\n\t"version": "1",\r\n\t"default": "deny",\r\n\t"tools": {\r\n\t\t"execute_python_code": { "limit": [] }\r\n\t}\r\n}\r\n';
    const result = await lintJson(file('crlf.json', text));
    expect(result.findings).toMatchObject([{ ruleId: 'unknown-key', line: 6, column: 28, endLine: 6, endColumn: 35, suggestion: 'limits' }]);
    const yaml = '\uFEFFdescription: "🩻 Überwachung"\r\nversion: "1"\r\ndefault: deny\r\ntools:\r\n  "ëxecute": { limit: [] }\r\n';
    const fromYaml = await lintJson(file('crlf.yaml', yaml));
    expect(fromYaml.findings).toMatchObject([{ ruleId: 'unknown-key', line: 5, column: 16, endColumn: 21 }]);
  });

  it('the code frame keeps tabs so the underline lines up, and cuts long lines around the position', async () => {
    const tabbed = await runCli(['lint', file('tabs.json', '{\n\t"version": "1",\n\t"default": "deny",\n\t"hide": [1]\n}\n')], { cwd: dir });
    expect(tabbed.stdout).toContain('    4 | \t"hide": [1]\n      | \t         ^\n');
    const long = `{"version": "1", "default": "deny", "description": "${'x'.repeat(300)}", "tools": {"a": {"limit": []}}}`;
    const cut = await runCli(['lint', file('long.json', long)], { cwd: dir });
    const frame = cut.stdout.split('\n').filter((line) => line.includes(' | '));
    expect(frame[0]!.length).toBeLessThan(140);
    expect(frame[0]).toMatch(/^ {4}1 \| …x+", "tools": \{"a": \{"limit": \[\]\}\}\}$/);
    expect(frame[1]!.indexOf('^')).toBe(frame[0]!.indexOf('"limit"'));
  });
});
