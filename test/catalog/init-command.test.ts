import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT, runBin, runCli } from '../helpers/cli.js';
import { tempDir } from '../helpers/temp.js';

const SIM = resolve(ROOT, 'dist/fixtures/mcp-slicer-sim.mjs');
const MEMORY = resolve(ROOT, 'node_modules/@modelcontextprotocol/server-memory/dist/index.js');
/** Stripe's saved tools/list answer from the classifier's corpus (the server itself is not installed for tests). */
const STRIPE = resolve(ROOT, 'fixtures/catalog/tools-list/stripe@0.2.5.json');
const env = { PATH: process.env.PATH, HOME: process.env.HOME };

/** Lints with the real lint command: no finding of any severity may be reported. */
async function expectLintClean(cwd: string, args: string[]): Promise<void> {
  const result = await runCli(['lint', '--format', 'json', ...args], { cwd, env });
  expect(result.stderr).toBe('');
  const report = JSON.parse(result.stdout) as { files: Array<{ findings: unknown[] }> };
  expect(report.files.flatMap((file) => file.findings)).toEqual([]);
  expect(result.code).toBe(0);
}

describe('policylayer init mcp-slicer', () => {
  it('writes policylayer.json: the seed rule for execute_python_code, lint-clean and fmt-clean', async () => {
    const dir = tempDir('pl-init-');
    const result = await runCli(['init', 'mcp-slicer'], { cwd: dir });
    expect(result).toMatchObject({ code: 0, stderr: '' });
    expect(result.stdout).toBe(
      [
        'Wrote policylayer.json: a recommended policy for MCP-Slicer (3 tools, default deny).',
        '  allow                      list_nodes, capture_screenshot',
        '  limit 10/minute per grant  execute_python_code',
        'Review it, then: policylayer lint policylayer.json --server mcp-slicer',
        'Argument checks the server needs on capture_screenshot (args.view_name): see the on_deny messages.',
        '',
      ].join('\n'),
    );
    const text = readFileSync(join(dir, 'policylayer.json'), 'utf8');
    expect(JSON.parse(text)).toEqual({
      description: 'Recommended policy for MCP-Slicer, written by "policylayer init" from its tool catalog. Review each rule before relying on it.',
      version: '1',
      default: 'deny',
      tools: {
        list_nodes: {},
        execute_python_code: { limits: [{ counter: 'execute_python_code_rate', window: 'minute', max: 10, scope: 'grant' }] },
        // mcp-slicer 0.3 pastes view_name into Python code it sends to Slicer's /exec.
        capture_screenshot: {
          deny_if: [
            {
              conditions: [{ path: 'args.view_name', op: 'not_in', value: ['red', 'yellow', 'green', 'Red', 'Yellow', 'Green', 'RED', 'YELLOW', 'GREEN'] }],
              on_deny: 'capture_screenshot: view_name must be red, yellow or green (mcp-slicer pastes it into Python code that Slicer runs)',
            },
          ],
        },
      },
    });
    await expectLintClean(dir, ['--server', 'mcp-slicer']); // finds policylayer.json itself
    expect(await runCli(['fmt', '--check', 'policylayer.json'], { cwd: dir })).toMatchObject({ code: 0 });
  });

  it('never overwrites without --force', async () => {
    const dir = tempDir('pl-init-');
    writeFileSync(join(dir, 'policylayer.json'), '{"mine": true}\n');
    const refused = await runCli(['init', 'mcp-slicer'], { cwd: dir });
    expect(refused).toMatchObject({ code: 2, stdout: '', stderr: 'policylayer: policylayer.json already exists; pass --force to overwrite it, or -o to write elsewhere\n' });
    expect(readFileSync(join(dir, 'policylayer.json'), 'utf8')).toBe('{"mine": true}\n');
    const forced = await runCli(['init', 'mcp-slicer', '--force'], { cwd: dir });
    expect(forced.code).toBe(0);
    expect(JSON.parse(readFileSync(join(dir, 'policylayer.json'), 'utf8'))).toMatchObject({ default: 'deny' });
  });

  it('writes YAML for a .yaml path, adds $schema on request, and prints to stdout with -o -', async () => {
    const dir = tempDir('pl-init-');
    expect((await runCli(['init', 'mcp-slicer', '-o', 'slicer.policy.yaml', '--schema', './schema/policy.schema.json'], { cwd: dir })).code).toBe(0);
    const yaml = readFileSync(join(dir, 'slicer.policy.yaml'), 'utf8');
    expect(yaml).toMatch(/^\$schema: \.\/schema\/policy\.schema\.json\ndescription: Recommended policy for MCP-Slicer/);
    expect(yaml).toContain('      - counter: execute_python_code_rate\n        window: minute\n        max: 10\n        scope: grant\n');
    await expectLintClean(dir, ['slicer.policy.yaml', '--server', 'mcp-slicer']);

    const stdout = await runCli(['init', 'mcp-slicer', '-o', '-'], { cwd: dir });
    expect(stdout.code).toBe(0);
    expect(JSON.parse(stdout.stdout)).toMatchObject({ version: '1', default: 'deny' });
    expect(existsSync(join(dir, 'policylayer.json'))).toBe(false);
  });

  it.each([
    [['init'], 'policylayer: name a server (built-in: mcp-slicer) or give its command after --; usage: policylayer init [<server> | -- <command> [args…]] [-o policylayer.json] [--force]\n'],
    [['init', 'mcp_slicer'], /^policylayer: no built-in catalog "mcp_slicer" \(did you mean "mcp-slicer"\?\); built-in: mcp-slicer; for any other server give its command after --\n$/],
    [['init', 'mcp-slicer', '-o', 'no/such/folder/p.json'], 'policylayer: no/such/folder/p.json: cannot write (no such folder)\n'],
  ] as const)('%j fails with exit 2 and one line', async (args, message) => {
    const result = await runCli([...args], { cwd: tempDir('pl-init-') });
    expect(result.code).toBe(2);
    if (typeof message === 'string') expect(result.stderr).toBe(message);
    else expect(result.stderr).toMatch(message);
  });
});

