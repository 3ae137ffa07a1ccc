/**
 * The `init --interactive` wizard as pure state: one action per tool (preselected from the
 * catalog's recommendation), the keys that change it, and the choices handed to
 * `policyFromChoices` (src/catalog/recommend.ts) once the user confirms the preview.
 */
import { pythonCodeParameter } from '../../catalog/python-guard-profile.js';
import type { ToolChoice } from '../../catalog/recommend.js';
import type { CatalogTool, Recommendation } from '../../catalog/types.js';

export const WIZARD_ACTIONS = ['allow', 'limit', 'require_approval', 'deny', 'hide'] as const;
export type WizardAction = (typeof WIZARD_ACTIONS)[number];

export const LIMIT_WINDOWS = ['minute', 'hour', 'day'] as const;
export type LimitWindow = (typeof LIMIT_WINDOWS)[number];

export interface LimitSetting {
  max: number;
  window: LimitWindow;
}

export interface WizardState {
  tools: readonly CatalogTool[];
  actions: WizardAction[];
  /** The limit each tool gets when its action is `limit` (kept while another action is chosen). */
  limits: LimitSetting[];
  selected: number;
  screen: 'tools' | 'preview';
  previewScroll: number;
  /** Digits typed in a row set the selected tool's limit; any other key ends the number. */
  typing: boolean;
  /** For an Execute tool that takes Python code: that parameter, which the Python guard can check (else undefined). */
  guardable: (string | undefined)[];
  /** Whether the strict Python guard is on, per tool (`g` toggles it; on from the start with --strict). */
  guards: boolean[];
}

export interface WizardKey {
  input: string;
  upArrow?: boolean;
  downArrow?: boolean;
  leftArrow?: boolean;
  rightArrow?: boolean;
  pageUp?: boolean;
  pageDown?: boolean;
  return?: boolean;
  escape?: boolean;
  ctrl?: boolean;
  tab?: boolean;
}

export interface WizardKeyContext {
  /** Lines of the policy preview and how many fit, for scrolling. */
  previewLines: number;
  visiblePreviewLines: number;
}

export type WizardKeyResult = { state: WizardState; done?: 'write' | 'quit' };

/** Without a recommended limit, a tool switched to `limit` starts at Write's rule: 30 a minute. */
const DEFAULT_LIMIT: LimitSetting = { max: 30, window: 'minute' };
const MAX_LIMIT = 1_000_000;

export function initialWizard(tools: readonly CatalogTool[], options: { strict?: boolean } = {}): WizardState {
  const guardable = tools.map((tool) => (tool.category === 'Execute' ? pythonCodeParameter(tool) : undefined));
  return {
    tools,
    guardable,
    guards: guardable.map((parameter) => parameter !== undefined && options.strict === true),
    actions: tools.map((tool) => tool.recommendation.action),
    limits: tools.map((tool) => (tool.recommendation.action === 'limit' ? { max: tool.recommendation.max, window: tool.recommendation.window } : { ...DEFAULT_LIMIT })),
    selected: 0,
    screen: 'tools',
    previewScroll: 0,
    typing: false,
  };
}

export function recommendationOf(state: WizardState, index: number): Recommendation {
  const action = state.actions[index]!;
  if (action === 'limit') return { action, ...state.limits[index]! };
  return { action };
}

/** The choices to write; a tool the user changed from the recommendation counts as reviewed. */
export function choicesOf(state: WizardState): ToolChoice[] {
  return state.tools.map((tool, i) => {
    const guard = state.guards[i] ? state.guardable[i] : undefined;
    return {
      name: tool.name,
      recommendation: recommendationOf(state, i),
      category: tool.category,
      ...(tool.needsReview !== undefined && !changedFromRecommendation(state, i) ? { needsReview: tool.needsReview } : {}),
      ...(guard ? { pythonGuard: guard } : {}),
      ...(tool.argumentRules ? { argumentRules: tool.argumentRules } : {}),
    };
  });
}

/** Whether a tool's current choice differs from the catalog's recommendation. */
export function changedFromRecommendation(state: WizardState, index: number): boolean {
  const recommended = state.tools[index]!.recommendation;
  const chosen = recommendationOf(state, index);
  if (recommended.action !== chosen.action) return true;
  return recommended.action === 'limit' && chosen.action === 'limit' && (recommended.max !== chosen.max || recommended.window !== chosen.window);
}

export function wizardKey(state: WizardState, key: WizardKey, context: WizardKeyContext): WizardKeyResult {
  if (key.ctrl && key.input === 'c') return { state, done: 'quit' };
  if (state.screen === 'tools' && /^[0-9]$/.test(key.input)) return { state: typeDigit(state, key.input) };
  const settled = state.typing ? { ...state, typing: false } : state;
  return settled.screen === 'tools' ? toolsKey(settled, key) : previewKey(settled, key, context);
}

