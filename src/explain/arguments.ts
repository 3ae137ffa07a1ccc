import { readFileSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { InputError, UsageError } from '../errors.js';
import { describeValue } from '../policy/describe.js';
import { jsonSyntaxError } from '../util/json-error.js';

const MAX_ARGS_BYTES = 16 * 1024 * 1024;

/**
 * The tool arguments of `--args`: inline JSON, or `@file.json`. Always a JSON object, as MCP sends.
 * Bad JSON is one line with its position: `--args: invalid JSON at 1:7: unexpected "}"`, or
 * `file.json:3:5: invalid JSON: …` for a file.
 */
export function parseArgsOption(value: string | undefined, cwd: string, displayPath: (absolute: string) => string): Record<string, unknown> {
  if (value === undefined) return {};
  let text = value;
  let where: string | undefined;
  if (value.startsWith('@')) {
    const absolute = resolve(cwd, value.slice(1));
    where = displayPath(absolute);
    text = readArgsFile(absolute, where);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    const error = jsonSyntaxError(text);
    const position = error ? `${error.line}:${error.column}` : '1:1';
    const message = error?.message ?? 'not JSON';
    if (where) throw new InputError(`${where}:${position}`, `invalid JSON: ${message}`);
    throw new UsageError(`--args: invalid JSON at ${position}: ${message} (quote the JSON for your shell, or pass @file.json)`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    const problem = `tool arguments must be a JSON object, not ${describeValue(parsed)}`;
    if (where) throw new InputError(where, problem);
    throw new UsageError(`--args: ${problem}`);
  }
  return parsed as Record<string, unknown>;
}

function readArgsFile(absolute: string, where: string): string {
  try {
    const stat = statSync(absolute);
    if (stat.isDirectory()) throw new InputError(where, 'is a folder, not a JSON file');
    if (stat.size > MAX_ARGS_BYTES) throw new InputError(where, `is ${(stat.size / 1024 / 1024).toFixed(1)} MiB; arguments over 16 MiB are refused`);
    const text = readFileSync(absolute, 'utf8');
    return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  } catch (error) {
    if (error instanceof InputError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    throw new InputError(where, code === 'ENOENT' ? 'no such file' : `cannot read (${code ?? (error as Error).message})`);
  }
}
