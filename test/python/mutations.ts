/**
 * Hostile mutations of real Python for the fast parser's property tests (fast-parser.test.ts):
 * real code with tokens inserted, deleted, replaced or duplicated, the inserted ones chosen from
 * every lexical corner (CR, tabs, form feeds, BOM, NUL, continuations, string prefixes, nested
 * f-strings, unicode names, soft keywords, Python 2 statements…).
 */
import fc from 'fast-check';
import { corpusCode } from './corpus.js';
import { BENIGN_LINES, EVASIONS } from './hostile.js';

/** Hostile pieces to splice into real code: every lexical corner the fast path must either get right or decline. */
export const HOSTILE_PIECES = [
  '\r', '\r\n', '\t', '\\\n', '\\', '\f', '\uFEFF', '\0', '\v', '\u00A0', '\u2028', ';', ':', '#', '# c\n', '\n', '\n    ', '    ', '  ', ' ',
  '"', "'", '"""', "'''", '\\"', "\\'", 'rb"x"', 'Rb"\\x"', 'f"{x}"', 'F"{x!r}"', 'u"x"', 'b"\\N"', 'br"\\\\"', 'ub"x"', 't"{x}"', 'rf"{x}\\{"',
  'f"{f\'{x}\'}"', 'f"{x:{y}}"', 'f"{x:>10}"', 'f"{x:#x}"', 'f"{ x }"', 'f"{x=}"', 'f"{{}}"', 'f"{\'a\'}"', 'f"{"a"}"', 'f"""{\nx}"""',
  'é', 'ｓ', 'λ', '𝔰', '\uD800', 'x := 1', '(x := 1)', 'match x:\n    case 1: pass\n', 'case', '_', 'type X = int\n', 'print "x"\n', 'exec "x"\n',
  '@dec\n', 'lambda: 0', 'lambda *a, **k: a', '*', '**', '*a', 'async ', 'await ', 'async def f(): pass\n', 'def f[T](x: T) -> T: pass\n',
  'x: int = 1', 'x: List[int] | None', 'yield', 'yield from x', 'global g', 'nonlocal n', 'del x', 'assert x, y', 'raise E from e',
  'with (a as b, c): pass\n', 'try:\n    pass\nexcept* E:\n    pass\n', 'except', 'finally', 'else', 'elif', 'not in', 'is not', '<>', '!=', '!',
  '...', '.', '1.', '.5', '1e5', '1j', '0x_1', '0777', '1_000', '1__0', '1if x else y', '0b2', '[', ']', '(', ')', '{', '}', ',', '=', '==',
  '+=', '->', '@', '$', '?', '`', 'from . import x', 'from ... import x', 'from __future__ import annotations', 'import os', 'os.system("id")',
  'getattr(os, "sys"+"tem")("id")', '__import__("os")', 'exec(code)', 'eval(s)', 'a[1:2, ::3]', '{**d}', '{*s}', '[*l]', 'x if y else z',
];

