/**
 * From risk classes to a policy. Pure: `init` and the interactive wizard (`init --interactive`)
 * both call `policyFromChoices`, the wizard with the actions the user picked per tool.
 *
 * The recommended rule per category follows PolicyLayer's catalogue (policy-format.md §6.3):
 * Read allowed; Write 30 calls a minute per grant; Execute 10 a minute per grant (for MCP-Slicer's
 * execute_python_code exactly the rule PolicyLayer recommends); Destructive hidden; Financial
 * allowed only with a human's approval (our `require_approval` extension, where PolicyLayer's
 * hosted format can only deny).
 */
import type { Limit, PolicyDocument, Rule, ToolRules } from '../policy/schema.js';
import { withPythonGuard } from './python-guard-profile.js';
import type { CatalogTool, Category, Recommendation } from './types.js';

export const RECOMMENDATION_OF_CATEGORY: Record<Category, Recommendation> = {
  Read: { action: 'allow' },
  Write: { action: 'limit', max: 30, window: 'minute' },
  Execute: { action: 'limit', max: 10, window: 'minute' },
  Destructive: { action: 'hide' },
  Financial: { action: 'require_approval' },
};

export function recommendationFor(category: Category): Recommendation {
  return { ...RECOMMENDATION_OF_CATEGORY[category] };
}

/**
 * For a tool whose class needs review (weak or conflicting evidence): never allow it or give it a
 * loose limit on a guess. A human approves each call until someone has reviewed it; a tool that may
 * destroy data stays hidden.
 */
export function cautiousRecommendation(category: Category): Recommendation {
  return category === 'Destructive' ? { action: 'hide' } : { action: 'require_approval' };
}

/** One line for tables and the wizard, e.g. `limit 10/minute per grant`. */
export function describeRecommendation(recommendation: Recommendation): string {
  switch (recommendation.action) {
    case 'allow':
      return 'allow';
    case 'limit':
      return `limit ${recommendation.max}/${recommendation.window} per grant`;
    case 'require_approval':
      return 'require approval';
    case 'deny':
      return 'deny (visible)';
    case 'hide':
      return 'hide';
  }
}

export interface ToolChoice {
  name: string;
  recommendation: Recommendation;
  /** The tool's class, so an approval message can say what is at stake. */
  category?: Category;
  /** Why its class needs review, when it does; the approval message says so. */
  needsReview?: string | undefined;
  /** The parameter that takes Python code, when the strict Python guard is to check it (`init --strict`, or `g` in the wizard). */
  pythonGuard?: string;
  /** The catalog's argument checks for the tool (CatalogTool.argumentRules), added to its deny_if. */
  argumentRules?: Rule[];
}

/** A catalog tool's choice as the catalog recommends it (init without --interactive). */
export function recommendedChoice(tool: CatalogTool): ToolChoice {
  return {
    name: tool.name,
    recommendation: tool.recommendation,
    category: tool.category,
    needsReview: tool.needsReview,
    ...(tool.argumentRules ? { argumentRules: tool.argumentRules } : {}),
  };
}

export interface PolicyFromChoicesOptions {
  /** The server's display name, for the policy's `description`. */
  serverName?: string;
  /** Written as `$schema` when given. */
  schema?: string;
}

/** The counter a recommended limit uses: PolicyLayer's `<tool>_rate` naming. */
export function counterFor(toolName: string): string {
  return `${toolName}_rate`;
}

function rulesFor(name: string, recommendation: Recommendation, category: Category | undefined, review?: string): ToolRules | undefined {
  switch (recommendation.action) {
    case 'allow':
      return {};
    case 'limit': {
      const limit: Limit = { counter: counterFor(name), window: recommendation.window, max: recommendation.max, scope: 'grant' };
      return { limits: [limit] };
    }
    case 'require_approval':
      return { require_approval: [{ message: review !== undefined ? reviewMessage(name, category, review) : approvalMessage(name, category) }] };
    case 'deny':
      return { deny_if: [{ on_deny: `${name} is denied by policy.` }] };
    case 'hide':
      return undefined;
  }
}

/** The rules with the catalog's argument checks added first in deny_if (as withPythonGuard adds the guard). */
function withArgumentRules(rules: ToolRules, checks: readonly Rule[]): ToolRules {
  return { ...rules, deny_if: [...checks.map((rule) => structuredClone(rule)), ...(rules.deny_if ?? [])] };
}

/** The approval message of a tool whose class needs review: the policy file itself says so. */
export function reviewMessage(name: string, category: Category | undefined, review: string): string {
  return `${name} needs review (classed ${category ?? 'unknown'}: ${review}); approve only calls you expect.`;
}

function approvalMessage(name: string, category: Category | undefined): string {
  switch (category) {
    case 'Financial':
      return `${name} can move money or change billing; approve only calls you expect.`;
    case 'Destructive':
      return `${name} can delete data for good; approve only calls you expect.`;
    case 'Execute':
      return `${name} runs code or commands; approve only calls you expect.`;
    default:
      return `${name} needs your approval for each call; approve only calls you expect.`;
  }
}

/**
 * Builds the policy for per-tool choices: `default: "deny"`, every hidden tool in `hide`, every
 * other tool under `tools` in the order given. Key order is the policy language's canonical order.
 */
export function policyFromChoices(choices: readonly ToolChoice[], options: PolicyFromChoicesOptions = {}): PolicyDocument {
  const hide: string[] = [];
  const tools: Record<string, ToolRules> = {};
  for (const choice of choices) {
    const rules = rulesFor(choice.name, choice.recommendation, choice.category, choice.needsReview);
    if (rules === undefined) hide.push(choice.name);
    else {
      // A denied or hidden tool needs no guard: no call gets as far as its code or its arguments.
      const guarded = choice.pythonGuard && choice.recommendation.action !== 'deny' ? withPythonGuard(rules, choice.pythonGuard) : rules;
      tools[choice.name] = choice.argumentRules?.length && choice.recommendation.action !== 'deny' ? withArgumentRules(guarded, choice.argumentRules) : guarded;
    }
  }
  const reviewed = choices.filter((choice) => choice.needsReview !== undefined).map((choice) => choice.name);
  const needsReview = reviewed.length > 0 ? ` ${reviewed.length} tool${reviewed.length === 1 ? '' : 's'} need${reviewed.length === 1 ? 's' : ''} review (classes from weak or conflicting evidence): ${reviewed.join(', ')}.` : '';
  const description = options.serverName
    ? `Recommended policy for ${options.serverName}, written by "policylayer init" from its tool catalog. Review each rule before relying on it.${needsReview}`
    : `Recommended policy written by "policylayer init". Review each rule before relying on it.${needsReview}`;
  return {
    ...(options.schema ? { $schema: options.schema } : {}),
    description,
    version: '1',
    default: 'deny',
    ...(hide.length > 0 ? { hide } : {}),
    tools,
  };
}
