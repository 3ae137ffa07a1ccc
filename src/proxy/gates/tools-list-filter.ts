import type { Envelope } from '../wire/envelope.js';
import { readResultMembers } from '../wire/envelope.js';
import { forEachElement, forEachMember, readValue, type Range } from '../../util/json-scan.js';
import { foldName } from '../../engine/args.js';
import { isObject } from '../../util/json.js';
import { caseVariantOf, memberNameProblem } from '../wire/member-names.js';
import type { ListedTool, ToolGate } from './tool-gates.js';

export type FilterOutcome =
  | { kind: 'unchanged' }
  | { kind: 'filtered'; line: Buffer; removed: Map<string, string> }
  | { kind: 'unreadable'; reason: string };

/**
 * Removes the tools the gates block from a tools/list result, editing the bytes: the tools array
 * loses the blocked elements and every other byte (nextCursor, _meta, ttlMs, the id, key order,
 * number spellings) stays as the server wrote it.
 */
export function filterToolsList(line: Buffer, envelope: Envelope, gates: readonly ToolGate[]): FilterOutcome {
  if (!envelope.result) return whatReaches(line, { kind: 'unchanged' });
  const members = readResultMembers(line, envelope.result);
  if (!members) return { kind: 'unreadable', reason: 'the result is not a JSON object' };
  const toolsRange = members.tools;
  if (!toolsRange) return { kind: 'unreadable', reason: 'the result has no "tools" array' };
  const elements: Array<{ range: Range; tool: ListedTool }> = [];
  let unnamed = 0;
  const end = forEachElement(line, toolsRange[0], (range) => {
    const name = toolName(line, range);
    const definition = name === undefined ? undefined : definitionAt(line, range);
    // A tool some client could read otherwise than the gates do (a member twice, "Description") cannot be checked: dropped.
    if (name === undefined || !readsAlike(line, range, definition)) {
      unnamed++;
      elements.push({ range, tool: { name: '', definition: () => undefined } });
      return;
    }
    elements.push({ range, tool: { name, definition: () => definition } });
  });
  if (end < 0) return { kind: 'unreadable', reason: '"tools" is not an array' };

  const removed = new Map<string, string>();
  const named = elements.filter((element) => element.tool.name !== '').map((element) => element.tool);
  for (const gate of gates) {
    if (!gate.active()) continue;
    for (const [name, why] of gate.filter(named)) if (!removed.has(name)) removed.set(name, why);
  }
  // A tool without one readable name, or that some client could read otherwise, cannot be checked: it does not reach the client.
  if (unnamed > 0) removed.set('', `${unnamed} tool${unnamed === 1 ? '' : 's'} without one string name, or with members some clients read otherwise`);
  if (removed.size === 0) return whatReaches(line, { kind: 'unchanged' });

  const kept = elements.filter((element) => !removed.has(element.tool.name));
  const pieces: Buffer[] = [line.subarray(0, toolsRange[0] + 1)];
  kept.forEach((element, i) => {
    if (i > 0) pieces.push(COMMA);
    pieces.push(line.subarray(element.range[0], element.range[1]));
  });
  pieces.push(line.subarray(toolsRange[1] - 1));
  const filtered = Buffer.concat(pieces);
  return whatReaches(filtered, { kind: 'filtered', line: filtered, removed });
}

/** The line that would reach the client, checked whole: anything outside the tools some client could read otherwise fails it. */
function whatReaches(line: Buffer, outcome: FilterOutcome): FilterOutcome {
  const problem = readProblem(line);
  return problem === undefined ? outcome : { kind: 'unreadable', reason: problem };
}

function definitionAt(line: Buffer, range: Range): unknown {
  try {
    return readValue(line, range);
  } catch {
    return undefined;
  }
}

function readsAlike(line: Buffer, range: Range, definition: unknown): boolean {
  if (!isObject(definition)) return definition !== undefined;
  return memberNameProblem(line.toString('utf8', range[0], range[1]), definition) === undefined && caseVariantOf(definition, TOOL_MEMBERS) === undefined;
}

const COMMA = Buffer.from(',');

/** Members of a JSON-RPC answer, of a tools/list result and of a tool (MCP 2025-11-25) that a case-insensitive reader would match. */
const ENVELOPE_MEMBERS = new Set(['jsonrpc', 'id', 'result', 'error']);
const RESULT_MEMBERS = new Set(['tools', 'nextCursor', '_meta', 'ttlMs']);
const TOOL_MEMBERS = new Set(['name', 'title', 'description', 'inputSchema', 'outputSchema', 'annotations', 'icons', 'execution', '_meta']);

/**
 * Why some client could read an answer otherwise than JSON.parse does, if it could: an
 * object with the same member twice (first-wins parsers take the other one), two members differing
 * only in case, or a lone case variant of an answer's or result's member (Go's encoding/json matches
 * names case-insensitively, the last match winning). The filter then cannot know what the client
 * would see, so nothing of it reaches the client. Tools/list answers are rare: a full parse is cheap here.
 */
function readProblem(line: Buffer): string | undefined {
  const text = line.toString('utf8');
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return 'it is not valid JSON';
  }
  if (!isObject(value)) return 'it is not a JSON object';
  const problem = memberNameProblem(text, value);
  if (problem) return problem === 'duplicate' ? 'an object in it has the same member twice' : 'an object in it has two members whose names differ only in case';
  const variant = caseVariantOf(value, ENVELOPE_MEMBERS) ?? (isObject(value.result) ? caseVariantOf(value.result, RESULT_MEMBERS) : undefined);
  return variant === undefined ? undefined : `it has a member "${variant.slice(0, 40)}" that some clients read as "${foldName(variant)}"`;
}

/** The tool's name; none when it is missing, not a string, or given twice (clients would read the last one). */
function toolName(line: Buffer, range: Range): string | undefined {
  let name: string | undefined;
  let names = 0;
  forEachMember(line, range[0], ({ key, value }) => {
    if (key !== 'name') return;
    names++;
    try {
      const parsed = readValue(line, value);
      name = typeof parsed === 'string' ? parsed : undefined;
    } catch {
      name = undefined;
    }
  });
  return names === 1 ? name : undefined;
}