/** Tokens of a source, roughly (names, numbers, strings, operators, whitespace runs, newlines): the units mutations work on. */
export function tokens(source: string): string[] {
  return source.match(/[A-Za-z_][A-Za-z0-9_]*|\d[\w.]*|"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*'|\n[ ]*|[ \t]+|#[^\n]*|\*\*=?|\/\/=?|[<>=!]=|->|:=|\S/g) ?? [];
}

export const SEEDS = [...BENIGN_LINES.map((line) => `${line}\n`), ...Object.values(EVASIONS).map((evasion) => `${evasion('os', 'system', "'id'", 3)}\n`), ...corpusCode().filter((code) => code.length < 3000)];

interface Mutation {
  kind: 'insert' | 'delete' | 'replace' | 'duplicate' | 'splice';
  at: number;
  piece: string;
}

const mutationArbitrary: fc.Arbitrary<Mutation> = fc.record({
  kind: fc.constantFrom('insert' as const, 'delete' as const, 'replace' as const, 'duplicate' as const, 'splice' as const),
  at: fc.nat(),
  piece: fc.oneof(fc.constantFrom(...HOSTILE_PIECES), fc.string({ maxLength: 4 }), fc.constantFrom(...BENIGN_LINES)),
});

export function mutate(seed: string, mutations: Mutation[]): string {
  const parts = tokens(seed);
  for (const m of mutations) {
    if (parts.length === 0) parts.push(m.piece);
    const at = m.at % (parts.length + 1);
    if (m.kind === 'insert') parts.splice(at, 0, m.piece);
    else if (m.kind === 'delete') parts.splice(at, 1);
    else if (m.kind === 'replace') parts.splice(at, 1, m.piece);
    else if (m.kind === 'splice') {
      // inside a token (a string, a name, a comment): at a character offset
      const token = parts[at % parts.length] ?? '';
      const offset = (m.at >> 4) % (token.length + 1);
      parts[at % parts.length] = token.slice(0, offset) + m.piece + token.slice(offset);
    }
    else parts.splice(at, 0, parts[(m.at >> 3) % parts.length] ?? '');
  }
  return parts.join('');
}

export const hostileSource = fc.record({ seed: fc.constantFrom(...SEEDS), mutations: fc.array(mutationArbitrary, { minLength: 1, maxLength: 4 }) }).map(({ seed, mutations }) => mutate(seed, mutations));

/** Whole hostile lines joined: constructs next to each other rather than inside real code. */
export const pieceSoup = fc
  .record({ pieces: fc.array(fc.constantFrom(...HOSTILE_PIECES, ...BENIGN_LINES), { minLength: 1, maxLength: 12 }), separator: fc.constantFrom('', ' ', '\n') })
  .map(({ pieces, separator }) => pieces.join(separator));


/** Random expressions (every operator, prefix and postfix, literal and display), unparenthesised where the grammar allows: precedence and associativity as tree-sitter resolves them. */
const expressionArbitrary: fc.Arbitrary<string> = fc.letrec<{ e: string }>((tie) => ({
  e: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.constantFrom('a', 'b', 'os', 'print', 'exec', 'type', 'match', 'case', '_', '1', '2.5', '0x1F', '1e3', '3j', 'None', 'True', '...', '"s"', "f'{x}'", "b'\\x00'", 'r"\\d"'),
    fc.tuple(tie('e'), fc.constantFrom(' + ', ' - ', ' * ', ' / ', ' // ', ' % ', ' @ ', ' ** ', ' | ', ' & ', ' ^ ', ' << ', ' >> ', ' and ', ' or ', ' < ', ' <= ', ' == ', ' != ', ' in ', ' not in ', ' is ', ' is not ', ' > '), tie('e')).map(([l, op, r]) => `${l}${op}${r}`),
    fc.tuple(fc.constantFrom('-', '+', '~', 'not ', 'await ', 'lambda: ', 'lambda x, *y: ', '*', '**'), tie('e')).map(([op, e]) => `${op}${e}`),
    fc.tuple(tie('e'), fc.constantFrom('.attr', '()', '(a, k=1)', '[0]', '[1:2]', '[::2, :]', '(x for x in y)', '.match', '.type')).map(([e, post]) => `${e}${post}`),
    fc.tuple(tie('e'), tie('e'), tie('e')).map(([a, b, c]) => `${a} if ${b} else ${c}`),
    fc.tuple(tie('e'), tie('e')).map(([a, b]) => `(${a}, ${b})`),
    tie('e').map((e) => `(${e})`),
    tie('e').map((e) => `[${e}]`),
    tie('e').map((e) => `{${e}}`),
    tie('e').map((e) => `[${e} for v in w if v]`),
    fc.tuple(tie('e'), tie('e')).map(([k, v]) => `{${k}: ${v}}`),
    tie('e').map((e) => `(n := ${e})`),
    tie('e').map((e) => `f"{${e}}"`),
    tie('e').map((e) => `${e} as t`),
  ),
})).e;

/** Random expressions in every statement context. */
export const expressionStatements = fc
  .tuple(
    fc.constantFrom('{}\n', 'def f():\n    yield {}\n    x = yield {}\n', 'x = {}\n', 'x += {}\n', 'x: int = {}\n', 'return {}\n', 'if {}:\n    pass\n', 'while {}:\n    pass\n', 'for i in {}:\n    pass\n', 'with {}:\n    pass\n', 'with {} as h:\n    pass\n', 'del {}\n', 'assert {}\n', 'raise {}\n', '@{}\ndef f(): pass\n', 'f({})\n', 'y = {}, {}\n', 'match {}:\n    case 1:\n        pass\n', 'print({})\n', 'def g(p={}): pass\n', 'lambda: {}\n', 'try:\n    pass\nexcept {} as e:\n    pass\n'),
    expressionArbitrary,
  )
  .map(([template, e]) => template.replaceAll('{}', e));

/** Real scripts with comments and blank lines put between lines at random indentation and after lines: where tree-sitter places each comment (block ends, dedents, decorators, headers). */
export const commentedSource = fc
  .record({
    seed: fc.constantFrom(...SEEDS),
    inserts: fc.array(fc.record({ line: fc.nat(), indent: fc.constantFrom(0, 1, 2, 4, 6, 8, 12), kind: fc.constantFrom('line', 'trailing', 'blank', 'continuation') }), { minLength: 1, maxLength: 6 }),
  })
  .map(({ seed, inserts }) => {
    const lines = seed.split('\n');
    for (const { line, indent, kind } of inserts) {
      const at = line % (lines.length + 1);
      if (kind === 'line') lines.splice(at, 0, `${' '.repeat(indent)}# note`);
      else if (kind === 'blank') lines.splice(at, 0, ' '.repeat(indent));
      else if (at < lines.length && kind === 'trailing') lines[at] += '  # trailing';
      else if (at < lines.length) lines[at] += ' \\';
    }
    return lines.join('\n');
  });
