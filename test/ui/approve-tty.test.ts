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

async function answers(result: string): Promise<Array<{ answer: string; reason: string }>> {
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

describe('TerminalApprover in a terminal (tmux)', () => {
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

  it('denies on n', async () => {
    const result = join(dir, 'result.json');
    start(result, 60_000);
    await armedPrompt();
    terminal.keys('n');
    expect(await answers(result)).toEqual([{ answer: 'declined', reason: 'denied at the terminal' }]);
    await terminal.waitFor((s) => s.includes('policylayer: denied execute_python_code'), 'the record line');
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

describe('TerminalApprover without a usable terminal', () => {
  it('answers unavailable when the process has no controlling terminal', () => {
    const result = join(dir, 'result.json');
    const run = spawnSync('setsid', [process.execPath, '--import', 'tsx', SCRIPT, result, '5000', '1'], { cwd: ROOT, encoding: 'utf8', timeout: 30_000 });
    expect(run.status, run.stderr).toBe(0);
    expect(JSON.parse(readFileSync(result, 'utf8'))).toEqual([{ answer: 'unavailable', reason: 'the proxy has no controlling terminal' }]);
  });

  it('answers unavailable for a device that is not a terminal', () => {
    const result = join(dir, 'result.json');
    const notATerminal = join(dir, 'plain-file');
    writeFileSync(notATerminal, '');
    const env = { ...process.env };
    delete env.CI;
    delete env.CONTINUOUS_INTEGRATION;
    const run = spawnSync(process.execPath, ['--import', 'tsx', SCRIPT, result, '5000', '1', notATerminal], { cwd: ROOT, encoding: 'utf8', timeout: 30_000, env });
    expect(run.status, run.stderr).toBe(0);
    expect(JSON.parse(readFileSync(result, 'utf8'))).toEqual([{ answer: 'unavailable', reason: `${notATerminal} is not a terminal` }]);
  });
});
