/**
 * Whether a JSON text has an object with the same member twice. JSON.parse keeps the last value
 * and other parsers may keep the first, so the proxy could authorise one value while the server
 * runs the other (`{"name":"list_nodes","name":"execute_python_code"}`): such messages are refused.
 *
 * Cheap check for text that already parsed: count the member names in the text (strings followed
 * by a colon) and the members of the parsed value; JSON.parse collapses duplicates, so the counts
 * differ exactly when a name repeats within one object (escaped spellings of one name included).
 */
export function hasDuplicateKeys(text: string, parsed: unknown): boolean {
  return countNamesInText(text) !== countMembers(parsed);
}

function countNamesInText(text: string): number {
  let count = 0;
  let i = 0;
  for (;;) {
    const open = text.indexOf('"', i);
    if (open < 0) return count;
    let close = text.indexOf('"', open + 1);
    while (close >= 0 && isEscaped(text, open, close)) close = text.indexOf('"', close + 1);
    if (close < 0) return count;
    let next = close + 1;
    while (next < text.length && isWhitespace(text.charCodeAt(next))) next++;
    if (text.charCodeAt(next) === 0x3a) count++;
    i = close + 1;
  }
}

function isEscaped(text: string, open: number, quote: number): boolean {
  let backslashes = 0;
  for (let k = quote - 1; k > open && text.charCodeAt(k) === 0x5c; k--) backslashes++;
  return backslashes % 2 === 1;
}

function isWhitespace(code: number): boolean {
  return code === 0x20 || code === 0x0a || code === 0x0d || code === 0x09;
}

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
    for (const key of Object.keys(current)) {
      count++;
      const member = (current as Record<string, unknown>)[key];
      if (member !== null && typeof member === 'object') stack.push(member);
    }
  }
  return count;
}
