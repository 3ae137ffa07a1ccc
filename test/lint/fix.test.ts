import { chmodSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { applyEdits, fixesFor } from '../../src/lint/fix.js';
import { lintDocument } from '../../src/lint/lint-document.js';
import { parsePolicyText } from '../../src/policy/read.js';
import { runCli } from '../helpers/cli.js';

async function fixText(name: string, text: string): Promise<string> {
  const source = await parsePolicyText(name, text);
  const { findings } = await lintDocument(source, {});
  return applyEdits(source.text, fixesFor(source, findings));
}

describe('fixesFor (pure)', () => {
  it('JSON: renames a misspelt key, corrects enum values, words for seconds, and quotes the version', async () => {
    const text = '{"version": 1, "default": "deny", "tools": {"t": {"limitz": []}, "u": {"limits": [{"counter": "c", "window": 60, "max": 1, "scope": "sesion"}]}}}';
    expect(await fixText('p.json', text)).toBe('{"version": "1", "default": "deny", "tools": {"t": {"limits": []}, "u": {"limits": [{"counter": "c", "window": "minute", "max": 1, "scope": "session"}]}}}');
  });

  it('YAML: keeps each scalar\'s quoting, and quotes what plain YAML would not read as a string', async () => {
    const text = "version: 1\ndefault: 'deny'\ntools:\n  t:\n    \"limitz\": []\n    require_aproval: []\n  u:\n    limits:\n      - {counter: c, window: 'minutes', max: 1, scope: grnt}\n";
    expect(await fixText('p.yaml', text)).toBe(
      "version: \"1\"\ndefault: 'deny'\ntools:\n  t:\n    \"limits\": []\n    require_approval: []\n  u:\n    limits:\n      - {counter: c, window: 'minute', max: 1, scope: grant}\n",
    );
  });

  it('leaves alone what it cannot fix as one scalar, and findings without a suggestion', async () => {
    const text = '{"version": "1", "default": "deny", "tools": {"t": {"xyzzy": []}}}';
    expect(await fixText('p.json', text)).toBe(text);
  });
});

describe('policylayer lint --fix', () => {
  const dir = mkdtempSync(join(tmpdir(), 'policylayer-fix-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('rewrites the file (keeping its mode), reports on stderr, and lints the result; a fix that would duplicate a key is refused', async () => {
    const file = join(dir, 'p.json');
    writeFileSync(file, '{\n  "version": 1,\n  "default": "deny",\n  "tools": {\n    "t": { "limit": [], "limits": [] },\n    "u": { "limits": [{ "counter": "c", "window": "hours", "max": 1, "scope": "grant" }] }\n  }\n}\n');
    chmodSync(file, 0o640);
    const result = await runCli(['lint', '--fix', 'p.json', '--format', 'json'], { cwd: dir });
    expect(result.code).toBe(1);
    expect(result.stderr).toBe('policylayer: p.json: not fixed: it would make the key "limits" appear twice; fix it by hand\npolicylayer: p.json: fixed 2 problems (invalid-value)\n');
    expect(readFileSync(file, 'utf8')).toBe('{\n  "version": "1",\n  "default": "deny",\n  "tools": {\n    "t": { "limit": [], "limits": [] },\n    "u": { "limits": [{ "counter": "c", "window": "hour", "max": 1, "scope": "grant" }] }\n  }\n}\n');
    expect(statSync(file).mode & 0o777).toBe(0o640);
    expect(JSON.parse(result.stdout).files[0].findings.map((f: { ruleId: string }) => f.ruleId)).toEqual(['unknown-key']);
  });

  it('fixes in passes: values inside a misspelt key are checked, and fixed, once the key is right', async () => {
    const file = join(dir, 'nested.yaml');
    writeFileSync(file, 'version: "1"\ndefault: deny\ntools:\n  t:\n    limitz:\n      - counter: c\n        window: minut\n        max: 1\n        scope: grant\n');
    expect(await runCli(['lint', '--fix', 'nested.yaml'], { cwd: dir })).toMatchObject({ code: 0, stderr: 'policylayer: nested.yaml: fixed 2 problems (unknown-key, invalid-value)\n' });
    expect(readFileSync(file, 'utf8')).toContain('    limits:\n      - counter: c\n        window: minute\n');
  });

  it('leaves what the configuration ignores, and a file with nothing to fix, untouched; refuses standard input', async () => {
    const clean = join(dir, 'clean.json');
    writeFileSync(clean, '{"version": "1", "default": "deny"}');
    const cleanBefore = statSync(clean).mtimeMs;
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect((await runCli(['lint', '--fix', 'clean.json'], { cwd: dir })).stderr).toBe('');
    expect(statSync(clean).mtimeMs).toBe(cleanBefore);
    // unknown-key cannot be ignored (the proxy refuses such a policy), so check with a rule that can: a catalog rule.
    // Without the ignore, --fix renames this tool to execute_python_code.
    const file = join(dir, 'ignored.json');
    writeFileSync(file, '{"version": "1", "default": "deny", "tools": {"execute_python_cod": {}}}');
    writeFileSync(join(dir, 'cfg.json'), '{"ignore": [{"rule": "unknown-tool", "reason": "a tool of another server"}]}');
    expect(await runCli(['lint', '--fix', 'ignored.json', '--server', 'mcp-slicer', '--config', 'cfg.json'], { cwd: dir })).toMatchObject({ code: 0 });
    expect(readFileSync(file, 'utf8')).toContain('execute_python_cod"');
    expect(await runCli(['lint', '--fix', '-'], { cwd: dir, stdin: '{}' })).toMatchObject({ code: 2, stderr: 'policylayer: --fix rewrites files; it cannot rewrite standard input\n' });
  });
});
