/**
 * The Python guard through every command that decides, from the built binary: init --strict writes
 * it, lint accepts it, explain points at the line, replay runs the corpora through it (the held-out
 * check's path), and the parser is loaded only by a policy that has a python condition.
 */
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parse as parseYaml } from 'yaml';
import { afterEach, describe, expect, it } from 'vitest';
import { BIN, ROOT, runBin, runCli } from '../helpers/cli.js';
import { killAll, McpProcess } from '../helpers/mcp-stream.js';
import { SIM } from '../helpers/proxy.js';
import { tempDir } from '../helpers/temp.js';

const STRICT = join(ROOT, 'fixtures/python-guard/mcp-slicer-strict.json');
const SEED = join(ROOT, 'fixtures/policies/valid/seed-execute-python-code.json');
const TRACE = { NODE_OPTIONS: `--import=${pathToFileURL(join(ROOT, 'test/helpers/trace-imports.mjs')).href}` };


interface CorpusCase {
  name: string;
  args?: { code?: unknown };
  expect: string;
}

function corpus(file: string): CorpusCase[] {
  return (parseYaml(readFileSync(join(ROOT, 'fixtures/tests/python-guard', file), 'utf8')) as { cases: CorpusCase[] }).cases.filter((c) => c.args?.code !== undefined);
}

describe('init --strict', () => {
  it('writes the seed policy plus the strict guard on execute_python_code: exactly fixtures/python-guard/mcp-slicer-strict.json', async () => {
    const dir = tempDir('policylayer-python-guard-');
    const result = await runCli(['init', '--strict', 'mcp-slicer'], { cwd: dir });
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('Strict Python guard on execute_python_code (args.code)');
    expect(readFileSync(join(dir, 'policylayer.json'), 'utf8')).toBe(readFileSync(STRICT, 'utf8'));
    const lint = await runCli(['lint', 'policylayer.json', '--server', 'mcp-slicer', '--format', 'json'], { cwd: dir });
    expect(lint.code).toBe(0);
    const findings = JSON.parse(lint.stdout).files[0].findings as Array<{ ruleId: string; severity: string }>;
    expect(findings.map((f) => `${f.severity} ${f.ruleId}`)).toEqual(['info python-guard-extension']);
    // Formatting it again changes nothing.
    const fmt = await runCli(['fmt', '--check', 'policylayer.json'], { cwd: dir });
    expect(fmt.code).toBe(0);
  });

  it('guards any Execute tool whose parameter takes Python code, and says when there is none', async () => {
    const dir = tempDir('policylayer-python-guard-');
    const saved = JSON.parse((await runCli(['catalog', 'mcp-slicer', '--format', 'json'])).stdout);
    saved.id = 'blender';
    saved.name = 'Blender MCP';
    saved.tools = [
      { ...saved.tools[1], name: 'execute_blender_code', summary: 'Runs Python code in Blender.', inputSchema: { type: 'object', properties: { code: { type: 'string' } }, required: ['code'] } },
      { ...saved.tools[1], name: 'run_shell', summary: 'Runs a shell command.', inputSchema: { type: 'object', properties: { command: { type: 'string' } } } },
    ];
    writeFileSync(join(dir, 'blender.catalog.json'), JSON.stringify(saved));
    const result = await runCli(['init', '--strict', 'blender.catalog.json', '-o', '-'], { cwd: dir });
    expect(result.code).toBe(0);
    const policy = JSON.parse(result.stdout);
    expect(policy.tools.execute_blender_code.deny_if[0].conditions[0]).toMatchObject({ path: 'args.code', op: 'python' });
    expect(policy.tools.run_shell.deny_if).toBeUndefined();

    const none = await runCli(['init', '--strict', 'blender.catalog.json', '-o', 'x.json'], { cwd: dir });
    expect(none.stdout).toContain('Strict Python guard on execute_blender_code (args.code)');
    saved.tools = [saved.tools[1]];
    writeFileSync(join(dir, 'shell.catalog.json'), JSON.stringify(saved));
    const shell = await runCli(['init', '--strict', 'shell.catalog.json', '-o', 'y.json'], { cwd: dir });
    expect(shell.stdout).toContain('Strict: no Execute tool takes Python code here');
  });
});

