/**
 * Lint configuration (docs/lint.md#configuration): per-rule levels and reasoned ignores, from a
 * `.policylayer-lint.json|yaml|yml` file and `--rule` flags. Pure: the caller reads the file.
 *
 * Rules whose errors stop a policy from loading (the schema rules, and semantic errors the proxy
 * checks at start) cannot be turned down or ignored here: lint would pass a policy that the proxy,
 * explain, replay and test then refuse.
 */
import * as z from 'zod/mini';
import { escapePointerSegment } from '../policy/pointer.js';
import { didYouMean } from '../util/suggest.js';
import type { Finding, Severity } from './finding.js';
import type { LintRule } from './rule.js';

export const LEVELS = ['off', 'info', 'warning', 'error'] as const;
export type Level = (typeof LEVELS)[number];

const levelSchema = z.enum(LEVELS);

const patternList = z.array(z.string().check(z.minLength(1, 'a pattern cannot be empty')));

export const LintConfigSchema = z.strictObject({
  $schema: z.optional(z.string()),
  /** gitignore-style patterns, relative to the config file's folder: what a folder search (and lint without paths) lints. */
  include: z.optional(patternList),
  /** gitignore-style patterns, relative to the config file's folder: never linted when found in a folder. */
  exclude: z.optional(patternList),
  /** Rule id → level. */
  rules: z.optional(z.record(z.string(), levelSchema)),
  /** Findings not to report, each with the reason it is accepted. */
  ignore: z.optional(
    z.array(
      z.strictObject({
        rule: z.string(),
        /** Files or folders, relative to the config file's folder; absent: every file. */
        files: z.optional(z.array(z.string())),
        /** A JSON Pointer: findings at it or below it; absent: anywhere in the file. */
        pointer: z.optional(z.string().check(z.refine((p) => p === '' || p.startsWith('/'), 'a JSON Pointer starts with "/"'))),
        reason: z.string().check(z.minLength(1, 'say why this finding is accepted')),
      }),
    ),
  ),
});
export type LintConfigDocument = z.infer<typeof LintConfigSchema>;

/** A problem with the configuration, at a JSON Pointer into the config document (or in a --rule flag). */
export interface ConfigProblem {
  pointer: string;
  message: string;
  /** Point at the member's key (a rule id under `rules`) instead of its value. */
  part?: 'key' | 'value';
}

export interface IgnoreEntry {
  rule: string;
  /** Absolute paths; a folder covers everything below it. */
  files?: string[];
  pointer?: string;
  reason: string;
}

export interface LintConfig {
  levels: Map<string, Level>;
  ignore: IgnoreEntry[];
  include?: string[];
  exclude?: string[];
}

export const EMPTY_CONFIG: LintConfig = { levels: new Map(), ignore: [] };

/** Whether a rule's errors stop the policy from loading (see the module comment). */
export function gatesLoading(rule: LintRule): boolean {
  return rule.severity === 'error' && !rule.needsCatalog;
}

/**
 * Checks a parsed config document against the rules and resolves it. `resolvePath` turns a `files`
 * entry into an absolute path (relative to the config file's folder).
 */
export function resolveLintConfig(document: LintConfigDocument, rules: readonly LintRule[], resolvePath: (path: string) => string): { config: LintConfig; problems: ConfigProblem[] } {
  const problems: ConfigProblem[] = [];
  const levels = new Map<string, Level>();
  for (const [id, level] of Object.entries(document.rules ?? {})) {
    const problem = levelProblem(id, level, rules);
    if (problem) problems.push({ pointer: `/rules/${escapePointerSegment(id)}`, message: problem, part: 'key' });
    else levels.set(id, level);
  }
  const ignore: IgnoreEntry[] = [];
  (document.ignore ?? []).forEach((entry, i) => {
    const problem = ruleProblem(entry.rule, rules, 'ignored');
    if (problem) {
      problems.push({ pointer: `/ignore/${i}/rule`, message: problem });
      return;
    }
    ignore.push({ rule: entry.rule, reason: entry.reason, ...(entry.files ? { files: entry.files.map(resolvePath) } : {}), ...(entry.pointer !== undefined ? { pointer: entry.pointer } : {}) });
  });
  return { config: { levels, ignore, ...(document.include ? { include: document.include } : {}), ...(document.exclude ? { exclude: document.exclude } : {}) }, problems };
}

