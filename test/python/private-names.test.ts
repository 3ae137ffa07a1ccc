/**
 * Private names count as the public names they stand for on deny lists and escapes
 * (src/python/names.ts denyPatternMatches): `tempfile._os.system` is `os.system`, `import _socket`
 * imports socket, `os._execvpe` matches `os.exec*`. Found probing the strict profile: each of those
 * was allowed. The property puts underscores in front of any segments of names the profile denies,
 * at any place in a chain; a matcher that ignores private segments must fail it.
 */
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { STRICT_PYTHON_GUARD } from '../../src/catalog/python-guard-profile.js';
import { analyse } from '../../src/python/analyse.js';
import { compileGuard, evaluateGuard } from '../../src/python/guard.js';
import { compilePattern, denyPatternMatches, matchesWithinChains, patternMatches, patternMatchesWithin, publicSegments, type NamePattern } from '../../src/python/names.js';
import { loadPythonParser, parsePython } from '../../src/python/parser.js';

beforeAll(async () => {
  await loadPythonParser();
});

/** Literal deny entries of the strict profile (no globs): names that are certainly denied. */
const LITERAL_DENIED = [...STRICT_PYTHON_GUARD.deny_calls!, ...STRICT_PYTHON_GUARD.deny_modules!].filter((text) => !text.includes('*'));

const privateSpelling = (segments: string[]) =>
  fc.tuple(fc.array(fc.boolean(), { minLength: segments.length, maxLength: segments.length }), fc.integer({ min: 1, max: 3 })).map(([flags, n]) =>
    segments.map((s, i) => (flags[i] ? '_'.repeat(n) + s : s)),
  );

/** A denied name spelt with private segments, behind zero to two other module names. */
const privatelySpelt = fc
  .tuple(fc.constantFrom(...LITERAL_DENIED), fc.array(fc.constantFrom('tempfile', 'random', 'shutil', 'util', 'x'), { maxLength: 2 }))
  .chain(([denied, before]) => privateSpelling(denied.split('.')).map((segments) => ({ denied, name: [...before, ...segments] })));

function strictMatches(matcher: (pattern: NamePattern, name: readonly string[]) => boolean) {
  const patterns = LITERAL_DENIED.map(compilePattern);
  return (name: readonly string[]) => patterns.some((p) => matcher(p, name));
}

describe('private names on deny lists', () => {
  it('a denied name spelt with private segments, anywhere in a chain it would count, is still denied', () => {
    const denied = strictMatches(denyPatternMatches);
    fc.assert(
      fc.property(privatelySpelt, ({ denied: text, name }) => {
        // Only where the public spelling is denied too (a one-segment module is matched from the root only).
        fc.pre(strictMatches(denyPatternMatches)(publicSegments(name)));
        expect(denied(name), `${name.join('.')} (from ${text})`).toBe(true);
      }),
      { numRuns: 500 },
    );
  });

  it('a matcher that ignores private segments is caught by the same property', () => {
    const broken = strictMatches((p, name) => (matchesWithinChains(p) ? patternMatchesWithin(p, name) : patternMatches(p, name)));
    const result = fc.check(
      fc.property(privatelySpelt, ({ name }) => {
        fc.pre(strictMatches(denyPatternMatches)(publicSegments(name)));
        return broken(name);
      }),
      { numRuns: 500 },
    );
    expect(result.failed).toBe(true);
  });

  it('leaves dunders, lone underscores and public names as they are', () => {
    expect(publicSegments(['os', 'system'])).toEqual(['os', 'system']);
    expect(publicSegments(['__builtins__', 'exec'])).toEqual(['__builtins__', 'exec']);
    expect(publicSegments(['_', '__'])).toEqual(['_', '__']);
    expect(publicSegments(['tempfile', '_os', '__system'])).toEqual(['tempfile', 'os', 'system']);
  });

  it('counts on the strict profile end to end, and never on an allow list', () => {
    const strict = compileGuard(STRICT_PYTHON_GUARD);
    const verdict = (code: string, guard = strict) => evaluateGuard(guard, analyse(parsePython(code), code));
    for (const code of ['import tempfile\ntempfile._os.system("id")', 'import _socket\n_socket.socket()', 'import os\nos._execvpe("sh", ["sh"])', 'import shutil\nshutil._rmtree_unsafe("/data", None)']) {
      expect(verdict(code), code).toBeDefined();
    }
    // The code's own private names are not builtins or modules.
    expect(verdict('def _compile(x):\n    return x\n_os = "linux"\n__execResult = _compile(_os)')).toBeUndefined();
    // allow_modules: ['socket'] does not let `_socket` in.
    const allowSocket = compileGuard({ allow_modules: ['socket'] });
    expect(verdict('import socket', allowSocket)).toBeUndefined();
    expect(verdict('import _socket', allowSocket)?.reason).toContain('allow_modules does not list');
  });
});
