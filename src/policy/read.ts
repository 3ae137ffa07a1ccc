import { readFileSync, statSync } from 'node:fs';
import { extname } from 'node:path';
import { InputError } from '../errors.js';
import { parseJsonSource } from './parse-json.js';
import type { SourceDocument } from './source.js';

/** Policies are small; a larger file is almost certainly the wrong file, and parsing it would only waste time. */
export const MAX_POLICY_BYTES = 10 * 1024 * 1024;

export const POLICY_EXTENSIONS = ['.json', '.yaml', '.yml'] as const;

export function isPolicyPath(path: string): boolean {
  return (POLICY_EXTENSIONS as readonly string[]).includes(extname(path).toLowerCase());
}

/** Decodes a policy file's bytes: refuses binary content and invalid UTF-8 with the byte offset. */
export function decodePolicyText(displayPath: string, bytes: Uint8Array): string {
  const nul = bytes.indexOf(0);
  if (nul >= 0) throw new InputError(displayPath, `not a text file (NUL byte at offset ${nul})`);
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    throw new InputError(displayPath, 'not valid UTF-8 text');
  }
}

export function isYamlPath(path: string): boolean {
  const ext = extname(path).toLowerCase();
  return ext === '.yaml' || ext === '.yml';
}

export type PolicySyntax = 'json' | 'yaml';

/**
 * For text without a file name (standard input): JSON when its first character that is not
 * whitespace or a byte-order mark opens an object or array, YAML otherwise (a JSON policy is also
 * valid YAML, but its errors read better from the JSON parser).
 */
export function sniffPolicySyntax(text: string): PolicySyntax {
  const first = /[^\s\uFEFF]/.exec(text)?.[0];
  return first === '{' || first === '[' ? 'json' : 'yaml';
}

/**
 * Parses policy text by the file's extension (YAML for .yaml/.yml, JSON otherwise), or as `syntax`
 * when given. Pure. The YAML parser is loaded only for YAML: it is most of the startup cost of a
 * JSON lint.
 */
export async function parsePolicyText(displayPath: string, text: string, syntax: PolicySyntax = isYamlPath(displayPath) ? 'yaml' : 'json'): Promise<SourceDocument> {
  if (syntax === 'json') return parseJsonSource(displayPath, text);
  const { parseYamlSource } = await import('./parse-yaml.js');
  return parseYamlSource(displayPath, text);
}

/** Reads and parses a policy file; unreadable input is an InputError (exit 2), everything else is for lint to report. */
export async function readPolicySource(filePath: string, displayPath: string = filePath): Promise<SourceDocument> {
  let size: number;
  try {
    const stat = statSync(filePath);
    if (stat.isDirectory()) throw new InputError(displayPath, 'is a folder, not a policy file');
    size = stat.size;
  } catch (error) {
    if (error instanceof InputError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    throw new InputError(displayPath, code === 'ENOENT' ? 'no such file' : `cannot read (${code ?? (error as Error).message})`);
  }
  if (size > MAX_POLICY_BYTES) {
    throw new InputError(displayPath, `file is ${(size / 1024 / 1024).toFixed(1)} MiB; policies over ${MAX_POLICY_BYTES / 1024 / 1024} MiB are refused`);
  }
  let bytes: Buffer;
  try {
    bytes = readFileSync(filePath);
  } catch (error) {
    throw new InputError(displayPath, `cannot read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
  }
  return parsePolicyText(displayPath, decodePolicyText(displayPath, bytes));
}