function typeDigit(state: WizardState, digit: string): WizardState {
  const i = state.selected;
  if (state.actions[i] !== 'limit') return state;
  const limit = state.limits[i]!;
  const max = state.typing ? Number(`${limit.max}${digit}`) : Number(digit);
  if (max === 0) return state;
  return { ...withLimit(state, i, { ...limit, max: Math.min(MAX_LIMIT, max) }), typing: true };
}

function toolsKey(state: WizardState, key: WizardKey): WizardKeyResult {
  const count = state.tools.length;
  const i = state.selected;
  if (key.escape || key.input === 'q') return { state, done: 'quit' };
  if (key.return || key.input === 'p') return { state: { ...state, screen: 'preview', previewScroll: 0 } };
  if (key.upArrow || key.input === 'k') return { state: { ...state, selected: (i - 1 + count) % count } };
  if (key.downArrow || key.input === 'j' || key.tab) return { state: { ...state, selected: (i + 1) % count } };
  if (key.pageUp) return { state: { ...state, selected: Math.max(0, i - 10) } };
  if (key.pageDown) return { state: { ...state, selected: Math.min(count - 1, i + 10) } };
  if (key.leftArrow || key.rightArrow) {
    const step = key.rightArrow ? 1 : -1;
    const next = WIZARD_ACTIONS[(WIZARD_ACTIONS.indexOf(state.actions[i]!) + step + WIZARD_ACTIONS.length) % WIZARD_ACTIONS.length]!;
    return { state: withAction(state, i, next) };
  }
  // Direct keys for each action.
  const direct: Record<string, WizardAction> = { a: 'allow', l: 'limit', r: 'require_approval', d: 'deny', h: 'hide' };
  if (direct[key.input]) return { state: withAction(state, i, direct[key.input]!) };
  if (state.actions[i] === 'limit') {
    const limit = state.limits[i]!;
    if (key.input === '+' || key.input === '=') return { state: withLimit(state, i, { ...limit, max: stepLimit(limit.max, 1) }) };
    if (key.input === '-' || key.input === '_') return { state: withLimit(state, i, { ...limit, max: stepLimit(limit.max, -1) }) };
    if (key.input === 'w') return { state: withLimit(state, i, { ...limit, window: LIMIT_WINDOWS[(LIMIT_WINDOWS.indexOf(limit.window) + 1) % LIMIT_WINDOWS.length]! }) };
  }
  if (key.input === 'g' && state.guardable[i] !== undefined) {
    const guards = [...state.guards];
    guards[i] = !guards[i];
    return { state: { ...state, guards } };
  }
  if (key.input === 'u') return { state: resetTool(state, i) };
  return { state };
}

function previewKey(state: WizardState, key: WizardKey, context: WizardKeyContext): WizardKeyResult {
  const maxScroll = Math.max(0, context.previewLines - context.visiblePreviewLines);
  const scrollTo = (n: number) => ({ state: { ...state, previewScroll: Math.max(0, Math.min(maxScroll, n)) } });
  if (key.input === 'q') return { state, done: 'quit' };
  if (key.escape || key.input === 'b' || key.leftArrow) return { state: { ...state, screen: 'tools' } };
  if (key.return || key.input === 'y') return { state, done: 'write' };
  if (key.upArrow || key.input === 'k') return scrollTo(state.previewScroll - 1);
  if (key.downArrow || key.input === 'j') return scrollTo(state.previewScroll + 1);
  if (key.pageUp) return scrollTo(state.previewScroll - Math.max(1, context.visiblePreviewLines - 1));
  if (key.pageDown || key.input === ' ') return scrollTo(state.previewScroll + Math.max(1, context.visiblePreviewLines - 1));
  return { state };
}

function withAction(state: WizardState, index: number, action: WizardAction): WizardState {
  const actions = [...state.actions];
  actions[index] = action;
  return { ...state, actions };
}

function withLimit(state: WizardState, index: number, limit: LimitSetting): WizardState {
  const limits = [...state.limits];
  limits[index] = limit;
  return { ...state, limits };
}

function resetTool(state: WizardState, index: number): WizardState {
  const fresh = initialWizard([state.tools[index]!]);
  return withLimit(withAction(state, index, fresh.actions[0]!), index, fresh.limits[0]!);
}

/** + and − move along 1, 2, 3 … 10, 15, 20 … 100, 150 … so any sensible budget is a few presses away. */
export function stepLimit(max: number, direction: 1 | -1): number {
  const step = max < 10 || (direction === -1 && max === 10) ? 1 : max < 100 || (direction === -1 && max === 100) ? 5 : max < 1000 || (direction === -1 && max === 1000) ? 50 : 500;
  return Math.max(1, Math.min(MAX_LIMIT, max + direction * step));
}
