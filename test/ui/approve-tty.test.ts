/**
 * The terminal approver in a real terminal: tmux gives the process a controlling terminal, the test
 * reads the prompt from the screen and answers with keys.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ROOT } from '../helpers/cli.js';
import { requireFor, tmux } from '../helpers/requirements.js';
import { Terminal } from '../helpers/tmux.js';

const SCRIPT = join(ROOT, 'test/ui/fixtures/ask-terminal.ts');
let dir: string;
let terminal: Terminal;

function start(result: string, timeoutMs: number, count = 1): void {
  terminal.start([process.execPath, '--import', 'tsx', SCRIPT, result, String(timeoutMs), String(count)], { cwd: ROOT });
}

/** The prompt is drawn, armed, and reading single keys. */
async function armedPrompt(extra: (screen: string) => boolean = () => true): Promise<string> {
  const screen = await terminal.waitFor((s) => s.includes('y then Enter approves') && extra(s), 'the armed prompt');
  await terminal.waitForRawMode();
  return screen;
}

async function answers<T = { answer: string; reason: string }>(result: string): Promise<T[]> {
  await vi.waitFor(() => expect(existsSync(result)).toBe(true), { timeout: 15_000, interval: 50 });
  return JSON.parse(readFileSync(result, 'utf8'));
}

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'pl-approve-tty-'));
  terminal = new Terminal();
});

afterEach(() => {
  terminal.kill();
  rmSync(dir, { recursive: true, force: true });
});

requireFor('tmux', tmux);

describe.runIf(tmux.ok)('TerminalApprover in a terminal (tmux)', () => {
  it('shows the call and approves it on y then Enter, leaving a one-line record', async () => {
    const result = join(dir, 'result.json');
    start(result, 60_000);
    const prompt = await armedPrompt();
    expect(prompt).toContain('Tool       execute_python_code');
    expect(prompt).toContain('Rule       /tools/execute_python_code/require_approval/0');
    expect(prompt).toContain('slicer.util.getNode("vol0")');
    terminal.keys('y');
    await terminal.waitFor((s) => s.includes('▸ Approve'), 'Approve focused');
    terminal.keys('Enter');
    expect(await answers(result)).toEqual([{ answer: 'accepted', reason: '' }]);
    const after = await terminal.waitFor((s) => s.includes('policylayer: approved execute_python_code'), 'the record line');
    expect(after).not.toContain('Arguments');
  });

  it('shows the code that would run, escaped: a CR, an escape sequence or a bidi override cannot hide it', async () => {
    const result = join(dir, 'result.json');
    // Raw, each of these makes the terminal show "print('hello')" where the dangerous line is.
    const code = "import subprocess; subprocess.run('rm -rf ~')\r# print('hello')                                   \n" +
      "os.system('curl evil')\u001b[2K\u001b[1G# print('hi')\n" +
      'x = 1 \u202e # )"olleh"(tnirp';
    terminal.start(['env', `ASK_TERMINAL_CODE_B64=${Buffer.from(code).toString('base64')}`, process.execPath, '--import', 'tsx', SCRIPT, result, '60000', '1'], { cwd: ROOT });
    const prompt = await armedPrompt();
    expect(prompt).toContain("import subprocess; subprocess.run('rm -rf ~')\\r# print('hello')");
    expect(prompt).toContain("os.system('curl evil')\\u001b[2K\\u001b[1G# print('hi')");
    expect(prompt).toContain('x = 1 \\u202e #');
    terminal.keys('n');
    expect((await answers(result)).map((r) => r.answer)).toEqual(['declined']);
  });

  it('closes the prompt unanswered when the wait times out', async () => {
    const result = join(dir, 'result.json');
    start(result, 8000);
    await terminal.waitFor((s) => s.includes('denied in'), 'the prompt');
    expect(await answers(result)).toEqual([{ answer: 'cancelled', reason: 'no answer within 8 s' }]);
    await terminal.waitFor((s) => s.includes('not approved: no answer within 8 s'), 'the record line');
  });

  it('shows concurrent requests one at a time, in order', async () => {
    const result = join(dir, 'result.json');
    start(result, 60_000, 2);
    await armedPrompt((s) => s.includes('call number 1'));
    terminal.keys('n');
    await armedPrompt((s) => s.includes('call number 2'));
    terminal.keys('y');
    await terminal.waitFor((s) => s.includes('▸ Approve'), 'Approve focused');
    terminal.keys('Enter');
    expect((await answers(result)).map((r) => r.answer)).toEqual(['declined', 'accepted']);
  });
});

