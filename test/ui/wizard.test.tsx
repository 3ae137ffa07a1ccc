import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stripVTControlCharacters } from 'node:util';
import { cleanup, render } from 'ink-testing-library';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { mcpSlicer } from '../../src/catalog/servers/mcp-slicer.js';
import { policyFromChoices, type ToolChoice } from '../../src/catalog/recommend.js';
import type { CatalogTool } from '../../src/catalog/types.js';
import { lintSource } from '../../src/lint/lint-source.js';
import { parseJsonSource } from '../../src/policy/parse-json.js';
import { WizardApp } from '../../src/ui/init/WizardApp.js';
import { changedFromRecommendation, choicesOf, initialWizard, stepLimit, wizardKey, type WizardKey, type WizardState } from '../../src/ui/model/wizard.js';
import { ROOT } from '../helpers/cli.js';

afterEach(() => cleanup());

const ctx = { previewLines: 40, visiblePreviewLines: 10 };
const press = (state: WizardState, ...keys: WizardKey[]) => keys.reduce((s, key) => wizardKey(s, key, ctx).state, state);
const k = (input: string, extra: Partial<WizardKey> = {}): WizardKey => ({ input, ...extra });
const tools = mcpSlicer.tools;
const financial: CatalogTool = { ...tools[0]!, name: 'refund_order', category: 'Financial', risk: 'Critical', recommendation: { action: 'require_approval' } };

