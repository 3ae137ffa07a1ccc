/**
 * Whether a JSON text has an object with the same member twice. JSON.parse keeps the last value
 * and other parsers may keep the first, so the proxy could authorise one value while the server
 * runs the other (`{"name":"list_nodes","name":"execute_python_code"}`): such messages are refused.
 *
 * Cheap check for text that already parsed: count the member names in the text and the members
 * of the parsed value; JSON.parse collapses duplicates, so the counts differ exactly when a name
 * repeats within one object (escaped spellings of one name included).
 */
export function hasDuplicateKeys(bytes: Uint8Array, parsed: unknown): boolean {
  return countNamesInBytes(bytes) !== countMembers(parsed);
}

/**
 * In valid JSON a colon outside a string follows a member name and nothing else, so counting those
 * colons counts the names. On the UTF-8 bytes, not on decoded text: quote, backslash and colon are
 * ASCII and never occur inside a multi-byte sequence. One byte loop with no look-ahead: 0.16 µs
 * for a typical tools/call, against 0.22 µs when each string was followed to look for its colon.
 */
function countNamesInBytes(bytes: Uint8Array): number {
  let count = 0;
  const length = bytes.length;
  for (let i = 0; i < length; i++) {
    const byte = bytes[i];
    if (byte === QUOTE) {
      for (i++; i < length; i++) {
        const inner = bytes[i];
        if (inner === QUOTE) break;
        if (inner === BACKSLASH) i++;
      }
    } else if (byte === COLON) count++;
  }
  return count;
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COLON = 0x3a;

/** for…in, not Object.keys: no array per object (JSON.parse's objects have no inherited enumerable members). */
function countMembers(value: unknown): number {
  let count = 0;
  const stack: unknown[] = [value];
  while (stack.length > 0) {
    const current = stack.pop();
    if (current === null || typeof current !== 'object') continue;
    if (Array.isArray(current)) {
      for (const item of current) if (item !== null && typeof item === 'object') stack.push(item);
      continue;
    }
    for (const key in current) {
      count++;
      const member = (current as Record<string, unknown>)[key];
      if (member !== null && typeof member === 'object') stack.push(member);
    }
  }
  return count;
}
