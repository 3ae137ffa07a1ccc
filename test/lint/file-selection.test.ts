/**
 * Which files `lint` and `test` look at in a folder: policylayer's own file kinds are skipped with a
 * note, and what .policylayerignore, the lint configuration (include, exclude) and --ignore-pattern
 * leave out is left out, as ESLint users expect. `-o` writes any format to a file.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { nonPolicyKind } from '../../src/lint/file-kind.js';
import { FORMATS } from '../../src/lint/formatters/types.js';
import { parsePolicyText } from '../../src/policy/read.js';
import { TEST_FORMATS } from '../../src/policy-test/formats.js';
import { ROOT, runCli } from '../helpers/cli.js';

const base = mkdtempSync(join(tmpdir(), 'policylayer-selection-'));
afterAll(() => rmSync(base, { recursive: true, force: true }));
let trees = 0;

function tree(files: Record<string, string>): string {
  const root = join(base, String(trees++));
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, name)), { recursive: true });
    writeFileSync(join(root, name), text);
  }
  return root;
}

const GOOD = '{"version": "1", "default": "deny", "tools": {"list_nodes": {}}}\n';
const BAD = '{"version": "1", "default": "deny", "tools": {"t": {"limit": []}}}\n';
const TEST_FILE = (policy: string) => `policy: ${policy}\ncases:\n  - { name: listed, tool: list_nodes, expect: allow }\n`;

async function kindOf(name: string, text: string): Promise<string | undefined> {
  return nonPolicyKind(name, await parsePolicyText(name, text))?.id;
}

describe("policylayer's own file kinds (pure)", () => {
  it('recognises each kind by what only it has', async () => {
    const catalog = (await runCli(['catalog', 'mcp-slicer', '--format', 'json'])).stdout;
    const sarif = (await runCli(['lint', 'fixtures/policies/invalid/unknown-key.json', '--format', 'sarif'])).stdout;
    const lintJson = (await runCli(['lint', 'fixtures/policies/invalid/unknown-key.json', '--format', 'json'])).stdout;
    const schema = (await runCli(['schema'])).stdout;
    expect(await kindOf('server.catalog.json', catalog)).toBe('catalog');
    expect(await kindOf('lint.sarif.json', sarif)).toBe('sarif');
    expect(await kindOf('lint.json', lintJson)).toBe('lint-output');
    expect(await kindOf('policy.schema.json', schema)).toBe('json-schema');
    const lock = { lockfileVersion: 1, server: { name: 'mcp-slicer' }, tools: [{ name: 'list_nodes', sha256: 'a'.repeat(64) }] };
    expect(await kindOf('policylayer.lock.json', JSON.stringify(lock))).toBe('lock');
    const tools = [{ name: 'list_nodes', description: 'Lists nodes.', inputSchema: { type: 'object' } }];
    expect(await kindOf('tools.json', JSON.stringify({ tools }))).toBe('tools-list');
    expect(await kindOf('answer.json', JSON.stringify({ jsonrpc: '2.0', id: 1, result: { tools } }))).toBe('tools-list');
    expect(await kindOf('explain.json', readFileSync(join(ROOT, 'test/explain/golden/deny.json'), 'utf8'))).toBe('explain-output');
    expect(await kindOf('results.json', readFileSync(join(ROOT, 'test/policy-test/golden/failing.json'), 'utf8'))).toBe('test-output');
    expect(await kindOf('top.json', readFileSync(join(ROOT, 'test/ui/golden/top-once.json'), 'utf8'))).toBe('top-summary');
    expect(await kindOf('session.json', readFileSync(join(ROOT, 'fixtures/recordings/slicer-segmentation.jsonl'), 'utf8'))).toBe('json-lines');
    expect(await kindOf('slicer.policytest.yaml', TEST_FILE('p.json'))).toBe('policy-test');
    expect(await kindOf('.policylayer-lint.yaml', 'rules: {}\n')).toBe('lint-config');
  });

  it('lints anything else as a policy: a policy with its keys misspelt, or with tools written as a list', async () => {
    expect(await kindOf('p.json', BAD)).toBeUndefined();
    expect(await kindOf('p.json', '{"verison": "1", "defualt": "deny", "tool": {}}')).toBeUndefined();
    expect(await kindOf('p.json', '{"version": "1", "tools": [{"name": "x", "description": "y"}]}')).toBeUndefined();
    expect(await kindOf('p.json', '{"default": "deny", "serverName": "x", "tools": []}')).toBeUndefined();
    expect(await kindOf('p.json', '{"version": "1",')).toBeUndefined();
    expect(await kindOf('p.yaml', 'version: "1"\ndefault: deny\n')).toBeUndefined();
  });
});

describe('policylayer lint on a folder', () => {
  it("skips policylayer's own files with a note, also its own SARIF output from an earlier run", async () => {
    const dir = tree({ 'policylayer.json': GOOD, 'tests/p.policytest.yaml': TEST_FILE('../policylayer.json'), 'session.jsonl': '{}\n' });
    writeFileSync(join(dir, 'slicer.catalog.json'), (await runCli(['catalog', 'mcp-slicer', '--format', 'json'])).stdout);
    expect((await runCli(['lint', '.', '--format', 'sarif', '-o', 'lint.sarif.json'], { cwd: dir })).code).toBe(0);
    const result = await runCli(['lint', '.'], { cwd: dir });
    expect(result).toEqual({
      code: 0,
      stdout: 'no problems in 1 file\n',
      stderr: [
        'policylayer: lint.sarif.json: not linted: a SARIF log (policylayer lint --format sarif), not a policy',
        'policylayer: slicer.catalog.json: not linted: a saved catalog (policylayer catalog --format json), not a policy',
        'policylayer: tests/p.policytest.yaml: not linted: a policy test file (policylayer test), not a policy',
        '',
      ].join('\n'),
    });
    const json = JSON.parse((await runCli(['lint', '.', '--format', 'json'], { cwd: dir })).stdout);
    expect(json.skipped.map((s: { path: string }) => s.path)).toEqual(['lint.sarif.json', 'slicer.catalog.json', 'tests/p.policytest.yaml']);
    expect(json.summary).toMatchObject({ files: 1, skipped: 3 });
  });

  it('counts the skipped files by kind when there are many', async () => {
    const files: Record<string, string> = { 'p.json': GOOD };
    for (let i = 0; i < 6; i++) files[`t${i}.policytest.json`] = '{}';
    const result = await runCli(['lint', '.'], { cwd: tree(files) });
    expect(result.stderr).toBe('policylayer: 6 files not linted because they are not policies: 6 × a policy test file (policylayer test) (--format json lists them)\n');
  });

  it('leaves out what .policylayerignore, the config exclude and --ignore-pattern match; a named file is still linted', async () => {
    const dir = tree({
      '.policylayerignore': '# broken on purpose\nbroken/\n!broken/keep.json\n',
      '.policylayer-lint.yaml': 'exclude: [legacy.json]\n',
      'good.json': GOOD,
      'broken/a.json': BAD,
      'broken/b.yaml': 'version: 1\n',
      'legacy.json': BAD,
      'drafts/d.json': BAD,
    });
    const lint = async (...args: string[]) => JSON.parse((await runCli(['lint', ...args, '--format', 'json'], { cwd: dir })).stdout).files.map((f: { path: string }) => f.path);
    expect(await lint('.', '--ignore-pattern', 'drafts')).toEqual(['good.json']);
    expect(await lint('.')).toEqual(['drafts/d.json', 'good.json']);
    expect(await lint('broken/a.json', 'legacy.json')).toEqual(['broken/a.json', 'legacy.json']);
    expect(await lint('.', '--no-ignore')).toEqual(['broken/a.json', 'broken/b.yaml', 'drafts/d.json', 'good.json', 'legacy.json']);
    const all = await runCli(['lint', 'broken'], { cwd: dir });
    expect(all.code).toBe(2);
    expect(all.stderr).toBe('policylayer: broken: no policy files (.json, .yaml, .yml) in this folder or below it that is not left out (by .policylayerignore; --no-ignore turns ignore patterns off)\n');
  });

  it("lints what the configuration includes, also without paths, relative to the configuration's folder", async () => {
    const dir = tree({
      '.policylayer-lint.yaml': 'include: ["policies/**/*.yaml"]\n',
      'policies/a.yaml': 'version: "1"\ndefault: deny\n',
      'policies/b.json': BAD,
      'policies/sub/c.yaml': 'version: "1"\ndefault: deny\n',
      'package.json': '{"name": "x", "version": "1.0.0"}',
    });
    const paths = async (cwd: string, ...args: string[]) => JSON.parse((await runCli(['lint', ...args, '--format', 'json'], { cwd })).stdout).files.map((f: { path: string }) => f.path);
    expect(await paths(dir)).toEqual(['policies/a.yaml', 'policies/sub/c.yaml']);
    expect(await paths(dir, '.')).toEqual(['policies/a.yaml', 'policies/sub/c.yaml']);
    // From a folder below the configuration, the patterns still count from the configuration's folder.
    expect(await paths(join(dir, 'policies/sub'))).toEqual([join(dir, 'policies/a.yaml'), 'c.yaml']);
    expect((await runCli(['lint', '--format', 'json'], { cwd: dir })).code).toBe(0);
  });

  it('refuses include and exclude that are not lists of patterns, with the place', async () => {
    const dir = tree({ '.policylayer-lint.yaml': 'include: "*.json"\n', 'p.json': GOOD });
    expect(await runCli(['lint', 'p.json'], { cwd: dir })).toMatchObject({ code: 2, stderr: 'policylayer: .policylayer-lint.yaml:1:10: "include" must be an array, not "*.json" (see docs/lint.md#configuration)\n' });
  });

  it('writes every format to the --output-file, the same text as on stdout, and nothing on stdout', async () => {
    const dir = tree({ 'p.json': BAD });
    for (const format of FORMATS) {
      const direct = await runCli(['lint', 'p.json', '--format', format], { cwd: dir });
      const file = await runCli(['lint', 'p.json', '--format', format, '-o', `reports/lint.${format}`], { cwd: dir });
      expect(file, format).toMatchObject({ code: 1, stdout: '', stderr: direct.stderr });
      expect(readFileSync(join(dir, `reports/lint.${format}`), 'utf8'), format).toBe(direct.stdout);
    }
    expect(await runCli(['lint', 'p.json', '-o', '.'], { cwd: dir })).toMatchObject({ code: 2, stderr: 'policylayer: .: cannot write the report (it is a folder)\n' });
  });

  it('says "nothing linted" when no path could be read, not "no problems"', async () => {
    expect(await runCli(['lint', 'nosuch.json'], { cwd: tree({}) })).toEqual({ code: 2, stdout: 'nothing linted: 1 path could not be read\n', stderr: 'policylayer: nosuch.json: no such file or folder\n' });
  });
});

