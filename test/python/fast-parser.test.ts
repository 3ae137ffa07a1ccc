/**
 * The hand-written fast path (src/python/fast-parser.ts) against its reference, tree-sitter-python:
 * wherever the fast parser accepts code, its tree must be deep-equal to tree-sitter's (and
 * tree-sitter must have found no error). Checked on the Slicer corpora, generated attacks, a sample
 * of the standard library, and hostile mutations of real code (fast-check); a deliberately broken
 * variant must be caught; every counterexample found is kept below as a regression case.
 */
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { analyse } from '../../src/python/analyse.js';
import { parseFast, type BrokenVariant } from '../../src/python/fast-parser.js';
import { loadPythonParser, parsePython, useFastParser } from '../../src/python/parser.js';
import type { SyntaxNode } from '../../src/python/syntax-tree.js';
import { corpusCode, stdlibSample } from './corpus.js';
import { attackArbitrary, benignArbitrary, BENIGN_LINES, EVASIONS } from './hostile.js';

beforeAll(async () => {
  await loadPythonParser();
});

/** tree-sitter's tree (the fast path off). */
function reference(source: string): SyntaxNode {
  useFastParser(false);
  try {
    return parsePython(source);
  } finally {
    useFastParser(true);
  }
}

/** The first difference between two trees, or undefined. */
function firstDifference(fast: SyntaxNode, slow: SyntaxNode, path = 'module'): string | undefined {
  for (const key of ['type', 'field', 'named', 'missing', 'start', 'end', 'line', 'column'] as const) {
    if (fast[key] !== slow[key]) return `${path}.${key}: fast ${JSON.stringify(fast[key])}, tree-sitter ${JSON.stringify(slow[key])}`;
  }
  if (fast.children.length !== slow.children.length) return `${path}: children fast [${fast.children.map((c) => c.type)}], tree-sitter [${slow.children.map((c) => c.type)}]`;
  for (let i = 0; i < fast.children.length; i++) {
    const d = firstDifference(fast.children[i]!, slow.children[i]!, `${path}/${slow.children[i]!.type}@${slow.children[i]!.start}`);
    if (d) return d;
  }
  return undefined;
}

/** Checks one source: undefined if the fast path declined or agreed; else what differs. */
function check(source: string, variant?: BrokenVariant): { accepted: boolean; problem?: string } {
  const fast = parseFast(source, variant);
  if (!fast) return { accepted: false };
  const slow = reference(source);
  if (slow.hasError) return { accepted: true, problem: 'accepted code tree-sitter marks as an error' };
  if (fast.hasError !== false) return { accepted: true, problem: 'hasError is not false' };
  const difference = firstDifference(fast, slow);
  if (difference) return { accepted: true, problem: difference };
  // firstDifference reads the fields the analyser reads; toEqual also compares anything else.
  try {
    expect(fast).toEqual(slow);
  } catch {
    return { accepted: true, problem: 'not deep-equal' };
  }
  return { accepted: true };
}

function run(sources: string[], variant?: BrokenVariant): { accepted: number; problems: string[] } {
  let accepted = 0;
  const problems: string[] = [];
  sources.forEach((source, i) => {
    const result = check(source, variant);
    if (result.accepted) accepted++;
    if (result.problem) problems.push(`source #${i} (${JSON.stringify(source.slice(0, 80))}…): ${result.problem}`);
  });
  return { accepted, problems };
}

/** Pieces of ≤ 10 KiB of a file, cut before top-level def/class/decorator lines; pieces tree-sitter finds errors in are dropped. */
function chunks(text: string, max = 10_240): string[] {
  const out: string[] = [];
  let current = '';
  for (const line of text.split('\n')) {
    if (current.length + line.length + 1 > max && /^(def |class |@)/.test(line) && current) {
      out.push(current);
      current = '';
    }
    current += `${line}\n`;
  }
  if (current) out.push(current);
  return out.filter((piece) => piece.length <= max && !reference(piece).hasError);
}

/** Counterexamples the fuzzers and the corpora found: each once accepted with a wrong tree or mis-declined; kept as regressions. */
const REGRESSIONS = [
  // tree-sitter's scanner makes a raw string's leading backslash pairs part of string_end (no string_content)
  "x = r'\\\\\\\\'\n",
  "y = r'\\\\'\n",
  "z = r'a\\\\'\n",
  "b = b'\\N'\n",
  // soft keywords as names: attributes, calls, definitions, keyword arguments
  'mappingproxy = type(type.__dict__)\n',
  'x = a.match.type.print.exec\n',
  'def type(print): pass\nimport type\n',
  'f(type=1, match=2, print=3)\n',
  'type = 1\nmatch = 2\nprint(type, match)\n',
  // comments around blocks, decorators and dedents
  'def f():\n    # c\n    x = 1  # d\n    # e\n# g\ny\n',
  'if x:  # c\n    y\nelse: pass\n',
  '@d  # c\ndef g(): pass\n',
  'if a:\n    if b:\n        x\n    # c\n# d\ny\n',
  // strings
  'f"a{x!r:>{w}.2f}b{{c}}" rb"\\x\\n" "\\N{DASH}\\q\\777\\u12345"\n',
  'x = """a""b"c\\\n"""\n',
  "x = f'{d[\"k\"]}' + f\"{y=}\"\n",
  // line continuations: a node, except before a string (the scanner skips it there)
  'x = 1 + \\\n  2\ny = \\\n  "a"\n',
  // operators with tree-sitter's precedences (& looser than ^), power and unary
  'y = a ^ b & c\nz = -a ** -b\nw = not a in b is not c\n',
  // walrus, lambda, comprehensions, star targets
  'if (n := 10) > 5: pass\nx = lambda: a if b else c\n*a, b = c\n[y for x in z if x for y in x]\n',
];

