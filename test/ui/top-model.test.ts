import { describe, expect, it } from 'vitest';
import { classifyCall } from '../../src/ui/model/classify.js';
import { TopModel } from '../../src/ui/model/top-model.js';
import { buildTopView, layoutTop, nextToolFilter, NO_FILTER, timeDependentText } from '../../src/ui/model/top-view.js';
import { INITIAL_TOP_UI, topKey } from '../../src/ui/model/top-keys.js';
import { AuditWriter, counter, demoLog } from '../helpers/audit.js';
import { KEY_A, logOf } from '../helpers/audit-runs.js';

const T0 = Date.UTC(2026, 10, 24, 10, 0, 0);
const MINUTE_END = T0 + 60_000;

describe('classifyCall', () => {
  it('tells limits from other denials, and approvals by their answer', () => {
    const call = (o: Partial<Parameters<typeof classifyCall>[0]>) => classifyCall({ outcome: 'deny', rule: '(default deny)', ...o });
    expect(call({ outcome: 'allow', rule: '/tools/x' })).toBe('allowed');
    expect(call({})).toBe('denied');
    expect(call({ rule: '/tools/x/deny_if/0' })).toBe('denied');
    expect(call({ rule: '/tools/x/limits/0' })).toBe('limited');
    expect(call({ rule: '/all_tools/limits/2' })).toBe('limited');
    expect(call({ rule: '/tools/x/limits/0', retry_after_ms: undefined })).toBe('limited');
    expect(call({ rule: '/tools/x/some_future_kind/0', retry_after_ms: 500 })).toBe('limited');
    expect(call({ rule: '(state unavailable)', retry_after_ms: 500 })).toBe('denied');
    expect(call({ outcome: 'approval_required', approval: 'accepted' })).toBe('approved');
    for (const answer of ['declined', 'cancelled', 'timeout', 'unavailable'] as const) expect(call({ outcome: 'approval_required', approval: answer })).toBe('refused');
    expect(call({ outcome: 'approval_required' })).toBe('asked');
    expect(call({ outcome: 'approval_required', approval: 'requested' })).toBe('asked');
  });
});

