/**
 * Codex's config.toml, read with toml-eslint-parser (TOML 1.0, an AST with the source range of
 * every key and value) and edited by replacing exactly the `command` and `args` value ranges, so
 * comments, table layout, quoting style and every other key stay as they were. (TOML libraries
 * that write files, such as smol-toml or @iarna/toml, re-serialise the whole document and drop
 * comments; Codex's own `codex mcp add` loses comments inside [mcp_servers.*].) The planner
 * re-parses every edited text and checks that only those two values changed.
 */
import type { AST, ParseError as TomlParseError } from 'toml-eslint-parser';
import { importModule } from '../util/import-module.js';
import type { ConfigLocation } from './clients.js';
import { configError, ConfigError, describeEntry, lineColumn, type ConfigBackend, type ParsedConfig, type ServerEntry } from './config-types.js';
import { parseWrapped } from './proxy-command.js';

type TomlLib = typeof import('toml-eslint-parser');

/**
 * Codex's remote entries keep their credentials in `bearer_token_env_var`, `http_headers` and
 * `env_http_headers`, and Codex starts stdio servers with only the variables it allows (`env`,
 * `env_vars`): turning one into the proxy rewrites four keys and sub-tables in TOML. Not done yet;
 * listed with this reason (docs/wrap.md).
 */
const CODEX_REMOTE = "wrap does not rewrite Codex's remote entries yet; write `command` and `args` for `policylayer proxy --upstream` by hand (docs/remote.md)";

/** Where a key/value sits: the resolved key path of the table or inline table around it, plus its own key. */
function keyPathOf(node: AST.TOMLKeyValue): (string | number)[] {
  const own = node.key.keys.map((key) => (key.type === 'TOMLBare' ? key.name : key.value));
  const parent = node.parent;
  if (parent.type === 'TOMLTable') return [...parent.resolvedKey, ...own];
  if (parent.type === 'TOMLInlineTable') {
    const holder = parent.parent;
    if (holder.type === 'TOMLKeyValue') return [...keyPathOf(holder), ...own];
    return own; // an inline table inside an array: not a place servers live
  }
  return own;
}

function samePath(a: readonly (string | number)[], b: readonly (string | number)[]): boolean {
  return a.length === b.length && a.every((key, i) => key === b[i]);
}

function keyValues(program: AST.TOMLProgram): AST.TOMLKeyValue[] {
  const found: AST.TOMLKeyValue[] = [];
  const visit = (node: AST.TOMLKeyValue): void => {
    found.push(node);
    if (node.value.type === 'TOMLInlineTable') node.value.body.forEach(visit);
  };
  for (const item of program.body[0].body) {
    if (item.type === 'TOMLKeyValue') visit(item);
    else item.body.forEach(visit);
  }
  return found;
}

/** A TOML basic string. JSON's escapes are TOML's, except that TOML needs \u for DEL and has no lone surrogates. */
export function tomlString(value: string): string {
  if (/[\uD800-\uDFFF]/u.test(value.replace(/[\uD800-\uDBFF][\uDC00-\uDFFF]/g, ''))) throw new Error('a lone surrogate cannot be written in TOML');
  return JSON.stringify(value).replace(/\u007f/g, '\\u007F');
}

function tomlArray(values: readonly string[]): string {
  return `[${values.map(tomlString).join(', ')}]`;
}

