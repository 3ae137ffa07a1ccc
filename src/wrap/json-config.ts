/**
 * JSON and JSONC client configurations, read and edited with Microsoft's jsonc-parser (VS Code's
 * own): `modify` returns edits for the exact values changed, so comments, key order, indentation
 * and every key this tool does not know stay as they were.
 */
import { applyEdits, findNodeAtLocation, getNodeValue, modify, parseTree, printParseErrorCode, type FormattingOptions, type Node, type ParseError } from 'jsonc-parser';
import type { ConfigLocation } from './clients.js';
import { configError, describeEntry, lineColumn, type ConfigBackend, type ParsedConfig, type ServerEntry } from './config-types.js';
import { parseWrapped } from './proxy-command.js';

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

/** Indentation and line ends as the file already has them, for the values jsonc-parser inserts. */
export function formattingOf(text: string): FormattingOptions {
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  const indent = /^([ \t]+)\S/m.exec(text)?.[1];
  if (indent?.startsWith('\t')) return { insertSpaces: false, tabSize: 1, eol };
  return { insertSpaces: true, tabSize: indent ? indent.length : 2, eol };
}

function setCommand(text: string, keyPath: readonly string[], command: string, args: readonly string[]): string {
  const formattingOptions = formattingOf(text);
  let next = applyEdits(text, modify(text, [...keyPath, 'command'], command, { formattingOptions }));
  next = applyEdits(next, modify(next, [...keyPath, 'args'], [...args], { formattingOptions }));
  return next;
}

function entryAnchor(text: string, keyPath: readonly string[]): number | undefined {
  const root = parseTree(text, [], { allowTrailingComma: true, allowEmptyContent: true });
  if (!root) return undefined;
  const node = findNodeAtLocation(root, [...keyPath]);
  return node?.type === 'object' ? node.offset : undefined;
}

export const jsonBackend: ConfigBackend = { parse, setCommand, entryAnchor };
