/**
 * Lint reports every schema problem in one pass: also the values under a misspelt key (checked as
 * if the suggestion were taken), so "potentially fixable" counts what `--fix` then fixes, and SARIF
 * carries the same replacements as fixes.
 */
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { catalogFor, INVALID, policyFiles } from './fixtures.js';

const dir = mkdtempSync(join(tmpdir(), 'policylayer-one-pass-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const TWO_TYPOS = `{
  "version": "1",
  "default": "deny",
  "tools": {
    "execute_python_code": {
      "limit": [{ "counter": "py", "window": "minutes", "max": 10, "scope": "grant" }]
    }
  }
}
`;

interface JsonFinding {
  ruleId: string;
  pointer: string;
  message: string;
  suggestion?: string;
}

async function findings(file: string, extra: string[] = []): Promise<JsonFinding[]> {
  const result = await runCli(['lint', file, '--format', 'json', ...extra], { cwd: dir });
  return JSON.parse(result.stdout).files[0].findings as JsonFinding[];
}

describe('lint in one pass', () => {
  it('reports a misspelt key and a misspelt value under it together, and says how the value was read', async () => {
    writeFileSync(join(dir, 'two.json'), TWO_TYPOS);
    expect(await findings('two.json')).toMatchObject([
      { ruleId: 'unknown-key', pointer: '/tools/execute_python_code/limit', suggestion: 'limits' },
      {
        ruleId: 'invalid-value',
        pointer: '/tools/execute_python_code/limit/0/window',
        suggestion: 'minute',
        message: '"window" must be one of "minute", "hour", "day", not "minutes" (did you mean "minute"?) (checked as if "limit" were "limits")',
      },
    ]);
    const stylish = await runCli(['lint', 'two.json'], { cwd: dir });
    expect(stylish.stdout).toContain('2 problems (2 errors, 0 warnings) in 1 file\n2 problems potentially fixable with `policylayer lint --fix`\n');
    const fixed = await runCli(['lint', '--fix', 'two.json'], { cwd: dir });
    expect(fixed).toMatchObject({ code: 0, stderr: 'policylayer: two.json: fixed 2 problems (unknown-key, invalid-value)\n' });
  });

  it('follows misspellings inside misspellings, and reports missing keys and wrong types there too', async () => {
    writeFileSync(join(dir, 'deep.yaml'), 'version: "1"\ndefault: deny\ntools:\n  t:\n    limitz:\n      - countr: c\n        window: day\n        max: "5"\n');
    const found = await findings('deep.yaml');
    expect(found.map((f) => `${f.ruleId} ${f.pointer}`)).toEqual([
      'unknown-key /tools/t/limitz',
      'missing-key /tools/t/limitz/0/scope',
      'unknown-key /tools/t/limitz/0/countr',
      'invalid-value /tools/t/limitz/0/max',
    ]);
    expect(found[2]!.message).toBe('unknown key "countr" in limit /tools/t/limitz/0 (did you mean "counter"?) (checked as if "limitz" were "limits")');
    expect(found[1]!.message).toBe('limit /tools/t/limitz/0 is missing the required key "scope" (checked as if "limitz" were "limits")');
  });

  it('does not read a misspelt key as one that is already there', async () => {
    writeFileSync(join(dir, 'both.json'), '{"version": "1", "default": "deny", "tools": {"t": {"limit": [{"window": "minutes"}], "limits": []}}}');
    expect((await findings('both.json')).map((f) => f.pointer)).toEqual(['/tools/t/limit']);
  });

  it('counts as potentially fixable exactly what --fix then fixes, for every invalid fixture', async () => {
    for (const fixture of policyFiles(INVALID)) {
      const copy = join(dir, `fix-${basename(fixture)}`);
      copyFileSync(fixture, copy);
      const { args } = catalogFor(fixture);
      const before = await runCli(['lint', copy, ...args], { cwd: dir });
      const promised = Number(/(\d+) problems? potentially fixable/.exec(before.stdout)?.[1] ?? 0);
      const after = await runCli(['lint', '--fix', copy, ...args], { cwd: dir });
      const done = Number(/fixed (\d+) problems?/.exec(after.stderr)?.[1] ?? 0);
      const refused = (after.stderr.match(/not fixed/g) ?? []).length;
      expect(done + refused, `${basename(fixture)}: ${after.stderr}`).toBe(promised);
    }
  });

  it('gives SARIF a fix per fixable finding, with the text --fix writes', async () => {
    writeFileSync(join(dir, 'sarif.yaml'), "version: '1'\ndefault: deny\ntools:\n  t:\n    limit:\n      - {counter: c, window: 'hours', max: 1, scope: grnt}\n");
    const log = JSON.parse((await runCli(['lint', 'sarif.yaml', '--format', 'sarif'], { cwd: dir })).stdout);
    const fixes = log.runs[0].results.flatMap((r: { fixes?: unknown[] }) => r.fixes ?? []);
    expect(fixes.map((f: { artifactChanges: Array<{ replacements: Array<{ insertedContent: { text: string } }> }> }) => f.artifactChanges[0]!.replacements[0]!.insertedContent.text)).toEqual([
      'limits',
      "'hour'",
      'grant',
    ]);
    // Applying the SARIF replacements gives the file --fix writes.
    const text = readFileSync(join(dir, 'sarif.yaml'), 'utf8');
    const lines = text.split('\n');
    for (const fix of [...fixes].reverse()) {
      const { deletedRegion: r, insertedContent } = fix.artifactChanges[0].replacements[0];
      const line = lines[r.startLine - 1]!;
      lines[r.startLine - 1] = line.slice(0, r.startColumn - 1) + insertedContent.text + line.slice(r.endColumn - 1);
    }
    await runCli(['lint', '--fix', 'sarif.yaml'], { cwd: dir });
    expect(lines.join('\n')).toBe(readFileSync(join(dir, 'sarif.yaml'), 'utf8'));
  });
});
