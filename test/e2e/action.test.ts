/**
 * The GitHub Action's checks (scripts/action/run.sh, which action.yml runs) against a fixture
 * repository with a base branch, and the pre-commit hooks (.pre-commit-hooks.yaml) through their
 * entry points, with `policylayer` on PATH as the built binary.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BIN, ROOT } from '../helpers/cli.js';

let dir: string;
let repo: string;
let shims: string;

const SEED = readFileSync(join(ROOT, 'fixtures/policies/valid/seed-execute-python-code.json'), 'utf8');
const git = (...args: string[]) => execFileSync('git', args, { cwd: repo, stdio: 'pipe', env: { ...process.env, GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@t', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@t' } });

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'pl-action-'));
  repo = join(dir, 'repo');
  shims = join(dir, 'bin');
  mkdirSync(join(repo, 'recordings'), { recursive: true });
  mkdirSync(shims);
  writeFileSync(join(shims, 'policylayer'), `#!/bin/sh\nexec ${JSON.stringify(process.execPath)} ${JSON.stringify(BIN)} "$@"\n`);
  chmodSync(join(shims, 'policylayer'), 0o755);
  writeFileSync(join(repo, 'policylayer.json'), SEED);
  copyFileSync(join(ROOT, 'fixtures/recordings/slicer-segmentation.jsonl'), join(repo, 'recordings/session.jsonl'));
  writeFileSync(
    join(repo, 'slicer.policytest.yaml'),
    'policy: policylayer.json\ncases:\n  - { name: the 11th call in a minute is denied, tool: execute_python_code, repeat: 11, expect: deny, rule: /tools/execute_python_code/limits/0 }\n',
  );
  git('init', '-q', '-b', 'main');
  git('add', '.');
  git('commit', '-qm', 'base');
  git('checkout', '-qb', 'change');
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function runAction(env: Record<string, string>) {
  const summary = join(dir, 'summary.md');
  const output = join(dir, 'output');
  writeFileSync(summary, '');
  writeFileSync(output, '');
  const result = spawnSync('bash', [join(ROOT, 'scripts/action/run.sh')], {
    cwd: repo,
    encoding: 'utf8',
    env: { PATH: `${shims}:${process.env.PATH}`, HOME: dir, RUNNER_TEMP: dir, GITHUB_STEP_SUMMARY: summary, GITHUB_OUTPUT: output, ...env },
  });
  return { code: result.status, log: result.stdout + result.stderr, summary: readFileSync(summary, 'utf8'), output: readFileSync(output, 'utf8') };
}

describe('the GitHub Action, run as a script', () => {
  it('lints with SARIF, runs the tests and replays against the base branch: a clean branch passes', () => {
    const result = runAction({ PL_RECORDINGS: 'recordings/session.jsonl', PL_BASE_REF: 'main' });
    expect(result.code, result.log).toBe(0);
    expect(result.summary).toContain('### ✅ policylayer lint: no problems in 1 file');
    expect(result.summary).toContain('### ✅ policylayer test: 1 passed, 0 failed');
    expect(result.summary).toContain('### ✅ policylayer replay: 21 calls replayed under `policylayer.json`; 0 of 21 expectations failed; 0 changes compared with `main:policylayer.json`');
    expect(result.output).toBe(`sarif-file=${join(dir, 'policylayer.sarif')}\n`);
    const sarif = JSON.parse(readFileSync(join(dir, 'policylayer.sarif'), 'utf8'));
    expect(sarif.version).toBe('2.1.0');
    expect(sarif.runs[0].results).toEqual([]);
    expect(result.log).toContain('::group::policylayer lint');
  });

  it('fails on a decision the policy change would flip, and reports it; fail-on-change false lets it pass', () => {
    writeFileSync(join(repo, 'policylayer.json'), SEED.replace('"max": 10', '"max": 2'));
    const failing = runAction({ PL_RECORDINGS: 'recordings/session.jsonl', PL_BASE_REF: 'main' });
    expect(failing.code, failing.log).toBe(1);
    expect(failing.summary).toMatch(/### ❌ policylayer replay: 21 calls replayed under `policylayer.json`; \d+ of 21 expectations failed; \d+ changes? compared with `main:policylayer.json`/);
    expect(failing.summary).toContain('| ❌ changed |');
    expect(failing.summary).toContain('### ✅ policylayer test: 1 passed, 0 failed');
    const lenient = runAction({ PL_RECORDINGS: 'recordings/session.jsonl', PL_BASE_REF: 'main', PL_FAIL_ON_CHANGE: 'false', PL_TEST: 'false' });
    expect(lenient.summary).toContain('| 🔀 changed |');
    expect(lenient.summary).not.toContain('policylayer test');
    // The recordings' own expectations still fail under the new limit.
    expect(lenient.code).toBe(1);
  });

  it('puts lint findings in the SARIF file and fails; skips replay outside a pull request', () => {
    writeFileSync(join(repo, 'policylayer.json'), '{"version": "1", "default": "deny", "tools": {"x": {"limit": []}}}\n');
    const result = runAction({ PL_RECORDINGS: 'recordings/session.jsonl', PL_BASE_REF: '', PL_TEST: 'false' });
    expect(result.code).toBe(1);
    expect(result.summary).toContain('### ❌ policylayer lint: 1 error');
    expect(result.summary).toContain('ℹ️ policylayer replay: no base branch to compare with (not a pull request); skipped.');
    const sarif = JSON.parse(readFileSync(join(dir, 'policylayer.sarif'), 'utf8'));
    expect(sarif.runs[0].results.map((r: { ruleId: string }) => r.ruleId)).toEqual(['unknown-key']);
  });

  it('action.yml hands every input to the script, and the script reads nothing else', () => {
    const action = parse(readFileSync(join(ROOT, 'action.yml'), 'utf8'));
    const inputs = Object.keys(action.inputs);
    const used = new Set([...readFileSync(join(ROOT, 'action.yml'), 'utf8').matchAll(/inputs\.([\w-]+)/g)].map((m) => m[1]));
    expect([...used].sort()).toEqual([...inputs].sort());
    for (const [name, input] of Object.entries(action.inputs as Record<string, { description?: string }>)) expect(input.description, name).toBeTruthy();
    const check = action.runs.steps.find((step: { id?: string }) => step.id === 'check');
    const script = readFileSync(join(ROOT, 'scripts/action/run.sh'), 'utf8');
    const read = new Set([...script.matchAll(/\$\{?(PL_[A-Z_]+)/g)].map((m) => m[1]));
    expect([...read].filter((name) => name !== 'PL_SARIF').sort()).toEqual(Object.keys(check.env).sort());
  });
});

describe('pre-commit hooks, through their entry points', () => {
  const hooks = parse(readFileSync(join(ROOT, '.pre-commit-hooks.yaml'), 'utf8')) as Array<{ id: string; entry: string; files: string }>;

  function runHook(id: string, files: string[]) {
    const hook = hooks.find((h) => h.id === id)!;
    const staged = files.filter((file) => new RegExp(hook.files).test(file));
    const [command, ...args] = hook.entry.split(' ');
    expect(command).toBe('policylayer');
    return { staged, ...spawnSync(process.execPath, [BIN, ...args, ...staged], { cwd: repo, encoding: 'utf8' }) };
  }

  it('passes good files and fails bad ones; files picks policies and tests only', () => {
    writeFileSync(join(repo, 'slicer.policy.yaml'), 'version: "1"\ndefault: deny\n');
    writeFileSync(join(repo, 'package.json'), '{}');
    const files = ['policylayer.json', 'slicer.policy.yaml', 'package.json', 'slicer.policytest.yaml', 'recordings/session.jsonl'];
    expect(runHook('policylayer-lint', files)).toMatchObject({ staged: ['policylayer.json', 'slicer.policy.yaml'], status: 0 });
    expect(runHook('policylayer-fmt', files)).toMatchObject({ status: 0 });
    expect(runHook('policylayer-test', files)).toMatchObject({ staged: ['slicer.policytest.yaml'], status: 0 });

    writeFileSync(join(repo, 'policylayer.json'), '{"default": "deny", "version": "1", "tools": {"x": {"limit": []}}}');
    const lint = runHook('policylayer-lint', files);
    expect(lint.status).toBe(1);
    expect(lint.stdout).toContain('unknown key "limit"');
    writeFileSync(join(repo, 'policylayer.json'), '{"default": "deny", "version": "1"}');
    const fmt = runHook('policylayer-fmt', files);
    expect(fmt.status).toBe(1);
    expect(fmt.stdout + fmt.stderr).toContain('policylayer.json');
  });
});
