/**
 * Property tests of the Python guard with hostile generators (test/python/hostile.ts): every attack,
 * whatever its evasion and wherever it is buried, is flagged by analysis (not merely by a syntax
 * error); ordinary code is never flagged. A deliberately broken analyser, one that never looks inside
 * function bodies, must be caught by the same property, or the property proves nothing.
 */
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { STRICT_PYTHON_GUARD } from '../../src/catalog/python-guard-profile.js';
import { analyse, Analyser } from '../../src/python/analyse.js';
import type { SyntaxNode } from '../../src/python/syntax-tree.js';
import { compileGuard, evaluateGuard } from '../../src/python/guard.js';
import { loadPythonParser, parsePython } from '../../src/python/parser.js';
import { attackArbitrary, benignArbitrary, EVASIONS, FORBIDDEN } from './hostile.js';

const guard = compileGuard(STRICT_PYTHON_GUARD);

function verdict(code: string, variant?: typeof Analyser) {
  return evaluateGuard(guard, analyse(parsePython(code), code, variant));
}

/** The broken variant: it never looks inside function bodies (a late import or call there goes unseen). */
class SkipsFunctionBodies extends Analyser {
  override visit(node: SyntaxNode, escaping = false): void {
    if (node.type === 'function_definition') return;
    super.visit(node, escaping);
  }
}

beforeAll(async () => {
  await loadPythonParser();
});

describe('the strict guard against hostile code', () => {
  it('every evasion of every forbidden action is flagged by analysis, buried anywhere', () => {
    fc.assert(
      fc.property(attackArbitrary, (attack) => {
        const finding = verdict(attack.code);
        expect(finding, `${attack.evasion} of ${attack.module}.${attack.fn}:\n${attack.code}`).toBeDefined();
        expect(finding!.kind).not.toBe('unparsable');
      }),
      { numRuns: 600 },
    );
  });

  it('each evasion, for each forbidden action, exhaustively', () => {
    for (const [module, fn, args] of FORBIDDEN) {
      for (const [name, evasion] of Object.entries(EVASIONS)) {
        const code = evasion(module, fn, args, 2);
        const finding = verdict(code);
        expect(finding, `${name} of ${module}.${fn}:\n${code}`).toBeDefined();
        expect(finding!.kind, `${name} of ${module}.${fn}:\n${code}`).not.toBe('unparsable');
      }
    }
  });

  it('ordinary Slicer code is never flagged', () => {
    fc.assert(
      fc.property(benignArbitrary, (code) => {
        expect(verdict(code), code).toBeUndefined();
      }),
      { numRuns: 300 },
    );
  });

  it('catches the deliberately broken analyser (one that skips function bodies)', () => {
    const result = fc.check(
      fc.property(attackArbitrary, (attack) => verdict(attack.code, SkipsFunctionBodies) !== undefined),
      { numRuns: 600, seed: 17 },
    );
    expect(result.failed).toBe(true);
    // The shrunk counterexample hides the action in a function: exactly the bug the variant has.
    const [attack] = result.counterexample!;
    expect(['lateImport', 'lateFromImport', 'passedModule', 'asyncDef', 'classBody', 'defaultArgument', 'decorator']).toContain(attack.evasion);
    expect(verdict(attack.code)).toBeDefined();
  });
});