describe('wizard state', () => {
  it('preselects each tool’s recommended action', () => {
    const state = initialWizard(tools);
    expect(choicesOf(state)).toEqual([
      { name: 'list_nodes', recommendation: { action: 'allow' }, category: 'Read' },
      { name: 'execute_python_code', recommendation: { action: 'limit', max: 10, window: 'minute' }, category: 'Execute' },
      { name: 'capture_screenshot', recommendation: { action: 'allow' }, category: 'Read', argumentRules: mcpSlicer.tools[2]!.argumentRules },
    ]);
    expect(state.tools.map((_, i) => changedFromRecommendation(state, i))).toEqual([false, false, false]);
  });

  it('changes the selected tool’s action with the arrows and the letter keys, and undoes with u', () => {
    let state = initialWizard(tools);
    state = press(state, k('', { downArrow: true }), k('', { rightArrow: true }));
    expect(choicesOf(state)[1]!.recommendation).toEqual({ action: 'require_approval' });
    state = press(state, k('', { leftArrow: true }), k('', { leftArrow: true }));
    expect(choicesOf(state)[1]!.recommendation).toEqual({ action: 'allow' });
    state = press(state, k('', { leftArrow: true }));
    expect(choicesOf(state)[1]!.recommendation).toEqual({ action: 'hide' });
    state = press(state, k('d'));
    expect(choicesOf(state)[1]!.recommendation).toEqual({ action: 'deny' });
    expect(changedFromRecommendation(state, 1)).toBe(true);
    state = press(state, k('u'));
    expect(choicesOf(state)[1]!.recommendation).toEqual({ action: 'limit', max: 10, window: 'minute' });
    expect(state.selected).toBe(1);
    state = press(state, k('', { upArrow: true }), k('', { upArrow: true }));
    expect(state.selected).toBe(2);
  });

  it('keeps a tool’s needs-review note until the user changes its action (then it counts as reviewed)', () => {
    const unsure: CatalogTool = { ...tools[0]!, name: 'sync_records', category: 'Write', risk: 'Medium', needsReview: 'only the server’s annotations say what it does', recommendation: { action: 'require_approval' } };
    let state = initialWizard([unsure]);
    expect(choicesOf(state)).toEqual([{ name: 'sync_records', recommendation: { action: 'require_approval' }, category: 'Write', needsReview: 'only the server’s annotations say what it does' }]);
    expect(policyFromChoices(choicesOf(state)).tools!.sync_records!.require_approval![0]!.message).toBe(
      'sync_records needs review (classed Write: only the server’s annotations say what it does); approve only calls you expect.',
    );
    state = press(state, k('l'));
    expect(choicesOf(state)).toEqual([{ name: 'sync_records', recommendation: { action: 'limit', max: 30, window: 'minute' }, category: 'Write' }]);
  });

  it('edits a limit: + and −, digits typed in a row, w for the window', () => {
    let state = press(initialWizard(tools), k('', { downArrow: true }));
    state = press(state, k('+'), k('+'));
    expect(choicesOf(state)[1]!.recommendation).toMatchObject({ max: 20 });
    state = press(state, k('-'), k('-'), k('-'));
    expect(choicesOf(state)[1]!.recommendation).toMatchObject({ max: 9 });
    state = press(state, k('2'), k('5'), k('0'), k('w'));
    expect(choicesOf(state)[1]!.recommendation).toEqual({ action: 'limit', max: 250, window: 'hour' });
    state = press(state, k('3'));
    expect(choicesOf(state)[1]!.recommendation).toMatchObject({ max: 3 });
    // A tool switched to limit starts from 30 a minute; digits do nothing on other actions.
    state = press(state, k('', { upArrow: true }), k('7'), k('l'));
    expect(choicesOf(state)[0]!.recommendation).toEqual({ action: 'limit', max: 30, window: 'minute' });
  });

  it('steps limits along 1…10, 15…100, 150…', () => {
    expect([1, 9, 10, 15, 95, 100, 150, 1000].map((n) => stepLimit(n, 1))).toEqual([2, 10, 15, 20, 100, 150, 200, 1500]);
    expect([1, 10, 15, 100, 150, 1000, 1500].map((n) => stepLimit(n, -1))).toEqual([1, 9, 10, 95, 100, 950, 1000]);
  });

  it('opens the preview on Enter, goes back on Esc, writes on Enter there, quits on q', () => {
    const state = initialWizard(tools);
    const preview = wizardKey(state, k('', { return: true }), ctx).state;
    expect(preview.screen).toBe('preview');
    expect(wizardKey(preview, k('', { escape: true }), ctx).state.screen).toBe('tools');
    expect(wizardKey(preview, k('', { return: true }), ctx).done).toBe('write');
    expect(wizardKey(preview, k('q'), ctx).done).toBe('quit');
    expect(wizardKey(state, k('q'), ctx).done).toBe('quit');
    expect(wizardKey(state, k('c', { ctrl: true }), ctx).done).toBe('quit');
    expect(press(preview, k('', { pageDown: true }), k('', { pageDown: true }), k('', { downArrow: true })).previewScroll).toBe(19);
  });

  it('gives choices that make a policy which lints without errors, for every action', () => {
    let state = initialWizard([...tools, financial]);
    state = press(state, k('h'), k('', { downArrow: true }), k('5'), k('w'), k('', { downArrow: true }), k('d'));
    const choices = choicesOf(state);
    expect(choices.map((c) => c.recommendation.action)).toEqual(['hide', 'limit', 'deny', 'require_approval']);
    const doc = policyFromChoices(choices, { serverName: 'MCP-Slicer' });
    expect(doc.hide).toEqual(['list_nodes']);
    expect(doc.tools!.execute_python_code!.limits).toEqual([{ counter: 'execute_python_code_rate', window: 'hour', max: 5, scope: 'grant' }]);
    const result = lintSource(parseJsonSource('policy.json', JSON.stringify(doc, null, 2)));
    expect(result.findings.filter((f) => f.severity === 'error')).toEqual([]);
  });
});

