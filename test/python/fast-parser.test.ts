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
import { attackArbitrary, benignArbitrary } from './hostile.js';
import { commentedSource, expressionStatements, hostileSource, pieceSoup } from './mutations.js';

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
  // found by the hostile mutations: tree-sitter's scanner emits a dedent inside brackets when the next line
  // is indented less than the block (CPython joins the lines): tree-sitter reports an error, so the fast path must decline
  'def m(name: str):\n    voxels = f(slicer.util.\ngetNode(name))\n',
  'def m():\n    voxels = f(slicer.# c\nutil.getNode(name))\n',
  'def m():\n    return float(voxels[voxels >\n low].mean())\n',
  "import os\nmatch{'a': os}:\n    case {'a'\n: m}:\n        m.system('id')\n",
  // tree-sitter reads `x if c else y as t` as x if c else (y as t); errors on a j suffix after hex; a bare starred target
  'with a if y else b as h:\n    pass\n',
  "import os\nwith opx if y else zen('/tmp/x', 'w') as handle:\n    os.system('id')\n",
  'try:\n    pass\nexcept A if c else B as e:\n    pass\n',
  '0x_11j\n  ',
  '*a[b] = 4\n',
  // found by the expression fuzzer: `n := a if b else c` is (n := a) if b else c, `[*a[0]]` is [(*a)[0]] in tree-sitter
  'x = (n := 1 if a else b)\n',
  "assert {(n := 1 if 1e3 else b'\\x00')} if f\"{2.5}\" else [b]\n",
  'return [*os[::2, :]]\n',
  '[*os.a]\n{*a[0]}\n[*os()]\n',
  // found by the mutation fuzzer: tree-sitter joins a line ending in a comma with an assignment on the next
  'a, \nd = 0\n',
  'slider.minimum, slider.maximum, \nslider.value = 0,100, 50\n',
  // found by the comment fuzzer: a comment line indented less than the block right after a decorator or a header is a dedent (an error) in tree-sitter
  'class A:\n    @property\n  # note\n    def f(self):\n        pass\n',
  'def f():\n  # c\n    x\n',
  'def f():\n      # c\n    x\n',
  'class A:\n    x = 1\n  # note\n    y = 2\n',
  "import os\nif (run := os.system):\n \\\n    run('id')\n \n  # trailing",
  // found by the mutation fuzzer: a name ending in a digit took the lexer's slot of a keyword one character shorter
  'def _compile(names):\n    return4 [n.upper() for n in names]\n',
  'from3 = in4 = is9 = or8 = as9 = 1\nfor8 = del2 = pass9 = class9 = break1 = global2 = return4 = from3\nprint(in4, is9, or8, as9, for8, del2)\n',
  // yield as a statement, in an assignment, augmented, parenthesised
  'def g():\n    yield\n    yield x, y\n    yield from z\n    a = yield b\n    x += yield\n    return (yield)\n',
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

/** A property: on every generated source the fast path declines, or agrees with tree-sitter (which found no error). */
function agreesOn(arbitrary: fc.Arbitrary<string>, numRuns: number, seed: number, what: string): void {
  let accepted = 0;
  fc.assert(
    fc.property(arbitrary, (source) => {
      const result = check(source);
      if (result.accepted) accepted++;
      expect(result.problem).toBeUndefined();
    }),
    { numRuns, seed },
  );
  console.info(`fast parser: accepted ${accepted} of ${numRuns} ${what}`);
}

describe('hostile code: the fast path accepts only what it parses exactly as tree-sitter does', () => {
  it('mutations of real code (insert, delete, replace, duplicate hostile tokens)', () => {
    agreesOn(hostileSource, 3000, 4242, 'hostile mutations');
  });

  it('random expressions in every statement context (precedence, associativity, soft keywords)', () => {
    agreesOn(expressionStatements, 3000, 7, 'random expression statements');
  });

  it('comments, blank lines and continuations put anywhere in real scripts (block ends, dedents, decorators)', () => {
    agreesOn(commentedSource, 2000, 11, 're-commented scripts');
  });

  it('hostile constructs next to each other', () => {
    agreesOn(pieceSoup, 1500, 99, 'hostile piece soups');
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
