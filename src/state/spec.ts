import { homedir } from 'node:os';
import { isAbsolute, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Where counters live, as given to `--state`. Parsing is pure and cheap: command modules import it eagerly. */
export type StateSpec =
  | { kind: 'memory' }
  | { kind: 'file'; /** absolute */ path: string }
  | {
      kind: 'redis';
      host: string;
      port: number;
      db: number;
      tls: boolean;
      username?: string;
      password?: string;
      /** Prepended to every counter key, so several teams or environments can share one Redis. */
      prefix: string;
      /** The URL without credentials, for messages and logs. */
      label: string;
    };

export const STATE_USAGE = 'memory, file:PATH or redis://HOST[:PORT][/DB][?prefix=P]';
export const DEFAULT_REDIS_PREFIX = 'policylayer:';

export type ParsedStateSpec = { ok: true; spec: StateSpec } | { ok: false; message: string };

/**
 * `memory` | `file:PATH` (relative to `cwd`, `~/` for the home folder; `file:///abs` works too) |
 * `redis://[USER:PASSWORD@]HOST[:PORT][/DB][?prefix=P]` (`rediss://` for TLS).
 */
export function parseStateSpec(text: string, cwd: string): ParsedStateSpec {
  const value = text.trim();
  const fail = (why: string): ParsedStateSpec => ({ ok: false, message: `${why} in "${text}"; expected ${STATE_USAGE}` });
  if (value === 'memory') return { ok: true, spec: { kind: 'memory' } };
  if (/^file:/i.test(value)) {
    let path: string;
    if (/^file:\/\//i.test(value)) {
      try {
        path = fileURLToPath(value);
      } catch (error) {
        return fail(`not a file URL (${(error as Error).message})`);
      }
    } else path = value.slice('file:'.length);
    if (path === '') return fail('file: needs a path');
    if (path === '~' || path.startsWith('~/')) path = homedir() + path.slice(1);
    return { ok: true, spec: { kind: 'file', path: isAbsolute(path) ? path : resolve(cwd, path) } };
  }
  if (/^rediss?:\/\//i.test(value)) return parseRedis(value, fail);
  const unknown = (hint: string): ParsedStateSpec => ({ ok: false, message: `unknown state store "${text}" (${hint}); expected ${STATE_USAGE}` });
  if (/^(sqlite|sqlite3|file)$/i.test(value)) return unknown('a file store needs a path, e.g. file:.policylayer/state.sqlite');
  const sqlite = /^sqlite3?:(?:\/\/)?(.+)$/i.exec(value);
  if (sqlite) return unknown(`did you mean file:${sqlite[1]}?`);
  if (/^(redis|rediss|valkey)(:|$)/i.test(value)) return unknown('a Redis URL starts with redis://, or rediss:// for TLS');
  if (/[/\\]|\.(sqlite3?|db)$/i.test(value)) return unknown(`did you mean file:${value}?`);
  return { ok: false, message: `unknown state store "${text}"; expected ${STATE_USAGE}` };
}

function parseRedis(value: string, fail: (why: string) => ParsedStateSpec): ParsedStateSpec {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return fail('not a valid URL');
  }
  if (url.hostname === '') return fail('the Redis URL needs a host');
  const port = url.port === '' ? 6379 : Number(url.port);
  const dbText = url.pathname.replace(/^\//, '');
  if (!/^\d*$/.test(dbText)) return fail(`the database after the host must be a number, not "${dbText}"`);
  const db = dbText === '' ? 0 : Number(dbText);
  let prefix = DEFAULT_REDIS_PREFIX;
  for (const [name, paramValue] of url.searchParams) {
    if (name !== 'prefix') return fail(`unknown URL parameter "${name}" (only prefix is supported)`);
    prefix = paramValue;
  }
  if (url.hash) return fail('a Redis URL has no #fragment');
  const tls = url.protocol.toLowerCase() === 'rediss:';
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  const hostForLabel = url.hostname;
  const query = prefix === DEFAULT_REDIS_PREFIX ? '' : `?prefix=${encodeURIComponent(prefix)}`;
  return {
    ok: true,
    spec: {
      kind: 'redis',
      host,
      port,
      db,
      tls,
      ...(url.username ? { username: decodeURIComponent(url.username) } : {}),
      ...(url.password ? { password: decodeURIComponent(url.password) } : {}),
      prefix,
      label: `${tls ? 'rediss' : 'redis'}://${hostForLabel}:${port}/${db}${query}`,
    },
  };
}

/** How a spec is shown to users: credentials never appear. */
export function describeStateSpec(spec: StateSpec): string {
  return spec.kind === 'memory' ? 'memory' : spec.kind === 'file' ? `file:${spec.path}` : spec.label;
}