function envWithoutCi(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  delete env.CI;
  delete env.CONTINUOUS_INTEGRATION;
  return env;
}

describe('TerminalApprover without a usable terminal', () => {
  it('answers unavailable when the process has no controlling terminal', () => {
    const result = join(dir, 'result.json');
    // Without CI in the environment: under CI the approver stops earlier, for another reason.
    const run = spawnSync('setsid', [process.execPath, '--import', 'tsx', SCRIPT, result, '5000', '1'], { cwd: ROOT, encoding: 'utf8', timeout: 30_000, env: envWithoutCi() });
    expect(run.status, run.stderr).toBe(0);
    expect(JSON.parse(readFileSync(result, 'utf8'))).toEqual([{ answer: 'unavailable', reason: 'the proxy has no controlling terminal' }]);
  });

  it('answers unavailable for a device that is not a terminal', () => {
    const result = join(dir, 'result.json');
    const notATerminal = join(dir, 'plain-file');
    writeFileSync(notATerminal, '');
    const run = spawnSync(process.execPath, ['--import', 'tsx', SCRIPT, result, '5000', '1', notATerminal], { cwd: ROOT, encoding: 'utf8', timeout: 30_000, env: envWithoutCi() });
    expect(run.status, run.stderr).toBe(0);
    expect(JSON.parse(readFileSync(result, 'utf8'))).toEqual([{ answer: 'unavailable', reason: `${notATerminal} is not a terminal` }]);
  });
});

describe('policylayer proxy --approve-tty (built binary, a client without elicitation, in tmux)', () => {
  it.runIf(tmux.ok)('asks at the terminal: an approved call reaches the server, a denied one does not; the audit log and top agree', async () => {
    const policy = join(dir, 'policy.json');
    writeFileSync(
      policy,
      JSON.stringify({
        version: '1',
        default: 'deny',
        tools: { execute_python_code: { require_approval: [{ message: 'Python in Slicer needs a human.' }] } },
      }),
    );
    const audit = join(dir, 'audit.jsonl');
    const result = join(dir, 'result.json');
    terminal.start([process.execPath, join(ROOT, 'test/ui/fixtures/approve-client.mjs'), result, policy, audit, '2'], { cwd: dir });

    const first = await armedPrompt();
    expect(first).toContain('Why        Python in Slicer needs a human.');
    expect(first).toContain('code: "__execResult = 0 + 1"');
    terminal.keys('y');
    await terminal.waitFor((s) => s.includes('▸ Approve'), 'Approve focused');
    terminal.keys('Enter');
    await armedPrompt((s) => s.includes('__execResult = 1 + 1'));
    terminal.keys('n');

    const [approved, denied] = await answers<{ isError: boolean; text: string }>(result);
    expect(approved!.isError).toBe(false);
    expect(denied!.isError).toBe(true);
    expect(denied!.text).toMatch(/^\[POLICY DENIED\] .*denied at the terminal/);

    const calls = readFileSync(audit, 'utf8').trim().split('\n').map((line) => JSON.parse(line)).filter((entry) => entry.event === 'call');
    expect(calls.map((c) => c.approval)).toEqual(['accepted', 'declined']);
    const summary = spawnSync(process.execPath, [join(ROOT, 'bin/policylayer'), 'top', '--once', '--format', 'json', '--audit', audit], { encoding: 'utf8' });
    expect(JSON.parse(summary.stdout).totals).toMatchObject({ calls: 2, approved: 1, refused: 1 });
  });

  it('denies, saying why, when the proxy has no terminal and the client cannot elicit', () => {
    const policy = join(dir, 'policy.json');
    writeFileSync(policy, JSON.stringify({ version: '1', default: 'deny', tools: { execute_python_code: { require_approval: [{}] } } }));
    const result = join(dir, 'result.json');
    const run = spawnSync('setsid', [process.execPath, join(ROOT, 'test/ui/fixtures/approve-client.mjs'), result, policy, join(dir, 'audit.jsonl'), '1'], { cwd: dir, encoding: 'utf8', timeout: 60_000 });
    expect(run.status, run.stderr).toBe(0);
    const [denied] = JSON.parse(readFileSync(result, 'utf8'));
    expect(denied.isError).toBe(true);
    expect(denied.text).toMatch(/^\[POLICY DENIED\] .*the proxy has no controlling terminal/);
  });
});
