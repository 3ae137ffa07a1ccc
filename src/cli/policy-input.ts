import { resolve } from 'node:path';
import { compilePolicy, PolicyCompileError, type CompiledPolicy } from '../engine/compile.js';
import { loadCodeAnalysis } from '../engine/code-analysis.js';
import { InputError, UserError, EXIT } from '../errors.js';
import { lintSource, hasErrors } from '../lint/lint-source.js';
import type { Finding } from '../lint/finding.js';
import { findProjectPolicy } from '../policy/discover.js';
import { readPolicySource } from '../policy/read.js';
import type { SourceDocument } from '../policy/source.js';
import type { Io } from '../output/io.js';
import { displayPath } from './paths.js';

export interface LoadedPolicy {
  path: string;
  absolutePath: string;
  source: SourceDocument;
  compiled: CompiledPolicy;
  /** Warnings and infos; a policy with errors never loads. */
  findings: Finding[];
}

/** A policy that fails lint with errors; the message lists each finding on its own line. */
export class InvalidPolicyError extends UserError {
  constructor(
    readonly path: string,
    readonly findings: Finding[],
  ) {
    const errors = findings.filter((f) => f.severity === 'error');
    super(
      `${path}: invalid policy (${errors.length} error${errors.length === 1 ? '' : 's'})\n` +
        errors.map((f) => `  ${path}:${f.range.start.line}:${f.range.start.column}: ${f.message} [${f.ruleId}]`).join('\n'),
      EXIT.usage,
    );
    this.name = 'InvalidPolicyError';
  }
}

/** Resolves `--policy`, or finds the project's policylayer.json|yaml|yml from the working folder upward. */
export function resolvePolicyPath(io: Io, policyOption: string | undefined): string {
  if (policyOption) return resolve(io.cwd, policyOption);
  const found = findProjectPolicy(io.cwd);
  if (!found) {
    throw new UserError('no policy given and no policylayer.json, policylayer.yaml or policylayer.yml found here or above; pass --policy FILE or run `policylayer init`');
  }
  return found;
}

/** Reads, lints and compiles a policy for the engine. Errors refuse to load (exit 2) with every finding listed. */
export async function loadPolicy(io: Io, policyOption: string | undefined): Promise<LoadedPolicy> {
  const absolutePath = resolvePolicyPath(io, policyOption);
  const path = displayPath(io.cwd, absolutePath);
  const source = await readPolicySource(absolutePath, path);
  const loaded = compileSource(source, path, absolutePath);
  // Only a policy with a `python` condition loads the parser, here, once: deciding stays synchronous.
  await loadCodeAnalysis(loaded.compiled);
  return loaded;
}

export function compileSource(source: SourceDocument, path: string, absolutePath: string): LoadedPolicy {
  const result = lintSource(source);
  if (!result.policy || hasErrors(result.findings)) throw new InvalidPolicyError(path, result.findings);
  try {
    return { path, absolutePath, source, compiled: compilePolicy(result.policy), findings: result.findings };
  } catch (error) {
    if (error instanceof PolicyCompileError) throw new InputError(path, error.message);
    throw error;
  }
}
