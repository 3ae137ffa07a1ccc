/**
 * A message over the size limit is dropped as it streams in; only its first and last 64 KiB are
 * kept. These helpers find its id and whether it is a request there, so the sender still gets an
 * answer. Ids are found when they are among the members fully inside the head, or the last member
 * of the object (where SDKs put them): `{"result":…,"jsonrpc":"2.0","id":7}`.
 */
import { forEachMember, skipWhitespace } from '../../util/json-scan.js';
import type { OversizedLine } from '../../util/line-splitter.js';

const TAIL_ID = /"id"\s*:\s*(-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?|"(?:[^"\\]|\\.)*")\s*\}\s*$/;
const TAIL_METHOD = /"method"\s*:\s*"(?:[^"\\]|\\.)*"\s*[,}]/;
/** "method" as a top-level member after only scalar members (its value may be cut off). */
const HEAD_METHOD = /^\s*\{(?:\s*"(?:[^"\\]|\\.)*"\s*:\s*(?:"(?:[^"\\]|\\.)*"|[-\d.eE+]+|true|false|null)\s*,)*\s*"method"\s*:/;

function headMembers(line: OversizedLine): { id?: string; method: boolean } {
  const head = line.head;
  let id: string | undefined;
  let method = false;
  forEachMember(head, skipWhitespace(head, 0), ({ key, value }) => {
    if (key === 'id') id = head.toString('utf8', value[0], value[1]);
    else if (key === 'method') method = true;
  });
  return { ...(id !== undefined ? { id } : {}), method };
}

/** The id's JSON text, or undefined when it is neither near the start nor the last member. */
export function findId(line: OversizedLine): string | undefined {
  const fromHead = headMembers(line).id;
  if (fromHead !== undefined && fromHead !== 'null') return fromHead;
  const tail = line.tail.toString('utf8', Math.max(0, line.tail.length - 4096));
  return TAIL_ID.exec(tail)?.[1];
}

/** Whether the message names a method (a request) rather than being a response. */
export function findsMethod(line: OversizedLine): boolean {
  if (headMembers(line).method || HEAD_METHOD.test(line.head.toString('utf8', 0, Math.min(line.head.length, 4096)))) return true;
  return TAIL_METHOD.test(line.tail.toString('utf8', Math.max(0, line.tail.length - 4096)));
}