/** `--rule id=level` flags, over the file's levels. */
export function withRuleFlags(config: LintConfig, flags: readonly string[], rules: readonly LintRule[]): { config: LintConfig; problems: ConfigProblem[] } {
  const problems: ConfigProblem[] = [];
  const levels = new Map(config.levels);
  for (const flag of flags) {
    const match = /^([^=]+)=(.*)$/.exec(flag);
    if (!match) {
      problems.push({ pointer: '', message: `--rule ${flag}: expected <rule-id>=<level> (${LEVELS.join(', ')})` });
      continue;
    }
    const [, id, level] = match as unknown as [string, string, string];
    if (!(LEVELS as readonly string[]).includes(level)) {
      const suggestion = didYouMean(level, LEVELS);
      problems.push({ pointer: '', message: `--rule ${flag}: the level must be one of ${LEVELS.join(', ')}${suggestion ? ` (did you mean "${suggestion}"?)` : ''}` });
      continue;
    }
    const problem = levelProblem(id, level as Level, rules);
    if (problem) problems.push({ pointer: '', message: `--rule ${flag}: ${problem}` });
    else levels.set(id, level as Level);
  }
  return { config: { ...config, levels }, problems };
}

export interface AppliedConfig {
  findings: Finding[];
  /** Findings dropped by an `off` level or an ignore entry. */
  suppressed: number;
}

/** Applies levels and ignores to one file's findings. `file` is its absolute path (absent for unnamed standard input). */
export function applyLintConfig(findings: readonly Finding[], file: string | undefined, config: LintConfig): AppliedConfig {
  if (config.levels.size === 0 && config.ignore.length === 0) return { findings: [...findings], suppressed: 0 };
  const kept: Finding[] = [];
  for (const finding of findings) {
    const level = config.levels.get(finding.ruleId);
    if (level === 'off' || config.ignore.some((entry) => ignores(entry, finding, file))) continue;
    kept.push(level === undefined || level === finding.severity ? finding : { ...finding, severity: level as Severity });
  }
  return { findings: kept, suppressed: findings.length - kept.length };
}

function ignores(entry: IgnoreEntry, finding: Finding, file: string | undefined): boolean {
  if (entry.rule !== finding.ruleId) return false;
  if (entry.pointer !== undefined && finding.pointer !== entry.pointer && !finding.pointer.startsWith(`${entry.pointer}/`)) return false;
  if (entry.files === undefined) return true;
  return file !== undefined && entry.files.some((path) => file === path || file.startsWith(`${path.replace(/[\\/]+$/, '')}/`));
}

function levelProblem(id: string, level: Level, rules: readonly LintRule[]): string | undefined {
  return ruleProblem(id, rules, level === 'error' ? undefined : 'turned down');
}

function ruleProblem(id: string, rules: readonly LintRule[], change: 'ignored' | 'turned down' | undefined): string | undefined {
  const rule = rules.find((candidate) => candidate.id === id);
  if (!rule) {
    const suggestion = didYouMean(id, rules.map((candidate) => candidate.id));
    return `unknown rule "${id}"${suggestion ? ` (did you mean "${suggestion}"?)` : ''}; the rules are listed in docs/rules/README.md`;
  }
  if (change && gatesLoading(rule)) return `"${id}" cannot be ${change}: a policy with this error does not load in the proxy, so lint must fail too; change the policy instead`;
  return undefined;
}
