/**
 * The lax readings (src/engine/lax-reading.ts) against the real thing: pydantic v2 in lax mode
 * (int, float, Decimal, bool, as FastMCP validates tool arguments) and Python's json.loads as the MCP
 * SDK's pre_parse_json uses it, over a fixed corpus of spellings and a few hundred generated ones.
 * A value pydantic converts that we do not read is a hole in deny_if; the opposite only denies more,
 * but is still a mistake here, so both directions fail.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { laxBoolean, laxNumber, preParsedJson } from '../../src/engine/lax-reading.js';
import { requireFor } from '../helpers/requirements.js';
import { pydantic, pythonReadings, type PyNumber } from './lax-property.js';

function fromPython(n: PyNumber): number | undefined {
  if (n === null) return undefined;
  return n === 'nan' ? Number.NaN : n === 'inf' ? Infinity : n === '-inf' ? -Infinity : n;
}

/** Every mismatch between our reading and pydantic's, as text (empty: none). */
function mismatches(values: unknown[]): string[] {
  const python = pythonReadings(values);
  const out: string[] = [];
  values.forEach((value, i) => {
    const py = python[i]!;
    // Where several numeric types accept a value they agree on it; ours is one reading for all of them.
    const numbers = [py.int, py.float, py.decimal].map(fromPython).filter((n) => n !== undefined);
    const want = numbers[0];
    const got = laxNumber(value);
    const same = (a: number | undefined, b: number | undefined) => (a === undefined ? b === undefined : b !== undefined && Object.is(a === 0 ? 0 : a, b === 0 ? 0 : b));
    if (!same(got, want)) out.push(`number ${JSON.stringify(value)}: ours ${got}, pydantic ${JSON.stringify(py)}`);
    const bool = laxBoolean(value);
    if ((bool ?? null) !== py.bool) out.push(`bool ${JSON.stringify(value)}: ours ${bool}, pydantic ${py.bool}`);
    if (typeof value === 'string') {
      const parsed = preParsedJson(value);
      const kind = parsed === undefined ? null : parsed.value === null ? 'NoneType' : Array.isArray(parsed.value) ? 'list' : 'dict';
      if (kind !== (py.json?.kind ?? null)) out.push(`json ${JSON.stringify(value)}: ours ${kind}, json.loads ${py.json?.kind ?? 'kept as a string'}`);
      else if (parsed && !/NaN|Infinity/.test(py.json!.text) && JSON.stringify(parsed.value) !== JSON.stringify(JSON.parse(py.json!.text))) {
        out.push(`json ${JSON.stringify(value)}: ours ${JSON.stringify(parsed.value)}, json.loads ${py.json!.text}`);
      }
    }
  });
  return out;
}

const SPACES = [' ', '\t', '\n', '\r', '\v', '\f', '\u001c', '\u001f', '\u0085', '\u00a0', '\u1680', '\u2003', '\u2028', '\u202f', '\u3000', '\ufeff', '\u200b'];

const CORPUS: unknown[] = [
  // numbers as strings
  '1000', ' 1000 ', '1e3', '1E+3', '1e-3', '1_000', '_1000', '1000_', '1__000', '1_000.5', ' 1_000 ', ' 1_000.5 ', '1e1_0', '1_0e3',
  '+5', '-5', '+-5', '-+5', '--5', '-007', '007', '00', '0_0', '0x10', '0o7', '0b1', '1000.0', '1000.00', '1000.5', '5.', '.5', '.', '-.5', '-0',
  '0-2000', '00-5', '+0-5', '-0-5', '0_-5', '0-', '0-0', '0.-5', '0-5.0', '0-1_000', ' 0-5 ', '1e400', '-1e400', '1e-400', '9007199254740993', '1' + '0'.repeat(30), '1,000', '1 000', '1000abc', '', ' ', '١٠٠٠', '１０', '𝟏𝟎', '߀', '٣.٥',
  'inf', '-inf', '+inf', 'Infinity', '-Infinity', 'INF', 'iNf', 'infinity', 'nan', 'NaN', '-nan', 'i_n_f', 'n_a_n', '_inf', 'in__f', ' inf ', 'sNaN', 'Inf1',
  // booleans as strings
  '0', '1', 'f', 'F', 'n', 'no', 'NO', 'off', 'Off', 'false', 'False', 'FALSE', 't', 'T', 'y', 'Y', 'yes', 'YES', 'on', 'ON', 'true', 'True', 'tRuE',
  ' true', 'true ', 'truee', 'yeſ', 'ye\u017f', 'o\u0274', 'tru', 'nope', '2', '-1', '1.0', '0.0', '01',
  // JSON strings
  '[1]', ' [1] ', '\t{"a": 1}\n', '{"mode":"unsafe"}', 'null', ' null', 'nul', '[1,]', "{'a': 1}", '[NaN, Infinity, -Infinity]', '{"x": NaN}', '["NaN"]',
  '\ufeff[1]', '\u00a0[1]', '[1] x', '{"a":1,"a":2}', '[true, null, "x"]', 'true', '"[1]"', '[', '[1]]', '{"a": {"b": "[2]"}}',
  // non-strings
  0, 1, 2, -1, 0.5, 1.5, 1000, -0, true, false, null, [], {}, [1], { a: 1 },
];
for (const space of SPACES) CORPUS.push(`${space}1000`, `1000${space}`, `${space}true`, `${space}inf`);

describe.runIf(pydantic.ok)('lax readings against pydantic', () => {
  it('agree on the fixed corpus', () => {
    expect(mismatches(CORPUS)).toEqual([]);
  });

  it('agree on generated spellings', () => {
    const piece = fc.constantFrom('0', '1', '5', '9', '0', '0', '_', '_', '.', '-', 'e', 'E', '+', '-', 'i', 'n', 'f', 'a', 'N', 'y', 'o', 't', 'r', 'u', '١', '٠', '𝟏', '[', ']', '{', '}', '"', ',', ':', 'null', 'NaN', 'Infinity', ...SPACES);
    const samples = fc.sample(fc.array(piece, { maxLength: 8 }).map((parts) => parts.join('')), { numRuns: 600, seed: 15 });
    expect(mismatches(samples)).toEqual([]);
  });
});

requireFor('python3 with pydantic 2', pydantic);