function renderWizard(onDone = vi.fn(), renderPolicy = async (choices: ToolChoice[]) => `${JSON.stringify(policyFromChoices(choices), null, 2)}\n`) {
  const app = render(
    <WizardApp tools={tools} serverName="MCP-Slicer" source="built-in catalog" target="policylayer.json" overwriting={false} renderPolicy={renderPolicy} onDone={onDone} size={{ columns: 100, rows: 30 }} />,
  );
  const frame = () => stripVTControlCharacters(app.lastFrame() ?? '');
  const keys = async (sequence: string[], until: (f: string) => boolean) => {
    await vi.waitFor(() => expect(app.stdin.listenerCount('readable')).toBeGreaterThan(0), { timeout: 2000, interval: 1 });
    for (const key of sequence) app.stdin.write(key);
    await vi.waitFor(() => expect(until(frame()), frame()).toBe(true), { timeout: 2000, interval: 2 });
  };
  return { app, frame, keys, onDone };
}

function expectGolden(actual: string, name: string): void {
  const path = join(ROOT, 'test/ui/golden', name);
  const text = `${actual.split('\n').map((line) => line.trimEnd()).join('\n')}\n`;
  if (process.env.UPDATE_GOLDEN === '1') writeFileSync(path, text);
  expect(text).toBe(readFileSync(path, 'utf8'));
}

const DOWN = '\u001B[B';
const RIGHT = '\u001B[C';

describe('WizardApp', () => {
  it('marks a tool whose class needs review, with the reason', () => {
    const unsure: CatalogTool = { ...tools[1]!, name: 'sync_records', category: 'Write', risk: 'Medium', needsReview: 'its evidence conflicts', recommendation: { action: 'require_approval' } };
    const app = render(
      <WizardApp tools={[unsure, tools[0]!]} serverName="Records" source="catalog file" target="policylayer.json" overwriting={false} renderPolicy={async () => ''} onDone={vi.fn()} size={{ columns: 100, rows: 30 }} />,
    );
    const frame = stripVTControlCharacters(app.lastFrame() ?? '');
    expect(frame).toMatch(/sync_records\s+Write\? · Medium/);
    expect(frame).toContain('Needs review: its evidence conflicts (so it is recommended: require approval)');
  });

  it('lists the tools with class, evidence and the recommended action (golden, 100×30)', () => {
    const { frame } = renderWizard();
    expectGolden(frame(), 'init-wizard-tools-100x30.txt');
  });

  it('changes an action, shows the preview, and hands over the choices on Enter', async () => {
    const { frame, keys, onDone } = renderWizard();
    await keys([DOWN, RIGHT], (f) => f.includes('◂ require approval ▸ *'));
    expect(frame()).toContain('Recommended: limit 10/minute per grant · you chose: require approval');
    expect(frame()).toContain('(* 1 changed from the recommendation)');
    await keys(['\r'], (f) => f.includes('Will write policylayer.json (a new file).') && f.includes('"require_approval"'));
    expectGolden(frame(), 'init-wizard-preview-100x30.txt');
    await keys(['\r'], () => onDone.mock.calls.length > 0);
    expect(onDone.mock.calls[0]![0]).toEqual({
      write: true,
      choices: [
        { name: 'list_nodes', recommendation: { action: 'allow' }, category: 'Read' },
        { name: 'execute_python_code', recommendation: { action: 'require_approval' }, category: 'Execute' },
        { name: 'capture_screenshot', recommendation: { action: 'allow' }, category: 'Read', argumentRules: mcpSlicer.tools[2]!.argumentRules },
      ],
    });
  });

  it('takes keys that arrive in one burst one by one (fast typing, ssh)', async () => {
    const { keys } = renderWizard();
    await keys([DOWN], (f) => f.includes('▸ execute_python_code'));
    await keys(['25w'], (f) => f.includes('◂ limit 25/hour per grant ▸ *'));
  });

  it('writes nothing when the user quits, and cannot write a policy that failed to format', async () => {
    const failing = renderWizard(vi.fn(), async () => {
      throw new Error('disk on fire');
    });
    await failing.keys(['\r'], (f) => f.includes('The policy cannot be written: disk on fire'));
    failing.app.stdin.write('\r');
    await failing.keys(['q'], () => failing.onDone.mock.calls.length > 0);
    expect(failing.onDone.mock.calls).toEqual([[{ write: false }]]);
  });
});
