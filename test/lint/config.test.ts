import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { applyLintConfig, gatesLoading, resolveLintConfig, withRuleFlags, type LintConfig } from '../../src/lint/config.js';
import type { Finding } from '../../src/lint/finding.js';
import { allRules } from '../../src/lint/rules/index.js';
import { runCli } from '../helpers/cli.js';

const at = { start: { line: 1, column: 1, offset: 0 }, end: { line: 1, column: 2, offset: 1 } };
const finding = (ruleId: string, pointer: string, severity: Finding['severity'] = 'warning'): Finding => ({ ruleId, severity, message: ruleId, pointer, range: at });

describe('lint configuration (pure)', () => {
  const resolve = (path: string) => `/repo/${path}`;

  it('sets levels, drops what is off, and ignores by rule, file or folder, and pointer', () => {
    const { config, problems } = resolveLintConfig(
      {
        rules: { 'default-allow': 'off', 'unlimited-high-risk': 'error' },
        ignore: [
          { rule: 'redundant-allow', files: ['policies/legacy', 'team.json'], reason: 'kept for old clients' },
          { rule: 'unknown-tool', pointer: '/tools/old', reason: 'the server drops it in 2.0' },
        ],
      },
      allRules,
      resolve,
    );
    expect(problems).toEqual([]);
    const findings = [
      finding('default-allow', '/default'),
      finding('unlimited-high-risk', '/tools/x'),
      finding('redundant-allow', '/tools/y', 'info'),
      finding('unknown-tool', '/tools/old', 'error'),
      finding('unknown-tool', '/tools/older', 'error'),
      finding('unknown-tool', '/tools/old/limits/0', 'error'),
    ];
    const ids = (file: string | undefined) => {
      const applied = applyLintConfig(findings, file, config);
      return { kept: applied.findings.map((f) => `${f.ruleId}@${f.pointer}:${f.severity}`), suppressed: applied.suppressed };
    };
    expect(ids('/repo/policies/legacy/a.json')).toEqual({ kept: ['unlimited-high-risk@/tools/x:error', 'unknown-tool@/tools/older:error'], suppressed: 4 });
    expect(ids('/repo/team.json').kept).not.toContain('redundant-allow@/tools/y:info');
    // "policies/legacy" is a folder: policies/legacy-2 is not inside it. Unnamed standard input matches no files.
    expect(ids('/repo/policies/legacy-2/a.json').kept).toContain('redundant-allow@/tools/y:info');
    expect(ids(undefined).kept).toContain('redundant-allow@/tools/y:info');
  });

  it('refuses unknown rules with a suggestion, and turning down or ignoring a rule whose errors stop the proxy', () => {
    const { problems } = resolveLintConfig(
      { rules: { 'default-alow': 'off', 'unsafe-regex': 'warning', 'invalid-syntax': 'error' }, ignore: [{ rule: 'counter-conflict', reason: 'x' }] },
      allRules,
      resolve,
    );
    expect(problems).toEqual([
      { pointer: '/rules/default-alow', part: 'key', message: 'unknown rule "default-alow" (did you mean "default-allow"?); the rules are listed in docs/rules/README.md' },
      { pointer: '/rules/unsafe-regex', part: 'key', message: '"unsafe-regex" cannot be turned down: a policy with this error does not load in the proxy, so lint must fail too; change the policy instead' },
      { pointer: '/ignore/0/rule', message: '"counter-conflict" cannot be ignored: a policy with this error does not load in the proxy, so lint must fail too; change the policy instead' },
    ]);
    // Catalog rules only run in lint, so their errors can be turned down.
    expect(gatesLoading(allRules.find((rule) => rule.id === 'unknown-tool')!)).toBe(false);
    expect(gatesLoading(allRules.find((rule) => rule.id === 'missing-key')!)).toBe(true);
  });

  it('--rule flags override the file', () => {
    const base: LintConfig = { levels: new Map([['default-allow', 'off']]), ignore: [] };
    const { config, problems } = withRuleFlags(base, ['default-allow=error', 'redundant-allow=warning', 'nope', 'zero-max-limit=loud'], allRules);
    expect([...config.levels]).toEqual([
      ['default-allow', 'error'],
      ['redundant-allow', 'warning'],
    ]);
    expect(problems.map((p) => p.message)).toEqual(['--rule nope: expected <rule-id>=<level> (off, info, warning, error)', '--rule zero-max-limit=loud: the level must be one of off, info, warning, error']);
  });
});

