/**
 * The headers sent to a remote server: `--header 'Name: value'`, whose value may name environment
 * variables as `${NAME}`, and `--header-env Name=NAME`, whose value is the variable's, as it is.
 * Both are read once at start, so a token lives in the environment and never in a client's config
 * file, the command line the client shows, or our logs: only header names are ever printed.
 *
 * `--header-env` is what `policylayer wrap` writes: its argument holds no `${…}`, which clients
 * (Claude Code, Cursor, VS Code, Gemini) would try to expand in `args` themselves (docs/wrap.md).
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
const VARIABLE_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
/**
 * Variable names printed in messages. `--header-env Authorization=ghp_…` (a token where the name
 * belongs) is an easy slip and `ghp_…` a valid name, so a name with lower-case letters is not shown.
 */
const SHOWN_VARIABLE_NAME = /^[A-Z_][A-Z0-9_]*$/;
/** A value may hold visible characters, spaces and tabs; CR, LF and NUL would split the request. */
const UNSAFE_VALUE = /[\0\r\n]/;

/** `--header 'Name: template'`. */
export interface HeaderTemplate {
  /** As the user wrote it (case kept for messages). */
  name: string;
  /** The value before `${…}` expansion. */
  template: string;
}

/** `--header-env Name=VARIABLE`. */
export interface HeaderFromEnv {
  name: string;
  /** The environment variable whose value is sent, as it is. */
  variable: string;
}

export type HeaderSpec = HeaderTemplate | HeaderFromEnv;

const optionOf = (header: HeaderSpec): string => ('variable' in header ? '--header-env' : '--header');

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
  checkName('--header', name, 'the text before the colon');
  return { name, template: option.slice(colon + 1).trim() };
}

/** Parses one `--header-env` argument; throws a HeaderError naming the problem (never the text after `=`). */
export function parseHeaderEnvOption(option: string): HeaderFromEnv {
  const equals = option.indexOf('=');
  if (equals <= 0) throw new HeaderError('--header-env must look like "Name=VARIABLE" (a header name, "=", then an environment variable\'s name)');
  const name = option.slice(0, equals).trim();
  checkName('--header-env', name, 'the text before "="');
  const variable = option.slice(equals + 1).trim();
  // Not echoed: `Authorization=Bearer …` puts the value where the name belongs.
  if (!VARIABLE_NAME.test(variable)) throw new HeaderError(`--header-env ${name}: the text after "=" is not an environment variable's name (letters, digits and _); put the value in a variable and give its name`);
  return { name, variable };
}

/** Why a header name cannot be given, or undefined when it can. */
export function headerNameProblem(name: string): 'invalid' | 'transport-owned' | undefined {
  if (!HEADER_NAME.test(name)) return 'invalid';
  return TRANSPORT_OWNED.has(name.toLowerCase()) ? 'transport-owned' : undefined;
}

export const TRANSPORT_OWNED_MESSAGE = 'this header is set by the transport and cannot be given';

function checkName(option: string, name: string, what: string): void {
  const problem = headerNameProblem(name);
  // Not echoed: an invalid name is often a value pasted in the wrong place.
  if (problem === 'invalid') throw new HeaderError(`${option}: ${what} is not a valid HTTP header name`);
  if (problem === 'transport-owned') throw new HeaderError(`${option} ${name}: ${TRANSPORT_OWNED_MESSAGE}`);
}

/**
 * Parses every `--header` and `--header-env`; the same name twice (in any case, by either option)
 * is an error, not two values joined by a comma.
 */
export function parseHeaderOptions(options: readonly string[], fromEnv: readonly string[] = []): HeaderSpec[] {
  const seen = new Map<string, HeaderSpec>();
  const headers: HeaderSpec[] = [...options.map(parseHeaderOption), ...fromEnv.map(parseHeaderEnvOption)];
  for (const header of headers) {
    const lower = header.name.toLowerCase();
    const earlier = seen.get(lower);
    if (earlier !== undefined) {
      const also = optionOf(earlier) === optionOf(header) ? earlier.name : `${optionOf(earlier)} ${earlier.name}`;
      throw new HeaderError(`${optionOf(header)} ${header.name} is given twice (also as ${also})`);
    }
    seen.set(lower, header);
  }
  return headers;
}

/** The variables a template uses, in order of first use. */
export function variablesOf(template: string): string[] {
  return [...new Set([...template.matchAll(VARIABLE)].map((match) => match[1]!))];
}

/**
 * The values to send: `${NAME}` in a `--header` expanded from `env`, a `--header-env` variable's
 * value as it is (never expanded again). A variable that is unset (or empty) is an error that
 * names it, so a missing token fails at start instead of sending `Bearer ` to the server.
 */
export function expandHeaders(headers: readonly HeaderSpec[], env: NodeJS.ProcessEnv): Record<string, string> {
  // Entries, then fromEntries: assigning `expanded['__proto__']` (a valid header name) would drop it.
  const expanded: Array<[string, string]> = [];
  for (const header of headers) {
    const { name } = header;
    let value: string;
    if ('variable' in header) {
      value = env[header.variable] ?? '';
      if (value === '') {
        throw new HeaderError(
          SHOWN_VARIABLE_NAME.test(header.variable)
            ? `--header-env ${name} uses ${header.variable}, which is not set in the environment`
            : `--header-env ${name}: the variable after "=" is not set in the environment (its name is not shown: with lower-case letters it may be a value given by mistake)`,
        );
      }
      if (UNSAFE_VALUE.test(value)) throw new HeaderError(`--header-env ${name}: the value holds a line break or NUL character`);
    } else {
      value = header.template.replace(VARIABLE, (_match, variable: string) => {
        const found = env[variable];
        if (found === undefined || found === '') throw new HeaderError(`--header ${name} uses \${${variable}}, which is not set in the environment`);
        return found;
      });
      if (UNSAFE_VALUE.test(value)) throw new HeaderError(`--header ${name}: the value holds a line break or NUL character (after expanding variables)`);
    }
    expanded.push([name.toLowerCase(), value]);
  }
  return Object.fromEntries(expanded);
}

/** For logs: names only, values never. */
export function describeHeaders(headers: Record<string, string>): string {
  const names = Object.keys(headers);
  return names.length === 0 ? 'no extra headers' : `headers ${names.join(', ')} (values not shown)`;
}
