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
import { codexRebuild, describeCodexRemote, type CodexRebuild } from './codex-remote.js';
import { parseWrapped } from './proxy-command.js';
import type { RemoteWrap } from './remote-entry.js';

type TomlLib = typeof import('toml-eslint-parser');

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

/** The key/values and tables that make up an entry: its own, its keys', and an inline table holding it. */
function entryNodes(program: AST.TOMLProgram, keyPath: readonly string[]): Array<AST.TOMLKeyValue | AST.TOMLTable> {
  const under = (path: readonly (string | number)[]): boolean => path.length >= keyPath.length && samePath(path.slice(0, keyPath.length), keyPath);
  const tables = program.body[0].body.filter((item): item is AST.TOMLTable => item.type === 'TOMLTable' && under(item.resolvedKey));
  return [...keyValues(program).filter((kv) => under(keyPathOf(kv))), ...tables];
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

/** A key as TOML writes it: bare when it can be. */
function tomlKey(key: string): string {
  return /^[A-Za-z0-9_-]+$/.test(key) ? key : tomlString(key);
}

/** How `editEntry` changes one entry: keys out, a block of keys in where the first of them was, one sub-table's keys renamed. */
interface EntryEdit {
  /** The entry's keys whose key/values and tables go; the first of them (in the text) makes room for `block`. */
  remove: ReadonlySet<string>;
  /** Keys and their TOML values, written where the first removed key was (with its dotted prefix). */
  block: ReadonlyArray<readonly [string, string]>;
  /** The entry's key `from` renamed to `to`, and the keys inside it by `keys`. */
  rename?: { from: string; to: string; keys: ReadonlyMap<string, string> };
}

interface TextEdit {
  start: number;
  end: number;
  text: string;
}

function applyTextEdits(text: string, edits: readonly TextEdit[]): string {
  let next = text;
  for (const edit of [...edits].sort((a, b) => b.start - a.start)) next = next.slice(0, edit.start) + edit.text + next.slice(edit.end);
  return next;
}

/** The whole line a key/value or table header sits on (with its comment and line end), when nothing else is on it before it. */
function lineSpan(text: string, start: number, end: number): { start: number; end: number } {
  const lineStart = text.lastIndexOf('\n', start - 1) + 1;
  const from = /^[ \t]*$/.test(text.slice(lineStart, start)) ? lineStart : start;
  const newline = text.indexOf('\n', end);
  return { start: from, end: newline < 0 ? text.length : newline + 1 };
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
        const described = describeEntry(raw as Record<string, unknown>, fail, describeCodexRemote);
        const wrapped = described.transport === 'stdio' ? parseWrapped({ command: described.command!, args: described.args! }) : undefined;
        let rebuildBlocker: string | undefined;
        if (wrapped?.inner.kind === 'upstream') {
          try {
            codexRebuild(raw as Record<string, unknown>, wrapped.inner);
          } catch (error) {
            rebuildBlocker = (error as Error).message;
          }
        }
        entries.push({ name, keyPath: [key, name], ...described, ...(wrapped ? { wrapped } : {}), ...(rebuildBlocker ? { rebuildBlocker } : {}), ...lineColumn(text, at) });
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
    const all = keyValues(program);
    const args = all.find((kv) => samePath(keyPathOf(kv), [...keyPath, 'args']));
    const proxiesUrl = args?.value.type === 'TOMLArray' && args.value.elements.some((e) => e.type === 'TOMLValue' && e.value === '--upstream');
    // A remote entry's wrap changes keys anywhere in it (bearer_token_env_var before url): its anchor is where the entry starts.
    const starts = proxiesUrl
      ? entryNodes(program, keyPath).map((node) => node.range[0])
      : all.filter((kv) => samePath(keyPathOf(kv), [...keyPath, 'command']) || samePath(keyPathOf(kv), [...keyPath, 'args'])).map((kv) => kv.range[0]);
    return starts.length > 0 ? Math.min(...starts) : undefined;
  };

  /**
   * Edits one entry in place: the key/values (and tables) of the keys in `remove` go, the first
   * of them giving its place (and its dotted prefix, its indentation) to `block`, and one sub-table
   * is renamed key by key, so its comments and layout stay. In an inline table (one line in TOML
   * 1.0) its items are written again, separated as before.
   */
  const editEntry = (text: string, keyPath: readonly string[], edit: EntryEdit): string => {
    const program = lib.parseTOML(text);
    const depth = keyPath.length;
    const all = keyValues(program);
    const baseOf = (kv: AST.TOMLKeyValue): number => keyPathOf(kv).length - kv.key.keys.length;
    const inEntry = (path: readonly (string | number)[]): boolean => path.length > depth && samePath(path.slice(0, depth), keyPath);
    const direct = all.filter((kv) => inEntry(keyPathOf(kv)) && baseOf(kv) <= depth);
    const removed = direct.filter((kv) => edit.remove.has(String(keyPathOf(kv)[depth]))).sort((a, b) => a.range[0] - b.range[0]);
    const first = removed[0];
    if (!first) throw new Error(`nothing to replace in ${keyPath.join('.')}`);
    const tables = program.body[0].body.filter((item): item is AST.TOMLTable => item.type === 'TOMLTable');
    const edits: TextEdit[] = [];
    const renames: TextEdit[] = [];
    if (edit.rename) {
      const { from, to, keys } = edit.rename;
      const renameSegments = (segments: readonly (AST.TOMLBare | AST.TOMLQuoted)[], base: number, path: readonly (string | number)[]): void => {
        segments.forEach((segment, i) => {
          const at = base + i;
          if (at === depth) renames.push({ start: segment.range[0], end: segment.range[1], text: tomlKey(to) });
          else if (at === depth + 1 && keys.has(String(path[at]))) renames.push({ start: segment.range[0], end: segment.range[1], text: tomlKey(keys.get(String(path[at]))!) });
        });
      };
      for (const kv of all) {
        const path = keyPathOf(kv);
        if (inEntry(path) && path[depth] === from) renameSegments(kv.key.keys, baseOf(kv), path);
      }
      for (const table of tables) if (inEntry(table.resolvedKey) && table.resolvedKey[depth] === from) renameSegments(table.key.keys, 0, table.resolvedKey);
    }
    const prefix = text.slice(first.key.range[0], first.key.keys[depth - baseOf(first)]!.range[0]);
    const blockItems = edit.block.map(([key, value]) => `${prefix}${tomlKey(key)} = ${value}`);
    const inline = first.parent.type === 'TOMLInlineTable' ? first.parent : undefined;
    if (inline) {
      // Every removed key of an entry sits in the one container that holds its url (or command).
      const items = [...inline.body].sort((a, b) => a.range[0] - b.range[0]);
      const start = items[0]!.range[0];
      const end = items[items.length - 1]!.range[1];
      const inside = renames.filter((r) => r.start >= start && r.end <= end);
      const kept = items.flatMap((item) => {
        if (item === first) return blockItems;
        if (removed.includes(item)) return [];
        const own = inside.filter((r) => r.start >= item.range[0] && r.end <= item.range[1]).map((r) => ({ ...r, start: r.start - item.range[0], end: r.end - item.range[0] }));
        return [applyTextEdits(text.slice(item.range[0], item.range[1]), own)];
      });
      edits.push({ start, end, text: kept.join(', ') });
      edits.push(...renames.filter((r) => !inside.includes(r)));
    } else {
      const lineStart = text.lastIndexOf('\n', first.range[0] - 1) + 1;
      const indent = /^[ \t]*/.exec(text.slice(lineStart))![0];
      const eol = text.includes('\r\n') ? '\r\n' : '\n';
      edits.push({ start: first.range[0], end: first.range[1], text: blockItems.join(`${eol}${indent}`) });
      for (const kv of removed.slice(1)) edits.push({ ...lineSpan(text, kv.range[0], kv.range[1]), text: '' });
      edits.push(...renames);
    }
    for (const table of tables) {
      if (!inEntry(table.resolvedKey) || !edit.remove.has(String(table.resolvedKey[depth]))) continue;
      const span = lineSpan(text, table.range[0], table.range[1]);
      // And the blank lines after it, which separated it from the next table.
      const blank = /^(?:[ \t]*\r?\n)*/.exec(text.slice(span.end))![0];
      edits.push({ start: span.start, end: span.end + blank.length, text: '' });
    }
    return applyTextEdits(text, edits);
  };

  /** A url entry becomes the proxy: url (and the credential keys) out, command, args and env_vars in, http_headers renamed to env. */
  const wrapRemote = (text: string, keyPath: readonly string[], plan: RemoteWrap): string =>
    editEntry(text, keyPath, {
      remove: new Set([plan.urlKey, ...plan.removedKeys]),
      block: [
        ['command', tomlString(plan.command)],
        ['args', tomlArray(plan.args)],
        ...(plan.envVars.length > 0 ? [['env_vars', tomlArray(plan.envVars)] as const] : []),
      ],
      rename: { from: plan.headersKey, to: 'env', keys: new Map(plan.variables.map(({ header, variable }) => [header, variable])) },
    });

  /** And back, from the proxy's arguments (src/wrap/codex-remote.ts). */
  const rebuildCodexRemote = (text: string, keyPath: readonly string[], plan: CodexRebuild): string =>
    editEntry(text, keyPath, {
      remove: new Set(['command', 'args', ...(plan.dropEnvVars ? ['env_vars'] : [])]),
      block: [
        ['url', tomlString(plan.url)],
        ...(plan.bearer !== undefined ? [['bearer_token_env_var', tomlString(plan.bearer)] as const] : []),
        ...(plan.envHeaders.length > 0 ? [['env_http_headers', `{ ${plan.envHeaders.map(({ name, variable }) => `${tomlKey(name)} = ${tomlString(variable)}`).join(', ')} }`] as const] : []),
      ],
      rename: { from: 'env', to: 'http_headers', keys: new Map(plan.staticHeaders.map(({ name, variable }) => [variable, name])) },
    });

  return { parse, setCommand, entryAnchor, wrapRemote, rebuildCodexRemote };
}

export async function loadTomlBackend(): Promise<ConfigBackend> {
  return createTomlBackend(await importModule<TomlLib>('toml-eslint-parser'));
}
