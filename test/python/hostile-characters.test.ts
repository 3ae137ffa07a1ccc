/**
 * Whatever CPython reads as code, the guard reads too (or refuses as not parsing). Corpus scripts get
 * hostile characters inserted anywhere (line breaks of every kind, form feeds, NUL, BOM, zero-width
 * and Unicode spaces and breaks, backslashes, quotes and string prefixes, brackets) and a tail that
 * hides an import behind them; CPython's own `ast` (test/python/reference/cpython_names.py) names the
 * identifiers it reads, and every one of them must be in the guard's tree. A lone CR ending a comment
 * for CPython only was found this way; the pipeline without its line-break translation is caught.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { withCPythonLineBreaks } from '../../src/python/line-breaks.js';
import { normalizeIdentifier } from '../../src/python/names.js';
import { loadPythonParser, parsePython } from '../../src/python/parser.js';
import type { SyntaxNode } from '../../src/python/syntax-tree.js';
import { ROOT } from '../helpers/cli.js';
import { corpusCode } from './corpus.js';

const hasPython = spawnSync('python3', ['-c', 'import ast']).status === 0;
const REFERENCE = join(ROOT, 'test/python/reference/cpython_names.py');

const HOSTILE = [
  '\r', '\n', '\r\n', '\f', '\v', '\t', ' ', '\\', '#', "'", '"', '"""', "'''", '\u2028', '\u2029', '\u0085', '\u00a0', '\ufeff', '\u200b', '\u3000',
  '\x00', '\x1a', '\x1b', '\\\n', '\\\r', ';', ':', '(', ')', '[', ']', '{', '}', '\f\n', 'f"', "b'", 'rb"', '\\N{',
];
const TAILS = ['', '\nimport subprocess', '#x\rimport subprocess', ' # c\fimport subprocess', '  # c\u2028import subprocess', '\\\rimport subprocess'];

beforeAll(async () => {
  await loadPythonParser();
});

/** The identifiers of the guard's tree, or undefined when it does not parse (the guard denies it). */
function guardIdentifiers(raw: string, translate: boolean): Set<string> | undefined {
  const source = translate ? withCPythonLineBreaks(raw) : raw;
  const root = parsePython(source);
  const identifiers = new Set<string>();
  const stack: SyntaxNode[] = [root];
  while (stack.length > 0) {
    const node = stack.pop()!;
    if (node.type === 'ERROR' || node.missing) return undefined;
    if (node.type === 'identifier') identifiers.add(normalizeIdentifier(source.slice(node.start, node.end)));
    for (const c of node.children) stack.push(c);
  }
  return identifiers;
}

describe.skipIf(!hasPython)('hostile characters, against CPython (python3 on this machine)', () => {
  const base = corpusCode().filter((code) => code.length < 600);
  const mutated = fc.record({
    code: fc.constantFrom(...base),
    tail: fc.constantFrom(...TAILS),
    edits: fc.array(fc.record({ at: fc.nat(), piece: fc.constantFrom(...HOSTILE) }), { minLength: 1, maxLength: 3 }),
  });
  const sources = fc.sample(mutated, { numRuns: 3000, seed: 2029 }).map(({ code, tail, edits }) => {
    let text = code + tail;
    for (const { at, piece } of edits) {
      const i = at % (text.length + 1);
      text = text.slice(0, i) + piece + text.slice(i);
    }
    return text;
  });
  const cpython = hasPython ? (JSON.parse(execFileSync('python3', [REFERENCE], { input: JSON.stringify(sources), maxBuffer: 1 << 28, encoding: 'utf8' })) as Array<{ parses: boolean; identifiers?: string[] }>) : [];
  const unseen = (translate: boolean) =>
    sources.flatMap((source, i) => {
      const want = cpython[i]!;
      if (!want.parses) return [];
      const got = guardIdentifiers(source, translate);
      const missing = got ? want.identifiers!.filter((name) => !got.has(name)) : [];
      return missing.length > 0 ? [`${JSON.stringify(source).slice(0, 200)}: CPython reads ${JSON.stringify(missing)}`] : [];
    });

  it('every identifier CPython reads is in the guard tree, or the guard does not parse the code', () => {
    // The mutations must leave enough code that CPython runs, or the property says nothing.
    expect(cpython.filter((r) => r.parses).length).toBeGreaterThan(300);
    expect(unseen(true)).toEqual([]);
  });

  it('catches the guard without its line-break translation', () => {
    expect(unseen(false).length).toBeGreaterThan(0);
  });
});
