/** The Python guard offered in `init --interactive`: g toggles it on tools that run Python code; --strict starts it on. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { stripVTControlCharacters } from 'node:util';
import { cleanup, render } from 'ink-testing-library';
import { afterEach, describe, expect, it } from 'vitest';
import { policyFromChoices } from '../../src/catalog/recommend.js';
import { mcpSlicer } from '../../src/catalog/servers/mcp-slicer.js';
import { WizardScreen } from '../../src/ui/init/WizardScreen.js';
import { choicesOf, initialWizard, wizardKey, type WizardKey, type WizardState } from '../../src/ui/model/wizard.js';
import { ROOT } from '../helpers/cli.js';

afterEach(() => cleanup());

const ctx = { previewLines: 40, visiblePreviewLines: 10 };
const press = (state: WizardState, ...keys: WizardKey[]) => keys.reduce((s, key) => wizardKey(s, key, ctx).state, state);
const k = (input: string, extra: Partial<WizardKey> = {}): WizardKey => ({ input, ...extra });
const down = k('', { downArrow: true });

describe('the Python guard in the wizard', () => {
  it('is offered only for Execute tools that take Python code, off unless --strict', () => {
    const state = initialWizard(mcpSlicer.tools);
    expect(state.guardable).toEqual([undefined, 'code', undefined]);
    expect(state.guards).toEqual([false, false, false]);
    expect(initialWizard(mcpSlicer.tools, { strict: true }).guards).toEqual([false, true, false]);
  });

  it('g toggles it on the selected tool and nowhere else; the choices then carry it', () => {
    let state = press(initialWizard(mcpSlicer.tools), k('g'));
    expect(state.guards).toEqual([false, false, false]);
    state = press(state, down, k('g'));
    expect(choicesOf(state)[1]).toMatchObject({ name: 'execute_python_code', pythonGuard: 'code' });
    state = press(state, k('g'));
    expect(choicesOf(state)[1]!.pythonGuard).toBeUndefined();
  });

  it('with the guard on, the written policy is exactly init --strict’s', () => {
    const state = press(initialWizard(mcpSlicer.tools), down, k('g'));
    const doc = policyFromChoices(choicesOf(state), { serverName: mcpSlicer.name });
    const strict = JSON.parse(readFileSync(join(ROOT, 'fixtures/python-guard/mcp-slicer-strict.json'), 'utf8'));
    expect(doc).toEqual(strict);
  });

  it('a denied tool gets no guard: no call reaches its code', () => {
    const state = press(initialWizard(mcpSlicer.tools, { strict: true }), down, k('d'));
    const doc = policyFromChoices(choicesOf(state), {});
    expect(doc.tools!.execute_python_code).toEqual({ deny_if: [{ on_deny: 'execute_python_code is denied by policy.' }] });
  });

  it('shows the guard in the list and explains the key on the tool that can have it', () => {
    const state = press(initialWizard(mcpSlicer.tools), down, k('g'));
    const { lastFrame } = render(<WizardScreen state={state} serverName="MCP-Slicer" source="built-in catalog" target="policylayer.json" overwriting={false} preview={undefined} width={140} height={30} />);
    const frame = stripVTControlCharacters(lastFrame() ?? '');
    expect(frame).toContain('limit 10/minute per grant ▸ + Python guard');
    expect(frame).toContain('Python guard (g) on args.code: on: denies code that starts processes');
  });
});
