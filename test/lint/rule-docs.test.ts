import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { builtinCatalog } from '../../src/catalog/builtin.js';
import { parseCatalogText } from '../../src/catalog/catalog-file.js';
import { lintDocument } from '../../src/lint/lint-document.js';
import { allRules } from '../../src/lint/rules/index.js';
import { parsePolicyText } from '../../src/policy/read.js';
import { ROOT } from '../helpers/cli.js';
import { PAYMENTS_CATALOG } from './fixtures.js';

const DOCS = join(ROOT, 'docs/rules');

function example(markdown: string, heading: 'Bad' | 'Good'): { text: string; lang: string } {
  const match = new RegExp(`## ${heading}\\n\\n\`\`\`(json|yaml)\\n([\\s\\S]*?)\\n\`\`\``).exec(markdown);
  expect(match, `a ${heading} example`).not.toBeNull();
  return { lang: match![1]!, text: match![2]! };
}

async function findings(id: string, markdown: string, heading: 'Bad' | 'Good') {
  const { text, lang } = example(markdown, heading);
  const savedCatalog = /--catalog (fixtures\/lint\/[\w.-]+\.json)/.exec(markdown.split('\n')[2] ?? '')?.[1];
  const catalog = /payments-catalog\.json/.test(markdown.split('\n')[2] ?? '')
    ? parseCatalogText('payments-catalog.json', readFileSync(PAYMENTS_CATALOG, 'utf8'))
    : savedCatalog
      ? parseCatalogText(savedCatalog, readFileSync(join(ROOT, savedCatalog), 'utf8'))
      : /--server mcp-slicer/.test(markdown.split('\n')[2] ?? '')
      ? builtinCatalog('mcp-slicer')!
      : undefined;
  const source = await parsePolicyText(`${id}.${lang}`, text);
  return (await lintDocument(source, catalog ? { catalog } : {})).findings;
}

describe('docs/rules', () => {
  it('has a page for every rule and no page for a rule that does not exist', () => {
    const pages = readdirSync(DOCS).filter((name) => name.endsWith('.md') && name !== 'README.md').map((name) => name.slice(0, -3)).sort();
    expect(pages).toEqual(allRules.map((rule) => rule.id).sort());
  });

  it('lists every rule in the index with its severity', () => {
    const index = readFileSync(join(DOCS, 'README.md'), 'utf8');
    for (const rule of allRules) expect(index).toContain(`| [\`${rule.id}\`](${rule.id}.md) | ${rule.severity} | ${rule.needsCatalog ? 'yes' : ''} |`);
  });

  it.each(allRules.map((rule) => [rule.id, rule]))('%s: states its severity; the bad example triggers it, the good one is clean', async (id, rule) => {
    const file = join(DOCS, `${id}.md`);
    expect(existsSync(file)).toBe(true);
    const markdown = readFileSync(file, 'utf8');
    expect(markdown.startsWith(`# ${id}\n\n**Severity:** ${rule.severity} · **Needs a catalog:** ${rule.needsCatalog ? 'yes' : 'no'}`)).toBe(true);
    const bad = await findings(id, markdown, 'Bad');
    expect(bad.map((f) => f.ruleId)).toContain(id);
    const good = await findings(id, markdown, 'Good');
    expect(good.filter((f) => f.severity !== 'info' || f.ruleId === id)).toEqual([]);
  });
});
