// `policylayer top` under load and at rest, measured on the built binary in a real terminal (tmux):
// - idle: CPU time of the top process over a few seconds with nothing written (target < 10% of one core);
// - load: a writer appends audit lines at 5,000 a second for several seconds, in batches every 10 ms,
//   as a busy proxy would; the screen is read every 50 ms and compared with what was written then:
//   "screen lag" is how far behind the screen is, in milliseconds of writing (it includes the 250 ms
//   frame throttle); "catch-up" is the time from the last write until the screen shows every line.
//   A follower that falls behind shows a growing lag and a long catch-up.
// Needs tmux (installed for the tests by .ci/run); without it the benchmark says so and skips.
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { appendFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { BIN, fmt, median, percentile } from './lib.mjs';

const RATE = 5000;
const LOAD_SECONDS = 6;
const IDLE_SECONDS = 4;
const BATCH_MS = 10;
const CLOCK_TICKS = Number(spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).stdout.trim()) || 100;

/** Audit lines as the proxy writes them: hash-chained, a few tools, counters on the limited tool. */
function lineWriter() {
  let seq = 0;
  let prev = '0'.repeat(64);
  const tools = ['list_nodes', 'capture_screenshot', 'execute_python_code', 'delete_scene'];
  return () => {
    seq++;
    const now = Date.now();
    const tool = tools[seq % tools.length];
    const limited = tool === 'execute_python_code';
    const minuteEnd = Math.floor(now / 60_000) * 60_000 + 60_000;
    const entry = {
      v: 1,
      ts: new Date(now).toISOString(),
      seq,
      prev,
      event: 'call',
      grant: 'local',
      session: 'bench',
      request_id: seq,
      tool,
      outcome: seq % 7 === 0 ? 'deny' : 'allow',
      enforced: true,
      rule: seq % 7 === 0 ? (limited ? '/tools/execute_python_code/limits/0' : '(default deny)') : `/tools/${tool}`,
      message: seq % 7 === 0 ? 'Rate limit reached; retry in 12s.' : '',
      arg_keys: ['code'],
      args_sha256: 'ab'.repeat(32),
      ...(limited ? { counters: [{ counter: 'execute_python_code_rate', scope: 'grant', scope_id: 'local', window: 'minute', resets_at: new Date(minuteEnd).toISOString(), used: seq % 10, max: 10 }] } : {}),
    };
    const text = JSON.stringify(entry);
    prev = createHash('sha256').update(text).digest('hex');
    return text;
  };
}

/** user + system CPU time of a process, in seconds (Linux /proc). */
function cpuSeconds(pid) {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS;
}

export async function run() {
  if (spawnSync('tmux', ['-V']).status !== 0) {
    console.log('skipped: tmux is not installed (apt-get install tmux)');
    return;
  }
  const dir = mkdtempSync(join(tmpdir(), 'pl-top-bench-'));
  const log = join(dir, 'audit.jsonl');
  writeFileSync(log, '');
  const socket = `pl-top-bench-${process.pid}`;
  const tmux = (...args) => execFileSync('tmux', ['-L', socket, '-f', '/dev/null', ...args], { encoding: 'utf8' });
  try {
    // env execs node, so the pane's pid is top's.
    tmux('new-session', '-d', '-s', 'top', '-x', '120', '-y', '40', '--', 'env', '-u', 'CI', '-u', 'CONTINUOUS_INTEGRATION', 'TERM=xterm-256color', process.execPath, BIN, 'top', '--audit', log);
    const pid = Number(tmux('display-message', '-p', '-t', 'top', '#{pane_pid}').trim());
    const shownLines = () => {
      const match = /([\d,]+) lines, /.exec(tmux('capture-pane', '-p', '-t', 'top'));
      return match ? Number(match[1].replace(/,/g, '')) : -1;
    };
    for (let i = 0; i < 200 && shownLines() < 0; i++) await sleep(50);
    // Let start-up work (module compilation, the first garbage collections) finish before measuring.
    await sleep(3000);

    const idle = async () => {
      const cpu0 = cpuSeconds(pid);
      const t0 = performance.now();
      await sleep(IDLE_SECONDS * 1000);
      return ((cpuSeconds(pid) - cpu0) / ((performance.now() - t0) / 1000)) * 100;
    };
    const idleBefore = await idle();

    const next = lineWriter();
    const perBatch = (RATE * BATCH_MS) / 1000;
    const lags = [];
    let written = 0;
    const cpu0 = cpuSeconds(pid);
    const start = performance.now();
    let nextSample = start + 50;
    for (let batch = 0; performance.now() - start < LOAD_SECONDS * 1000; batch++) {
      // Catch up on missed batches so the average rate stays exact even when the writer is late.
      const due = Math.floor(((performance.now() - start) / 1000) * RATE);
      const lines = [];
      while (written + lines.length < Math.max(due, (batch + 1) * perBatch)) lines.push(next());
      appendFileSync(log, `${lines.join('\n')}\n`);
      written += lines.length;
      if (performance.now() >= nextSample) {
        const shown = shownLines();
        if (shown >= 0) lags.push(((written - shown) / RATE) * 1000);
        nextSample += 50;
      }
      const wait = start + (batch + 1) * BATCH_MS - performance.now();
      if (wait > 0) await sleep(wait);
    }
    const loadSeconds = (performance.now() - start) / 1000;
    const end = performance.now();
    let caughtUp = -1;
    for (let i = 0; i < 600; i++) {
      if (shownLines() >= written) {
        caughtUp = performance.now() - end;
        break;
      }
      await sleep(10);
    }
    const loadCpu = ((cpuSeconds(pid) - cpu0) / ((performance.now() - start) / 1000)) * 100;
    const idleAfter = await idle();

    console.log(`policylayer top in a 120×40 tmux terminal; ${fmt(written / loadSeconds, 0)} audit lines/s written for ${fmt(loadSeconds)} s (${written.toLocaleString('en')} lines)`);
    console.log(`  screen lag while writing: median ${fmt(median(lags), 0)} ms, p95 ${fmt(percentile(lags, 95), 0)} ms, max ${fmt(Math.max(...lags), 0)} ms (${lags.length} samples; includes the 250 ms frame throttle)`);
    console.log(`  catch-up after the last write: ${caughtUp < 0 ? 'did not catch up within 6 s' : `${fmt(caughtUp, 0)} ms`}`);
    console.log(`  CPU of top while following: ${fmt(loadCpu)}% of one core`);
    console.log(`  CPU of top when idle: ${fmt(idleBefore)}% of one core before the load, ${fmt(idleAfter)}% after (target < 10%)`);
  } finally {
    try {
      tmux('kill-server');
    } catch {
      // Already gone.
    }
    rmSync(dir, { recursive: true, force: true });
  }
}
