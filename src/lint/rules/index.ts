import type { LintRule } from '../rule.js';
import { allToolsIncrementFrom } from './all-tools-increment-from.js';
import { counterConflict } from './counter-conflict.js';
import { criticalToolAllowed } from './critical-tool-allowed.js';
import { defaultAllow } from './default-allow.js';
import { duplicateHide } from './duplicate-hide.js';
import { emptyRequire } from './empty-require.js';
import { hiddenToolHasRules } from './hidden-tool-has-rules.js';
import { incrementFromNotNumeric } from './increment-from-not-numeric.js';
import { incrementFromOptional } from './increment-from-optional.js';
import { invalidRegex } from './invalid-regex.js';
import { needsReviewAllowed } from './needs-review-allowed.js';
import { argumentCheckMissing } from './argument-check-missing.js';
import { pythonGuardConflict } from './python-guard-conflict.js';
import { pythonGuardExtension } from './python-guard-extension.js';
import { pythonGuardInRequire } from './python-guard-in-require.js';
import { redundantAllow } from './redundant-allow.js';
import { typeMismatch } from './type-mismatch.js';
import { unknownArgument } from './unknown-argument.js';
import { unknownTool } from './unknown-tool.js';
import { unlimitedHighRisk } from './unlimited-high-risk.js';
import { unreachableRule } from './unreachable-rule.js';
import { unsafeRegex } from './unsafe-regex.js';
import { zeroMaxLimit } from './zero-max-limit.js';

/** Findings produced while parsing and validating against the schema (src/lint/schema-findings.ts). */
export const schemaRules: LintRule[] = [
  { id: 'invalid-syntax', severity: 'error', description: 'The file is not valid JSON or YAML.' },
  { id: 'duplicate-key', severity: 'error', description: 'A key appears twice in one object; parsers disagree on which one wins.' },
  { id: 'unknown-key', severity: 'error', description: 'A key the policy language does not define; a misspelt key silently drops a rule.', fixable: true },
  { id: 'foreign-syntax', severity: 'error', description: "A key from PolicyLayer's catalogue FAQ text or Intercept's YAML, which JSON v1 does not have." },
  { id: 'missing-key', severity: 'error', description: 'A required key is missing.' },
  { id: 'invalid-value', severity: 'error', description: 'A value of the wrong type or outside the allowed values.', fixable: true },
];

/** Semantic rules, run on schema-valid policies, in this order. Rules with `needsCatalog` run only with --server or --catalog. */
export const semanticRules: LintRule[] = [
  defaultAllow,
  hiddenToolHasRules,
  unreachableRule,
  emptyRequire,
  zeroMaxLimit,
  counterConflict,
  allToolsIncrementFrom,
  duplicateHide,
  invalidRegex,
  unsafeRegex,
  pythonGuardInRequire,
  pythonGuardConflict,
  pythonGuardExtension,
  redundantAllow,
  unknownTool,
  unknownArgument,
  typeMismatch,
  incrementFromNotNumeric,
  incrementFromOptional,
  unlimitedHighRisk,
  criticalToolAllowed,
  needsReviewAllowed,
  argumentCheckMissing,
];

export const allRules: LintRule[] = [...schemaRules, ...semanticRules];
