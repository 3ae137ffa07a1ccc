/**
 * The policy language: PolicyLayer's JSON v1 document plus our `require_approval` extension.
 * This zod schema is the single source of truth: validation, the TypeScript types, the published
 * JSON Schema (`policylayer schema`, schema/policy.schema.json, with these descriptions as editor
 * hover help) and the canonical key order of `policylayer fmt` all come from it.
 * zod/mini keeps the bundle small: plain commands must start fast.
 */
import * as z from 'zod/mini';
import { projectFile } from '../util/home.js';

/** The published schema's `$id`, also the URL editors can fetch it from. */
export const SCHEMA_ID = projectFile('schema/policy.schema.json');

export const OPERATORS = ['eq', 'neq', 'in', 'not_in', 'lt', 'lte', 'gt', 'gte', 'regex', 'contains', 'exists', 'python'] as const;
export const WINDOWS = ['minute', 'hour', 'day'] as const;
export const SCOPES = ['grant', 'session', 'global'] as const;

/** `args` or `args.a.b.c`: a dot path into the call's arguments. */
export const ARGUMENT_PATH = /^args(\.[^.]+)*$/;

const describe = z.describe;

const argumentPath = (description: string) =>
  z.string().check(
    z.regex(ARGUMENT_PATH, { error: 'must be "args" or start with "args." followed by dot-separated names, e.g. "args.code"' }),
    describe(description),
  );

const conditionPath = argumentPath('The argument to test: "args" (all of them) or "args." and a dot path, e.g. "args.code" or "args.options.mode". Array items by index: "args.items.0".');

const dottedNames = (description: string) =>
  z.optional(
    z
      .array(z.string().check(z.regex(/^[^.\s]+(\.[^.\s]+)*$/u, { error: 'must be a dotted name such as "os.system", "os.exec*" or "**.unlink"' })))
      .check(describe(description)),
  );

/** The value of a `python` condition: what the code may import and use. */
export const pythonGuardSchema = z
  .strictObject({
    deny_modules: dottedNames('Modules the code may not import or use: "subprocess" also covers subprocess.run and subprocess.x.y. * is a glob inside one segment.'),
    allow_modules: dottedNames('If given, the only modules the code may import (with everything under them). The more specific of a matching allow and deny entry wins: deny "urllib", allow "urllib.parse".'),
    deny_calls: dottedNames('Dotted names the code may not call or reach, with import aliases resolved: "os.system", "os.exec*" (* is a glob inside one segment), "**.unlink" (** is any number of segments: a method of any receiver).'),
    allow_calls: dottedNames('If given, the only names the code may reach under the modules it imports (builtins and its own functions are not affected).'),
    deny_unanalysable: z.optional(z.boolean().check(describe('Deny code that escapes static analysis: exec/eval, __import__, importlib, getattr with a computed name, dunder walks, ctypes, pickle, sys.modules, os.environ writes… Default true.'))),
    deny_unparsable: z.optional(z.boolean().check(describe('Deny code that does not parse as Python 3 (or is not a string). Default true.'))),
  })
  .check(describe('The guard (policylayer extension): what the Python code in the argument may import and use. See docs/python-guard.md.'));

/** One condition per operator, so the JSON Schema tells editors which value each operator takes. */
export const conditionSchema = z
  .discriminatedUnion('op', [
    z.strictObject({
      path: conditionPath,
      op: z.enum(['eq', 'neq', 'contains']).check(describe('eq: equals value; neq: present and differs; contains: a string containing value, or an array with an item equal to it.')),
      value: z.unknown().check(describe('Any JSON value. No type coercion: "10" is not 10.')),
    }),
    z.strictObject({
      path: conditionPath,
      op: z.enum(['in', 'not_in']).check(describe('in: equals one of the values; not_in: present and equals none of them.')),
      value: z.array(z.unknown()).check(describe('The values to compare with.')),
    }),
    z.strictObject({
      path: conditionPath,
      op: z.enum(['lt', 'lte', 'gt', 'gte']).check(describe('Numeric comparison; holds only when the argument is a number.')),
      value: z.number().check(describe('The number to compare with.')),
    }),
    z.strictObject({
      path: conditionPath,
      op: z.literal('regex').check(describe('Holds when the argument is a string that the JavaScript regular expression matches somewhere (anchor with ^…$).')),
      value: z.string().check(describe('A JavaScript regular expression, without slashes or flags.')),
    }),
    z.strictObject({
      path: conditionPath,
      op: z
        .literal('python')
        .check(
          describe(
            'policylayer extension: holds when the argument, read as Python 3 code, does something the guard in value forbids (a denied import or call, code that escapes static analysis, or code that does not parse). Use it in deny_if or require_approval.',
          ),
        ),
      value: pythonGuardSchema,
    }),
    z.strictObject({
      path: conditionPath,
      op: z.literal('exists').check(describe('Holds when the argument is present (value true, the default) or absent (value false).')),
      value: z.optional(z.boolean().check(describe('true (default): the argument must be present; false: it must be absent.'))),
    }),
  ])
  .check(z.meta({ id: 'Condition', description: 'A test on one argument. An absent argument makes every operator false except exists.' }));