describe('policylayer lint with a configuration', () => {
  const root = mkdtempSync(join(tmpdir(), 'policylayer-lint-config-'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));
  const ALLOWING = '{"version": "1", "default": "allow", "tools": {"execute_python_code": {}}}';
  mkdirSync(join(root, 'policies/legacy'), { recursive: true });
  mkdirSync(join(root, 'sub'), { recursive: true });
  writeFileSync(join(root, 'policies/a.json'), ALLOWING);
  writeFileSync(join(root, 'policies/legacy/b.json'), ALLOWING);
  writeFileSync(join(root, '.policylayer-lint.yaml'), 'rules:\n  redundant-allow: off\nignore:\n  - rule: default-allow\n    files: [policies/legacy]\n    reason: old clients still need it\n');
  const rules = (stdout: string) => JSON.parse(stdout).files.map((f: { path: string; findings: Array<{ ruleId: string; severity: string }> }) => [f.path, f.findings.map((x) => `${x.ruleId}:${x.severity}`)]);

  it('finds the nearest .policylayer-lint file from the working folder up, and says how many findings it hid', async () => {
    const result = await runCli(['lint', '../policies', '--format', 'json'], { cwd: join(root, 'sub') });
    expect(rules(result.stdout)).toEqual([
      [join(root, 'policies/a.json'), ['default-allow:warning']],
      [join(root, 'policies/legacy/b.json'), []],
    ]);
    expect(result.stderr).toBe(`policylayer: 3 findings not shown (turned off or ignored by ${join(root, '.policylayer-lint.yaml')})\n`);
  });

  it('--no-config ignores it; --rule sets levels; --config names another file', async () => {
    const plain = await runCli(['lint', 'policies', '--format', 'json', '--no-config', '--rule', 'default-allow=error'], { cwd: root });
    expect(plain.code).toBe(1);
    expect(rules(plain.stdout)[0]).toEqual(['policies/a.json', ['default-allow:error', 'redundant-allow:info']]);
    writeFileSync(join(root, 'strict.json'), '{"rules": {"redundant-allow": "warning"}}');
    const other = await runCli(['lint', 'policies/a.json', '--format', 'json', '--config', 'strict.json'], { cwd: root });
    expect(rules(other.stdout)).toEqual([['policies/a.json', ['default-allow:warning', 'redundant-allow:warning']]]);
  });

  it('a configuration it cannot use is exit 2 with the file, line and column', async () => {
    writeFileSync(join(root, 'bad.yaml'), 'rules:\n  unsafe-regex: off\n');
    expect(await runCli(['lint', 'policies', '--config', 'bad.yaml'], { cwd: root })).toMatchObject({
      code: 2,
      stdout: '',
      stderr: 'policylayer: bad.yaml:2:3: "unsafe-regex" cannot be turned down: a policy with this error does not load in the proxy, so lint must fail too; change the policy instead\n',
    });
    writeFileSync(join(root, 'bad.json'), '{"ignore": [{"rule": "default-allow"}]}');
    expect((await runCli(['lint', 'policies', '--config', 'bad.json'], { cwd: root })).stderr).toBe(
      'policylayer: bad.json:1:13: missing "reason": say why the finding is accepted (see docs/lint.md#configuration)\n',
    );
    writeFileSync(join(root, 'typo.yaml'), 'rules:\n  default-allow: of\nignor: []\n');
    expect((await runCli(['lint', 'policies', '--config', 'typo.yaml'], { cwd: root })).stderr).toBe(
      'policylayer: typo.yaml:2:18: "default-allow" must be one of "off", "info", "warning", "error", not "of" (did you mean "off"?) (see docs/lint.md#configuration)\n',
    );
    writeFileSync(join(root, 'typo.yaml'), 'ignor: []\n');
    expect((await runCli(['lint', 'policies', '--config', 'typo.yaml'], { cwd: root })).stderr).toBe(
      'policylayer: typo.yaml:1:1: unknown key "ignor" (did you mean "ignore"?) (see docs/lint.md#configuration)\n',
    );
    expect(await runCli(['lint', 'policies', '--config', 'missing.json'], { cwd: root })).toMatchObject({ code: 2, stderr: 'policylayer: missing.json: no such file\n' });
    expect(await runCli(['lint', 'policies', '--rule', 'default-allow'], { cwd: root })).toMatchObject({ code: 2, stderr: 'policylayer: --rule: default-allow: expected <rule-id>=<level> (off, info, warning, error)\n' });
  });
});
