/**
 * Differential test of readTree (tree-sitter's tree read straight from WebAssembly memory, the fast
 * path) against copyTree (the same tree walked through web-tree-sitter's TreeCursor, the
 * reference): node for node identical on real code, on code with syntax errors and missing nodes,
 * and on hostile generated code. And the checks that guard the fast path at load time can fail.
 */
import { spawnSync } from 'node:child_process';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadPythonParser, parsePythonWith, pythonTreeReader, SELF_TEST } from '../../src/python/parser.js';
import { sameTree, type SyntaxNode } from '../../src/python/syntax-tree.js';
import { readLanguageTables, type LanguageTables } from '../../src/python/wasm-tree.js';
import { corpusCode, stdlibSample } from './corpus.js';
import { attackArbitrary, benignArbitrary } from './hostile.js';

beforeAll(async () => {
  await loadPythonParser();
});

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

const hasPython = spawnSync('python3', ['-c', 'import sys'], { encoding: 'utf8' }).status === 0;

describe('the tree read from WebAssembly memory', () => {
  it('is what the loaded parser uses (the layout checks passed)', () => {
    expect(pythonTreeReader()).toEqual({ kind: 'memory' });
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

  // Deliberately broken readers: each must differ from the cursor walk on the load-time self-test, or that test proves nothing.
  const broken: Record<string, (t: LanguageTables) => LanguageTables> = {
    'fields of the next production': (t) => ({ ...t, fieldByChild: t.fieldByChild.slice(t.fieldStride) }),
    'no aliases': (t) => ({ ...t, aliasSequences: new Uint16Array(t.aliasSequences.length) }),
    'every node named': (t) => ({ ...t, named: () => true }),
    'public types shifted by one': (t) => ({ ...t, publicSymbol: t.publicSymbol.map((p) => p + 1) }),
  };
  for (const [name, alter] of Object.entries(broken)) {
    it(`the load-time self-test catches a reader with ${name}`, () => {
      expect(SELF_TEST.some((source) => !sameTree(parsePythonWith(source, 'memory', alter), parsePythonWith(source, 'cursor')))).toBe(true);
      expect(SELF_TEST.every((source) => sameTree(parsePythonWith(source, 'memory'), parsePythonWith(source, 'cursor')))).toBe(true);
    });
  }
});
