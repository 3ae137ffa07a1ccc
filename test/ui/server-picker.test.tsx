import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { stripVTControlCharacters } from 'node:util';
import { cleanup, render } from 'ink-testing-library';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { chosenRows, initialPicker, pickerKey, type PickerKey, type PickerRow, type PickerState } from '../../src/ui/model/server-picker.js';
import { ServerPickerScreen } from '../../src/ui/wrap/ServerPicker.js';
import { BIN, ROOT } from '../helpers/cli.js';
import { expectGolden } from '../helpers/golden.js';
import { requireFor, tmux } from '../helpers/requirements.js';
import { Terminal } from '../helpers/tmux.js';

afterEach(() => cleanup());

const row = (name: string, extra: Partial<PickerRow> = {}): PickerRow => ({
  name,
  client: 'Cursor (user)',
  file: '~/.cursor/mcp.json',
  target: `npx -y ${name}`,
  status: 'not wrapped',
  selectable: true,
  preselected: true,
  ...extra,
});
const rows = [row('slicer'), row('docs', { status: 'remote: not wrappable yet', selectable: false, preselected: false, target: 'https://x/mcp' }), row('fs', { client: 'Claude Desktop (user)', preselected: false })];
const k = (input: string, extra: Partial<PickerKey> = {}): PickerKey => ({ input, ...extra });
const press = (state: PickerState, ...keys: PickerKey[]) => keys.reduce((s, key) => pickerKey(s, key).state, state);

describe('server picker state', () => {
  it('preselects unwrapped stdio servers, toggles with Space, and never checks a remote one', () => {
    let state = initialPicker(rows);
    expect(chosenRows(state)).toEqual([0]);
    state = press(state, k('', { downArrow: true }), k(' '));
    expect(chosenRows(state)).toEqual([0]);
    expect(state.hint).toBe('docs: remote: not wrappable yet');
    state = press(state, k('j'), k(' '));
    expect(chosenRows(state)).toEqual([0, 2]);
    state = press(state, k('a'));
    expect(chosenRows(state)).toEqual([]);
    state = press(state, k('a'));
    expect(chosenRows(state)).toEqual([0, 2]);
  });

  it('confirms with Enter, refuses an empty choice, and quits with q or Escape', () => {
    const none = press(initialPicker(rows), k('a'), k('a'));
    expect(pickerKey(none, k('', { return: true }))).toMatchObject({ state: { hint: 'nothing chosen: Space chooses a server, q quits' } });
    expect(pickerKey(initialPicker(rows), k('', { return: true })).done).toEqual({ chosen: [0] });
    expect(pickerKey(initialPicker(rows), k('q')).done).toBe('quit');
    expect(pickerKey(initialPicker(rows), k('', { escape: true })).done).toBe('quit');
  });
});

describe('server picker screen', () => {
  it('draws rows, the current target and the keys (golden, 100×12)', () => {
    const state = press(initialPicker(rows), k('', { downArrow: true }), k('', { downArrow: true }), k(' '));
    const app = render(<ServerPickerScreen state={state} verb="wrap" width={100} height={12} />);
    expectGolden(join(ROOT, 'test/ui/golden'), 'wrap-picker-100x12.txt', `${stripVTControlCharacters(app.lastFrame() ?? '')}\n`);
  });
});

requireFor('tmux', tmux);

describe.runIf(tmux.ok)('policylayer wrap on a terminal (tmux)', () => {
  it('picks a server and wraps it after showing the diff', async () => {
    const home = mkdtempSync(join(tmpdir(), 'pl-wrap-tty-'));
    const terminal = new Terminal();
    try {
      const sim = resolve(ROOT, 'dist/fixtures/mcp-slicer-sim.mjs');
      const config = join(home, '.cursor/mcp.json');
      mkdirSync(join(home, '.cursor'));
      writeFileSync(config, JSON.stringify({ mcpServers: { slicer: { command: process.execPath, args: [sim] }, other: { command: process.execPath, args: [sim] } } }, null, 2));
      const status = join(home, 'status');
      terminal.start(['env', `HOME=${home}`, 'XDG_CONFIG_HOME=', process.execPath, BIN, 'wrap'], { cwd: home, statusFile: status });
      await terminal.waitFor((s) => s.includes('[x] slicer') && s.includes('[x] other'), 'the picker');
      await terminal.waitForRawMode();
      terminal.keys('Down', 'Space');
      await terminal.waitFor((s) => s.includes('[ ] other') && s.includes('1 chosen'), 'other unchecked');
      terminal.keys('Enter');
      await terminal.waitFor((s) => s.includes('Create the missing policies and write these changes? [y/N]') && s.includes('"proxy"'), 'the diff and the question');
      expect(JSON.parse(readFileSync(config, 'utf8')).mcpServers.slicer.args).toEqual([sim]);
      terminal.keys('y', 'Enter');
      await vi.waitFor(() => expect(readFileSync(status, 'utf8')).toBe('0\n'), { timeout: 20_000, interval: 50 });
      const screen = terminal.screen();
      expect(screen).toContain('Wrapped 1 server in 1 file.');
      const value = JSON.parse(readFileSync(config, 'utf8'));
      expect(value.mcpServers.slicer.args[1]).toBe('proxy');
      expect(value.mcpServers.other.args).toEqual([sim]);
      expect(existsSync(join(home, '.policylayer/policies/slicer.json'))).toBe(true);
    } finally {
      terminal.kill();
      rmSync(home, { recursive: true, force: true });
    }
  });
});
