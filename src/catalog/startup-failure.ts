/**
 * What a server that died before listing its tools says it lacks. Servers that need a backend (an
 * API key, a database URL) usually print it as they exit; we look for the setting's name in their
 * last output so the user gets one line naming it, not a stack trace to read. Pure.
 */

/** Words that make a line about a missing setting. */
const MISSING =
  /\b(?:missing|required|requires|not set|must be (?:set|provided|specified)|please (?:set|provide|specify)|provide|is undefined|not (?:provided|configured|defined|found)|no \w+ (?:provided|configured|found|given)|environment variable|env var|needs? to be set)\b/i;
/** An environment variable's name: upper case with at least one underscore (`STRIPE_API_KEY`). */
const ENV_NAME = /\b[A-Z][A-Z0-9]*_[A-Z0-9_]*[A-Z0-9]\b/g;
/** A command-line flag (`--api-key`, `--access-token`). */
const FLAG = /(?<![\w-])--[a-z][a-z0-9]*(?:-[a-z0-9]+)*\b/g;
/** Names that appear in such lines but are not the setting (log levels, Node's own). */
const NOT_SETTINGS = new Set(['NODE_ENV', 'NODE_OPTIONS', 'ERR_MODULE_NOT_FOUND', 'MODULE_NOT_FOUND', 'ERR_INVALID_ARG_TYPE']);

/** The host a server could not reach, from Node's DNS and connection errors. */
const UNREACHABLE = /\b(?:getaddrinfo (?:ENOTFOUND|EAI_AGAIN) ([\w.-]+)|connect ECONNREFUSED ([\w.:[\]-]+))/;

export interface StartupFailure {
  /** What it lacks, e.g. `it needs SUPABASE_ACCESS_TOKEN (or --access-token)` or `it could not reach 127.0.0.1:5432`. */
  needs: string;
  /** The line that said so. */
  line: string;
}

/**
 * Reads a dying server's last output (most recent lines first) for the setting it says is missing,
 * or the backend it could not reach. Undefined when the output names neither.
 */
export function startupFailure(output: string): StartupFailure | undefined {
  const lines = output
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line.length > 0 && !/^at\s/.test(line))
    .reverse();
  for (const line of lines) {
    if (!MISSING.test(line)) continue;
    const envs = [...new Set(line.match(ENV_NAME) ?? [])].filter((name) => !NOT_SETTINGS.has(name));
    const flags = [...new Set(line.match(FLAG) ?? [])];
    if (envs.length === 0 && flags.length === 0) continue;
    const names = envs.length > 0 ? envs.join(' and ') : flags.join(' and ');
    const alternative = envs.length > 0 && flags.length > 0 ? ` (or ${flags.join(' and ')})` : '';
    return { needs: `it needs ${names}${alternative}`, line: clip(line) };
  }
  for (const line of lines) {
    const match = UNREACHABLE.exec(line);
    if (match) return { needs: `it could not reach ${match[1] ?? match[2]}`, line: clip(line) };
  }
  return undefined;
}

function clip(line: string): string {
  return line.length > 300 ? `${line.slice(0, 300)}…` : line;
}
