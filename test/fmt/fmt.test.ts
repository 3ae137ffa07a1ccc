import { chmodSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { jsonEqual } from '../../src/util/json.js';
import { formatPolicyText } from '../../src/policy/format.js';
import { parsePolicyText } from '../../src/policy/read.js';
import { ROOT, runCli } from '../helpers/cli.js';
import { INVALID, policyFiles, VALID } from '../lint/fixtures.js';

const dir = mkdtempSync(join(tmpdir(), 'policylayer-fmt-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function file(name: string, text: string): string {
  writeFileSync(join(dir, name), text);
  return name;
}

const SHUFFLED =
  '{"tools":{"b":{"limits":[{"scope":"grant","max":10,"window":"minute","counter":"c","extra":1}],"deny_if":[{"on_deny":"no","conditions":[{"value":1.50,"op":"gt","path":"args.n"}]}]},"a":{}},' +
  '"x-note":"kept","default":"deny","version":"1","hide":["z","y"],"$schema":"s.json"}';

const CANONICAL = `{
  "$schema": "s.json",
  "version": "1",
  "default": "deny",
  "hide": [
    "z",
    "y"
  ],
  "tools": {
    "b": {
      "deny_if": [
        {
          "conditions": [
            {
              "path": "args.n",
              "op": "gt",
              "value": 1.50
            }
          ],
          "on_deny": "no"
        }
      ],
      "limits": [
        {
          "counter": "c",
          "window": "minute",
          "max": 10,
          "scope": "grant",
          "extra": 1
        }
      ]
    },
    "a": {}
  },
  "x-note": "kept"
}
`;

describe('formatPolicyText', () => {
  it('writes keys in the schema order, two-space indentation; tool names, list items and unknown keys keep their order', async () => {
    expect((await formatPolicyText('p.json', SHUFFLED)).text).toBe(CANONICAL);
    expect(await formatPolicyText('p.json', CANONICAL)).toEqual({ text: CANONICAL, changed: false });
  });

  it('keeps numbers as written, so no value is rounded', async () => {
    const { text } = await formatPolicyText('p.json', '{"version":"1","default":"deny","x":[12345678901234567890, 1e3, -0.0]}');
    expect(text).toContain('12345678901234567890,\n    1e3,\n    -0.0\n');
  });

  it('keeps a byte-order mark and CRLF line endings', async () => {
    const { text } = await formatPolicyText('p.json', '\uFEFF{"default": "deny",\r\n "version": "1"}\r\n');
    expect(text).toBe('\uFEFF{\r\n  "version": "1",\r\n  "default": "deny"\r\n}\r\n');
    const yaml = await formatPolicyText('p.yaml', 'default: deny\r\nversion: "1"\r\n');
    expect(yaml.text).toBe('version: "1"\r\ndefault: deny\r\n');
  });

  it('formats YAML keeping comments, quotes and flow style; a comment above the first key stays on top', async () => {
    const source = [
      '# policy for the lab workstation',
      'default: deny   # deny unlisted tools',
      "version: '1'",
      'tools:',
      '  # the dangerous one',
      '  execute_python_code:',
      '    limits:',
      '        - { counter: epc, window: minute, max: 10, scope: grant }',
      '    deny_if:',
      '      - conditions: [{ path: args.code, op: contains, value: "os.system" }]',
      '',
    ].join('\n');
    expect((await formatPolicyText('p.yaml', source)).text).toBe(
      [
        '# policy for the lab workstation',
        "version: '1'",
        'default: deny # deny unlisted tools',
        'tools:',
        '  # the dangerous one',
        '  execute_python_code:',
        '    deny_if:',
        '      - conditions: [ { path: args.code, op: contains, value: "os.system" } ]',
        '    limits:',
        '      - { counter: epc, window: minute, max: 10, scope: grant }',
        '',
      ].join('\n'),
    );
  });

  it('refuses text that does not parse, and duplicate keys, naming the position', async () => {
    await expect(formatPolicyText('p.json', '{"version": "1",}')).rejects.toThrow('p.json:1:16: not formatted: invalid JSON: trailing comma before "}" (JSON allows none)');
    await expect(formatPolicyText('p.json', '{"a": 1,\n "a": 2}')).rejects.toThrow('p.json:2:2: not formatted: duplicate key "a"');
    await expect(formatPolicyText('p.yaml', 'a: [1\n')).rejects.toThrow(/^p\.yaml:\d+:\d+: not formatted: invalid YAML/);
  });

  const fixtures = [...policyFiles(VALID), ...policyFiles(INVALID)];
  it.each(fixtures.map((f) => [relative(ROOT, f), f]))('%s: formatted text parses to the same policy and formats to itself', async (name, path) => {
    const raw = readFileSync(path, 'utf8');
    const before = await parsePolicyText(name, raw);
    if (before.syntaxErrors.length > 0 || before.duplicates.length > 0) return;
    const once = await formatPolicyText(name, raw);
    expect(jsonEqual((await parsePolicyText(name, once.text)).value, before.value)).toBe(true);
    expect(await formatPolicyText(name, once.text)).toEqual({ text: once.text, changed: false });
  });

  it('any JSON document: same value after formatting, and formatting is idempotent', async () => {
    await fc.assert(
      fc.asyncProperty(fc.json({ depthSize: 'small' }), async (text) => {
        const before = await parsePolicyText('p.json', text);
        fc.pre(before.syntaxErrors.length === 0 && before.duplicates.length === 0);
        const once = await formatPolicyText('p.json', text);
        expect(jsonEqual(JSON.parse(once.text), JSON.parse(text))).toBe(true);
        expect((await formatPolicyText('p.json', once.text)).changed).toBe(false);
      }),
      { numRuns: 300 },
    );
  });

  it('policy-shaped documents with keys in any order come out in one canonical text', async () => {
    const limit = fc.record({ counter: fc.string({ minLength: 1 }), window: fc.constantFrom('minute', 'hour', 'day'), max: fc.nat(), scope: fc.constantFrom('grant', 'session', 'global') });
    // Values are scalars: inside a value, and between tool names, fmt keeps the author's order.
    const condition = fc.record({ path: fc.constant('args.x'), op: fc.constant('eq'), value: fc.oneof(fc.string(), fc.integer(), fc.boolean(), fc.constant(null)) });
    const policy = fc.record(
      {
        version: fc.constant('1'),
        default: fc.constantFrom('allow', 'deny'),
        hide: fc.array(fc.string({ minLength: 1 })),
        all_tools: fc.record({ limits: fc.array(limit, { maxLength: 2 }) }),
        tools: fc.dictionary(fc.string({ minLength: 1 }), fc.record({ deny_if: fc.array(fc.record({ conditions: fc.array(condition, { maxLength: 2 }), on_deny: fc.string() }), { maxLength: 2 }), limits: fc.array(limit, { maxLength: 2 }) }, { requiredKeys: [] }), { maxKeys: 3 }),
      },
      { requiredKeys: ['version', 'default'] },
    );
    const shuffle = (value: unknown, seed: number): unknown => {
      if (Array.isArray(value)) return value.map((item) => shuffle(item, seed));
      if (!value || typeof value !== 'object') return value;
      const entries = Object.entries(value);
      const rotated = entries.length > 0 ? [...entries.slice(seed % entries.length), ...entries.slice(0, seed % entries.length)].reverse() : entries;
      const out: Record<string, unknown> = {};
      for (const [k, v] of rotated) Object.defineProperty(out, k, { value: shuffle(v, seed + 1), enumerable: true, writable: true, configurable: true });
      return out;
    };
    await fc.assert(
      fc.asyncProperty(policy, fc.nat(), async (doc, seed) => {
        const a = await formatPolicyText('p.json', JSON.stringify(doc));
        const b = await formatPolicyText('p.json', JSON.stringify(shuffle(doc, seed), null, '\t'));
        if (Object.keys(doc.tools ?? {}).length <= 1) expect(b.text).toBe(a.text);
        expect(jsonEqual(JSON.parse(b.text), doc)).toBe(true);
      }),
      { numRuns: 200 },
    );
  });
});

describe('policylayer fmt', () => {
  it('prints the formatted text of one file', async () => {
    const result = await runCli(['fmt', file('print.json', SHUFFLED)], { cwd: dir });
    expect(result).toEqual({ code: 0, stdout: CANONICAL, stderr: '' });
  });

  it('--check lists files that would change and exits 1; 0 when all are formatted', async () => {
    const bad = file('check-bad.json', SHUFFLED);
    const good = file('check-good.json', CANONICAL);
    const result = await runCli(['fmt', '--check', bad, good], { cwd: dir });
    expect(result).toEqual({ code: 1, stdout: 'check-bad.json: not formatted\n', stderr: 'policylayer: 1 of 2 files not formatted; run `policylayer fmt --write`\n' });
    expect(readFileSync(join(dir, bad), 'utf8')).toBe(SHUFFLED);
    expect((await runCli(['fmt', '--check', good], { cwd: dir })).code).toBe(0);
  });

  it('--write rewrites only files that change, keeping their mode', async () => {
    const name = file('write.json', SHUFFLED);
    chmodSync(join(dir, name), 0o640);
    const result = await runCli(['fmt', '--write', name], { cwd: dir });
    expect(result).toEqual({ code: 0, stdout: 'formatted write.json\n', stderr: '' });
    expect(readFileSync(join(dir, name), 'utf8')).toBe(CANONICAL);
    expect(statSync(join(dir, name)).mode & 0o777).toBe(0o640);
    expect((await runCli(['fmt', '--write', name], { cwd: dir })).stdout).toBe('');
  });

  it('refuses a file with syntax errors (exit 2) and still formats the others', async () => {
    const broken = file('broken.json', '{"version": "1"');
    const other = file('other.json', SHUFFLED);
    const result = await runCli(['fmt', '--write', broken, other], { cwd: dir });
    expect(result.code).toBe(2);
    expect(result.stderr).toBe('policylayer: broken.json:1:16: not formatted: invalid JSON: the text ends before the JSON is complete (a missing "}" or "]"?)\n');
    expect(readFileSync(join(dir, broken), 'utf8')).toBe('{"version": "1"');
    expect(readFileSync(join(dir, other), 'utf8')).toBe(CANONICAL);
  });

  it('formats standard input with "-" (JSON or YAML), or with --check says whether it would change', async () => {
    expect(await runCli(['fmt', '-'], { cwd: dir, stdin: SHUFFLED })).toEqual({ code: 0, stdout: CANONICAL, stderr: '' });
    expect(await runCli(['fmt', '-'], { cwd: dir, stdin: 'default: deny # kept\nversion: "1"\n' })).toEqual({ code: 0, stdout: 'version: "1"\ndefault: deny # kept\n', stderr: '' });
    expect(await runCli(['fmt', '--check', '-', '--stdin-filename', 'team.json'], { cwd: dir, stdin: SHUFFLED })).toEqual({ code: 1, stdout: 'team.json: not formatted\n', stderr: '' });
    expect(await runCli(['fmt', '--check', '-'], { cwd: dir, stdin: CANONICAL })).toEqual({ code: 0, stdout: '', stderr: '' });
    expect(await runCli(['fmt', '-'], { cwd: dir, stdin: '{"version": ' })).toMatchObject({ code: 2, stdout: '' });
    expect(await runCli(['fmt', '--write', '-'], { cwd: dir })).toMatchObject({ code: 2, stderr: 'policylayer: standard input cannot be rewritten in place: `fmt -` prints the formatted text\n' });
  });

  it('usage errors: --check with --write, several files without either', async () => {
    expect(await runCli(['fmt', '--check', '--write', 'x.json'], { cwd: dir })).toMatchObject({ code: 2, stderr: 'policylayer: give --check or --write, not both\n' });
    const several = await runCli(['fmt', file('s1.json', CANONICAL), file('s2.json', CANONICAL)], { cwd: dir });
    expect(several).toMatchObject({ code: 2, stdout: '', stderr: 'policylayer: 2 files: give --write to format them in place, or --check to list the ones that would change\n' });
  });

  it('the shipped fixtures of the formats it owns are formatted', async () => {
    const result = await runCli(['fmt', '--check', 'fixtures/policies/valid/mcp-slicer', 'fixtures/policies/valid/recommended', 'fixtures/policies/valid/seed-execute-python-code.json'], { cwd: ROOT });
    expect(result).toMatchObject({ code: 0, stdout: '' });
  });
});
