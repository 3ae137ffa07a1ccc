/**
 * Differential test of readTree (tree-sitter's tree read straight from WebAssembly memory, the fast
 * path) against copyTree (the same tree walked through web-tree-sitter's TreeCursor, the
 * reference): node for node identical on real code, on code with syntax errors and missing nodes,
 * and on hostile generated code. And the checks that keep a wrong layout from being used can fail.
 */
import { spawnSync } from 'node:child_process';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadPythonParser, parsePythonWith, parseWithFallback, pythonTreeReader } from '../../src/python/parser.js';
import type { SyntaxNode } from '../../src/python/syntax-tree.js';
import { readLanguageTables, SUBTREE_LAYOUT, type LanguageTables } from '../../src/python/wasm-tree.js';
import { corpusCode, stdlibSample } from './corpus.js';
import { attackArbitrary, benignArbitrary } from './hostile.js';

beforeAll(async () => {
  await loadPythonParser();
});

/** Whether two trees are the same node for node (every field the analyser can read, and the root's error flag). */
function sameTree(a: SyntaxNode, b: SyntaxNode): boolean {
  if (a.hasError !== b.hasError) return false;
  const stack: Array<[SyntaxNode, SyntaxNode]> = [[a, b]];
  while (stack.length > 0) {
    const [x, y] = stack.pop()!;
    if (
      x.type !== y.type || x.field !== y.field || x.named !== y.named || x.missing !== y.missing ||
      x.start !== y.start || x.end !== y.end || x.line !== y.line || x.column !== y.column || x.children.length !== y.children.length
    ) return false;
    for (let i = 0; i < x.children.length; i++) stack.push([x.children[i]!, y.children[i]!]);
  }
  return true;
}

function firstDifference(a: SyntaxNode, b: SyntaxNode, path = 'root'): string | undefined {
  const keys = ['type', 'field', 'named', 'missing', 'start', 'end', 'line', 'column'] as const;
  for (const key of keys) if (a[key] !== b[key]) return `${path}.${key}: ${String(a[key])} ≠ ${String(b[key])}`;
  if (a.children.length !== b.children.length) return `${path}: ${a.children.length} children ≠ ${b.children.length}`;
  for (let i = 0; i < a.children.length; i++) {
    const found = firstDifference(a.children[i]!, b.children[i]!, `${path}/${a.children[i]!.type}[${i}]`);
    if (found) return found;
  }
  return undefined;
}

function expectSame(source: string): void {
  const memory = parsePythonWith(source, 'memory');
  const cursor = parsePythonWith(source, 'cursor');
  if (!sameTree(memory, cursor)) {
    expect(firstDifference(memory, cursor) ?? `hasError ${memory.hasError} ≠ ${cursor.hasError}`, source.slice(0, 200)).toBeUndefined();
  }
}

/** Single-character deletions and insertions: trees with ERROR and MISSING nodes. */
function mutations(source: string, count: number): string[] {
  const out: string[] = [];
  for (let k = 1; k <= count; k++) {
    const at = Math.floor((source.length * k) / (count + 1));
    out.push(source.slice(0, at) + source.slice(at + 1));
    out.push(`${source.slice(0, at)}${'([{:)'[k % 5]}${source.slice(at)}`);
  }
  return out;
}

/**
 * Code that exercises every path of readTree: aliases, fields reached through hidden nodes, comments
 * (extras), strings and f-strings, every statement kind, and trees with errors and missing nodes
 * (where every node is located).
 */
const SAMPLES = [
  [
    '# comment',
    'from __future__ import annotations',
    'import os.path as p, sys',
    'from .a import (b as c, d)  # trailing',
    'from m import *',
    '@decorator(x=1)',
    'async def f(a, /, b: int = 2, *args, c, **kw) -> "T":',
    '    global g',
    '    x = [i async for i in y if i] ; y: list[int] = {k: v for k, v in z.items()}',
    '    await g(*a, **k)',
    '    return lambda q=1: q / 2',
    'class C(B, metaclass=M):',
    '    """doc"""',
    '    def m(self): yield from self.x[1:2, ...]',
    'match cmd:',
    '    case [1, *rest] | {"k": v, **kw} if v: pass',
    '    case Point(x=0, y=y) as pt: print(f"{pt!r:>{w}} {y}")',
    '    case os.sep: pass',
    'with (open(a) as f, open(b) as g): del f.x, g[0]',
    'try:\n    raise E from e\nexcept* (A, B) as err:\n    assert err, "m"\nelse:\n    pass\nfinally:\n    nonlocal_ = not x or y and z',
    'for a, (b, c) in enumerate(x): continue',
    'while (n := n - 1) > 0: break',
    'type Alias[T] = dict[str, T]',
    'print(rb"\\x", u"é", """multi\nline""", 1_000.5e-3j, ~x ** -y, a if b else c, x[::2])',
    "s = ('a' 'b'); t = f'{a!s}{{b}}{c:{d}}'; e = a @ b; a @= b; a >>= 1",
    'if a: pass\nelif b: pass\nelse: ...',
    '',
  ].join('\n'),
  'def f(:\n  x = (1,\n',
  'print "python 2"\nexec "x"\n',
  'x = [1, 2\ny = 3\n',
  'if x\n    y = )\n',
];

const hasPython = spawnSync('python3', ['-c', 'import sys'], { encoding: 'utf8' }).status === 0;