describe('the fast Python parser against tree-sitter-python', () => {
  it('keeps every regression case: accepted and identical, or declined', () => {
    const { problems } = run(REGRESSIONS);
    expect(problems).toEqual([]);
  });

  it('builds tree-sitter’s tree for the Slicer corpora (benign and attacks), and accepts most of them', () => {
    const sources = corpusCode();
    const { accepted, problems } = run(sources);
    expect(problems).toEqual([]);
    console.info(`fast parser: accepted ${accepted} of ${sources.length} corpus scripts`);
    expect(accepted / sources.length).toBeGreaterThan(0.85);
  });

  it('builds tree-sitter’s tree for generated attacks and ordinary scripts', () => {
    const sources = [...fc.sample(attackArbitrary, { numRuns: 300, seed: 17 }).map((a) => a.code), ...fc.sample(benignArbitrary, { numRuns: 100, seed: 17 })];
    const { accepted, problems } = run(sources);
    expect(problems).toEqual([]);
    console.info(`fast parser: accepted ${accepted} of ${sources.length} generated scripts`);
    expect(accepted / sources.length).toBeGreaterThan(0.8);
  });

  it('builds tree-sitter’s tree for a sample of the standard library (in pieces of ≤ 10 KiB)', () => {
    const sources = stdlibSample(120).flatMap((text) => chunks(text));
    const { accepted, problems } = run(sources);
    expect(problems).toEqual([]);
    console.info(`fast parser: accepted ${accepted} of ${sources.length} standard-library pieces`);
    expect(accepted / sources.length).toBeGreaterThan(0.5);
  });

  it('gives the analyser the same result with the fast path on and off, on every corpus script', () => {
    const sources = [...corpusCode(), ...fc.sample(attackArbitrary, { numRuns: 100, seed: 5 }).map((a) => a.code)];
    for (const source of sources) {
      const fast = analyse(parsePython(source), source);
      const slow = analyse(reference(source), source);
      expect(fast).toEqual(slow);
    }
  });
});

/** Hostile pieces to splice into real code: every lexical corner the fast path must either get right or decline. */
const HOSTILE_PIECES = [
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
function tokens(source: string): string[] {
  return source.match(/[A-Za-z_][A-Za-z0-9_]*|\d[\w.]*|"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*'|\n[ ]*|[ \t]+|#[^\n]*|\*\*=?|\/\/=?|[<>=!]=|->|:=|\S/g) ?? [];
}

const SEEDS = [...BENIGN_LINES.map((line) => `${line}\n`), ...Object.values(EVASIONS).map((evasion) => `${evasion('os', 'system', "'id'", 3)}\n`), ...corpusCode().filter((code) => code.length < 3000)];

interface Mutation {
  kind: 'insert' | 'delete' | 'replace' | 'duplicate';
  at: number;
  piece: string;
}

const mutationArbitrary: fc.Arbitrary<Mutation> = fc.record({
  kind: fc.constantFrom('insert' as const, 'delete' as const, 'replace' as const, 'duplicate' as const),
  at: fc.nat(),
  piece: fc.oneof(fc.constantFrom(...HOSTILE_PIECES), fc.string({ maxLength: 4 }), fc.constantFrom(...BENIGN_LINES)),
});

function mutate(seed: string, mutations: Mutation[]): string {
  const parts = tokens(seed);
  for (const m of mutations) {
    if (parts.length === 0) parts.push(m.piece);
    const at = m.at % (parts.length + 1);
    if (m.kind === 'insert') parts.splice(at, 0, m.piece);
    else if (m.kind === 'delete') parts.splice(at, 1);
    else if (m.kind === 'replace') parts.splice(at, 1, m.piece);
    else parts.splice(at, 0, parts[(m.at >> 3) % parts.length] ?? '');
  }
  return parts.join('');
}

const hostileSource = fc.record({ seed: fc.constantFrom(...SEEDS), mutations: fc.array(mutationArbitrary, { minLength: 1, maxLength: 4 }) }).map(({ seed, mutations }) => mutate(seed, mutations));

/** Whole hostile lines joined: constructs next to each other rather than inside real code. */
const pieceSoup = fc.array(fc.constantFrom(...HOSTILE_PIECES, ...BENIGN_LINES), { minLength: 1, maxLength: 12 }).map((pieces) => pieces.join(fc.sample(fc.constantFrom('', ' ', '\n'), 1)[0]));

describe('hostile code: the fast path accepts only what it parses exactly as tree-sitter does', () => {
  it('mutations of real code (insert, delete, replace, duplicate hostile tokens)', () => {
    let accepted = 0;
    fc.assert(
      fc.property(hostileSource, (source) => {
        const result = check(source);
        if (result.accepted) accepted++;
        expect(result.problem).toBeUndefined();
      }),
      { numRuns: 3000, seed: 4242 },
    );
    console.info(`fast parser: accepted ${accepted} of 3000 hostile mutations`);
  });

  it('hostile constructs next to each other', () => {
    fc.assert(
      fc.property(pieceSoup, (source) => {
        expect(check(source).problem).toBeUndefined();
      }),
      { numRuns: 1500, seed: 99 },
    );
  });
});

describe('a deliberately broken fast parser is caught by the differential check', () => {
  it('a call that loses its arguments', () => {
    const { problems } = run(corpusCode(), 'call-drops-arguments');
    expect(problems.length).toBeGreaterThan(0);
  });

  it('a string that ends at an escaped quote (hiding or inventing code)', () => {
    const source = 's = "a\\"; import os; os.system(\'id\') #"\n';
    expect(check(source).problem).toBeUndefined();
    expect(check(source, 'escaped-quote-ends-string').problem).toBeDefined();
  });
});
