import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stripVTControlCharacters } from 'node:util';
import { cleanup, render } from 'ink-testing-library';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { TopModel } from '../../src/ui/model/top-model.js';
import { TopApp, type TopFeed } from '../../src/ui/top/TopApp.js';
import { AuditWriter, counter, demoLog } from '../helpers/audit.js';
import { ROOT } from '../helpers/cli.js';

const T0 = Date.UTC(2026, 10, 24, 10, 0, 0);

afterEach(() => cleanup());

function feedOf(lines: string[]): TopFeed & { push(lines: string[]): void } {
  const model = new TopModel();
  model.ingest(lines);
  const listeners = new Set<() => void>();
  return {
    model,
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    push(more) {
      model.ingest(more);
      for (const listener of listeners) listener();
    },
  };
}

function renderTop(feed: TopFeed, columns: number, rows: number) {
  const app = render(<TopApp feed={feed} file="audit.jsonl" frameMs={0} now={() => T0 + 20_000} size={{ columns, rows }} />);
  const frame = () => stripVTControlCharacters(app.lastFrame() ?? '');
  /** Types keys one at a time and waits until the screen shows what is expected. */
  const press = async (keys: string, until: (frame: string) => boolean) => {
    // ink attaches its input listener in an effect, after the first frame.
    await vi.waitFor(() => expect(app.stdin.listenerCount('readable')).toBeGreaterThan(0), { timeout: 2000, interval: 1 });
    for (const key of keys) app.stdin.write(key);
    await vi.waitFor(() => expect(until(frame()), frame()).toBe(true), { timeout: 2000, interval: 2 });
  };
  return { app, frame, press };
}

function expectGolden(actual: string, name: string): void {
  const path = join(ROOT, 'test/ui/golden', name);
  const text = `${actual.split('\n').map((line) => line.trimEnd()).join('\n')}\n`;
  if (process.env.UPDATE_GOLDEN === '1') writeFileSync(path, text);
  expect(text).toBe(readFileSync(path, 'utf8'));
}

describe('TopApp', () => {
  it('draws the demo session at 100×30 (golden)', () => {
    const { frame } = renderTop(feedOf(demoLog(T0)), 100, 30);
    expectGolden(frame(), 'top-screen-100x30.txt');
  });

  it('fits a 60×20 terminal: short titles, fewer rows, the key help still shown (golden)', () => {
    const { frame } = renderTop(feedOf(demoLog(T0)), 60, 20);
    const lines = frame().split('\n');
    expect(lines).toHaveLength(19);
    expect(Math.max(...lines.map((l) => l.length))).toBeLessThanOrEqual(60);
    expect(lines.at(-1)).toContain('q quit');
    expectGolden(frame(), 'top-screen-60x20.txt');
  });

  it('updates the counts when lines arrive', async () => {
    const feed = feedOf(demoLog(T0));
    const { frame } = renderTop(feed, 100, 30);
    expect(frame()).toMatch(/TOTAL +15 /);
    const w = new AuditWriter(T0 + 17_000);
    feed.push([w.call({ tool: 'list_nodes', outcome: 'allow' }), w.call({ tool: 'new_tool', outcome: 'deny', message: 'Not listed.' })]);
    await vi.waitFor(() => expect(frame()).toMatch(/TOTAL +17 /), { timeout: 2000, interval: 2 });
    expect(frame()).toMatch(/new_tool +1 +0 +1 /);
    expect(frame()).toContain('Not listed.');
  });

  it('filters by tool with t and by outcome with o, and clears with c', async () => {
    const { frame, press } = renderTop(feedOf(demoLog(T0)), 100, 30);
    await press('t', (f) => f.includes('tool: capture_screenshot'));
    expect(frame()).toContain('▸ capture_screenshot');
    expect(frame()).toContain('no counters reported for capture_screenshot');
    const decisions = frame().split('RECENT DECISIONS')[1]!;
    expect(decisions).not.toContain('execute_python_code');
    await press('tt', (f) => f.includes('tool: execute_python_code'));
    await press('oo', (f) => f.includes('outcome: denied'));
    expect(frame()).toContain('no decisions match');
    await press('o', (f) => f.includes('outcome: limited'));
    expect(frame()).toMatch(/limited +execute_python_code +limits\/0 +Rate limit/);
    await press('c', (f) => f.includes('tool: all  outcome: all'));
  });

  it('freezes the screen on p, counts what arrives meanwhile, and resumes', async () => {
    const feed = feedOf(demoLog(T0));
    const { frame, press } = renderTop(feed, 100, 30);
    await press('p', (f) => f.includes('PAUSED · 0 new lines'));
    const w = new AuditWriter(T0 + 18_000);
    feed.push([w.call({ tool: 'list_nodes', outcome: 'allow' }), w.call({ tool: 'list_nodes', outcome: 'allow' })]);
    await press('o', (f) => f.includes('PAUSED · 2 new lines') && f.includes('outcome: allowed'));
    expect(frame()).toMatch(/TOTAL +15 /);
    await press('p', (f) => /TOTAL +17 /.test(f));
    expect(frame()).not.toContain('PAUSED');
  });

  it('shows counters that are nearly or fully used, with the time to reset', () => {
    const w = new AuditWriter(T0);
    const end = T0 + 60_000;
    const feed = feedOf([
      w.call({ tool: 'a', outcome: 'allow', counters: [counter(3, 100, end, { counter: 'roomy' })] }),
      w.call({ tool: 'a', outcome: 'allow', counters: [counter(9, 10, end, { counter: 'tight', scope: 'session', scope_id: 's-42' })] }),
      w.call({ tool: 'a', outcome: 'deny', rule: '/all_tools/limits/0', counters: [counter(50, 50, T0 + 3_600_000, { counter: 'hourly', scope: 'global', scope_id: '', window: 'hour' })] }),
    ]);
    const { frame } = renderTop(feed, 100, 30);
    const rows = frame().split('\n').filter((l) => /^(roomy|tight|hourly) /.test(l));
    expect(rows.map((r) => r.split(' ')[0])).toEqual(['hourly', 'tight', 'roomy']);
    expect(rows[0]).toMatch(/^hourly +global +hour +50\/50 +0 +59m40s/);
    expect(rows[1]).toMatch(/^tight +session s-42 +minute +9\/10 +1 +40s/);
  });

  it('quits on q: the app unmounts and lets go of the keyboard', async () => {
    const { app, press } = renderTop(feedOf([]), 80, 24);
    await press('q', () => app.stdin.listenerCount('readable') === 0);
    const frames = app.frames.length;
    app.rerender(<TopApp feed={feedOf(demoLog(T0))} file="x" frameMs={0} size={{ columns: 80, rows: 24 }} />);
    expect(app.frames.length).toBe(frames);
  });
});
