/**
 * Member names that different JSON readers resolve differently, so the proxy could authorise one
 * value while the server runs another:
 * - the same name twice in one object (`{"name":"list_nodes","name":"execute_python_code"}`):
 *   JSON.parse keeps the last value, other parsers may keep the first;
 * - two names equal but for case (`"name"` and `"Name"`, also with Unicode simple folding: `ſ` is
 *   `s`, `K` is `k`): Go's encoding/json matches struct fields case-insensitively and keeps the
 *   last match (CVE-2026-27896, mcp-go and go-sdk before 1.3.1).
 * Both are refused, at any depth.
 *
 * Cheap for text that already parsed: count the member names in the text and the members of the
 * parsed value; JSON.parse collapses duplicates, so the counts differ exactly when a name repeats
 * within one object (escaped spellings of one name included). Case variants can only meet in an
 * object with a name that holds an upper-case ASCII letter or a non-ASCII character; only those
 * objects are folded and compared.
 */
import { foldName } from '../../engine/args.js';

export type MemberNameProblem = 'duplicate' | 'case-variant';

export function memberNameProblem(text: string, parsed: unknown): MemberNameProblem | undefined {
  let members = 0;
  let suspects: object[] | undefined;
  const stack: unknown[] = [parsed];
  while (stack.length > 0) {
    const current = stack.pop();
    if (current === null || typeof current !== 'object') continue;
    if (Array.isArray(current)) {
      for (const item of current) if (item !== null && typeof item === 'object') stack.push(item);
      continue;
    }
    let suspect = false;
    // for…in, not Object.keys: no array per object (JSON.parse's objects have no inherited enumerable members).
    for (const key in current) {
      members++;
      if (!suspect && !isFoldPlain(key)) suspect = true;
      const member = (current as Record<string, unknown>)[key];
      if (member !== null && typeof member === 'object') stack.push(member);
    }
    if (suspect) (suspects ??= []).push(current);
  }
  // Every member has a name and every name is followed by a colon, so a text with no more colons
  // than the value has members repeats no name. Most messages settle here: counting colons with
  // String#indexOf costs a third of following the strings (0.06 µs against 0.16 µs for a
  // tools/call); only a colon inside a string (code, URLs) sends the text to the full count.
  if (hasMoreColonsThan(text, members) && countNames(text) !== members) return 'duplicate';
  if (suspects) for (const object of suspects) if (hasCaseVariants(object)) return 'case-variant';
  return undefined;
}

/** Whether a text has an object with the same member twice (see memberNameProblem). */
export function hasDuplicateKeys(text: string, parsed: unknown): boolean {
  return memberNameProblem(text, parsed) === 'duplicate';
}

/** A name with no upper-case ASCII letter and no non-ASCII character folds to itself. */
export function isFoldPlain(name: string): boolean {
  for (let i = 0; i < name.length; i++) {
    const c = name.charCodeAt(i);
    if ((c >= 0x41 && c <= 0x5a) || c > 0x7f) return false;
  }
  return true;
}

/**
 * A member whose name is not one of `names` but folds to one of them (`"Method"`, `"Description"`):
 * alone, it is what a case-insensitive reader takes for the member of that name.
 */
export function caseVariantOf(object: Record<string, unknown>, names: ReadonlySet<string>): string | undefined {
  for (const name in object) if (!isFoldPlain(name) && !names.has(name) && names.has(foldName(name))) return name;
  return undefined;
}

function hasCaseVariants(object: object): boolean {
  const seen = new Set<string>();
  for (const key in object) {
    const folded = foldName(key);
    if (seen.has(folded)) return true;
    seen.add(folded);
  }
  return false;
}

function hasMoreColonsThan(text: string, limit: number): boolean {
  let count = 0;
  for (let i = text.indexOf(':'); i >= 0; i = text.indexOf(':', i + 1)) if (++count > limit) return true;
  return false;
}

/**
 * In valid JSON a colon outside a string follows a member name and nothing else, so counting those
 * colons counts the names. The decoded text, not the bytes: quote, backslash and colon are ASCII
 * and never part of a multi-byte character. A string's body is skipped with String#indexOf (native)
 * to its closing quote, one not escaped by an odd run of backslashes: for a tools/call carrying a
 * few KiB of Python, 0.17 µs against 1.7 µs for a loop over every byte.
 */
function countNames(text: string): number {
  let count = 0;
  const length = text.length;
  for (let i = 0; i < length; i++) {
    const char = text.charCodeAt(i);
    if (char === COLON) count++;
    else if (char === QUOTE) {
      i = closingQuote(text, i);
      if (i < 0) return count;
    }
  }
  return count;
}

/** Index of the quote that closes the string opened at `open`, or -1. */
function closingQuote(text: string, open: number): number {
  for (let quote = text.indexOf('"', open + 1); quote >= 0; quote = text.indexOf('"', quote + 1)) {
    let backslashes = 0;
    while (text.charCodeAt(quote - 1 - backslashes) === BACKSLASH) backslashes++;
    if (backslashes % 2 === 0) return quote;
  }
  return -1;
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COLON = 0x3a;
