import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { catalogFromListing } from '../../src/catalog/introspect.js';
import { describeRecommendation, policyFromChoices, recommendationFor, recommendedChoice } from '../../src/catalog/recommend.js';
import { mcpSlicer } from '../../src/catalog/servers/mcp-slicer.js';
import { CATEGORIES, type ServerCatalog } from '../../src/catalog/types.js';
import { policyText } from '../../src/cli/init.js';
import { lintDocument } from '../../src/lint/lint-document.js';
import { formatPolicyText } from '../../src/policy/format.js';
import { parseJsonSource } from '../../src/policy/parse-json.js';
import { parseYamlSource } from '../../src/policy/parse-yaml.js';
import { loadCorpus } from '../../fixtures/catalog/corpus.js';

const ROOT = resolve(import.meta.dirname, '../..');
const recommendedPolicy = (catalog: ServerCatalog) =>
  policyFromChoices(
    catalog.tools.map((tool) => ({ name: tool.name, recommendation: tool.recommendation })),
    { serverName: catalog.name },
  );

describe('recommendationFor', () => {
  it('follows PolicyLayer’s recommendation per class', () => {
    expect(CATEGORIES.map((category) => [category, describeRecommendation(recommendationFor(category))])).toEqual([
      ['Read', 'allow'],
      ['Write', 'limit 30/minute per grant'],
      ['Execute', 'limit 10/minute per grant'],
      ['Destructive', 'hide'],
      ['Financial', 'require approval'],
    ]);
  });
});

describe('policyFromChoices', () => {
  it('says what is at stake in an approval message by the tool’s class', () => {
    const messageFor = (category?: 'Financial' | 'Execute' | 'Destructive' | 'Write') =>
      policyFromChoices([{ name: 't', recommendation: { action: 'require_approval' }, ...(category ? { category } : {}) }]).tools!.t!.require_approval![0]!.message;
    expect(messageFor('Financial')).toMatch(/move money/);
    expect(messageFor('Execute')).toMatch(/runs code/);
    expect(messageFor('Destructive')).toMatch(/delete data/);
    expect(messageFor('Write')).toBe('t needs your approval for each call; approve only calls you expect.');
    expect(messageFor()).toBe('t needs your approval for each call; approve only calls you expect.');
  });

  it('turns every action into the policy language, default deny', () => {
    const policy = policyFromChoices(
      [
        { name: 'read_a', recommendation: { action: 'allow' } },
        { name: 'write_b', recommendation: { action: 'limit', max: 5, window: 'hour' } },
        { name: 'pay_c', recommendation: { action: 'require_approval' }, category: 'Financial' },
        { name: 'drop_d', recommendation: { action: 'hide' } },
        { name: 'run_e', recommendation: { action: 'deny' } },
      ],
      { serverName: 'Demo', schema: './schema/policy.schema.json' },
    );
    expect(policy).toEqual({
      $schema: './schema/policy.schema.json',
      description: 'Recommended policy for Demo, written by "policylayer init" from its tool catalog. Review each rule before relying on it.',
      version: '1',
      default: 'deny',
      hide: ['drop_d'],
      tools: {
        read_a: {},
        write_b: { limits: [{ counter: 'write_b_rate', window: 'hour', max: 5, scope: 'grant' }] },
        pay_c: { require_approval: [{ message: 'pay_c can move money or change billing; approve only calls you expect.' }] },
        run_e: { deny_if: [{ on_deny: 'run_e is denied by policy.' }] },
      },
    });
  });

  it('gives MCP-Slicer exactly the seed’s rule for execute_python_code', () => {
    const seed = JSON.parse(readFileSync(resolve(ROOT, 'fixtures/policies/valid/seed-execute-python-code.json'), 'utf8')) as { tools: Record<string, unknown> };
    const policy = recommendedPolicy(mcpSlicer);
    expect(policy.tools).toEqual({ list_nodes: {}, execute_python_code: seed.tools.execute_python_code, capture_screenshot: {} });
    expect(policy.tools!.execute_python_code).toEqual({
      limits: [{ counter: 'execute_python_code_rate', window: 'minute', max: 10, scope: 'grant' }],
    });
    expect(policy.default).toBe('deny');
    expect(policy.hide).toBeUndefined();
  });
});

/** Every corpus server's recommended policy, as init writes it, lints clean against its catalog and is fmt's output. */
describe('init output lints clean and is formatted', () => {
  const catalogs: ServerCatalog[] = [
    mcpSlicer,
    ...loadCorpus().map((entry) => catalogFromListing({ command: ['node', entry.server.id], serverInfo: { name: entry.server.id }, tools: entry.tools })),
  ];
  const choicesOf = (catalog: ServerCatalog) => catalog.tools.map(recommendedChoice);
  const reviews = (catalog: ServerCatalog) => new Map(catalog.tools.flatMap((tool) => (tool.needsReview !== undefined ? [[tool.name, tool.needsReview] as const] : [])));

  it.each(catalogs.map((catalog) => [catalog.id, catalog] as const))('%s', async (_id, catalog) => {
    const policy = policyFromChoices(choicesOf(catalog), { serverName: catalog.name });
    for (const file of ['policylayer.json', 'policylayer.yaml']) {
      const text = await policyText(policy, file, reviews(catalog));
      expect((await formatPolicyText(file, text)).changed, `${file} is not as fmt writes it`).toBe(false);
      const source = file.endsWith('.json') ? parseJsonSource(file, text) : parseYamlSource(file, text);
      const result = await lintDocument(source, { catalog });
      expect(result.findings.map((f) => `${f.severity} ${f.ruleId}: ${f.message}`)).toEqual([]);
      expect(result.policy).toEqual(policy);
      // Every tool that needs review is marked where a reader of the file sees it.
      for (const tool of catalog.tools.filter((t) => t.needsReview !== undefined && t.recommendation.action !== 'hide')) {
        if (file.endsWith('.yaml')) expect(text, tool.name).toContain(`# needs review: ${tool.needsReview}`);
        else expect(JSON.stringify(result.policy?.tools?.[tool.name]), tool.name).toContain('needs review');
      }
    }
  });
});
