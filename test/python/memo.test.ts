/**
 * The guard's memos never change a verdict: a guard that has judged many scripts decides each one
 * exactly as a fresh guard does, and a resent script (answered from what is kept of the last one)
 * gets the same verdict as the first time, per guard.
 */
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { STRICT_PYTHON_GUARD } from '../../src/catalog/python-guard-profile.js';
import { analyse } from '../../src/python/analyse.js';
import { evaluateGuard } from '../../src/python/guard.js';
import { checkPython, compileGuard, loadPythonParser } from '../../src/python/index.js';
import { parsePython } from '../../src/python/parser.js';
import { corpusCode } from './corpus.js';
import { attackArbitrary, benignArbitrary } from './hostile.js';

beforeAll(async () => {
  await loadPythonParser();
});

const LOOSE = { deny_modules: ['subprocess', 'socket'], allow_calls: ['slicer.**', 'numpy', 'vtk', 'print'], deny_unanalysable: false };

describe('the memos', () => {
  it('a well-used guard decides every script as a fresh guard does', () => {
    const sources = [...corpusCode(), ...fc.sample(fc.oneof(attackArbitrary.map((a) => a.code), benignArbitrary), { numRuns: 300, seed: 17 })];
    for (const spec of [STRICT_PYTHON_GUARD, LOOSE]) {
      const shared = compileGuard(spec);
      for (const source of sources) {
        const analysis = analyse(parsePython(source), source);
        expect(evaluateGuard(shared, analysis), source).toEqual(evaluateGuard(compileGuard(spec), analysis));
      }
    }
  });

  it('a resent script gets the same verdict, per guard, from the cache', () => {
    const strict = compileGuard(STRICT_PYTHON_GUARD);
    const loose = compileGuard(LOOSE);
    const code = 'import os\nos.system("id")\nimport slicer\nslicer.util.getNode("x")';
    const first = { strict: checkPython(strict, code), loose: checkPython(loose, code) };
    expect(first.strict).toMatchObject({ kind: 'call', name: 'os.system' });
    expect(first.loose).toMatchObject({ kind: 'call', name: 'os' }); // not in allow_calls
    expect(checkPython(strict, code)).toEqual(first.strict);
    expect(checkPython(loose, code)).toEqual(first.loose);
    // The verdict objects cannot be changed by a caller.
    expect(Object.isFrozen(checkPython(strict, code))).toBe(true);
    expect(checkPython(compileGuard({ deny_modules: ['json'] }), code)).toBeUndefined();
  });

  it('keeps the verdicts on the last script only', () => {
    const first = 'import os\nos.system("id")\n';
    const strict = compileGuard(STRICT_PYTHON_GUARD);
    const finding = checkPython(strict, first);
    // A denied call's message looks at the code again right after the decision; a retry resends it.
    expect(checkPython(strict, first)).toBe(finding);
    checkPython(strict, 'x = 1\n');
    const again = checkPython(strict, first);
    expect(again).not.toBe(finding);
    expect(again).toEqual(finding);
  });
});
