import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Log } from 'sarif';
import { describe, expect, it } from 'vitest';
import { escapeData, escapeProperty } from '../../src/output/github.js';
import { allRules } from '../../src/lint/rules/index.js';
import { VERSION } from '../../src/version.js';
import { ROOT, runCli } from '../helpers/cli.js';

const GOLDEN = join(ROOT, 'test/lint/golden/format');
const UPDATE = process.env.UPDATE_GOLDEN === '1';

/** The same three inputs for every format: errors with did-you-mean hints, a warning and an info, and a missing file. */
const INPUTS = ['fixtures/policies/invalid/unknown-key.json', 'fixtures/policies/invalid/redundant-allow.json', 'fixtures/policies/invalid/missing.json'];

async function lintAs(format: string) {
  return runCli(['lint', ...INPUTS, '--format', format], { cwd: ROOT });
}

/** The tool version is the only thing normalised: it changes with every release. */
function golden(name: string, actual: string): void {
  const file = join(GOLDEN, name);
  const normalised = actual.split(VERSION).join('<version>');
  if (UPDATE) {
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, normalised);
  }
  expect(existsSync(file), `missing golden ${name} (run with UPDATE_GOLDEN=1)`).toBe(true);
  expect(normalised).toBe(readFileSync(file, 'utf8'));
}

describe('lint output formats', () => {
  it('stylish', async () => {
    const result = await lintAs('stylish');
    expect(result.code).toBe(2);
    expect(result.stderr).toBe('policylayer: fixtures/policies/invalid/missing.json: no such file or folder\n');
    golden('stylish.txt', result.stdout);
  });

  it('json', async () => {
    const result = await lintAs('json');
    const parsed = JSON.parse(result.stdout);
    expect(parsed).toMatchObject({ format: 'policylayer-lint', version: 1, positions: { base: 1, columns: 'utf-16' } });
    golden('json.json', result.stdout);
  });

  it('sarif', async () => {
    const result = await lintAs('sarif');
    const log = JSON.parse(result.stdout) as Log;
    expect(log.version).toBe('2.1.0');
    expect(log.$schema).toMatch(/sarif-2\.1\.0/);
    const run = log.runs[0]!;
    const rules = run.tool.driver.rules!;
    expect(rules.map((r) => r.id)).toEqual(allRules.map((r) => r.id));
    for (const rule of rules) {
      expect(rule.shortDescription?.text).toBeTruthy();
      expect(rule.helpUri).toMatch(new RegExp(`/docs/rules/${rule.id}\\.md$`));
      expect(['error', 'warning', 'note']).toContain(rule.defaultConfiguration?.level);
    }
    for (const result of run.results!) {
      expect(rules[result.ruleIndex!]!.id).toBe(result.ruleId);
      const location = result.locations![0]!.physicalLocation!;
      expect(location.artifactLocation!.uri).not.toMatch(/^\/|^file:/);
      expect(location.region!.startLine).toBeGreaterThanOrEqual(1);
      expect(location.region!.startColumn).toBeGreaterThanOrEqual(1);
    }
    expect(run.results!.map((r) => r.level)).toEqual(expect.arrayContaining(['error', 'warning', 'note']));
    expect(run.invocations![0]!.executionSuccessful).toBe(false);
    golden('sarif.json', result.stdout);
  });

  it('github', async () => {
    const result = await lintAs('github');
    for (const line of result.stdout.trimEnd().split('\n').slice(0, -1)) expect(line).toMatch(/^::(error|warning|notice) file=[^:]+::/);
    golden('github.txt', result.stdout);
  });

  it('github escaping follows actions/toolkit: data %, CR, LF; properties also : and ,', () => {
    expect(escapeData('50% done\r\nnext: a, b')).toBe('50%25 done%0D%0Anext: a, b');
    expect(escapeProperty('50% done\r\nnext: a, b')).toBe('50%25 done%0D%0Anext%3A a%2C b');
  });

  it('stylish colours only on a terminal, never with NO_COLOR or --no-color; FORCE_COLOR wins', async () => {
    const args = ['lint', INPUTS[0]!];
    const ansi = /\u001b\[/;
    expect((await runCli(args, { isTTY: true })).stdout).toMatch(ansi);
    expect((await runCli(args, { isTTY: false })).stdout).not.toMatch(ansi);
    expect((await runCli(args, { isTTY: true, env: { NO_COLOR: '1' } })).stdout).not.toMatch(ansi);
    expect((await runCli([...args, '--no-color'], { isTTY: true })).stdout).not.toMatch(ansi);
    expect((await runCli(args, { isTTY: false, env: { FORCE_COLOR: '1' } })).stdout).toMatch(ansi);
    expect((await runCli([...args, '--format', 'json'], { isTTY: true })).stdout).not.toMatch(ansi);
  });
});
