/**
 * Policy test files (docs/policy-tests.md): a policy and cases, each a call (optionally repeated,
 * after some `given` calls) with the outcome, and optionally the rule, it must get.
 */
import * as z from 'zod/mini';
import { ISO_TIME_HINT, parseIsoTime } from '../util/time.js';

const OUTCOMES = ['allow', 'deny', 'approval_required'] as const;

const nonEmpty = (what: string) => z.string().check(z.minLength(1, { error: `${what} cannot be empty` }));
const isoTime = z.string().check(z.refine((value) => parseIsoTime(value) !== undefined, { error: `must be ${ISO_TIME_HINT}` }));
const repeat = z.int().check(z.minimum(1), z.maximum(100_000));

/** What makes a call: the same fields in a case and in its `given` calls. */
const callFields = {
  tool: nonEmpty('a tool name'),
  args: z.optional(z.record(z.string(), z.unknown())),
  grant: z.optional(nonEmpty('a grant')),
  session: z.optional(nonEmpty('a session')),
  at: z.optional(isoTime),
  repeat: z.optional(repeat),
};

/** A call made before the case's own call, to set up counters (not checked). */
export const givenCallSchema = z.strictObject(callFields);

export const testCaseSchema = z.strictObject({
  name: nonEmpty('a case name'),
  ...callFields,
  given: z.optional(z.array(givenCallSchema)),
  expect: z.enum(OUTCOMES),
  rule: z.optional(nonEmpty('a rule')),
});

export const testFileSchema = z.strictObject({
  $schema: z.optional(z.string()),
  description: z.optional(z.string()),
  policy: z.optional(nonEmpty('a policy path')),
  cases: z.array(testCaseSchema).check(z.minLength(1, { error: 'a test file needs at least one case' })),
});

export type TestFile = z.infer<typeof testFileSchema>;
export type TestCase = z.infer<typeof testCaseSchema>;
export type GivenCall = z.infer<typeof givenCallSchema>;

/** Keys each object accepts, for did-you-mean. */
export const TEST_KEYS = {
  file: Object.keys(testFileSchema.def.shape),
  case: Object.keys(testCaseSchema.def.shape),
  given: Object.keys(givenCallSchema.def.shape),
};


