/**
 * The command line of a wrapped entry, both ways: the original server command moved behind
 * `policylayer proxy … --`, and back. Pure.
 *
 * The marker lives in `args` and nowhere else, because some clients reject keys they do not know
 * (Codex's RawMcpServerConfig denies unknown fields): `command` becomes an absolute `node` (desktop
 * apps start servers with a minimal PATH, and Windows cannot spawn npm's .cmd shims without a
 * shell), `args` starts with this package's bin/policylayer and `proxy`, and everything after `--`
 * is the original command and its arguments, unchanged. `env` and `cwd` stay where they were: the
 * proxy passes its environment and working folder to the server.
 *
 * A remote (url) entry maps to `proxy … --upstream URL [--transport sse] [--header-env Name=VAR]…`
 * with nothing after `--` (src/wrap/remote-entry.ts); the header values live in the entry's env.
 * Entries wrapped before `--header-env` existed say `--header 'Name: ${VAR}'`; both are read.
 */
import { posix, win32 } from 'node:path';

export interface StdioCommand {
  command: string;
  args: string[];
}

export interface ProxyPaths {
  /** Absolute node executable. */
  node: string;
  /** Absolute path of bin/policylayer. */
  bin: string;
  policy: string;
  audit: string;
}

/** A `--header 'Name: template'` or `--header-env Name=VAR` of a proxy's arguments, as written. */
export interface HeaderArg {
  option: '--header' | '--header-env';
  value: string;
}

export type InnerServer =
  | ({ kind: 'stdio' } & StdioCommand)
  | {
      kind: 'upstream';
      url: string;
      /** Every `--header` and `--header-env`, in the order given. */
      headers: HeaderArg[];
      /** `--transport`, when given. */
      transport?: string;
    };

export interface WrappedCommand {
  /** How the proxy is started: `node <bin>` or a `policylayer` on PATH (hand-written entries). */
  launcher: { node?: string; bin: string };
  /** `--policy` and `--audit`, when given. */
  policy?: string;
  audit?: string;
  /** Every proxy option before `--`, as written. */
  options: string[];
  inner: InnerServer;
}

export function wrappedCommand(inner: StdioCommand, paths: ProxyPaths): StdioCommand {
  return { command: paths.node, args: [paths.bin, 'proxy', '--policy', paths.policy, '--audit', paths.audit, '--', inner.command, ...inner.args] };
}

function baseName(path: string): string {
  return win32.basename(posix.basename(path));
}

const LAUNCHER_NAMES = /^policylayer(\.cmd|\.exe|\.ps1|\.js|\.cjs|\.mjs)?$/i;
const NODE_NAMES = /^node(\.exe)?$/i;

/** The proxy command inside an entry, or undefined when the entry does not start policylayer proxy. */
export function parseWrapped(entry: StdioCommand): WrappedCommand | undefined {
  let launcher: WrappedCommand['launcher'];
  let rest: string[];
  if (LAUNCHER_NAMES.test(baseName(entry.command)) && entry.args[0] === 'proxy') {
    launcher = { bin: entry.command };
    rest = entry.args.slice(1);
  } else if (NODE_NAMES.test(baseName(entry.command)) && entry.args.length >= 2 && LAUNCHER_NAMES.test(baseName(entry.args[0]!)) && entry.args[1] === 'proxy') {
    launcher = { node: entry.command, bin: entry.args[0]! };
    rest = entry.args.slice(2);
  } else return undefined;
  const dash = rest.indexOf('--');
  const options = dash < 0 ? rest : rest.slice(0, dash);
  const valuesOf = <Name extends string>(...names: Name[]): Array<{ option: Name; value: string }> => {
    const values: Array<{ option: Name; value: string }> = [];
    for (let i = 0; i < options.length; i++) {
      const option = options[i]!;
      for (const name of names) {
        if (option === name && i + 1 < options.length) values.push({ option: name, value: options[++i]! });
        else if (option.startsWith(`${name}=`)) values.push({ option: name, value: option.slice(name.length + 1) });
        else continue;
        break;
      }
    }
    return values;
  };
  const valueOf = (name: string): string | undefined => valuesOf(name)[0]?.value;
  const upstream = valueOf('--upstream');
  const transport = valueOf('--transport');
  let inner: InnerServer;
  if (dash >= 0 && rest.length > dash + 1) inner = { kind: 'stdio', command: rest[dash + 1]!, args: rest.slice(dash + 2) };
  else if (upstream !== undefined) inner = { kind: 'upstream', url: upstream, headers: valuesOf('--header', '--header-env'), ...(transport !== undefined ? { transport } : {}) };
  else return undefined;
  const policy = valueOf('--policy');
  const audit = valueOf('--audit');
  return { launcher, options, inner, ...(policy !== undefined ? { policy } : {}), ...(audit !== undefined ? { audit } : {}) };
}

/** A file name for a server's policy and audit log: its name with anything unusual replaced. */
export function serverSlug(name: string): string {
  const slug = name.replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^[-.]+|-+$/g, '');
  return slug === '' ? 'server' : slug.slice(0, 80);
}
