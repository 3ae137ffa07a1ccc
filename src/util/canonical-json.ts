/**
 * Canonical JSON (RFC 8785, the JSON Canonicalization Scheme): object members sorted by their
 * UTF-16 code units, no whitespace, strings and numbers written as ECMAScript's JSON.stringify
 * writes them (which is what JCS specifies). Two servers that send the same value in a different
 * key order or formatting produce the same text, so the same hash.
 */
export function canonicalJson(value: unknown): string {
  // JSON.stringify writes exactly this text when every object's members are already in order (the
  // usual case: one argument, or clients that sort): one native call instead of a string per
  // member (test/util/canonical-json.test.ts checks both ways agree).
  return inCanonicalOrder(value) ? JSON.stringify(value) : canonicalText(value);
}

/**
 * Whether JSON.stringify of `value` is its canonical text: plain objects whose members are sorted
 * and defined, arrays, strings, booleans, null and finite numbers only (anything else, a Date or a
 * class with toJSON included, takes the member-by-member way).
 */
function inCanonicalOrder(value: unknown): boolean {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return true;
  if (typeof value === 'number') return Number.isFinite(value);
  if (typeof value !== 'object') return false;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) if (!inCanonicalOrder(value[i])) return false;
    return true;
  }
  const prototype = Object.getPrototypeOf(value) as unknown;
  if (prototype !== Object.prototype && prototype !== null) return false;
  let previous: string | undefined;
  for (const key in value) {
    if (previous !== undefined && !(previous < key)) return false;
    const member = (value as Record<string, unknown>)[key];
    if (member === undefined || !inCanonicalOrder(member)) return false;
    previous = key;
  }
  return true;
}

function canonicalText(value: unknown): string {
  if (value === null || typeof value === 'boolean' || typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number') {
    // JSON has no NaN or Infinity; a parsed document cannot contain them, so this is a programming error.
    if (!Number.isFinite(value)) throw new TypeError(`canonicalJson: ${value} is not a JSON number`);
    return JSON.stringify(value);
  }
  if (Array.isArray(value)) return `[${value.map((item) => canonicalText(item === undefined ? null : item)).join(',')}]`;
  if (typeof value === 'object') {
    const record = value as Record<string, unknown>;
    const keys = Object.keys(record)
      .filter((key) => record[key] !== undefined)
      .sort();
    return `{${keys.map((key) => `${JSON.stringify(key)}:${canonicalText(record[key])}`).join(',')}}`;
  }
  throw new TypeError(`canonicalJson: ${typeof value} is not a JSON value`);
}