describe('TopModel', () => {
  it('counts the demo session per tool and keeps the latest counter value', () => {
    const model = new TopModel();
    model.ingest(demoLog(T0));
    const view = buildTopView(model, NO_FILTER, T0 + 20_000, 100);
    const byTool = Object.fromEntries(view.tools.map((t) => [t.tool, t]));
    expect(byTool.execute_python_code).toMatchObject({ calls: 11, allowed: 10, limited: 1, denied: 0, errors: 1 });
    expect(byTool.delete_scene).toMatchObject({ calls: 1, denied: 1 });
    expect(byTool.capture_screenshot).toMatchObject({ calls: 2, approved: 1, refused: 1 });
    expect(view.totals).toMatchObject({ calls: 15, allowed: 11, denied: 1, limited: 1, approved: 1, refused: 1, errors: 1 });
    expect(view.tools[0]!.tool).toBe('execute_python_code');
    expect(view.counters).toEqual([
      { counter: 'execute_python_code_rate', scope: 'grant local', window: 'minute', used: 10, max: 10, left: 0, resetsInMs: 40_000, renewed: false, tools: ['execute_python_code'] },
    ]);
    expect(view.proxy).toMatchObject({ status: 'running', policy: 'policylayer.json' });
    expect(view.health).toMatchObject({ lines: 27, calls: 15, results: 11, unreadable: 0, seqGaps: 0 });
    expect(view.decisions[0]).toMatchObject({ tool: 'capture_screenshot', cls: 'approved' });
  });

  it('shows a full budget once the reported window has passed, with the time to the next reset', () => {
    const model = new TopModel();
    model.ingest(demoLog(T0));
    const [row] = buildTopView(model, NO_FILTER, MINUTE_END + 15_000, 0).counters;
    expect(row).toMatchObject({ used: 0, left: 10, renewed: true, resetsInMs: 45_000 });
  });

  it('ignores a counter line about an older window than the one it already knows', () => {
    const w = new AuditWriter(T0);
    const model = new TopModel();
    model.ingest([
      w.call({ tool: 'x', outcome: 'allow', counters: [counter(1, 5, MINUTE_END + 60_000)] }),
      w.call({ tool: 'x', outcome: 'allow', counters: [counter(4, 5, MINUTE_END)] }),
    ]);
    expect(buildTopView(model, NO_FILTER, T0, 0).counters[0]).toMatchObject({ used: 1 });
  });

  it('counts unreadable lines with the line number and reason, and keeps reading', () => {
    const w = new AuditWriter(T0);
    const model = new TopModel();
    model.ingest([w.call({ tool: 'a', outcome: 'allow' }), '{not json', '', '{"v":2,"seq":9,"ts":"2026-01-01T00:00:00Z"}', w.call({ tool: 'a', outcome: 'allow' })]);
    expect(model.health).toMatchObject({ lines: 4, unreadable: 2, lastUnreadable: { line: 4, reason: 'unsupported format version 2' } });
    expect(model.tools.get('a')!.calls).toBe(2);
    model.overlong(9_000_000);
    expect(model.health.lastUnreadable).toEqual({ line: 6, reason: 'line of 9000000 bytes is too long' });
  });

  it('reports gaps in the sequence (lost or removed lines) and restarts, but not a rotation', () => {
    const w = new AuditWriter(T0);
    const lines = Array.from({ length: 6 }, () => w.call({ tool: 'a', outcome: 'allow' }));
    const model = new TopModel();
    model.ingest([lines[0]!, lines[1]!, lines[4]!, lines[5]!]);
    expect(model.health).toMatchObject({ seqGaps: 1, missingLines: 2, seqRestarts: 0 });
    model.ingest([lines[0]!]);
    expect(model.health.seqRestarts).toBe(1);
    model.reset('rotated');
    model.ingest([new AuditWriter(T0).call({ tool: 'a', outcome: 'allow' })]);
    expect(model.health).toMatchObject({ seqGaps: 1, seqRestarts: 1, rotations: 1 });
  });

  it('follows the proxy lifecycle: start, reload, stop', () => {
    const w = new AuditWriter(T0);
    const model = new TopModel();
    model.ingest([w.lifecycle('start', { policy: 'p.json', policy_sha256: 'ab'.repeat(32) }), w.lifecycle('reload', { detail: 'rejected: 1 error' }, T0 + 5000)]);
    expect(model.proxy).toMatchObject({ status: 'running', startedMs: T0, lastReload: { tsMs: T0 + 5000, detail: 'rejected: 1 error' } });
    model.ingest([w.lifecycle('stop', { detail: 'client closed stdin' }, T0 + 9000)]);
    expect(model.proxy.status).toBe('stopped');
  });

  it('reads checkpoint and seal lines (a log as the proxy writes it, keyed) without calling them unreadable or reloads', () => {
    const model = new TopModel();
    const lines = logOf([{ key: KEY_A, calls: 5 }, { calls: 1 }], 3).toString('utf8').trimEnd().split('\n');
    expect(lines.filter((line) => line.includes('"event":"checkpoint"'))).not.toHaveLength(0);
    model.ingest(lines);
    expect(model.health).toMatchObject({ lines: lines.length, calls: 6, unreadable: 0, seqGaps: 0, seqRestarts: 0 });
    expect(model.proxy.status).toBe('stopped');
    expect(model.proxy.lastReload).toBeUndefined();
  });

  it('keeps only the most recent decisions, newest first', () => {
    const w = new AuditWriter(T0);
    const model = new TopModel({ recentCapacity: 3 });
    model.ingest(['a', 'b', 'c', 'd', 'e'].map((tool) => w.call({ tool, outcome: 'allow' })));
    expect([0, 1, 2, 3].map((i) => model.recentAt(i)?.tool)).toEqual(['e', 'd', 'c', undefined]);
  });

  it('clones deeply: a paused copy does not move when the live model does', () => {
    const w = new AuditWriter(T0);
    const model = new TopModel();
    model.ingest([w.call({ tool: 'a', outcome: 'allow', counters: [counter(1, 5, MINUTE_END)] })]);
    const copy = model.clone();
    model.ingest([w.call({ tool: 'a', outcome: 'deny', counters: [counter(2, 5, MINUTE_END)] }), w.call({ tool: 'b', outcome: 'allow' })]);
    expect(copy.tools.get('a')).toMatchObject({ calls: 1, denied: 0 });
    expect(copy.tools.has('b')).toBe(false);
    expect([...copy.counters.values()][0]!.used).toBe(1);
    expect(copy.recentCount).toBe(1);
  });

  it('measures the call rate over the last ten seconds of log time', () => {
    const w = new AuditWriter(T0);
    const model = new TopModel();
    model.ingest(Array.from({ length: 50 }, (_, i) => w.call({ tool: 'a', outcome: 'allow' }, T0 + i * 200)));
    expect(model.callRate(T0 + 10_000)).toBe(5);
    expect(model.callRate(T0 + 60_000)).toBe(0);
  });
});

