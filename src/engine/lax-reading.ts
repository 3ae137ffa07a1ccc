/**
 * How a Python MCP server reads an argument it did not get in the type it declared.
 *
 * FastMCP and the Python MCP SDK (the runtime of MCP-Slicer) validate tool arguments with pydantic
 * v2 in lax mode, which converts: a `float`/`int`/`Decimal` parameter accepts the string "1000",
 * a `bool` parameter accepts "yes" or 1. Before that, the SDK parses a string given for a
 * parameter that is not `str` as JSON and keeps the result when it is a list, an object or null
 * (`FuncMetadata.pre_parse_json`, top-level arguments only). The engine reads values both as sent
 * and as such a server would (conditions.ts), so a call cannot hand the tool a value the policy
 * never looked at.
 *
 * Each function mirrors pydantic-core 2.46 (src/input/shared.rs: str_as_bool, str_as_int,
 * str_as_float; Decimal through Python's decimal module) and is checked against real pydantic in
 * test/engine/lax-reading-reference.test.ts. A conversion missing here is a hole; one too many can
 * only deny more, so where pydantic's types differ (int, float, Decimal) this is their union.
 */

/** Rust's `str::trim` (Unicode White_Space): how pydantic trims before reading an int or a float. */
const RUST_SPACE = '\\t\\n\\v\\f\\r \\u0085\\u00a0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000';
/** Python's `str.isspace`: what `Decimal(str)` strips (Rust's set plus U+001C–U+001F). */
const PYTHON_SPACE = `${RUST_SPACE}\\u001c-\\u001f`;
const RUST_TRIM = new RegExp(`^[${RUST_SPACE}]+|[${RUST_SPACE}]+$`, 'g');
const PYTHON_TRIM = new RegExp(`^[${PYTHON_SPACE}]+|[${PYTHON_SPACE}]+$`, 'g');

/** A finite decimal after Decimal's clean-up (ASCII digits): Python's decimal grammar without Inf/NaN, which pydantic's Decimal refuses. */
const DECIMAL = /^[+-]?(\d+(\.\d*)?|\.\d+)(e[+-]?\d+)?$/i;
/** What Rust's f64 parser reads as infinite or NaN (pydantic's float accepts them). */
const NON_FINITE = /^[+-]?(inf|infinity|nan)$/i;
const UNICODE_DIGIT = /\p{Nd}/gu;
const IS_DIGIT = /^\p{Nd}$/u;

/**
 * The number a string becomes for an `int`, `float` or `Decimal` parameter, or undefined when none
 * of them accepts it. Decimal is the most lenient for finite values (surrounding Python whitespace,
 * underscores anywhere, digits of any script: "١٠٠٠" is 1000); int adds its own clean-up ("0-2000"
 * is -2000); float adds inf and nan, also with underscores between letters ("i_n_f"). Integers beyond 2^53 are approximated, as JSON numbers are.
 */
export function laxNumberFromString(text: string): number | undefined {
  if (text.length === 0) return undefined;
  const decimal = text.replace(PYTHON_TRIM, '').replaceAll('_', '').replace(UNICODE_DIGIT, asciiDigit);
  if (DECIMAL.test(decimal)) return Number(decimal);
  const int = pydanticInt(text);
  if (int !== undefined) return int;
  const trimmed = text.replace(RUST_TRIM, '');
  const candidate = NON_FINITE.test(trimmed) ? trimmed : stripUnderscores(text);
  if (candidate === undefined || !NON_FINITE.test(candidate)) return undefined;
  if (/nan/i.test(candidate)) return Number.NaN;
  return candidate.startsWith('-') ? -Infinity : Infinity;
}

const JSON_INT = /^-?(0|[1-9]\d*)$/;

/**
 * pydantic's str_as_int: a JSON integer, or one after clean_int_str, which also reads a minus sign
 * after leading zeros ("0-2000" is -2000) — a spelling Decimal and float refuse.
 */
function pydanticInt(text: string): number | undefined {
  if (JSON_INT.test(text)) return Number(text);
  const cleaned = cleanIntStr(text);
  return cleaned !== undefined && JSON_INT.test(cleaned) ? Number(cleaned) : undefined;
}

/** pydantic-core's clean_int_str, step by step. */
function cleanIntStr(text: string): string | undefined {
  let s = text.replace(RUST_TRIM, '');
  if (s.startsWith('+')) {
    if (s[1] === '-') return undefined;
    s = s.slice(1);
  }
  let negative = false;
  if (s.startsWith('-')) {
    if (s[1] === '-' || s[1] === '+') return undefined;
    negative = true;
    s = s.slice(1);
  }
  const unzeroed = stripLeadingZeros(s);
  if (unzeroed === undefined) return undefined;
  s = unzeroed;
  const dot = s.indexOf('.');
  if (dot >= 0 && /^0+$/.test(s.slice(dot + 1))) s = s.slice(0, dot);
  const sign = negative ? '-' : '';
  const stripped = stripUnderscores(s);
  if (stripped !== undefined) return sign + stripped;
  return s.length === text.length ? undefined : sign + s;
}

