/**
 * JSON and JSONC client configurations, read with Microsoft's jsonc-parser (VS Code's own; it
 * gives every node's offset, with or without comments and trailing commas) and edited by
 * replacing exactly the `command` and `args` values (applyEdits), so comments, key order,
 * indentation and every key this tool does not know stay as they were.
 */
import { applyEdits, findNodeAtLocation, getNodeValue, parseTree, printParseErrorCode, type Edit, type Node, type ParseError } from 'jsonc-parser';
import type { ConfigLocation } from './clients.js';
import { configError, describeEntry, lineColumn, type ConfigBackend, type ParsedConfig, type ServerEntry } from './config-types.js';
import { parseWrapped } from './proxy-command.js';
import type { RemoteRebuild, RemoteWrap } from './remote-entry.js';

const MESSAGES: Record<string, string> = {
  InvalidSymbol: 'unexpected character',
  InvalidNumberFormat: 'invalid number',
  PropertyNameExpected: 'expected a property name in double quotes',
  ValueExpected: 'expected a value',
  ColonExpected: 'expected ":"',
  CommaExpected: 'expected ","',
  CloseBraceExpected: 'expected "}"',
  CloseBracketExpected: 'expected "]"',
  EndOfFileExpected: 'unexpected text after the end of the document',
  InvalidCommentToken: 'comments are not allowed in this file (the client reads it as plain JSON)',
  UnexpectedEndOfComment: 'unterminated comment',
  UnexpectedEndOfString: 'unterminated string',
  UnexpectedEndOfNumber: 'unterminated number',
  InvalidUnicode: 'invalid unicode escape',
  InvalidEscapeCharacter: 'invalid escape character',
  InvalidCharacter: 'invalid character in a string',
};

function parseOptions(location: Pick<ConfigLocation, 'format'>) {
  const strict = location.format === 'json';
  return { allowTrailingComma: !strict, disallowComments: strict, allowEmptyContent: true };
}

function parse(location: ConfigLocation, text: string): ParsedConfig {
  const errors: ParseError[] = [];
  const root = parseTree(text, errors, parseOptions(location));
  if (errors.length > 0) {
    const first = errors[0]!;
    let message = MESSAGES[printParseErrorCode(first.error)] ?? 'invalid JSON';
    // A trailing comma shows up as "expected a value/property name" right before a closing bracket.
    if (location.format === 'json' && /^(ValueExpected|PropertyNameExpected)$/.test(printParseErrorCode(first.error)) && /^\s*[\]}]/.test(text.slice(first.offset))) {
      message = 'trailing comma (the client reads this file as plain JSON)';
      throw configError(location.path, text, text.lastIndexOf(',', first.offset), message);
    }
    throw configError(location.path, text, first.offset, message);
  }
  if (!root) return { location, text, entries: [], value: {} };
  if (root.type !== 'object') throw configError(location.path, text, root.offset, 'expected a JSON object at the top level');
  const entries: ServerEntry[] = [];
  if (location.shape.kind === 'servers-at') collect(location, text, root, [location.shape.key], entries);
  else {
    collect(location, text, root, ['mcpServers'], entries);
    const projects = findNodeAtLocation(root, ['projects']);
    if (projects) {
      if (projects.type !== 'object') throw configError(location.path, text, projects.offset, 'expected "projects" to be an object');
      for (const property of projects.children ?? []) {
        const project = property.children![0]!.value as string;
        const value = property.children![1]!;
        if (value.type !== 'object') continue;
        collect(location, text, root, ['projects', project, 'mcpServers'], entries, project);
      }
    }
  }
  return { location, text, entries, value: getNodeValue(root) };
}

function collect(location: ConfigLocation, text: string, root: Node, path: string[], entries: ServerEntry[], project?: string): void {
  const servers = findNodeAtLocation(root, path);
  if (!servers) return;
  const where = path.map((key) => JSON.stringify(key)).join('.');
  if (servers.type !== 'object') throw configError(location.path, text, servers.offset, `expected ${where} to be an object of servers`);
  const seen = new Set<string>();
  for (const property of servers.children ?? []) {
    const keyNode = property.children![0]!;
    const valueNode = property.children![1];
    const name = keyNode.value as string;
    if (seen.has(name)) throw configError(location.path, text, keyNode.offset, `server "${name}" is defined twice`);
    seen.add(name);
    if (!valueNode || valueNode.type !== 'object') throw configError(location.path, text, (valueNode ?? keyNode).offset, `expected server "${name}" to be an object`);
    const raw = getNodeValue(valueNode) as Record<string, unknown>;
    const fail = (key: string, message: string): never => {
      const node = findNodeAtLocation(valueNode, [key]) ?? valueNode;
      throw configError(location.path, text, node.offset, `server "${name}": ${message}`);
    };
    const described = describeEntry(raw, fail);
    const { line, column } = lineColumn(text, keyNode.offset);
    const wrapped = described.transport === 'stdio' ? parseWrapped({ command: described.command!, args: described.args! }) : undefined;
    entries.push({ name, keyPath: [...path, name], ...(project !== undefined ? { project } : {}), ...described, ...(wrapped ? { wrapped } : {}), line, column });
  }
}