describe('policylayer test discovery', () => {
  it('leaves out what .policylayerignore and --ignore-pattern match; a named test file still runs', async () => {
    const dir = tree({
      '.policylayerignore': 'broken/\n',
      'p.json': GOOD,
      'ok.policytest.yaml': TEST_FILE('p.json'),
      'broken/bad.policytest.yaml': 'policy: ../p.json\ncases: nope\n',
      'slow/s.policytest.yaml': TEST_FILE('../p.json'),
    });
    expect(await runCli(['test'], { cwd: dir })).toMatchObject({ code: 0 });
    expect((await runCli(['test', '--ignore-pattern', 'slow/', '--format', 'json'], { cwd: dir })).stdout).not.toContain('slow/');
    expect((await runCli(['test', '--no-ignore'], { cwd: dir })).code).toBe(2);
    expect((await runCli(['test', 'broken/bad.policytest.yaml'], { cwd: dir })).code).toBe(2);
  });

  it('writes every format to the --output-file', async () => {
    const dir = tree({ 'p.json': GOOD, 'ok.policytest.yaml': TEST_FILE('p.json') });
    for (const format of TEST_FORMATS) {
      const direct = await runCli(['test', '--format', format], { cwd: dir });
      const file = await runCli(['test', '--format', format, '--output-file', `out/${format}.txt`], { cwd: dir });
      expect(file, format).toMatchObject({ code: 0, stdout: '' });
      const untimed = (text: string) => text.replace(/time="[\d.]+"/g, 'time=""');
      expect(untimed(readFileSync(join(dir, `out/${format}.txt`), 'utf8')), format).toBe(untimed(direct.stdout));
    }
  });
});