export function createTomlBackend(lib: TomlLib): ConfigBackend {
  const parseProgram = (location: Pick<ConfigLocation, 'path'>, text: string): AST.TOMLProgram => {
    try {
      return lib.parseTOML(text);
    } catch (error) {
      if (error instanceof lib.ParseError) {
        const e = error as TomlParseError;
        throw new ConfigError(`${location.path}:${e.lineNumber}:${e.column + 1}`, e.message.replace(/^./, (c) => c.toLowerCase()));
      }
      throw error;
    }
  };

  const parse = (location: ConfigLocation, text: string): ParsedConfig => {
    const program = parseProgram(location, text);
    const value = lib.getStaticTOMLValue(program) as Record<string, unknown>;
    const key = location.shape.kind === 'servers-at' ? location.shape.key : 'mcp_servers';
    const all = keyValues(program);
    const nodeAt = (path: readonly (string | number)[]): AST.TOMLKeyValue | undefined => all.find((kv) => samePath(keyPathOf(kv), path));
    const tableAt = (path: readonly (string | number)[]): AST.TOMLTable | undefined =>
      program.body[0].body.find((item): item is AST.TOMLTable => item.type === 'TOMLTable' && samePath(item.resolvedKey, path));
    const offsetOf = (path: readonly (string | number)[]): number => {
      const kv = nodeAt(path);
      if (kv) return kv.range[0];
      const table = tableAt(path);
      if (table) return table.range[0];
      // A table defined only through its sub-tables ([mcp_servers.docs.env]): the first of those.
      const deeper = program.body[0].body.find((item) => item.type === 'TOMLTable' && samePath(item.resolvedKey.slice(0, path.length), path));
      return deeper?.range[0] ?? 0;
    };
    const servers = value[key];
    const entries: ServerEntry[] = [];
    if (servers !== undefined) {
      if (typeof servers !== 'object' || servers === null || Array.isArray(servers)) throw configError(location.path, text, offsetOf([key]), `expected "${key}" to be a table of servers`);
      for (const [name, raw] of Object.entries(servers as Record<string, unknown>)) {
        const at = offsetOf([key, name]);
        if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw configError(location.path, text, at, `expected server "${name}" to be a table`);
        const fail = (field: string, message: string): never => {
          throw configError(location.path, text, nodeAt([key, name, field])?.value.range[0] ?? at, `server "${name}": ${message}`);
        };
        const described = describeEntry(raw as Record<string, unknown>, fail);
        if (described.remote) described.remote = { ...described.remote, unwrappable: CODEX_REMOTE };
        const wrapped = described.transport === 'stdio' ? parseWrapped({ command: described.command!, args: described.args! }) : undefined;
        entries.push({ name, keyPath: [key, name], ...described, ...(wrapped ? { wrapped } : {}), ...lineColumn(text, at) });
      }
    }
    return { location, text, entries, value };
  };

  const setCommand = (text: string, keyPath: readonly string[], command: string, args: readonly string[]): string => {
    const program = lib.parseTOML(text);
    const all = keyValues(program);
    const commandNode = all.find((kv) => samePath(keyPathOf(kv), [...keyPath, 'command']));
    if (!commandNode) throw new Error(`no command for ${keyPath.join('.')}`);
    const argsNode = all.find((kv) => samePath(keyPathOf(kv), [...keyPath, 'args']));
    const edits: { start: number; end: number; text: string }[] = [{ start: commandNode.value.range[0], end: commandNode.value.range[1], text: tomlString(command) }];
    if (argsNode) edits.push({ start: argsNode.value.range[0], end: argsNode.value.range[1], text: tomlArray(args) });
    else if (commandNode.parent.type === 'TOMLInlineTable') edits.push({ start: commandNode.range[1], end: commandNode.range[1], text: `, args = ${tomlArray(args)}` });
    else {
      // A new line after `command = …` (and after a comment on that line), indented like it.
      const lineStart = text.lastIndexOf('\n', commandNode.range[0] - 1) + 1;
      const indent = /^[ \t]*/.exec(text.slice(lineStart))![0];
      const lineEnd = text.indexOf('\n', commandNode.range[1]);
      const eol = text.includes('\r\n') ? '\r\n' : '\n';
      const at = lineEnd < 0 ? text.length : text[lineEnd - 1] === '\r' ? lineEnd - 1 : lineEnd;
      edits.push({ start: at, end: at, text: `${eol}${indent}${keyPath.length > 0 && commandNode.key.keys.length > 1 ? commandNode.key.keys.slice(0, -1).map((k) => (k.type === 'TOMLBare' ? k.name : tomlString(k.value))).join('.') + '.' : ''}args = ${tomlArray(args)}` });
    }
    edits.sort((a, b) => b.start - a.start);
    let next = text;
    for (const edit of edits) next = next.slice(0, edit.start) + edit.text + next.slice(edit.end);
    return next;
  };

  const entryAnchor = (text: string, keyPath: readonly string[]): number | undefined => {
    let program: AST.TOMLProgram;
    try {
      program = lib.parseTOML(text);
    } catch {
      return undefined;
    }
    const starts = keyValues(program)
      .filter((kv) => samePath(keyPathOf(kv), [...keyPath, 'command']) || samePath(keyPathOf(kv), [...keyPath, 'args']))
      .map((kv) => kv.range[0]);
    return starts.length > 0 ? Math.min(...starts) : undefined;
  };

  return { parse, setCommand, entryAnchor };
}

export async function loadTomlBackend(): Promise<ConfigBackend> {
  return createTomlBackend(await importModule<TomlLib>('toml-eslint-parser'));
}