/** A JSON value on one line, with a space after each comma as people write it. */
function inline(value: string | readonly string[]): string {
  return typeof value === 'string' ? JSON.stringify(value) : `[${value.map((item) => JSON.stringify(item)).join(', ')}]`;
}

/**
 * Replaces the entry's `command` and `args` values where they are, and inserts `args` after
 * `command` when it is missing: on the same line in a one-line object, otherwise on a line of
 * its own indented like `command` (a comment after `command` stays on its line). jsonc-parser's
 * `modify` would insert the same, but formats by re-indenting the whole document when it inserts.
 */
function setCommand(text: string, keyPath: readonly string[], command: string, args: readonly string[]): string {
  const root = parseTree(text, [], { allowTrailingComma: true, allowEmptyContent: true });
  const entry = root && findNodeAtLocation(root, [...keyPath]);
  const commandNode = entry && findNodeAtLocation(entry, ['command']);
  if (!entry || entry.type !== 'object' || !commandNode) throw new Error(`no command at ${keyPath.join('.')}`);
  const edits: Edit[] = [{ offset: commandNode.offset, length: commandNode.length, content: inline(command) }];
  const argsNode = findNodeAtLocation(entry, ['args']);
  if (argsNode) edits.push({ offset: argsNode.offset, length: argsNode.length, content: inline(args) });
  else {
    const valueEnd = commandNode.offset + commandNode.length;
    const lineStart = Math.max(text.lastIndexOf('\n', commandNode.offset - 1), text.lastIndexOf('\r', commandNode.offset - 1)) + 1;
    if (entry.offset >= lineStart) edits.push({ offset: valueEnd, length: 0, content: `, "args": ${inline(args)}` });
    else {
      const eol = text.includes('\r\n') ? '\r\n' : '\n';
      const indent = /^[ \t]*/.exec(text.slice(lineStart))![0];
      const comma = /^[ \t]*,/.test(text.slice(valueEnd));
      const breakAt = /[\r\n]/.exec(text.slice(valueEnd));
      const lineEnd = breakAt ? valueEnd + breakAt.index : text.length;
      if (!comma) edits.push({ offset: valueEnd, length: 0, content: ',' });
      edits.push({ offset: lineEnd, length: 0, content: `${eol}${indent}"args": ${inline(args)}${comma ? ',' : ''}` });
    }
  }
  return applyEdits(text, edits);
}

function treeOf(text: string): Node | undefined {
  return parseTree(text, [], { allowTrailingComma: true, allowEmptyContent: true });
}

function entryObject(text: string, keyPath: readonly string[]): Node {
  const root = treeOf(text);
  const entry = root && findNodeAtLocation(root, [...keyPath]);
  if (!entry || entry.type !== 'object') throw new Error(`no entry at ${keyPath.join('.')}`);
  return entry;
}

/** The property (key and value) named `key` in an object node. */
function propertyOf(object: Node, key: string): Node | undefined {
  return object.children?.find((property) => property.children?.[0]?.value === key);
}

const endOf = (node: Node): number => node.offset + node.length;

function lineStartOf(text: string, offset: number): number {
  return Math.max(text.lastIndexOf('\n', offset - 1), text.lastIndexOf('\r', offset - 1)) + 1;
}

/** What goes between two properties written in place of one: a new line indented like it, or `, ` in a one-line object. */
function separatorAt(text: string, object: Node, property: Node): string {
  const lineStart = lineStartOf(text, property.offset);
  if (object.offset >= lineStart) return ', ';
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  return `,${eol}${/^[ \t]*/.exec(text.slice(lineStart))![0]}`;
}

/**
 * Removes properties of one object, with one comma each: a run of removed properties goes up to the
 * next property kept (its comma and what follows it on the line go too), or, at the end, from the
 * property kept before it (so no comma is left dangling).
 */
function removeProperties(object: Node, properties: readonly Node[]): Edit[] {
  const children = object.children ?? [];
  const removed = new Set(properties);
  const edits: Edit[] = [];
  for (let i = 0; i < children.length; i++) {
    if (!removed.has(children[i]!)) continue;
    let j = i;
    while (j + 1 < children.length && removed.has(children[j + 1]!)) j++;
    const next = children[j + 1];
    const previous = children[i - 1];
    const start = next || !previous ? children[i]!.offset : endOf(previous);
    const end = next ? next.offset : endOf(children[j]!);
    edits.push({ offset: start, length: end - start, content: '' });
    i = j;
  }
  return edits;
}

