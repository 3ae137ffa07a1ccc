/**
 * Canonical JSON (RFC 8785, the JSON Canonicalization Scheme): object members sorted by their
 * UTF-16 code units, no whitespace, strings and numbers written as ECMAScript's JSON.stringify
 * writes them (which is what JCS specifies). Two servers that send the same value in a different
 * key order or formatting produce the same text, so the same hash.
 */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value === 'boolean' || typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number') {
    // JSON has no NaN or Infinity; a parsed document cannot contain them, so this is a programming error.
    if (!Number.isFinite(value)) throw new TypeError(`canonicalJson: ${value} is not a JSON number`);
    return JSON.stringify(value);
  }
  if (Array.isArray(value)) return `[${value.map((item) => canonicalJson(item === undefined ? null : item)).join(',')}]`;
  if (typeof value === 'object') {
    const record = value as Record<string, unknown>;
    const keys = Object.keys(record)
      .filter((key) => record[key] !== undefined)
      .sort();
    return `{${keys.map((key) => `${JSON.stringify(key)}:${canonicalJson(record[key])}`).join(',')}}`;
  }
  throw new TypeError(`canonicalJson: ${typeof value} is not a JSON value`);
}
