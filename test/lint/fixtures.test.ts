import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Finding } from '../../src/lint/finding.js';
import { lintDocument } from '../../src/lint/lint-document.js';
import { allRules } from '../../src/lint/rules/index.js';
import { readPolicySource } from '../../src/policy/read.js';
import { ROOT } from '../helpers/cli.js';
import { catalogFor, INVALID, policyFiles, VALID } from './fixtures.js';

const GOLDEN = join(ROOT, 'test/lint/golden/findings');
const UPDATE = process.env.UPDATE_GOLDEN === '1';

async function lintFixture(file: string): Promise<Finding[]> {
  const { catalog } = catalogFor(file);
  const source = await readPolicySource(file, relative(ROOT, file));
  return (await lintDocument(source, catalog ? { catalog } : {})).findings;
}

/** One line per finding: range, severity, rule, pointer, message. Diffs of these read well in review. */
function render(findings: Finding[]): string {
  return findings
    .map((f) => `${f.range.start.line}:${f.range.start.column}-${f.range.end.line}:${f.range.end.column} ${f.severity} ${f.ruleId} ${f.pointer || '(root)'}\n  ${f.message}`)
    .join('\n')
    .concat('\n');
}

describe('valid fixtures', () => {
  const files = policyFiles(VALID);

  it('include the seed, every risk class, a full MCP-Slicer policy and YAML variants', () => {
    const names = files.map((f) => relative(VALID, f));
    expect(names).toEqual(
      expect.arrayContaining([
        'seed-execute-python-code.json',
        'seed-execute-python-code.yaml',
        'recommended/read-low.json',
        'recommended/write-medium.json',
        'recommended/execute-high.json',
        'recommended/destructive-critical.json',
        'recommended/financial-critical.json',
        'mcp-slicer/full.json',
        'mcp-slicer/full.yaml',
      ]),
    );
  });

  // Valid means no finding at all, warnings and infos included: these are the examples users copy.
  it.each(files.map((f) => [relative(VALID, f), f]))('%s lints without any finding', async (_, file) => {
    expect(await lintFixture(file)).toEqual([]);
  });

  it('the full MCP-Slicer policy uses every key of the language', async () => {
    const text = readFileSync(join(VALID, 'mcp-slicer/full.json'), 'utf8');
    for (const key of ['$schema', 'description', 'version', 'default', 'hide', 'all_tools', 'tools', 'deny_if', 'require', 'limits', 'require_approval', 'conditions', 'on_deny', 'message', 'counter', 'window', 'max', 'scope', 'increment_from', 'path', 'op', 'value']) {
      expect(text, key).toContain(`"${key}":`);
    }
    for (const op of ['eq', 'neq', 'in', 'not_in', 'gt', 'regex', 'contains', 'exists']) expect(text).toContain(`"op": "${op}"`);
  });
});

describe('invalid fixtures', () => {
  const files = policyFiles(INVALID);

  it.each(files.map((f) => [relative(INVALID, f), f]))('%s produces exactly its golden findings', async (name, file) => {
    const actual = render(await lintFixture(file));
    const golden = join(GOLDEN, `${name}.txt`);
    if (UPDATE) {
      mkdirSync(dirname(golden), { recursive: true });
      writeFileSync(golden, actual);
    }
    expect(existsSync(golden), `missing golden ${relative(ROOT, golden)} (run with UPDATE_GOLDEN=1)`).toBe(true);
    expect(actual).toBe(readFileSync(golden, 'utf8'));
  });

  it('each rule has a fixture named after it that produces it', async () => {
    for (const rule of allRules) {
      const fixture = files.find((f) => relative(INVALID, f).replace(/^[^/]+\//, '').replace(/\.(json|ya?ml)$/, '') === rule.id);
      expect(fixture, `fixtures/policies/invalid/**/${rule.id}.json`).toBeDefined();
      const findings = await lintFixture(fixture!);
      expect(findings.map((f) => f.ruleId), rule.id).toContain(rule.id);
      expect(findings.filter((f) => f.ruleId === rule.id).every((f) => f.severity === rule.severity)).toBe(true);
    }
  });
});
