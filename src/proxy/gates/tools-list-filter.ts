import type { Envelope } from '../wire/envelope.js';
import { readResultMembers } from '../wire/envelope.js';
import { forEachElement, forEachMember, readValue, type Range } from '../../util/json-scan.js';
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
  if (!envelope.result) return { kind: 'unchanged' };
  const members = readResultMembers(line, envelope.result);
  if (!members) return { kind: 'unreadable', reason: 'the result is not a JSON object' };
  const toolsRange = members.tools;
  if (!toolsRange) return { kind: 'unreadable', reason: 'the result has no "tools" array' };
  const elements: Array<{ range: Range; tool: ListedTool }> = [];
  let unnamed = 0;
  const end = forEachElement(line, toolsRange[0], (range) => {
    const name = toolName(line, range);
    if (name === undefined) {
      unnamed++;
      elements.push({ range, tool: { name: '', definition: () => undefined } });
      return;
    }
    let parsed: unknown;
    let isParsed = false;
    elements.push({
      range,
      tool: {
        name,
        definition: () => {
          if (!isParsed) {
            parsed = readValue(line, range);
            isParsed = true;
          }
          return parsed;
        },
      },
    });
  });
  if (end < 0) return { kind: 'unreadable', reason: '"tools" is not an array' };

  const removed = new Map<string, string>();
  const named = elements.filter((element) => element.tool.name !== '').map((element) => element.tool);
  for (const gate of gates) {
    if (!gate.active()) continue;
    for (const [name, why] of gate.filter(named)) if (!removed.has(name)) removed.set(name, why);
  }
  // A tool without a readable name cannot be checked against anything: it does not reach the client.
  if (unnamed > 0) removed.set('', `${unnamed} tool${unnamed === 1 ? '' : 's'} without a string name`);
  if (removed.size === 0) return { kind: 'unchanged' };

  const kept = elements.filter((element) => !removed.has(element.tool.name));
  const pieces: Buffer[] = [line.subarray(0, toolsRange[0] + 1)];
  kept.forEach((element, i) => {
    if (i > 0) pieces.push(COMMA);
    pieces.push(line.subarray(element.range[0], element.range[1]));
  });
  pieces.push(line.subarray(toolsRange[1] - 1));
  return { kind: 'filtered', line: Buffer.concat(pieces), removed };
}

const COMMA = Buffer.from(',');

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
