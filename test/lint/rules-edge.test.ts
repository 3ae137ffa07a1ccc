import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { builtinCatalog } from '../../src/catalog/builtin.js';
import type { CatalogTool, ServerCatalog } from '../../src/catalog/types.js';
import type { Finding } from '../../src/lint/finding.js';
import { lintSource } from '../../src/lint/lint-source.js';
import { isRequiredArgument, lookupArgument, typesOf } from '../../src/lint/tool-schema.js';
import { parseJsonSource } from '../../src/policy/parse-json.js';

const slicer = builtinCatalog('mcp-slicer')!;

function lint(policy: unknown, catalog?: ServerCatalog): Finding[] {
  return lintSource(parseJsonSource('p.json', JSON.stringify(policy, null, 2)), catalog ? { catalog } : {}).findings;
}

const ids = (findings: Finding[]) => findings.map((f) => `${f.ruleId} ${f.pointer}`);

/** A tool as pydantic publishes Optional[...] parameters and nested models. */
const pydanticTool: CatalogTool = {
  name: 'edit',
  summary: '',
  category: 'Write',
  risk: 'Medium',
  reason: '',
  evidence: [],
  confidence: 1,
  recommendation: { action: 'allow' },
  inputSchema: {
    type: 'object',
    properties: {
      path: { type: 'string' },
      size: { anyOf: [{ type: 'integer' }, { type: 'null' }], default: null },
      options: { type: 'object', properties: { mode: { enum: ['fast', 'safe'] }, dry: { type: 'boolean' } }, required: ['mode'] },
      edits: { type: 'array', items: { type: 'object', properties: { oldText: { type: 'string' } } } },
      extra: { type: 'object', additionalProperties: true },
      anything: {},
    },
    required: ['path', 'options'],
  },
};

describe('reading input schemas', () => {
  it('follows properties, array items by index, anyOf, and stops at open objects', () => {
    expect(lookupArgument(pydanticTool, ['path'])).toMatchObject({ kind: 'found' });
    expect(lookupArgument(pydanticTool, ['options', 'mode'])).toMatchObject({ kind: 'found' });
    expect(lookupArgument(pydanticTool, ['edits', '0', 'oldText'])).toMatchObject({ kind: 'found' });
    expect(lookupArgument(pydanticTool, ['edits', 'first'])).toMatchObject({ kind: 'unknown', segment: 'first', at: 'args.edits' });
    expect(lookupArgument(pydanticTool, ['options', 'mod'])).toEqual({ kind: 'unknown', segment: 'mod', at: 'args.options', known: ['mode', 'dry'] });
    expect(lookupArgument(pydanticTool, ['extra', 'whatever', 'deep'])).toEqual({ kind: 'open' });
    expect(lookupArgument(pydanticTool, ['anything', 'x'])).toEqual({ kind: 'open' });
    expect(lookupArgument(pydanticTool, ['path', 'x'])).toMatchObject({ kind: 'unknown', at: 'args.path', known: [] });
    expect(lookupArgument(pydanticTool, ['sise'])).toMatchObject({ kind: 'unknown', segment: 'sise' });
  });

  it('reads types from type, anyOf, enum and const', () => {
    const at = (...segments: string[]) => {
      const found = lookupArgument(pydanticTool, segments);
      return found.kind === 'found' ? [...(typesOf(found.schema) ?? [])].sort() : undefined;
    };
    expect(at('size')).toEqual(['integer', 'null']);
    expect(at('options', 'mode')).toEqual(['string']);
    expect(at('anything')).toEqual([]);
  });

  it('knows which arguments every call must carry', () => {
    expect(isRequiredArgument(pydanticTool, ['path'])).toBe(true);
    expect(isRequiredArgument(pydanticTool, ['options', 'mode'])).toBe(true);
    expect(isRequiredArgument(pydanticTool, ['options', 'dry'])).toBe(false);
    expect(isRequiredArgument(pydanticTool, ['size'])).toBe(false);
    expect(isRequiredArgument(pydanticTool, ['extra', 'x'])).toBe(false);
    expect(isRequiredArgument(pydanticTool, ['nope'])).toBeUndefined();
  });
});

