/**
 * Hostile client byte streams, from a grammar of pieces: JSON-RPC messages (calls to allowed,
 * limited, hidden and unknown tools; lists, pings, cancels, initialize) written with raw CR/CRLF
 * between tokens, U+2028/U+0085/BOM, invalid UTF-8, escaped names and methods, duplicate members at
 * any depth, case variants of member names (Go's encoding/json), batches, notifications wrapping
 * calls, id reuse across methods, cancels, oversized lines, and any line terminator between
 * messages. The bytes are then cut into chunks anywhere.
 */
import fc from 'fast-check';

/** A JSON value whose objects may repeat names (an ordered list of members) and whose numbers may be raw text. */
export type J = string | number | boolean | null | { obj: Array<[string, J]> } | { arr: J[] } | { raw: string };

export interface Style {
  /** Whitespace put between tokens, picked in turn. */
  spaces: string[];
  /** Escape these letters of string values and names as \uXXXX. */
  escape: boolean;
  /** Write `/` as `\/`. */
  slash: boolean;
}

const PLAIN: Style = { spaces: [''], escape: false, slash: false };

export function render(value: J, style: Style = PLAIN): string {
  let turn = 0;
  const space = (): string => style.spaces[turn++ % style.spaces.length] ?? '';
  const str = (text: string): string => {
    let out = JSON.stringify(text);
    if (style.slash) out = out.replace(/\//g, '\\/');
    if (style.escape) out = out.replace(/[a-z]/g, (c) => (c.charCodeAt(0) % 3 === 0 ? `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}` : c));
    return out;
  };
  const write = (v: J): string => {
    if (v === null || typeof v === 'boolean') return String(v);
    if (typeof v === 'number') return JSON.stringify(v) ?? 'null';
    if (typeof v === 'string') return str(v);
    if ('raw' in v) return v.raw;
    if ('arr' in v) return `[${space()}${v.arr.map((item) => write(item)).join(`${space()},${space()}`)}${space()}]`;
    return `{${space()}${v.obj.map(([k, item]) => `${str(k)}${space()}:${space()}${write(item)}`).join(`${space()},${space()}`)}${space()}}`;
  };
  return write(value);
}

export const TOOLS = ['list_nodes', 'execute_python_code', 'slow_job', 'transfer_funds', 'capture_screenshot', 'delete_everything', 'not_a_tool'] as const;

const ids: fc.Arbitrary<J> = fc.oneof(
  { weight: 8, arbitrary: fc.constantFrom<J>(1, 2, 3, 'a', 'b') },
  { weight: 1, arbitrary: fc.constantFrom<J>(0, -1, 1.5, { raw: '1.0' }, { raw: '9007199254740993' }, '', null, true) },
);

const code = fc.constantFrom('x = 1', 'import subprocess', 'import sub' + 'process as sp', 'print("sub\\u0070rocess")', 'os.system("ls")', 'a\u2028b', 'a\u0085b', 'ｓｕｂｐｒｏｃｅｓｓ');
const amount = fc.oneof(fc.constantFrom<J>(1, 40, 99, 100, 101, -5, 0, 'ten', null), fc.double({ min: -10, max: 200, noNaN: true }));

function argsFor(tool: string): fc.Arbitrary<Array<[string, J]>> {
  switch (tool) {
    case 'execute_python_code':
      return code.map((c): Array<[string, J]> => [['code', c]]);
    case 'transfer_funds':
      return amount.map((a): Array<[string, J]> => [['amount', a]]);
    case 'slow_job':
      return fc.integer({ min: 0, max: 30 }).map((ms): Array<[string, J]> => [['ms', ms]]);
    default:
      return fc.constant([]);
  }
}

const call: fc.Arbitrary<J> = fc
  .tuple(ids, fc.constantFrom(...TOOLS, 'execute_python_code', 'execute_python_code', 'transfer_funds', 'slow_job'))
  .chain(([id, tool]) =>
    argsFor(tool).map(
      (args): J => ({
        obj: [
          ['jsonrpc', '2.0'],
          ['id', id],
          ['method', 'tools/call'],
          ['params', { obj: [['name', tool], ['arguments', { obj: args }]] }],
        ],
      }),
    ),
  );

const request = (method: string, params?: J): fc.Arbitrary<J> =>
  ids.map((id): J => ({ obj: [['jsonrpc', '2.0'], ['id', id], ['method', method], ...(params === undefined ? [] : ([['params', params]] as Array<[string, J]>))] }));

const notification = (method: string, params?: J): J => ({ obj: [['jsonrpc', '2.0'], ['method', method], ...(params === undefined ? [] : ([['params', params]] as Array<[string, J]>))] });

const message: fc.Arbitrary<J> = fc.oneof(
  { weight: 6, arbitrary: call },
  { weight: 2, arbitrary: request('tools/list') },
  { weight: 1, arbitrary: request('ping') },
  { weight: 1, arbitrary: request('initialize', { obj: [['protocolVersion', '2025-06-18'], ['capabilities', { obj: [] }], ['clientInfo', { obj: [['name', 'fuzz'], ['version', '1']] }]] }) },
  { weight: 1, arbitrary: fc.constant(notification('notifications/initialized')) },
  { weight: 2, arbitrary: ids.map((id) => notification('notifications/cancelled', { obj: [['requestId', id]] })) },
  { weight: 1, arbitrary: request('resources/list') },
);

/** Where a smuggled member goes, and the values worth smuggling under each name there. */
const SMUGGLE: Record<'top' | 'params' | 'arguments', Array<[string, J]>> = {
  top: [
    ['method', 'tools/call'],
    ['id', 2],
    ['params', { obj: [['name', 'delete_everything'], ['arguments', { obj: [] }]] }],
  ],
  params: [
    ['name', 'delete_everything'],
    ['name', 'slow_job'],
    ['arguments', { obj: [['code', 'import subprocess']] }],
    ['arguments', { obj: [['amount', 1e6]] }],
  ],
  arguments: [
    ['code', 'import subprocess'],
    ['amount', 1e6],
    ['amount', 'lots'],
  ],
};

/** A member name as a reader that ignores case would still match it. */
function variant(name: string, how: number): string {
  switch (how % 4) {
    case 0:
      return name;
    case 1:
      return name.charAt(0).toUpperCase() + name.slice(1);
    case 2:
      return name.toUpperCase();
    default:
      return /[sk]/.test(name) ? name.replace(/s/g, 'ſ').replace(/k/g, 'K') : name.toUpperCase();
  }
}

/** The object at a level of a call (`params`, `arguments`), rebuilt by `change`; other messages change at the top. */
function atLevel(value: J, level: 'top' | 'params' | 'arguments', change: (members: Array<[string, J]>) => Array<[string, J]>): J {
  if (typeof value !== 'object' || value === null || !('obj' in value)) return value;
  if (level === 'top') return { obj: change(value.obj) };
  return {
    obj: value.obj.map(([k, v]): [string, J] => {
      if (k !== 'params') return [k, v];
      if (level === 'params') return [k, atLevel(v, 'top', change)];
      return [k, typeof v === 'object' && v !== null && 'obj' in v ? { obj: v.obj.map(([pk, pv]): [string, J] => [pk, pk === 'arguments' ? atLevel(pv, 'top', change) : pv]) } : v];
    }),
  };
}

/**
 * A member the proxy and some reader could read differently: the same name again, or a case
 * variant (Go's encoding/json), put before or after the real one, or in its place.
 */
const smuggle = (m: J): fc.Arbitrary<J> =>
  fc.tuple(fc.constantFrom('top' as const, 'params' as const, 'arguments' as const, 'arguments' as const), fc.nat(), fc.nat(), fc.constantFrom('before', 'after', 'instead', 'instead')).map(([level, which, how, where]) => {
    const [name, value] = SMUGGLE[level][which % SMUGGLE[level].length]!;
    const extra: [string, J] = [variant(name, how), value];
    return atLevel(m, level, (members) => {
      if (where === 'before') return [extra, ...members];
      if (where === 'after') return [...members, extra];
      const at = members.findIndex(([k]) => k === name);
      return at < 0 ? [...members, extra] : members.map((member, i) => (i === at ? extra : member));
    });
  });

const mutated: fc.Arbitrary<J> = fc.tuple(message, fc.nat({ max: 7 })).chain(([m, kind]) => {
  if (kind <= 3) return smuggle(m);
  // A call inside a harmless notification's params (rendered with the piece's style).
  if (kind === 4) return fc.constant(notification('notifications/x', m));
  return fc.constant(m);
});

/** Mostly compact JSON; sometimes whitespace between tokens, hostile whitespace included, and escaped letters. */
const styles: fc.Arbitrary<Style> = fc.oneof(
  { weight: 3, arbitrary: fc.constant(PLAIN) },
  {
    weight: 2,
    arbitrary: fc.record({
      spaces: fc.array(fc.oneof({ weight: 6, arbitrary: fc.constantFrom('', ' ', '\t') }, { weight: 1, arbitrary: fc.constantFrom('\r', '\r ', '\n', '\u2028', '\u00a0') }), {
        minLength: 1,
        maxLength: 4,
      }),
      escape: fc.boolean(),
      slash: fc.boolean(),
    }),
  },
);

/** A message hidden in a notification's params between separators some readers end a line at, the message itself on one line. */
const smuggled: fc.Arbitrary<Buffer> = fc
  .tuple(mutated, fc.constantFrom('\r', '\r ', ' \r', '\r\t'), fc.constantFrom('\r', '\r ', ' \r', ''))
  .map(([inner, open, close]) => Buffer.from(`{"jsonrpc":"2.0","method":"notifications/x","params":${open}${render(inner)}${close}}`, 'utf8'));

/** A slow call, its cancel, and another request under the same id while the server may still answer the first. */
const cancelThenReuse: fc.Arbitrary<Buffer> = fc
  .tuple(ids, fc.integer({ min: 5, max: 30 }), message)
  .map(([id, ms, next]) => {
    const again = typeof next === 'object' && next !== null && 'obj' in next ? { obj: next.obj.map(([k, v]): [string, J] => [k, k === 'id' ? id : v]) } : next;
    return Buffer.from(
      [
        render({ obj: [['jsonrpc', '2.0'], ['id', id], ['method', 'tools/call'], ['params', { obj: [['name', 'slow_job'], ['arguments', { obj: [['ms', ms]] }]] }]] }),
        render(notification('notifications/cancelled', { obj: [['requestId', id]] })),
        render(again),
      ].join('\n'),
      'utf8',
    );
  });

/** One piece of the stream: a message, a batch, or raw bytes, as UTF-8 or deliberately not. */
const piece: fc.Arbitrary<Buffer> = fc.oneof(
  { weight: 2, arbitrary: smuggled },
  { weight: 2, arbitrary: cancelThenReuse },
  { weight: 10, arbitrary: fc.tuple(mutated, styles).map(([m, style]) => Buffer.from(render(m, style), 'utf8')) },
  { weight: 2, arbitrary: fc.tuple(fc.array(mutated, { minLength: 1, maxLength: 3 }), styles).map(([ms, style]) => Buffer.from(render({ arr: ms }, style), 'utf8')) },
  { weight: 1, arbitrary: fc.tuple(mutated, fc.constantFrom('\uFEFF', '\u0085', '\u2028')).map(([m, prefix]) => Buffer.from(prefix + render(m), 'utf8')) },
  {
    weight: 1,
    arbitrary: fc.tuple(mutated, fc.nat(), fc.constantFrom(0xff, 0xc0, 0x80, 0xed)).map(([m, at, byte]) => {
      const bytes = Buffer.from(render(m), 'utf8');
      const i = at % (bytes.length + 1);
      return Buffer.concat([bytes.subarray(0, i), Buffer.from([byte]), bytes.subarray(i)]);
    }),
  },
  // Over the fuzz proxy's 4 KiB message limit.
  { weight: 1, arbitrary: call.map((m) => Buffer.from(render(m).replace('"arguments":{', `"arguments":{"pad":"${'x'.repeat(5000)}",`), 'utf8')) },
);

const terminator = fc.constantFrom('\n', '\n', '\n', '\r\n', '\r', '', '\n\n', '\r\r\n');

export interface FuzzCase {
  bytes: Buffer;
  /** Offsets to cut the bytes into chunks at. */
  cuts: number[];
}

export const fuzzCase: fc.Arbitrary<FuzzCase> = fc
  .tuple(fc.array(fc.tuple(piece, terminator), { minLength: 1, maxLength: 12 }), fc.array(fc.nat(), { maxLength: 8 }))
  .map(([pieces, cuts]) => {
    const bytes = Buffer.concat(pieces.flatMap(([piece, end]) => [piece, Buffer.from(end, 'utf8')]));
    // Counterexamples print as the latin1 string regressions.ts keeps (long runs of one byte folded).
    return { bytes, cuts, [fc.toStringMethod]: () => `${JSON.stringify(bytes.toString('latin1').replace(/(.)\1{40,}/g, (run, c: string) => `${c}…×${run.length}`))} cut at ${JSON.stringify(cuts)}` };
  });
