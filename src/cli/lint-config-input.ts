import { dirname, resolve } from 'node:path';
import type * as z from 'zod/mini';
import { InputError } from '../errors.js';
import { issueSentence, unknownKeySentence } from '../policy/describe.js';
import { EMPTY_CONFIG, LintConfigSchema, resolveLintConfig, withRuleFlags, type ConfigProblem, type LintConfig } from '../lint/config.js';
import type { LintRule } from '../lint/rule.js';
import { findUpward } from '../policy/discover.js';
import { escapePointerSegment, parentPointer, toPointer } from '../policy/pointer.js';
import { readPolicySource } from '../policy/read.js';
import { rangeOf, type SourceDocument } from '../policy/source.js';
import type { Io } from '../output/io.js';
import { displayPath } from './paths.js';

export const LINT_CONFIG_NAMES = ['.policylayer-lint.json', '.policylayer-lint.yaml', '.policylayer-lint.yml'] as const;

/** The nearest lint config: in the working folder, then each parent folder up to the root. */
export function findLintConfig(cwd: string): string | undefined {
  return findUpward(cwd, LINT_CONFIG_NAMES);
}

export interface LoadedLintConfig {
  config: LintConfig;
  /** The config file as shown in messages, when one was read. */
  display?: string;
  /** Its folder (include and exclude patterns are relative to it). */
  folder?: string;
}

/**
 * `--config FILE`, or the nearest `.policylayer-lint.*` (none with `--no-config`), then `--rule`
 * flags over it. A config that cannot be used is an InputError naming the file, line and column.
 */
export async function loadLintConfig(io: Io, option: string | boolean | undefined, ruleFlags: readonly string[], rules: readonly LintRule[]): Promise<LoadedLintConfig> {
  const file = typeof option === 'string' ? resolve(io.cwd, option) : option === false ? undefined : findLintConfig(io.cwd);
  let loaded: LoadedLintConfig = { config: EMPTY_CONFIG };
  if (file) {
    const display = displayPath(io.cwd, file);
    const source = await readPolicySource(file, display);
    const where = (problem: ConfigProblem): InputError => {
      const at = rangeOf(source, problem.pointer, problem.part).start;
      return new InputError(`${display}:${at.line}:${at.column}`, problem.message);
    };
    throwOnSyntax(source, display);
    const parsed = LintConfigSchema.safeParse(source.value);
    if (!parsed.success) throw where(describeIssue(parsed.error.issues[0]!, source.value));
    const folder = dirname(file);
    const resolved = resolveLintConfig(parsed.data, rules, (path) => resolve(folder, path));
    if (resolved.problems.length > 0) throw where(resolved.problems[0]!);
    loaded = { config: resolved.config, display, folder };
  }
  if (ruleFlags.length === 0) return loaded;
  const flagged = withRuleFlags(loaded.config, ruleFlags, rules);
  if (flagged.problems.length > 0) throw new InputError('--rule', flagged.problems[0]!.message.replace(/^--rule /, ''));
  return { ...loaded, config: flagged.config };
}

const KNOWN_KEYS = { top: ['$schema', 'include', 'exclude', 'rules', 'ignore'], ignore: ['rule', 'files', 'pointer', 'reason'] };

/** A schema issue as one plain sentence at its place (zod/mini's own messages are only "Invalid input"). */
function describeIssue(issue: z.core.$ZodIssue, document: unknown): ConfigProblem {
  const path = issue.path as Array<string | number>;
  const pointer = toPointer(path);
  const see = ' (see docs/lint.md#configuration)';
  const value = path.reduce<unknown>((node, part) => (node !== null && typeof node === 'object' ? (node as Record<string | number, unknown>)[part] : undefined), document);
  const last = path[path.length - 1];
  const where = path.length === 0 ? 'the configuration' : typeof last === 'number' ? `the item at ${pointer}` : `"${String(last)}"`;
  if (issue.code === 'unrecognized_keys') {
    const key = issue.keys[0]!;
    const { message } = unknownKeySentence(key, path.length === 0 ? KNOWN_KEYS.top : KNOWN_KEYS.ignore);
    return { pointer: `${pointer}/${escapePointerSegment(key)}`, part: 'key', message: `${message}${see}` };
  }
  if (issue.code === 'invalid_type' && value === undefined && path.length > 0) {
    return { pointer: parentPointer(pointer) ?? '', message: `missing "${String(last)}"${last === 'reason' ? ': say why the finding is accepted' : ''}${see}` };
  }
  return { pointer, message: `${issueSentence(issue, where, value).message}${see}` };
}

function throwOnSyntax(source: SourceDocument, display: string): void {
  const problem = source.syntaxErrors[0];
  const offset = problem?.offset ?? source.duplicates[0]?.duplicate[0];
  if (offset === undefined) return;
  const at = source.lines.position(offset);
  throw new InputError(`${display}:${at.line}:${at.column}`, problem ? problem.message : `duplicate key "${source.duplicates[0]!.key}"`);
}