/** pydantic-core's strip_leading_zeros: keeps one zero, and a minus sign met after zeros. */
function stripLeadingZeros(s: string): string | undefined {
  const first = s[0];
  if (first === undefined) return undefined;
  if (first !== '0') return (first >= '1' && first <= '9') || first === '-' ? s : undefined;
  for (let i = 1; i < s.length; i++) {
    const c = s[i]!;
    if (c === '0' || c === '_') continue;
    if ((c >= '1' && c <= '9') || c === '-') return s.slice(i);
    if (c === '.') return s.slice(i - 1);
    return undefined;
  }
  return s.slice(-1);
}

/** pydantic's strip_underscores: only between other characters, never doubled. */
function stripUnderscores(text: string): string | undefined {
  if (text.startsWith('_') || text.endsWith('_') || !text.includes('_') || text.includes('__')) return undefined;
  return text.replaceAll('_', '');
}

/** The ASCII digit of a Unicode decimal digit: Nd digits come in runs of 0–9 in order. */
function asciiDigit(digit: string): string {
  let zero = digit.codePointAt(0)!;
  while (IS_DIGIT.test(String.fromCodePoint(zero - 1))) zero--;
  return String((digit.codePointAt(0)! - zero) % 10);
}

/** `bool` from a string: exactly these words, ASCII case ignored, no trimming (pydantic str_as_bool). */
const FALSE_WORD = /^(0|f|n|no|off|false)$/i;
const TRUE_WORD = /^(1|t|y|on|yes|true)$/i;

/** The number a value becomes for a numeric parameter: a number itself, a boolean as 0 or 1, a string as above. */
export function laxNumber(value: unknown): number | undefined {
  if (typeof value === 'number') return value;
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (typeof value === 'string') return laxNumberFromString(value);
  return undefined;
}

/** The boolean a value becomes for a `bool` parameter: a boolean itself, 0 or 1, or one of pydantic's words. */
export function laxBoolean(value: unknown): boolean | undefined {
  if (typeof value === 'boolean') return value;
  if (typeof value === 'number') return value === 0 ? false : value === 1 ? true : undefined;
  if (typeof value === 'string' && value.length <= 5) return FALSE_WORD.test(value) ? false : TRUE_WORD.test(value) ? true : undefined;
  return undefined;
}

const JSON_NULL = /^[ \t\n\r]*null[ \t\n\r]*$/;

/** Where a Python NaN literal stood, while JSON.parse reads the rest; the reviver turns it back into NaN. */
const NAN_MARK = '\u0000policylayer:NaN\u0000';

/**
 * What the SDK's pre_parse_json makes of a string given for a top-level argument: Python's
 * json.loads, kept when it gives a list, an object or null (a number, string or boolean it leaves
 * as the string, and pydantic converts that). Python's json also reads NaN, Infinity and -Infinity.
 * Undefined when the string stays a string.
 */
export function preParsedJson(text: string): { value: unknown } | undefined {
  const first = /[^ \t\n\r]/.exec(text)?.[0];
  // A code argument often starts with `n` (`nodes = …`): only null itself is worth a parse.
  if (first === 'n') return JSON_NULL.test(text) ? { value: null } : undefined;
  if (first !== '[' && first !== '{') return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    const rewritten = withPythonConstants(text);
    if (rewritten === undefined) return undefined;
    try {
      parsed = JSON.parse(rewritten, (_key, value: unknown) => (value === NAN_MARK ? Number.NaN : value));
    } catch {
      return undefined;
    }
  }
  return parsed === null || typeof parsed === 'object' ? { value: parsed } : undefined;
}

/** The text with NaN, Infinity and -Infinity outside string literals made JSON; undefined when it has none. */
function withPythonConstants(text: string): string | undefined {
  // Most texts that are not JSON have neither (Python code): no copy of them, character by character.
  if (!text.includes('NaN') && !text.includes('Infinity')) return undefined;
  let out = '';
  let changed = false;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (inString) {
      out += c;
      if (c === '\\') out += text[++i] ?? '';
      else if (c === '"') inString = false;
    } else if (c === '"') {
      inString = true;
      out += c;
    } else if (text.startsWith('NaN', i)) {
      out += JSON.stringify(NAN_MARK);
      i += 2;
      changed = true;
    } else if (text.startsWith('Infinity', i)) {
      out += '1e999';
      i += 7;
      changed = true;
    } else out += c;
  }
  return changed ? out : undefined;
}