describe('top view: filters, keys and layout', () => {
  const model = new TopModel();
  model.ingest(demoLog(T0));

  it('filters decisions and counters by tool and by outcome', () => {
    const python = buildTopView(model, { tool: 'execute_python_code', outcome: 'all' }, T0, 100);
    expect(python.decisions.every((d) => d.tool === 'execute_python_code')).toBe(true);
    expect(python.matchingDecisions).toBe(11);
    expect(python.counters).toHaveLength(1);
    expect(buildTopView(model, { tool: 'list_nodes', outcome: 'all' }, T0, 100).counters).toHaveLength(0);
    expect(buildTopView(model, { outcome: 'limited' }, T0, 100).decisions.map((d) => d.cls)).toEqual(['limited']);
    expect(buildTopView(model, { outcome: 'approval' }, T0, 100).decisions.map((d) => d.cls)).toEqual(['approved', 'refused']);
    expect(buildTopView(model, { outcome: 'denied' }, T0, 100).decisions.map((d) => d.tool)).toEqual(['delete_scene']);
    expect(buildTopView(model, NO_FILTER, T0, 3).decisions).toHaveLength(3);
  });

  it('cycles the tool filter through every tool by name and back to all', () => {
    const tools = ['b', 'a', 'c'];
    const forward: Array<string | undefined> = [];
    let current: string | undefined;
    for (let i = 0; i < 4; i++) forward.push((current = nextToolFilter(tools, current, 1)));
    expect(forward).toEqual(['a', 'b', 'c', undefined]);
    expect(nextToolFilter(tools, undefined, -1)).toBe('c');
  });

  it('maps keys to state: pause, filters, clear, quit', () => {
    const tools = ['x', 'y'];
    let state = INITIAL_TOP_UI;
    state = topKey(state, { input: 'p' }, tools).state;
    expect(state.paused).toBe(true);
    state = topKey(state, { input: ' ' }, tools).state;
    expect(state.paused).toBe(false);
    state = topKey(state, { input: 't' }, tools).state;
    state = topKey(state, { input: 'o' }, tools).state;
    state = topKey(state, { input: 'O' }, tools).state;
    state = topKey(state, { input: 'O' }, tools).state;
    expect(state.filter).toEqual({ tool: 'x', outcome: 'approval' });
    expect(topKey(state, { input: 'c' }, tools).state.filter).toEqual({ outcome: 'all' });
    expect(topKey(state, { input: '', escape: true }, tools).state.filter).toEqual({ outcome: 'all' });
    expect(topKey(state, { input: 'q' }, tools).quit).toBe(true);
    expect(topKey(state, { input: 'c', ctrl: true }, tools).quit).toBe(true);
    expect(topKey(state, { input: 'z' }, tools)).toEqual({ state });
  });

  it('knows when time alone changes the screen: countdowns each second, otherwise the minute', () => {
    const quiet = new TopModel();
    expect(timeDependentText(quiet, T0 + 1000)).toBe(timeDependentText(quiet, T0 + 59_000));
    expect(timeDependentText(quiet, T0 + 59_000)).not.toBe(timeDependentText(quiet, T0 + 60_000));
    // With counters, every second changes a countdown.
    expect(timeDependentText(model, T0 + 20_000)).not.toBe(timeDependentText(model, T0 + 21_000));
  });

  it('splits the height: tools first up to half, counters up to a quarter, decisions the rest', () => {
    expect(layoutTop(30, 4, 1)).toEqual({ toolRows: 4, counterRows: 1, decisionRows: 14 });
    expect(layoutTop(20, 40, 40)).toEqual({ toolRows: 4, counterRows: 2, decisionRows: 3 });
    expect(layoutTop(8, 3, 3)).toEqual({ toolRows: 1, counterRows: 1, decisionRows: 0 });
  });
});
