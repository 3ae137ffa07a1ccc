import { describe, expect, it } from 'vitest';
import { TopModel } from '../../src/ui/model/top-model.js';
import { budgetLevel, filterLine, statusLine, titleStatus } from '../../src/ui/model/top-text.js';
import { buildTopView, NO_FILTER } from '../../src/ui/model/top-view.js';
import { demoLog } from '../helpers/audit.js';

const T0 = Date.UTC(2026, 10, 24, 10, 0, 0);

describe('the words of the top screen', () => {
  it('shows the rate and clock, or the pause with what it holds back', () => {
    const model = new TopModel();
    model.ingest(demoLog(T0));
    const view = buildTopView(model, NO_FILTER, T0 + 20_000, 10);
    expect(titleStatus(view, false, 0)).toBe('0.6 calls/s · 10:00 UTC');
    expect(titleStatus(view, true, 1234)).toBe('PAUSED · 1,234 new lines');
    expect(statusLine(view, 'audit.jsonl')).toBe('running since 10:00:00 UTC, policy policylayer.json (sha256 c0ffee000000) · last event 5s ago');
  });

  it('says it waits for a log that is not there, instead of describing an empty one', () => {
    const model = new TopModel();
    model.presence(false);
    expect(statusLine(buildTopView(model, NO_FILTER, T0, 10), 'audit.jsonl')).toBe('waiting for audit.jsonl to appear');
    model.presence(true);
    expect(statusLine(buildTopView(model, NO_FILTER, T0, 10), 'audit.jsonl')).toBe('no start line seen · last event never');
  });

  it('marks a filter as active only when it narrows something', () => {
    expect(filterLine(NO_FILTER)).toEqual({ text: 'tool: all  outcome: all', active: false });
    expect(filterLine({ tool: 'list_nodes', outcome: 'all' })).toEqual({ text: 'tool: list_nodes  outcome: all', active: true });
    expect(filterLine({ outcome: 'denied' }).active).toBe(true);
  });

  it('grades budgets: spent at 0 left, low at a fifth or less', () => {
    expect(budgetLevel({ left: 0, max: 10 })).toBe('spent');
    expect(budgetLevel({ left: 2, max: 10 })).toBe('low');
    expect(budgetLevel({ left: 3, max: 10 })).toBe('fine');
    expect(budgetLevel({ left: 0, max: 0 })).toBe('spent');
  });
});
