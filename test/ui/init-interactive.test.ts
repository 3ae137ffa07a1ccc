import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { builtinCatalog } from '../../src/catalog/builtin.js';
import { chooseInteractively } from '../../src/cli/init-interactive.js';
import { memoryIo } from '../helpers/io.js';
import { BIN, runCli } from '../helpers/cli.js';
import { requireFor, tmux } from '../helpers/requirements.js';
import { Terminal } from '../helpers/tmux.js';

let dir: string;
let terminal: Terminal;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'pl-init-i-'));
  terminal = new Terminal();
});
afterEach(() => {
  terminal.kill();
  rmSync(dir, { recursive: true, force: true });
});

requireFor('tmux', tmux);

describe('policylayer init --interactive', () => {
  it('refuses without a terminal (exit 2), writing nothing', async () => {
    const result = await runCli(['init', '--interactive', 'mcp-slicer'], { cwd: dir });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^policylayer: init --interactive needs a terminal; /);
    expect(existsSync(join(dir, 'policylayer.json'))).toBe(false);
  });

  it('says an existing file needs --force before the wizard starts', async () => {
    writeFileSync(join(dir, 'policylayer.json'), '{}');
    const fakeTerminal = { stdin: { isTTY: true }, stdout: { isTTY: true } } as unknown as { stdin: NodeJS.ReadStream; stdout: NodeJS.WriteStream };
    const renderPolicy = vi.fn();
    await expect(
      chooseInteractively(memoryIo({ cwd: dir }), { catalog: builtinCatalog('mcp-slicer')!, output: 'policylayer.json', force: false, renderPolicy }, fakeTerminal),
    ).rejects.toThrow('policylayer.json already exists; pass --force to overwrite it, or -o to write elsewhere');
    expect(renderPolicy).not.toHaveBeenCalled();
  });

  it.runIf(tmux.ok)('in a terminal: changes a tool’s action, previews, and writes on confirm (tmux)', async () => {
    const status = join(dir, 'status');
    terminal.start([process.execPath, BIN, 'init', '--interactive', 'mcp-slicer', '-o', 'slicer.json'], { cwd: dir, statusFile: status });
    await terminal.waitFor((s) => s.includes('▸ list_nodes') && s.includes('3 tools → slicer.json'), 'the tool list');
    await terminal.waitForRawMode();
    // execute_python_code: limit 10/minute → 25 per hour.
    terminal.keys('Down', '2', '5', 'w');
    await terminal.waitFor((s) => s.includes('◂ limit 25/hour per grant ▸ *'), 'the edited limit');
    terminal.keys('Enter');
    await terminal.waitFor((s) => s.includes('Will write slicer.json (a new file).') && s.includes('"window": "hour"'), 'the preview');
    expect(existsSync(join(dir, 'slicer.json'))).toBe(false);
    terminal.keys('Enter');
    await vi.waitFor(() => expect(readFileSync(status, 'utf8')).toBe('0\n'), { timeout: 15_000, interval: 50 });
    const written = JSON.parse(readFileSync(join(dir, 'slicer.json'), 'utf8'));
    expect(written.tools.execute_python_code.limits).toEqual([{ counter: 'execute_python_code_rate', window: 'hour', max: 25, scope: 'grant' }]);
    expect(terminal.screen()).toContain('limit 25/hour per grant  execute_python_code');
    const lint = await runCli(['lint', 'slicer.json'], { cwd: dir });
    expect(lint.code, lint.stdout + lint.stderr).toBe(0);
  });

  it.runIf(tmux.ok)('in a terminal: quitting writes nothing and exits 1 (tmux)', async () => {
    const status = join(dir, 'status');
    terminal.start([process.execPath, BIN, 'init', '-i', 'mcp-slicer'], { cwd: dir, statusFile: status });
    await terminal.waitFor((s) => s.includes('▸ list_nodes'), 'the tool list');
    await terminal.waitForRawMode();
    terminal.keys('h', 'Enter');
    await terminal.waitFor((s) => s.includes('"hide"'), 'the preview with list_nodes hidden');
    terminal.keys('q');
    await vi.waitFor(() => expect(readFileSync(status, 'utf8')).toBe('1\n'), { timeout: 15_000, interval: 50 });
    expect(terminal.screen()).toContain('policylayer init: quit without writing anything');
    expect(existsSync(join(dir, 'policylayer.json'))).toBe(false);
  });
});