describe('rule edge cases', () => {
  it('unlimited-high-risk: an all_tools limit, a hidden tool, an unconditional deny or approval each count as handled', () => {
    const open = { version: '1', default: 'allow' };
    expect(ids(lint(open, slicer))).toContain('unlimited-high-risk /default');
    for (const handled of [
      { ...open, all_tools: { limits: [{ counter: 'c', window: 'minute', max: 60, scope: 'grant' }] } },
      { ...open, hide: ['execute_python_code'] },
      { ...open, hide: ['*'] },
      { ...open, tools: { execute_python_code: { deny_if: [{}] } } },
      { ...open, tools: { execute_python_code: { require_approval: [{ message: 'every call' }] } } },
      { version: '1', default: 'deny' },
    ]) {
      expect(ids(lint(handled, slicer)), JSON.stringify(handled)).not.toContain('unlimited-high-risk /default');
      expect(ids(lint(handled, slicer)).some((id) => id.startsWith('unlimited-high-risk'))).toBe(false);
    }
    const conditional = { version: '1', default: 'deny', tools: { execute_python_code: { require_approval: [{ conditions: [{ path: 'args.code', op: 'contains', value: 'os' }] }] } } };
    expect(ids(lint(conditional, slicer))).toEqual(['unlimited-high-risk /tools/execute_python_code']);
  });

  it('counter-conflict: two all_tools limits on one counter count every call twice', () => {
    const limit = { counter: 'calls', window: 'minute', max: 60, scope: 'grant' };
    expect(ids(lint({ version: '1', default: 'deny', all_tools: { limits: [limit, { ...limit, max: 100 }] } }))).toEqual(['counter-conflict /all_tools/limits/1/counter']);
    // Shared between two tools with the same window and scope: one budget, as intended.
    expect(lint({ version: '1', default: 'deny', tools: { a: { limits: [limit] }, b: { limits: [{ ...limit, max: 10 }] } } })).toEqual([]);
  });

  it('tool names that look like prototype members are plain names', () => {
    const text = '{"version": "1", "default": "deny", "hide": ["constructor"], "tools": {"__proto__": {"limits": []}, "toString": {}}}';
    const findings = lintSource(parseJsonSource('p.json', text), { catalog: slicer }).findings;
    expect(ids(findings)).toEqual(['unknown-tool /hide/0', 'invalid-value /tools/__proto__', 'unknown-tool /tools/toString']);
  });

  it('never throws, and every finding lies inside the text, whatever the document', () => {
    const policyish = fc.record(
      {
        version: fc.oneof(fc.constant('1'), fc.jsonValue()),
        default: fc.oneof(fc.constantFrom('allow', 'deny'), fc.jsonValue()),
        hide: fc.oneof(fc.array(fc.constantFrom('*', 'list_nodes', 'execute_python_code', 'x')), fc.jsonValue()),
        all_tools: fc.oneof(fc.record({ limits: fc.array(fc.jsonValue()) }), fc.jsonValue()),
        tools: fc.dictionary(fc.constantFrom('execute_python_code', 'capture_screenshot', 'list_nodes', 'x', '__proto__'), fc.jsonValue()),
      },
      { requiredKeys: [] },
    );
    fc.assert(
      fc.property(fc.oneof(policyish, fc.jsonValue()), fc.boolean(), (value, withCatalog) => {
        const text = JSON.stringify(value, null, 2) ?? 'null';
        const source = parseJsonSource('p.json', text);
        const { findings } = lintSource(source, withCatalog ? { catalog: slicer } : {});
        for (const f of findings) {
          expect(f.range.start.offset).toBeLessThanOrEqual(f.range.end.offset);
          expect(f.range.end.offset).toBeLessThanOrEqual(text.length);
          expect(f.message.length).toBeGreaterThan(0);
        }
      }),
      { numRuns: 400 },
    );
  });
});