describe('policylayer init -- <command>', () => {
  it('hides Destructive tools, limits Write tools, and lints clean against the live server', async () => {
    const dir = tempDir('pl-init-');
    const result = await runCli(['init', '--', process.execPath, MEMORY], { cwd: dir, env });
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('  hide                       delete_entities, delete_observations, delete_relations\n');
    const policy = JSON.parse(readFileSync(join(dir, 'policylayer.json'), 'utf8')) as { hide: string[]; tools: Record<string, unknown> };
    expect(policy.hide).toEqual(['delete_entities', 'delete_observations', 'delete_relations']);
    expect(policy.tools.create_entities).toEqual({ limits: [{ counter: 'create_entities_rate', window: 'minute', max: 30, scope: 'grant' }] });
    expect(policy.tools.read_graph).toEqual({});
    await expectLintClean(dir, ['--live', '--', process.execPath, MEMORY]);
  });

  it('requires approval for Financial tools (Stripe, from its saved tools/list answer)', async () => {
    const dir = tempDir('pl-init-');
    const result = await runCli(['init', '-o', 'stripe.json', STRIPE], { cwd: dir, env });
    expect(result.code).toBe(0);
    const policy = JSON.parse(readFileSync(join(dir, 'stripe.json'), 'utf8')) as { tools: Record<string, { require_approval?: unknown[] }> };
    expect(policy.tools.create_refund).toEqual({ require_approval: [{ message: 'create_refund can move money or change billing; approve only calls you expect.' }] });
    expect(policy.tools.list_invoices).toEqual({});
    const saved = await runCli(['catalog', '--format', 'json', STRIPE], { cwd: dir, env });
    writeFileSync(join(dir, 'stripe.catalog.json'), saved.stdout);
    await expectLintClean(dir, ['stripe.json', '--catalog', 'stripe.catalog.json']);
  });
});

describe('policylayer init on tools whose class needs review', () => {
  it('requires approval for them, says why in the policy and in the summary', async () => {
    const dir = tempDir('pl-init-');
    const kubernetes = resolve(ROOT, 'fixtures/catalog/tools-list/kubernetes@4.1.7.json');
    const result = await runCli(['init', '-o', 'k8s.yaml', kubernetes], { cwd: dir, env });
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('Needs review (weak or conflicting evidence, so approval or hidden until you check): kubectl_rollout, kubectl_context; `policylayer catalog` says why.\n');
    const yaml = readFileSync(join(dir, 'k8s.yaml'), 'utf8');
    expect(yaml).toContain('  # needs review: its evidence conflicts\n  kubectl_context:\n    require_approval:\n');
    const json = await runCli(['init', '-o', '-', kubernetes], { cwd: dir, env });
    const policy = JSON.parse(json.stdout) as { description: string; tools: Record<string, { require_approval?: Array<{ message: string }> }> };
    expect(policy.tools.kubectl_context!.require_approval![0]!.message).toBe('kubectl_context needs review (classed Write: its evidence conflicts); approve only calls you expect.');
    expect(policy.description).toMatch(/2 tools need review \(classes from weak or conflicting evidence\): kubectl_rollout, kubectl_context\.$/);
  });
});

describe('policylayer init through the built binary', () => {
  it('writes, refuses to overwrite, and the result passes the binary’s own lint', async () => {
    const dir = tempDir('pl-init-');
    const first = await runBin(['init', '--', process.execPath, SIM], { cwd: dir });
    expect(first.code).toBe(0);
    expect(first.stdout).toContain('Wrote policylayer.json: a recommended policy for SlicerMCP (3 tools, default deny).');
    const again = await runBin(['init', '--', process.execPath, SIM], { cwd: dir });
    expect(again).toMatchObject({ code: 2, stdout: '' });
    expect(again.stderr).toBe('policylayer: policylayer.json already exists; pass --force to overwrite it, or -o to write elsewhere\n');
    const lint = await runBin(['lint', '--max-warnings', '0', '--server', 'mcp-slicer'], { cwd: dir });
    expect(lint).toMatchObject({ code: 0 });
    expect(lint.stdout).toMatch(/no problems/);
  });
});
