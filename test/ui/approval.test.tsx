import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stripVTControlCharacters } from 'node:util';
import { cleanup, render } from 'ink-testing-library';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ApprovalApp, type ApprovalDetails } from '../../src/ui/approval/ApprovalApp.js';
import { inBackground } from '../../src/ui/approval/tty-approver.js';
import { approvalKey, INITIAL_APPROVAL_UI } from '../../src/ui/model/approval-keys.js';
import { wrapLines } from '../../src/ui/model/format.js';
import { ROOT } from '../helpers/cli.js';

afterEach(() => cleanup());

const T0 = Date.UTC(2026, 10, 24, 10, 0, 0);
const armed = { maxScroll: 10, visibleLines: 5, armed: true };

describe('approval keys', () => {
  it('approves only with y (or an arrow) and then Enter; Enter alone denies', () => {
    expect(approvalKey(INITIAL_APPROVAL_UI, { input: '', return: true }, armed).answer).toBe('declined');
    const focused = approvalKey(INITIAL_APPROVAL_UI, { input: 'y' }, armed);
    expect(focused).toEqual({ state: { focus: 'approve', scroll: 0 } });
    expect(approvalKey(focused.state, { input: '', return: true }, armed).answer).toBe('accepted');
    const moved = approvalKey(INITIAL_APPROVAL_UI, { input: '', rightArrow: true }, armed).state;
    expect(approvalKey(moved, { input: '', return: true }, armed).answer).toBe('accepted');
    expect(approvalKey(approvalKey(moved, { input: '', tab: true }, armed).state, { input: '', return: true }, armed).answer).toBe('declined');
  });

  it('denies with n, Esc and Ctrl+C, and ignores pasted text', () => {
    for (const key of [{ input: 'n' }, { input: 'N' }, { input: '', escape: true }, { input: 'c', ctrl: true }]) {
      expect(approvalKey(INITIAL_APPROVAL_UI, key, armed).answer).toBe('declined');
    }
    expect(approvalKey(INITIAL_APPROVAL_UI, { input: 'yes\r' }, armed)).toEqual({ state: INITIAL_APPROVAL_UI });
  });

  it('ignores every key but Ctrl+C before the prompt is armed', () => {
    const early = { ...armed, armed: false };
    const focused = { focus: 'approve' as const, scroll: 0 };
    expect(approvalKey(focused, { input: '', return: true }, early)).toEqual({ state: focused });
    expect(approvalKey(INITIAL_APPROVAL_UI, { input: 'y' }, early)).toEqual({ state: INITIAL_APPROVAL_UI });
    expect(approvalKey(INITIAL_APPROVAL_UI, { input: 'c', ctrl: true }, early).answer).toBe('declined');
  });

  it('scrolls the arguments within bounds', () => {
    let state = INITIAL_APPROVAL_UI;
    state = approvalKey(state, { input: '', upArrow: true }, armed).state;
    expect(state.scroll).toBe(0);
    state = approvalKey(state, { input: '', pageDown: true }, armed).state;
    expect(state.scroll).toBe(4);
    for (let i = 0; i < 20; i++) state = approvalKey(state, { input: '', downArrow: true }, armed).state;
    expect(state.scroll).toBe(10);
  });
});

describe('inBackground', () => {
  it('compares the process group with the terminal foreground group from /proc/self/stat', () => {
    expect(inBackground(() => '4242 (node) S 1 4242 4242 34816 4242 4194560 …')).toBe(false);
    expect(inBackground(() => '4242 (my (odd) name) S 1 4242 4242 34816 5000 4194560 …')).toBe(true);
    // No controlling terminal: tpgid is -1.
    expect(inBackground(() => '4242 (node) S 1 4242 4242 0 -1 4194560 …')).toBe(false);
    expect(
      inBackground(() => {
        throw new Error('no /proc');
      }),
    ).toBe(false);
  });
});