describe('the guard through the built binary', () => {
  it('explain shows the rule, the line and column of the code that decided, with a caret, and the same in JSON', async () => {
    const code = 'import numpy as np\nvolume = slicer.util.getNode("MRHead")\nimport subprocess as sp\nsp.run(["ls"])';
    const result = await runBin(['explain', '--policy', STRICT, '--tool', 'execute_python_code', '--args', JSON.stringify({ code })]);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('execute_python_code → deny');
    expect(result.stdout).toContain('args.code python  (code line 3, column 8: imports subprocess (deny_modules: "subprocess"))');
    expect(result.stdout).toMatch(/3 \| import subprocess as sp\n {8}( ){11}\^/);
    const json = await runBin(['explain', '--policy', STRICT, '--tool', 'execute_python_code', '--args', JSON.stringify({ code }), '--format', 'json']);
    const report = JSON.parse(json.stdout);
    expect(report.message).toContain('(args.code line 3, column 8: imports subprocess');
    const step = report.trace.find((s: { rule: string }) => s.rule === '/tools/execute_python_code/deny_if/0');
    expect(step.conditions[0].finding).toEqual({ kind: 'module', name: 'subprocess', line: 3, column: 8, reason: 'imports subprocess (deny_modules: "subprocess")' });
  });

  it('replay: every attack of the corpus is denied and every benign script allowed (the held-out check runs this way)', async () => {
    const dir = tempDir('policylayer-python-guard-');
    const lines = [...corpus('slicer-benign.policytest.yaml'), ...corpus('slicer-attacks.policytest.yaml')].map((c, i) =>
      // One grant per call: the 10-a-minute limit is not what this checks.
      JSON.stringify({ tool: 'execute_python_code', args: c.args, grant: `agent-${i}`, expect: c.expect, comment: c.name }),
    );
    writeFileSync(join(dir, 'corpus.jsonl'), `${lines.join('\n')}\n`);
    const result = await runBin(['replay', '--policy', STRICT, join(dir, 'corpus.jsonl'), '--format', 'json']);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
  });

  it('loads the parser only for a policy with a python condition, never for lint', () => {
    const run = (args: string[]) => spawnSync(process.execPath, [join(ROOT, 'bin/policylayer'), ...args], { cwd: ROOT, env: { ...process.env, ...TRACE }, encoding: 'utf8' });
    // The tracer works: importing web-tree-sitter is reported.
    const control = spawnSync(process.execPath, ['-e', "import('web-tree-sitter')"], { cwd: ROOT, env: { ...process.env, ...TRACE }, encoding: 'utf8' });
    expect(control.stderr).toContain('[import] web-tree-sitter');
    expect(run(['lint', STRICT]).stderr).not.toContain('web-tree-sitter');
    expect(run(['explain', '--policy', SEED, '--tool', 'execute_python_code', '--args', '{"code":"import os"}']).stderr).not.toContain('web-tree-sitter');
    expect(run(['explain', '--policy', STRICT, '--tool', 'execute_python_code', '--args', '{"code":"import os"}']).stderr).toContain('[import] web-tree-sitter');
  });
});

describe('the proxy with the strict guard', () => {
  afterEach(() => killAll());

  it('denies an attack with the finding in its message and forwards ordinary code to the server', async () => {
    const proc = McpProcess.spawn(process.execPath, [BIN, 'proxy', '--policy', STRICT, '--', process.execPath, SIM]);
    await proc.initialize();
    const call = async (code: string) => (await proc.callTool('execute_python_code', { code })).result as { isError?: boolean; content: Array<{ text: string }> };
    const denied = await call('import numpy\nfrom os import system as s\ns("id")');
    expect(denied.isError).toBe(true);
    expect(denied.content[0]!.text).toContain('args.code line 2, column 16: uses os.system (deny_calls: "os.system")');
    const allowed = await call('__execResult = len(slicer.mrmlScene.GetNodes())');
    expect(allowed.isError).not.toBe(true);
    expect(proc.stderr).not.toContain('Error');
  });

  it('--watch: a reloaded policy that adds the first python condition loads the parser before it applies', async () => {
    const dir = tempDir('policylayer-python-guard-');
    const policy = join(dir, 'policy.json');
    writeFileSync(policy, readFileSync(SEED));
    const proc = McpProcess.spawn(process.execPath, [BIN, 'proxy', '--policy', policy, '--watch', '--', process.execPath, SIM]);
    await proc.initialize();
    const attack = async () => (await proc.callTool('execute_python_code', { code: 'import subprocess' })).result as { isError?: boolean; content: Array<{ text: string }> };
    expect((await attack()).isError).not.toBe(true);
    writeFileSync(policy, readFileSync(STRICT));
    const deadline = Date.now() + 15_000;
    let result = await attack();
    while (result.isError !== true && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 200));
      result = await attack();
    }
    expect(result.content[0]!.text).toContain('args.code line 1, column 8: imports subprocess');
    expect(result.content[0]!.text).not.toContain('not loaded');
  });
});

describe('the corpora', () => {
  it('cover every rule of the strict profile with at least one attack, and ordinary scripting with 40+ scripts', () => {
    const attacks = corpus('slicer-attacks.policytest.yaml');
    const benign = corpus('slicer-benign.policytest.yaml');
    expect(benign.length).toBeGreaterThanOrEqual(40);
    expect(attacks.every((c) => c.expect === 'deny')).toBe(true);
    const text = attacks.map((c) => String(c.args?.code)).join('\n');
    for (const needle of ['subprocess', 'os.system', 'pty', 'multiprocessing', 'QProcess', 'launchConsoleProcess', 'socket', 'ssl', 'urllib', 'http.client', 'requests', 'httpx', 'aiohttp', 'ftplib', 'smtplib', 'paramiko', 'websockets', 'xmlrpc', 'QNetworkAccessManager', 'os.remove', 'unlink', 'rmdir', 'rename', 'replace', 'rmtree', 'move', 'pip_install', 'pip', 'ensurepip', 'exec', 'eval', 'compile', '__import__', 'importlib', 'getattr', '__subclasses__', 'ctypes', 'pickle', 'marshal', 'globals()', 'os.environ', 'sys.modules']) {
      expect(text, needle).toContain(needle);
    }
    expect(readdirSync(join(ROOT, 'fixtures/tests/python-guard')).sort()).toEqual(['slicer-attacks.policytest.yaml', 'slicer-benign.policytest.yaml']);
  });
});