describe('the tree read from WebAssembly memory', () => {
  it('is what the loaded parser uses (the layout checks passed)', () => {
    expect(pythonTreeReader()).toEqual({ kind: 'memory' });
  });

  it('equals the cursor walk on code that exercises every construct, and on broken code', () => {
    for (const source of SAMPLES) expectSame(source);
  });

  it('equals the cursor walk on the Slicer corpora and their broken variants', () => {
    for (const code of corpusCode()) for (const source of [code, ...mutations(code, 3)]) expectSame(source);
  });

  it.skipIf(!hasPython)('equals the cursor walk on a sample of the standard library and its broken variants', () => {
    for (const source of stdlibSample(120, 150_000)) for (const variant of [source, ...mutations(source, 2)]) expectSame(variant);
  });

  it('equals the cursor walk on generated attacks, ordinary scripts and noise', () => {
    const pythonish = fc.stringMatching(/^[ a-z0-9_().,:;=\[\]{}'"\\\n\t#@*+\-/<>!%&|^~`$?éｏ😀\r]{0,120}$/);
    fc.assert(
      fc.property(fc.oneof(attackArbitrary.map((a) => a.code), benignArbitrary, pythonish), (source) => {
        expectSame(source);
      }),
      { numRuns: 400, seed: 17 },
    );
  });

  it('equals the cursor walk on deep nesting and long lines', () => {
    expectSame(`x = ${'('.repeat(200)}1${')'.repeat(200)}\n`);
    expectSame(`x = ${'['.repeat(300)}\n`);
    expectSame(`y = f(${'a.'.repeat(2000)}b)\n${'    '.repeat(50)}z = 1\n`);
    expectSame(`${'if x:\n'.split('').join('')}${Array.from({ length: 60 }, (_, i) => `${'    '.repeat(i + 1)}if x${i}:`).join('\n')}\n${'    '.repeat(61)}pass\n`);
  });
});

describe('the checks that keep a wrong memory layout from being used', () => {
  const grammar = (tables: Pick<LanguageTables, 'types' | 'fields' | 'named'>, abiVersion: number, nodeTypeCount: number) => ({
    types: tables.types,
    fields: tables.fields,
    named: tables.named,
    abiVersion,
    nodeTypeCount,
  });

  it('refuse a language struct read at a shifted address', () => {
    const heap = { HEAPU8: new Uint8Array(4096) };
    const expected = grammar({ types: ['end', 'identifier'], fields: [null, 'name'], named: () => true }, 15, 2);
    expect(readLanguageTables(heap, 0, expected)).toMatch(/outside memory/);
    expect(readLanguageTables(heap, 64, expected)).toMatch(/ABI 0/);
  });

  // Deliberately broken readers. Wrong language tables: the differential test above must see them (the
  // load-time name checks guard the struct they are read from). A wrong subtree layout: the check of
  // every parse at the root must refuse the tree (the parser then keeps the cursor walk), never hang.
  const brokenTables: Record<string, (t: LanguageTables) => LanguageTables> = {
    'fields of the next production': (t) => ({ ...t, fieldByChild: t.fieldByChild.slice(t.fieldStride) }),
    'no aliases': (t) => ({ ...t, aliasSequences: new Uint16Array(t.aliasSequences.length) }),
    'every node named': (t) => ({ ...t, named: () => true }),
    'public types shifted by one': (t) => ({ ...t, publicSymbol: t.publicSymbol.map((p) => p + 1) }),
  };
  for (const [name, alter] of Object.entries(brokenTables)) {
    it(`the differential test catches a reader with ${name}`, () => {
      expect(SAMPLES.some((source) => { try { return !sameTree(parsePythonWith(source, 'memory', alter), parsePythonWith(source, 'cursor')); } catch { return true; } })).toBe(true);
    });
  }

  it('a refused tree sends this code and all later code to the cursor walk', () => {
    const reader: { kind: 'memory' | 'cursor'; reason?: string } = { kind: 'memory' };
    const cursorTree = parsePythonWith('x = 1\n', 'cursor');
    let memoryCalls = 0;
    const refused = () => {
      memoryCalls++;
      return undefined;
    };
    expect(parseWithFallback(reader, refused, () => cursorTree)).toBe(cursorTree);
    expect(reader).toEqual({ kind: 'cursor', reason: expect.stringMatching(/disagreed/) });
    expect(parseWithFallback(reader, refused, () => cursorTree)).toBe(cursorTree);
    expect(memoryCalls).toBe(1);
  });

  const brokenLayouts: Record<string, Partial<typeof SUBTREE_LAYOUT>> = {
    'child count': { childCount: SUBTREE_LAYOUT.childCount + 4 },
    size: { sizeBytes: SUBTREE_LAYOUT.sizeBytes + 4 },
    padding: { paddingBytes: SUBTREE_LAYOUT.paddingBytes + 4 },
    flags: { flags: SUBTREE_LAYOUT.flags + 2 },
    symbol: { symbol: SUBTREE_LAYOUT.symbol + 2 },
    'visible child count': { visibleChildCount: SUBTREE_LAYOUT.visibleChildCount + 4 },
  };
  for (const [name, change] of Object.entries(brokenLayouts)) {
    it(`the check at the root refuses a tree read with the wrong offset of the ${name}`, () => {
      const layout = { ...SUBTREE_LAYOUT, ...change };
      const refused = SAMPLES.filter((source) => {
        try {
          parsePythonWith(source, 'memory', undefined, layout);
          return false;
        } catch (error) {
          expect(String(error)).toMatch(/disagrees with web-tree-sitter/);
          return true;
        }
      });
      expect(refused.length).toBeGreaterThan(0);
    });
  }

});
