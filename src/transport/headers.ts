/**
 * `--header 'Name: value'` for a remote server. Values may name environment variables as
 * `${NAME}`, expanded once at start, so a token lives in the environment and never in a client's
 * config file, the command line the client shows, or our logs: only header names are ever printed.
 */

/** Headers the transport owns: a user value would break the protocol (or smuggle a second request). */
const TRANSPORT_OWNED = new Set([
  'accept',
  'connection',
  'content-length',
  'content-type',
  'host',
  'last-event-id',
  'mcp-protocol-version',
  'mcp-session-id',
  'transfer-encoding',
  'upgrade',
]);

/** RFC 9110 token characters: what a header name may hold. */
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
const VARIABLE = /\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g;
/** A value may hold visible characters, spaces and tabs; CR, LF and NUL would split the request. */
const UNSAFE_VALUE = /[\0\r\n]/;

export interface HeaderTemplate {
  /** As the user wrote it (case kept for messages). */
  name: string;
  /** The value before `${…}` expansion. */
  template: string;
}

export class HeaderError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'HeaderError';
  }
}

/** Parses one `--header` argument; throws a HeaderError naming the problem (never the value). */
export function parseHeaderOption(option: string): HeaderTemplate {
  const colon = option.indexOf(':');
  // The argument itself is never echoed: without its colon it may be a bare token.
  if (colon <= 0) throw new HeaderError('--header must look like "Name: value" (a name, then a colon)');
  const name = option.slice(0, colon).trim();
  // Not echoed either: an invalid name is often a value pasted in the wrong place.
  if (!HEADER_NAME.test(name)) throw new HeaderError('--header: the text before the colon is not a valid HTTP header name');
  if (TRANSPORT_OWNED.has(name.toLowerCase())) throw new HeaderError(`--header ${name}: this header is set by the transport and cannot be given`);
  return { name, template: option.slice(colon + 1).trim() };
}

/** Parses every `--header`; the same name twice (in any case) is an error, not two values joined by a comma. */
export function parseHeaderOptions(options: readonly string[]): HeaderTemplate[] {
  const seen = new Map<string, string>();
  const headers = options.map(parseHeaderOption);
  for (const header of headers) {
    const lower = header.name.toLowerCase();
    const earlier = seen.get(lower);
    if (earlier !== undefined) throw new HeaderError(`--header ${header.name} is given twice (also as ${earlier})`);
    seen.set(lower, header.name);
  }
  return headers;
}

/** The variables a template uses, in order of first use. */
export function variablesOf(template: string): string[] {
  return [...new Set([...template.matchAll(VARIABLE)].map((match) => match[1]!))];
}

/**
 * Expands `${NAME}` from `env`; a variable that is unset (or empty) is an error that names it, so a
 * missing token fails at start instead of sending `Bearer ` to the server.
 */
export function expandHeaders(headers: readonly HeaderTemplate[], env: NodeJS.ProcessEnv): Record<string, string> {
  const expanded: Record<string, string> = {};
  for (const { name, template } of headers) {
    const value = template.replace(VARIABLE, (_match, variable: string) => {
      const found = env[variable];
      if (found === undefined || found === '') throw new HeaderError(`--header ${name} uses \${${variable}}, which is not set in the environment`);
      return found;
    });
    if (UNSAFE_VALUE.test(value)) throw new HeaderError(`--header ${name}: the value holds a line break or NUL character (after expanding variables)`);
    expanded[name.toLowerCase()] = value;
  }
  return expanded;
}

/** For logs: names only, values never. */
export function describeHeaders(headers: Record<string, string>): string {
  const names = Object.keys(headers);
  return names.length === 0 ? 'no extra headers' : `headers ${names.join(', ')} (values not shown)`;
}