const conditions = z.optional(
  z.array(conditionSchema).check(describe('All must hold (AND). No conditions: the entry always applies.')),
);

export const ruleSchema = z
  .strictObject({
    conditions,
    on_deny: z.optional(z.string().check(describe('The message the agent receives when this entry denies the call.'))),
  })
  .check(z.meta({ id: 'Rule' }));

export const approvalRuleSchema = z
  .strictObject({
    conditions,
    message: z.optional(z.string().check(describe('Shown to the human who approves or refuses the call.'))),
  })
  .check(z.meta({ id: 'ApprovalRule', description: 'policylayer extension: a human must approve a call for which all conditions hold.' }));

export const limitSchema = z
  .strictObject({
    counter: z.string().check(z.minLength(1, { error: 'counter names cannot be empty' }), describe('The counter name. Limits that share a name (and window and scope) share one budget.')),
    window: z.enum(WINDOWS).check(describe('A fixed UTC-aligned window: "minute", "hour" or "day".')),
    max: z.int().check(z.minimum(0), z.maximum(Number.MAX_SAFE_INTEGER), describe('The most the counter may reach in one window. 0 blocks every call.')),
    scope: z.enum(SCOPES).check(describe('Whose budget: "grant" (per identity), "session" (per MCP session) or "global" (everybody).')),
    increment_from: z.optional(argumentPath('Count this numeric argument instead of 1 per call (spend caps), e.g. "args.amount". A missing, non-numeric or negative value denies the call.')),
    on_deny: z.optional(z.string().check(describe('The message when the limit is reached.'))),
  })
  .check(z.meta({ id: 'Limit', description: 'A quota: the counter may reach at most max per window.' }));

const limits = (description: string) => z.optional(z.array(limitSchema).check(describe(description)));

/** Keys in evaluation order, which is also the order `policylayer fmt` writes them in. */
export const toolRulesSchema = z
  .strictObject({
    deny_if: z.optional(z.array(ruleSchema).check(describe('Deny the call when all conditions of an entry hold. An entry without conditions denies every call.'))),
    require: z.optional(z.array(ruleSchema).check(describe('Deny the call unless all conditions of each entry hold.'))),
    limits: limits('Quotas for this tool, reserved before the call is forwarded.'),
    require_approval: z.optional(
      z.array(approvalRuleSchema).check(describe('policylayer extension: a human must approve a matching call. An entry without conditions matches every call.')),
    ),
  })
  .check(z.meta({ id: 'ToolRules', description: 'Rules for one tool, applied in this order: deny_if, require, limits, require_approval. {} allows the tool.' }));

export const policySchema = z.strictObject({
  $schema: z.optional(z.string().check(describe(`The JSON Schema for editors, e.g. "${SCHEMA_ID}" or a relative path to a copy. Ignored by the engine.`))),
  description: z.optional(z.string().check(describe('Free text. Ignored by the engine.'))),
  version: z.literal('1').check(describe('The policy language version: the string "1".')),
  default: z.enum(['allow', 'deny']).check(describe('The decision for tools not listed under tools. Prefer "deny".')),
  hide: z.optional(
    z
      .array(z.string().check(z.minLength(1, { error: 'tool names cannot be empty' })))
      .check(describe('Tools removed from tools/list and denied on every call. "*" hides every tool.')),
  ),
  all_tools: z.optional(
    z.strictObject({ limits: limits('Limits applied to every call that reaches the limits step, before the tool\'s own limits.') }).check(describe('Rules for every tool.')),
  ),
  tools: z.optional(z.record(z.string(), toolRulesSchema).check(describe('Per-tool rules by exact tool name. Under default "deny", {} allows a tool.'))),
});

export type PolicyDocument = z.infer<typeof policySchema>;
export type ToolRules = z.infer<typeof toolRulesSchema>;
export type Rule = z.infer<typeof ruleSchema>;
export type ApprovalRule = z.infer<typeof approvalRuleSchema>;
export type Limit = z.infer<typeof limitSchema>;
export type Condition = z.infer<typeof conditionSchema>;
export type PythonGuard = z.infer<typeof pythonGuardSchema>;
export type Operator = (typeof OPERATORS)[number];
export type Window = (typeof WINDOWS)[number];
export type Scope = (typeof SCOPES)[number];

/** The keys each kind of object accepts, in canonical order: for did-you-mean on unknown keys and for `fmt`. */
export const KNOWN_KEYS = {
  policy: Object.keys(policySchema.def.shape),
  all_tools: ['limits'],
  tool: Object.keys(toolRulesSchema.def.shape),
  rule: Object.keys(ruleSchema.def.shape),
  approval: Object.keys(approvalRuleSchema.def.shape),
  limit: Object.keys(limitSchema.def.shape),
  condition: ['path', 'op', 'value'],
  python_guard: Object.keys(pythonGuardSchema.def.shape),
} as const;
