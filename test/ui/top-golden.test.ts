/**
 * The live `top` screen, whole: tmux runs the built screen (with a fixed clock) at 100×30, 100×45
 * and 120×50, the audit log grows while it runs, the terminal is resized, and every settled screen
 * is compared row by row with a golden capture. Each golden is reached once by starting at its size
 * and once by resizing to it, so a frame that leaves rows of an earlier frame behind cannot pass.
 */
import { appendFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, it } from 'vitest';
import { AuditWriter, counter, demoLog } from '../helpers/audit.js';
import { ROOT } from '../helpers/cli.js';
import { expectScreenGolden, settledScreen } from '../helpers/screen-golden.js';
import { requireFor, tmux } from '../helpers/requirements.js';
import { Terminal } from '../helpers/tmux.js';

const T0 = Date.UTC(2026, 10, 24, 10, 0, 0);
const NOW = new Date(T0 + 20_000).toISOString();
const GOLDEN = join(ROOT, 'test/ui/golden/top-live');
const FIXTURE = join(ROOT, 'test/ui/fixtures/top-fixed-clock.mjs');

interface Size {
  columns: number;
  rows: number;
}
const SIZES: Size[] = [
  { columns: 100, rows: 30 },
  { columns: 100, rows: 45 },
  { columns: 120, rows: 50 },
];
const named = (size: Size) => `${size.columns}x${size.rows}`;

/** The demo session in two parts, then a third part with a new tool and a second counter. */
function batches(): { lines: string[][]; totals: number[] } {
  const w = new AuditWriter(T0);
  const demo = demoLog(T0, w);
  const more: string[] = [];
  for (let i = 1; i <= 3; i++) {
    more.push(w.call({ tool: 'segment_volume', outcome: 'allow', arg_keys: ['volume'], counters: [counter(i, 30, T0 + 60_000, { counter: 'segment_volume_rate' })] }, T0 + 16_000 + i * 500));
  }
  more.push(w.call({ tool: 'delete_scene', outcome: 'deny', rule: '(hidden)', message: 'Tool delete_scene is hidden by the policy.' }, T0 + 18_000));
  return { lines: [demo.slice(0, 6), demo.slice(6), more], totals: [3, 15, 19] };
}

let dir: string;
let terminal: Terminal;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'pl-top-golden-'));
  terminal = new Terminal();
});

afterEach(() => {
  terminal.kill();
  rmSync(dir, { recursive: true, force: true });
});

requireFor('tmux', tmux);

describe.runIf(tmux.ok)('the live top screen, whole (tmux, golden)', () => {
  for (const [index, start] of SIZES.entries()) {
    const next = SIZES[(index + 1) % SIZES.length]!;
    const last = SIZES[(index + 2) % SIZES.length]!;
    it(`starts at ${named(start)}, grows, and is resized to ${named(next)}, ${named(last)} and back`, async () => {
      const { lines, totals } = batches();
      const log = join(dir, 'audit.jsonl');
      writeFileSync(log, `${lines[0]!.join('\n')}\n`);
      terminal.start([process.execPath, FIXTURE, 'audit.jsonl', NOW], { cwd: dir, ...start });
      const shows = (calls: number) => (screen: string) => new RegExp(`^TOTAL +${calls} `, 'm').test(screen);
      const check = async (size: Size, calls: number, data: string) => {
        const screen = await settledScreen(terminal, shows(calls), `${calls} calls at ${named(size)}`);
        expectScreenGolden(GOLDEN, `${named(size)}-${data}.txt`, screen, size);
      };

      await settledScreen(terminal, shows(totals[0]!), 'the first part of the log');
      appendFileSync(log, `${lines[1]!.join('\n')}\n`);
      await check(start, totals[1]!, 'demo');

      terminal.resize(next.columns, next.rows);
      await check(next, totals[1]!, 'demo');

      appendFileSync(log, `${lines[2]!.join('\n')}\n`);
      await check(next, totals[2]!, 'more');

      terminal.resize(last.columns, last.rows);
      await check(last, totals[2]!, 'more');

      terminal.resize(start.columns, start.rows);
      await check(start, totals[2]!, 'more');
    });
  }
});
