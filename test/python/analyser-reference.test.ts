/**
 * Differential test of the analyser (src/python/analyse.ts, tuned for speed: interned dotted names,
 * no per-use allocation) against the reference it was tuned from (test/python/reference/
 * analyse-reference.ts, verbatim): the same uses, in the same order, with the same positions and
 * flags, on the corpora, real code, hostile code and pathological code. Order matters: the guard
 * reports the first flagged use, and explain shows it.
 */
import { spawnSync } from 'node:child_process';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { analyse } from '../../src/python/analyse.js';
import { names } from '../../src/python/dotted-name.js';
import { loadPythonParser, parsePython } from '../../src/python/parser.js';
import { corpusCode, stdlibSample } from './corpus.js';
import { attackArbitrary, benignArbitrary, EVASIONS, FORBIDDEN } from './hostile.js';
import { analyse as referenceAnalyse } from './reference/analyse-reference.js';

beforeAll(async () => {
  await loadPythonParser();
});

function expectSameAnalysis(source: string): void {
  const root = parsePython(source);
  expect(analyse(root, source), source.slice(0, 300)).toEqual(referenceAnalyse(root, source));
}

const hasPython = spawnSync('python3', ['-c', 'import sys'], { encoding: 'utf8' }).status === 0;

describe('the tuned analyser reports exactly what the reference reports', () => {
  it('on the Slicer corpora', () => {
    for (const code of corpusCode()) expectSameAnalysis(code);
  });

  it('on every evasion of every forbidden action', () => {
    for (const [module, fn, args] of FORBIDDEN) for (const evasion of Object.values(EVASIONS)) expectSameAnalysis(evasion(module, fn, args, 2));
  });

  it('on generated attacks, ordinary scripts and noise', () => {
    const pythonish = fc.stringMatching(/^[ a-z0-9_().,:;=\[\]{}'"\n#@*+\-/<>!%&|^~ｏ]{0,120}$/);
    const names = fc.constantFrom('os', 'sys', 'x', 'y', 'f', 'builtins', '__main__', 'importlib', 'pickle', 'getattr', 'system', 'environ', 'path', 'Path', 'unlink', 'modules', '__dict__', 'a');
    const chain = fc.array(names, { minLength: 1, maxLength: 7 }).map((parts) => parts.join('.'));
    const statement = fc.oneof(
      fc.tuple(names, chain).map(([a, b]) => `${a} = ${b}`),
      fc.tuple(chain, chain).map(([a, b]) => `${a}(${b})`),
      fc.tuple(names, names).map(([a, b]) => `import ${a} as ${b}`),
      fc.tuple(chain, names).map(([a, b]) => `from ${a} import ${b}`),
      fc.tuple(names, chain).map(([a, b]) => `for ${a} in (${b}, ${a}): ${a}.${b}()`),
      fc.tuple(chain, names).map(([a, b]) => `getattr(${a}, "${b}")()`),
      fc.tuple(names, chain).map(([a, b]) => `${a}, ${b} = ${b}, ${a}`),
      fc.tuple(names, chain).map(([a, b]) => `def g(${a}=${b}):\n    return ${b}`),
      chain.map((a) => `${a}["k"] = 1`),
    );
    const script = fc.array(statement, { minLength: 1, maxLength: 12 }).map((lines) => lines.join('\n'));
    fc.assert(
      fc.property(fc.oneof(attackArbitrary.map((a) => a.code), benignArbitrary, pythonish, script), (source) => {
        expectSameAnalysis(source);
      }),
      { numRuns: 1500, seed: 17 },
    );
  });

  it('on pathological code: long alias chains, loops that grow names, too many meanings', () => {
    expectSameAnalysis(Array.from({ length: 80 }, (_, i) => `a${i + 1} = a${i}.x`).join('\n'));
    expectSameAnalysis('node = root\nwhile node:\n    node = node.GetParentNode()\nnode.unlink()');
    expectSameAnalysis(Array.from({ length: 300 }, (_, i) => `v = m${i} if c else v`).join('\n') + '\nv.system()');
    expectSameAnalysis(`x = ${'('.repeat(150)}os${')'.repeat(150)}.system`);
    expectSameAnalysis('import builtins\nbuiltins.exec("x")\nimport __main__ as m\nm.slicer.util.pip_install("x")');
  });

  it('except one deliberate difference: a getattr name containing a dot is a meaning of its own (a superset of the reference)', () => {
    // The reference merged meanings by their joined text, so ["os", "path.join"] hid ["os", "path", "join"]
    // (or the other way round, whichever came first); interned names keep both.
    for (const source of ['import os\nx = getattr(os, "path.join")\nx = os.path.join\nx()', 'import os\nx = os.path.join\nx = getattr(os, "path.join")\nx()']) {
      const root = parsePython(source);
      const tuned = analyse(root, source);
      const reference = referenceAnalyse(root, source);
      if (!tuned.parsed || !reference.parsed) throw new Error('does not parse');
      const key = (use: (typeof tuned.uses)[number]) => JSON.stringify(use);
      const tunedKeys = new Set(tuned.uses.map(key));
      expect(reference.uses.filter((use) => !tunedKeys.has(key(use)))).toEqual([]);
      expect(tuned.uses.length).toBeGreaterThan(reference.uses.length);
    }
  });

  it('after the table of interned names starts afresh between two analyses', () => {
    const source = 'import os as o\nf = o.path.join\nf("a")\nimport builtins\nbuiltins.exec("x")';
    expectSameAnalysis(source);
    names.size = Number.MAX_SAFE_INTEGER; // as if full: the next analysis starts a new table
    expectSameAnalysis(source);
    expect(names.size).toBeLessThan(100);
  });

  it.skipIf(!hasPython)('on a sample of the standard library', () => {
    for (const source of stdlibSample(150, 150_000)) expectSameAnalysis(source);
  });
});
