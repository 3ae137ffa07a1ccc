/**
 * `policylayer top` in a real terminal: tmux runs the built binary in a 100×30 pseudo-terminal, the
 * test appends to the audit log, rotates it, presses keys and reads the screen back.
 */
import { appendFileSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { AuditWriter, demoLog } from '../helpers/audit.js';
import { BIN } from '../helpers/cli.js';
import { requireFor, tmux } from '../helpers/requirements.js';
import { Terminal } from '../helpers/tmux.js';

let dir: string;
let terminal: Terminal;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'pl-top-tty-'));
  terminal = new Terminal();
});

afterEach(() => {
  terminal.kill();
  rmSync(dir, { recursive: true, force: true });
});

requireFor('tmux', tmux);

describe.runIf(tmux.ok)('policylayer top in a terminal (tmux)', () => {
  it('follows a growing, rotated log, filters on keys, resizes, and quits on q', async () => {
    const log = join(dir, 'audit.jsonl');
    const status = join(dir, 'status');
    const w = new AuditWriter();
    writeFileSync(log, `${demoLog(Date.now() - 20_000, w).join('\n')}\n`);
    terminal.start([process.execPath, BIN, 'top', '--audit', log], { cwd: dir, statusFile: status });

    await terminal.waitFor((s) => /TOTAL +15 +11 +1 +1 +1 +1 +1/.test(s), 'the demo totals');
    await terminal.waitForRawMode();
    expect(terminal.screen()).toContain('execute_python_code_rate');

    // A running proxy appends: the counts follow.
    w.clockMs = Date.now();
    appendFileSync(log, `${[w.call({ tool: 'list_nodes', outcome: 'allow' }), w.call({ tool: 'list_nodes', outcome: 'allow' })].join('\n')}\n`);
    await terminal.waitFor((s) => /TOTAL +17 +13 /.test(s) && /list_nodes +3 +3 /.test(s), 'two more allowed list_nodes calls');

    // t filters by the first tool by name; the decisions list shows only its calls.
    terminal.keys('t');
    const filtered = await terminal.waitFor((s) => s.includes('tool: capture_screenshot'), 'the tool filter');
    expect(filtered.split('RECENT DECISIONS')[1]).not.toContain('list_nodes');
    terminal.keys('c');
    await terminal.waitFor((s) => s.includes('tool: all  outcome: all'), 'the filter cleared');

    // The log is rotated and a new file started; a line that is not JSON is counted, not fatal.
    renameSync(log, `${log}.1`);
    const fresh = new AuditWriter(Date.now());
    writeFileSync(log, `${fresh.call({ tool: 'execute_python_code', outcome: 'deny', rule: '/tools/execute_python_code/deny_if/0', message: 'No os.system.' })}\nnot json\n`);
    await terminal.waitFor((s) => /TOTAL +18 /.test(s) && s.includes('1 unreadable (last: line 2, not JSON), rotated 1×'), 'the rotated log');
    expect(terminal.screen()).toContain('No os.system.');

    // A narrower terminal: the table switches to short titles.
    terminal.resize(70, 20);
    await terminal.waitFor((s) => /TOOL +CALLS +ALLOW +DENY +LIMIT/.test(s), 'the narrow layout');
    expect(terminal.screen().split('\n').every((line) => line.length <= 70)).toBe(true);

    terminal.keys('q');
    await vi.waitFor(() => expect(readFileSync(status, 'utf8')).toBe('0\n'), { timeout: 10_000, interval: 50 });
    // The alternate screen is gone: the terminal shows what it showed before, not the dashboard.
    expect(terminal.screen()).not.toContain('policylayer top');
  });
});
