import { InputError } from '../errors.js';
import type { ConfigLocation } from './clients.js';
import type { WrappedCommand } from './proxy-command.js';
import type { CodexRebuild } from './codex-remote.js';
import { describeRemote, type RemoteEntry, type RemoteRebuild, type RemoteWrap } from './remote-entry.js';

/** One server entry of a client's configuration, as found in the file. */
export interface ServerEntry {
  name: string;
  /** The keys from the document's root to the entry. */
  keyPath: string[];
  /** For ~/.claude.json project entries: the project's folder. */
  project?: string;
  /** `stdio` has a command; `remote` a url; `other` is neither (a Zed extension, a disabled stub). */
  transport: 'stdio' | 'remote' | 'other';
  command?: string;
  args?: string[];
  env?: Record<string, unknown>;
  /** Codex: names of the client's environment variables passed on to a stdio server (it passes no others). */
  envVars?: string[];
  cwd?: string;
  url?: string;
  /** For `remote`: the url, headers and transport, and why wrap cannot take it if so. */
  remote?: RemoteEntry;
  /** Set when the entry already starts `policylayer proxy`. */
  wrapped?: WrappedCommand;
  /** For a proxy with `--upstream` that cannot be turned back into the client's url entry (edited by hand): why. */
  rebuildBlocker?: string;
  /** 1-based, of the entry's key. */
  line: number;
  column: number;
}

export interface ParsedConfig {
  location: ConfigLocation;
  text: string;
  entries: ServerEntry[];
  /** The whole document as plain data, to check that an edit changed nothing else. */
  value: unknown;
}

/** A file that is not what its client expects: refused with `file:line:col: why`, nothing written. */
export class ConfigError extends InputError {}

/** What each file format offers the planner: read, locate, and change one entry's command line. */
export interface ConfigBackend {
  parse(location: ConfigLocation, text: string): ParsedConfig;
  /** The text with the entry's `command` and `args` set (args inserted when missing). */
  setCommand(text: string, keyPath: readonly string[], command: string, args: readonly string[]): string;
  /**
   * Where an entry's own text begins: unwrap finds the bytes wrap changed relative to it, so that
   * edits elsewhere in the file since then do not matter.
   */
  entryAnchor(text: string, keyPath: readonly string[]): number | undefined;
  /** A remote entry turned into the proxy (url replaced by command and args, headers into env, type). Formats without it list remote entries as not wrappable. */
  wrapRemote?(text: string, keyPath: readonly string[], plan: RemoteWrap): string;
  /** A wrapped remote entry turned back into one with a url, from the proxy's arguments. */
  rebuildRemote?(text: string, keyPath: readonly string[], plan: RemoteRebuild): string;
  /** The same for Codex, whose url entries keep their credentials in other keys (src/wrap/codex-remote.ts). */
  rebuildCodexRemote?(text: string, keyPath: readonly string[], plan: CodexRebuild): string;
}

/** 1-based line and column of an offset. */
export function lineColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let start = 0;
  for (let i = 0; i < offset && i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 10 || (c === 13 && text.charCodeAt(i + 1) !== 10)) {
      line++;
      start = i + 1;
    }
  }
  return { line, column: offset - start + 1 };
}

export function configError(path: string, text: string, offset: number, message: string): ConfigError {
  const { line, column } = lineColumn(text, offset);
  return new ConfigError(`${path}:${line}:${column}`, message);
}

/** The stdio fields every client shares, checked the same way in every format. */
export function describeEntry(
  raw: Record<string, unknown>,
  fail: (key: string, message: string) => never,
  remoteOf: typeof describeRemote = describeRemote,
): Pick<ServerEntry, 'transport' | 'command' | 'args' | 'env' | 'envVars' | 'cwd' | 'url' | 'remote'> {
  const command = raw.command;
  if (command !== undefined) {
    if (typeof command !== 'string') fail('command', 'expected "command" to be a string');
    const args = raw.args;
    if (args !== undefined && (!Array.isArray(args) || args.some((arg) => typeof arg !== 'string'))) fail('args', 'expected "args" to be a list of strings');
    const env = raw.env;
    if (env !== undefined && (typeof env !== 'object' || env === null || Array.isArray(env))) fail('env', 'expected "env" to be an object');
    const cwd = raw.cwd;
    const envVars = raw.env_vars;
    return {
      transport: 'stdio',
      command,
      args: (args as string[] | undefined) ?? [],
      ...(env !== undefined ? { env: env as Record<string, unknown> } : {}),
      ...(Array.isArray(envVars) ? { envVars: envVars.filter((v): v is string => typeof v === 'string') } : {}),
      ...(typeof cwd === 'string' ? { cwd } : {}),
    };
  }
  const remote = remoteOf(raw, fail);
  if (remote) {
    const env = raw.env;
    if (env !== undefined && (typeof env !== 'object' || env === null || Array.isArray(env))) fail('env', 'expected "env" to be an object');
    return { transport: 'remote', url: remote.url, remote, ...(env !== undefined ? { env: env as Record<string, unknown> } : {}) };
  }
  return { transport: 'other' };
}