/** Adds `members` (each `"key": value`) at the end of an object, on lines of their own when it spans lines. */
function appendProperties(text: string, object: Node, members: readonly string[]): Edit {
  const children = object.children ?? [];
  const last = children[children.length - 1];
  if (!last) return { offset: object.offset + 1, length: 0, content: members.join(', ') };
  const separator = separatorAt(text, object, last);
  return { offset: endOf(last), length: 0, content: members.map((member) => `${separator}${member}`).join('') };
}

/**
 * A remote entry becomes the proxy: the url property is replaced by `command` and `args` where it
 * was; `headers` becomes `env` with each header renamed to its variable (values, comments and
 * layout stay), or, when the entry has an `env` already, the values move to its end; `type` is set
 * or removed.
 */
function wrapRemote(text: string, keyPath: readonly string[], plan: RemoteWrap): string {
  const entry = entryObject(text, keyPath);
  const urlProperty = propertyOf(entry, plan.urlKey);
  if (!urlProperty) throw new Error(`no ${plan.urlKey} at ${keyPath.join('.')}`);
  const edits: Edit[] = [
    { offset: urlProperty.offset, length: urlProperty.length, content: `"command": ${inline(plan.command)}${separatorAt(text, entry, urlProperty)}"args": ${inline(plan.args)}` },
  ];
  const removals: Node[] = [];
  const headers = propertyOf(entry, 'headers');
  const variableOf = (header: Node): string => plan.variables.find((v) => v.header === header.children![0]!.value)!.variable;
  if (headers) {
    const members = headers.children![1]!.children ?? [];
    const env = propertyOf(entry, 'env');
    if (!env) {
      const key = headers.children![0]!;
      edits.push({ offset: key.offset, length: key.length, content: '"env"' });
      for (const member of members) edits.push({ offset: member.children![0]!.offset, length: member.children![0]!.length, content: JSON.stringify(variableOf(member)) });
    } else {
      const moved = members.map((member) => `${JSON.stringify(variableOf(member))}: ${text.slice(member.children![1]!.offset, endOf(member.children![1]!))}`);
      if (moved.length > 0) edits.push(appendProperties(text, env.children![1]!, moved));
      removals.push(headers);
    }
  }
  const type = propertyOf(entry, 'type');
  if (type && plan.type === 'stdio') edits.push({ offset: type.children![1]!.offset, length: type.children![1]!.length, content: '"stdio"' });
  if (type && plan.type === 'remove') removals.push(type);
  edits.push(...removeProperties(entry, removals));
  return applyEdits(text, edits);
}

/** A wrapped remote entry back to a url: `command` becomes the url (and `type`), `args` the headers, the header variables leave `env`. */
function rebuildRemote(text: string, keyPath: readonly string[], plan: RemoteRebuild): string {
  const entry = entryObject(text, keyPath);
  const command = propertyOf(entry, 'command');
  if (!command) throw new Error(`no command at ${keyPath.join('.')}`);
  const args = propertyOf(entry, 'args');
  const type = propertyOf(entry, 'type');
  const separator = separatorAt(text, entry, command);
  let urlText = `${JSON.stringify(plan.urlKey)}: ${JSON.stringify(plan.url)}`;
  if (!type && typeof plan.type === 'object') urlText = `"type": ${JSON.stringify(plan.type.set)}${separator}${urlText}`;
  const headersText = plan.headers.length > 0 ? `"headers": {${plan.headers.map(({ name, value }) => `${JSON.stringify(name)}: ${JSON.stringify(value)}`).join(', ')}}` : undefined;
  const edits: Edit[] = [];
  const removals: Node[] = [];
  if (args) {
    edits.push({ offset: command.offset, length: command.length, content: urlText });
    if (headersText) edits.push({ offset: args.offset, length: args.length, content: headersText });
    else removals.push(args);
  } else edits.push({ offset: command.offset, length: command.length, content: headersText ? `${urlText}${separator}${headersText}` : urlText });
  if (type && typeof plan.type === 'object') edits.push({ offset: type.children![1]!.offset, length: type.children![1]!.length, content: JSON.stringify(plan.type.set) });
  if (type && plan.type === 'remove') removals.push(type);
  const env = propertyOf(entry, 'env');
  const envObject = env?.children?.[1];
  if (env && envObject?.type === 'object' && plan.variables.length > 0) {
    const ours = (envObject.children ?? []).filter((member) => plan.variables.includes(member.children![0]!.value as string));
    if (ours.length === (envObject.children ?? []).length) removals.push(env);
    else edits.push(...removeProperties(envObject, ours));
  }
  edits.push(...removeProperties(entry, removals));
  return applyEdits(text, edits);
}

function entryAnchor(text: string, keyPath: readonly string[]): number | undefined {
  const root = parseTree(text, [], { allowTrailingComma: true, allowEmptyContent: true });
  if (!root) return undefined;
  const node = findNodeAtLocation(root, [...keyPath]);
  return node?.type === 'object' ? node.offset : undefined;
}

export const jsonBackend: ConfigBackend = { parse, setCommand, entryAnchor, wrapRemote, rebuildRemote };
