/**
 * The policy language: PolicyLayer's JSON v1 document plus our `require_approval` extension.
 * This zod schema is the single source of truth: validation, the TypeScript types and the published
 * JSON Schema (`policylayer schema`, schema/policy.schema.json) all come from it.
 * zod/mini keeps the bundle small: plain commands must start fast.
 */
import * as z from 'zod/mini';

export const OPERATORS = ['eq', 'neq', 'in', 'not_in', 'lt', 'lte', 'gt', 'gte', 'regex', 'contains', 'exists'] as const;
export const WINDOWS = ['minute', 'hour', 'day'] as const;
export const SCOPES = ['grant', 'session', 'global'] as const;

/** `args` or `args.a.b.c`: a dot path into the call's arguments. */
export const ARGUMENT_PATH = /^args(\.[^.]+)*$/;

const argumentPath = z.string().check(
  z.regex(ARGUMENT_PATH, { error: 'must be "args" or start with "args." followed by dot-separated names, e.g. "args.code"' }),
);

const conditionBase = { path: argumentPath };

/** One condition per operator, so the JSON Schema tells editors which value each operator takes. */
export const conditionSchema = z.discriminatedUnion('op', [
  z.strictObject({ ...conditionBase, op: z.enum(['eq', 'neq', 'contains']), value: z.unknown() }),
  z.strictObject({ ...conditionBase, op: z.enum(['in', 'not_in']), value: z.array(z.unknown()) }),
  z.strictObject({ ...conditionBase, op: z.enum(['lt', 'lte', 'gt', 'gte']), value: z.number() }),
  z.strictObject({ ...conditionBase, op: z.literal('regex'), value: z.string() }),
  z.strictObject({ ...conditionBase, op: z.literal('exists'), value: z.optional(z.boolean()) }),
]);

export const ruleSchema = z.strictObject({
  conditions: z.optional(z.array(conditionSchema)),
  on_deny: z.optional(z.string()),
});

export const approvalRuleSchema = z.strictObject({
  conditions: z.optional(z.array(conditionSchema)),
  message: z.optional(z.string()),
});

export const limitSchema = z.strictObject({
  counter: z.string().check(z.minLength(1, { error: 'counter names cannot be empty' })),
  window: z.enum(WINDOWS),
  max: z.int().check(z.minimum(0), z.maximum(Number.MAX_SAFE_INTEGER)),
  scope: z.enum(SCOPES),
  increment_from: z.optional(argumentPath),
  on_deny: z.optional(z.string()),
});

export const toolRulesSchema = z.strictObject({
  require: z.optional(z.array(ruleSchema)),
  deny_if: z.optional(z.array(ruleSchema)),
  limits: z.optional(z.array(limitSchema)),
  require_approval: z.optional(z.array(approvalRuleSchema)),
});

export const policySchema = z.strictObject({
  $schema: z.optional(z.string()),
  description: z.optional(z.string()),
  version: z.literal('1'),
  default: z.enum(['allow', 'deny']),
  hide: z.optional(z.array(z.string().check(z.minLength(1, { error: 'tool names cannot be empty' })))),
  all_tools: z.optional(z.strictObject({ limits: z.optional(z.array(limitSchema)) })),
  tools: z.optional(z.record(z.string(), toolRulesSchema)),
});

export type PolicyDocument = z.infer<typeof policySchema>;
export type ToolRules = z.infer<typeof toolRulesSchema>;
export type Rule = z.infer<typeof ruleSchema>;
export type ApprovalRule = z.infer<typeof approvalRuleSchema>;
export type Limit = z.infer<typeof limitSchema>;
export type Condition = z.infer<typeof conditionSchema>;
export type Operator = (typeof OPERATORS)[number];
export type Window = (typeof WINDOWS)[number];
export type Scope = (typeof SCOPES)[number];

/** The keys each kind of object accepts, for did-you-mean on unknown keys. */
export const KNOWN_KEYS = {
  policy: Object.keys(policySchema.def.shape),
  all_tools: ['limits'],
  tool: Object.keys(toolRulesSchema.def.shape),
  rule: Object.keys(ruleSchema.def.shape),
  approval: Object.keys(approvalRuleSchema.def.shape),
  limit: Object.keys(limitSchema.def.shape),
  condition: ['path', 'op', 'value'],
} as const;
