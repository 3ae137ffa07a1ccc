import { describe, expect, it } from 'vitest';
import { parseJsonSource } from '../../src/policy/parse-json.js';
import { parseYamlSource } from '../../src/policy/parse-yaml.js';
import { rangeOf } from '../../src/policy/source.js';

describe('source positions', () => {
  it('reports 1-based line:column with CRLF, tabs, a BOM and non-ASCII text', () => {
    const text = '\uFEFF{\r\n\t"description": "Überwachung 🩻",\r\n\t"version": "1",\r\n\t"default": "deny"\r\n}';
    const doc = parseJsonSource('p.json', text);
    expect(doc.syntaxErrors).toEqual([]);
    expect(rangeOf(doc, '/version', 'key').start).toMatchObject({ line: 3, column: 2 });
    expect(rangeOf(doc, '/default', 'value').start).toMatchObject({ line: 4, column: 13 });
    // "🩻" is two UTF-16 code units; the closing quote after it sits at column 32.
    expect(rangeOf(doc, '/description', 'value').end).toMatchObject({ line: 2, column: 33 });
  });

  it('gives YAML nodes the same pointers and positions', () => {
    const doc = parseYamlSource('p.yaml', 'version: "1"\r\ndefault: deny\r\ntools:\r\n  list_nodes: {}\r\n');
    expect(doc.value).toEqual({ version: '1', default: 'deny', tools: { list_nodes: {} } });
    expect(rangeOf(doc, '/tools/list_nodes', 'key').start).toMatchObject({ line: 4, column: 3 });
  });

  it('records duplicate keys in JSON and YAML', () => {
    expect(parseJsonSource('p.json', '{"a": 1, "a": 2}').duplicates).toHaveLength(1);
    expect(parseYamlSource('p.yaml', 'a: 1\na: 2\n').duplicates).toHaveLength(1);
  });

  it('keeps "__proto__" as a plain key', () => {
    const doc = parseJsonSource('p.json', '{"tools": {"__proto__": {"deny_if": []}}}');
    const tools = (doc.value as { tools: object }).tools;
    expect(Object.getPrototypeOf(tools)).toBe(Object.prototype);
    expect(Object.keys(tools)).toEqual(['__proto__']);
  });

  it('refuses 10,000-deep nesting with a position instead of overflowing the stack', () => {
    const doc = parseJsonSource('p.json', '['.repeat(10_000) + ']'.repeat(10_000));
    expect(doc.syntaxErrors[0]?.message).toMatch(/nesting deeper than/);
  });
});