describe('wrapLines', () => {
  it('wraps long lines instead of cutting them', () => {
    expect(wrapLines(['short', 'x'.repeat(25), '\tindented'], 10)).toEqual(['short', 'x'.repeat(10), 'x'.repeat(10), 'xxxxx', '  indented']);
  });
});

const details: ApprovalDetails = {
  tool: 'execute_python_code',
  rule: '/tools/execute_python_code/require_approval/0',
  message: 'Python needs a human.',
  grant: 'local',
  argumentsText: `code:\n${Array.from({ length: 30 }, (_, i) => `    print(${i})`).join('\n')}`,
  deadlineMs: T0 + 120_000,
};

function renderPrompt(onAnswer = vi.fn(), clock = { now: T0 + 500 }) {
  const app = render(<ApprovalApp details={details} columns={80} rows={24} onAnswer={onAnswer} armAfterMs={400} now={() => clock.now} />);
  const frame = () => stripVTControlCharacters(app.lastFrame() ?? '');
  const press = async (keys: string[], until: () => boolean) => {
    await vi.waitFor(() => expect(app.stdin.listenerCount('readable')).toBeGreaterThan(0), { timeout: 2000, interval: 1 });
    for (const key of keys) app.stdin.write(key);
    await vi.waitFor(() => expect(until(), frame()).toBe(true), { timeout: 2000, interval: 2 });
  };
  return { app, frame, press, onAnswer, clock };
}

describe('ApprovalApp', () => {
  it('shows the tool, rule, reason, arguments and a countdown at 80×24 (golden)', () => {
    // The clock starts where the prompt appeared, so the first frame is the not-yet-armed one.
    const clock = { now: T0 };
    const { frame } = renderPrompt(vi.fn(), clock);
    const path = join(ROOT, 'test/ui/golden/approval-80x24.txt');
    const text = `${frame().split('\n').map((line) => line.trimEnd()).join('\n')}\n`;
    if (process.env.UPDATE_GOLDEN === '1') writeFileSync(path, text);
    expect(text).toBe(readFileSync(path, 'utf8'));
  });

  it('approves with y then Enter', async () => {
    const clock = { now: T0 };
    const { press, onAnswer, frame } = renderPrompt(vi.fn(), clock);
    clock.now = T0 + 1000;
    await press(['y'], () => frame().includes('▸ Approve'));
    expect(onAnswer).not.toHaveBeenCalled();
    await press(['\r'], () => onAnswer.mock.calls.length > 0);
    expect(onAnswer.mock.calls).toEqual([['accepted']]);
  });

  it('denies with n, and answers only once', async () => {
    const clock = { now: T0 };
    const { press, onAnswer } = renderPrompt(vi.fn(), clock);
    clock.now = T0 + 1000;
    await press(['n', 'y', '\r'], () => onAnswer.mock.calls.length > 0);
    expect(onAnswer.mock.calls).toEqual([['declined']]);
  });

  it('ignores keys typed before it is armed', async () => {
    const clock = { now: T0 };
    const { press, onAnswer, frame } = renderPrompt(vi.fn(), clock);
    await press(['y', '\r'], () => frame().includes('get ready'));
    expect(onAnswer).not.toHaveBeenCalled();
    expect(frame()).toContain('▸ Deny');
  });

  it('scrolls long arguments with the arrow keys', async () => {
    const clock = { now: T0 };
    const { press, frame } = renderPrompt(vi.fn(), clock);
    clock.now = T0 + 1000;
    expect(frame()).toContain('… 21 more lines');
    await press(['\u001B[B', '\u001B[B'], () => frame().includes('lines 3–12 of 31'));
    expect(frame()).toContain('… 2 lines above');
    expect(frame()).toContain('print(1)');
    expect(frame()).not.toContain('print(0)');
  });

  it('counts down and turns urgent in the last ten seconds', () => {
    const clock = { now: T0 + 111_000 };
    const { frame } = renderPrompt(vi.fn(), clock);
    expect(frame()).toContain('denied in 9s');
  });
});
