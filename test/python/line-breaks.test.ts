/**
 * The guard reads line breaks as CPython does. CPython turns \r\n and a lone \r into \n before it
 * tokenizes; tree-sitter's grammar reads a lone \r as part of a comment, so `# note\rimport os` hid an
 * import from the guard while CPython ran it. The property asks CPython itself: every generated source
 * whose syntax tree, as CPython builds it, imports subprocess is denied by the strict profile; the
 * pipeline without the line-break translation is caught missing some.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { STRICT_PYTHON_GUARD } from '../../src/catalog/python-guard-profile.js';
import { analyse } from '../../src/python/analyse.js';
import { evaluateGuard } from '../../src/python/guard.js';
import { checkPython, compileGuard, loadPythonParser } from '../../src/python/index.js';
import { parsePython } from '../../src/python/parser.js';

beforeAll(async () => {
  await loadPythonParser();
});

const strict = compileGuard(STRICT_PYTHON_GUARD);

describe('line breaks', () => {
  it.each([
    ['a lone CR ends a comment', "x = 1 # note\rimport subprocess\rsubprocess.run('id')"],
    ['CR after a backslash in a comment', "x = 1 # note \\\rimport subprocess"],
    ['CRLF line breaks', "x = 1\r\nimport subprocess\r\n"],
    ['a CR line break inside brackets', "f(1,\rsubprocess.run('id'))\rimport subprocess"],
  ])('%s', (_name, code) => {
    expect(checkPython(strict, code)).toBeDefined();
  });

  it('keeps line and column numbers', () => {
    expect(checkPython(strict, 'x = 1\r\ny = 2\r\n  # c\rimport subprocess\r\n')).toMatchObject({ line: 4, column: 8 });
  });
});

const hasPython = spawnSync('python3', ['-c', 'import ast']).status === 0;

const BREAKS = ['\n', '\r', '\r\n', '\u2028', '\u2029', '\u0085', '\f', '\v', ' ', '\\\r', '\\\n', '\\\r\n'];

/** Mostly breaks CPython honours, so that most sources parse; the rest are ones it does not. */
const lineBreak = fc.oneof({ arbitrary: fc.constantFrom('\n', '\r', '\r\n'), weight: 6 }, { arbitrary: fc.constantFrom(...BREAKS), weight: 2 });

const source = fc
  .tuple(
    fc.oneof({ arbitrary: fc.constantFrom('x = 1', '# a comment', "s = 'text'", ''), weight: 5 }, { arbitrary: fc.constantFrom('y = (1,', 'def f():', 'if x:', '"""doc'), weight: 1 }),
    lineBreak,
    fc.constantFrom('# note', 'x = 1 # note', "s = 'a' # note \\", '    # indented note', 'pass', ''),
    lineBreak,
    fc.oneof({ arbitrary: fc.constantFrom('import subprocess', 'import subprocess as s', 'from subprocess import run'), weight: 5 }, { arbitrary: fc.constant('    import subprocess'), weight: 1 }),
    lineBreak,
    fc.oneof({ arbitrary: fc.constantFrom('', 'x = 2'), weight: 5 }, { arbitrary: fc.constantFrom(')', '"""', '    pass'), weight: 1 }),
  )
  .map((parts) => parts.join(''));

/** For each source, whether CPython's syntax tree of it imports subprocess (false when it does not parse). */
function cpythonImports(sources: string[]): boolean[] {
  const script = [
    'import ast, json, sys',
    'out = []',
    'for s in json.load(sys.stdin):',
    '    try:',
    '        tree = ast.parse(s)',
    '    except Exception:',
    '        out.append(False)',
    '        continue',
    '    out.append(any(isinstance(n, (ast.Import, ast.ImportFrom)) and ("subprocess" in [a.name for a in n.names] or n.__dict__.get("module") == "subprocess") for n in ast.walk(tree)))',
    'print(json.dumps(out))',
  ].join('\n');
  return JSON.parse(execFileSync('python3', ['-c', script], { input: JSON.stringify(sources), encoding: 'utf8', maxBuffer: 64 << 20 })) as boolean[];
}

describe.skipIf(!hasPython)('against CPython (python3 on this machine)', () => {
  const sources = fc.sample(source, { numRuns: 600, seed: 2028 });
  const imports = hasPython ? cpythonImports(sources) : [];

  it('every source CPython reads as importing subprocess is denied', () => {
    // The generator must reach sources that CPython parses and that import it, or the property says nothing.
    expect(imports.filter(Boolean).length).toBeGreaterThan(100);
    expect(sources.filter((s, i) => imports[i] && checkPython(strict, s) === undefined)).toEqual([]);
  });

  it('catches the pipeline without the line-break translation', () => {
    const raw = (s: string) => evaluateGuard(strict, analyse(parsePython(s), s));
    expect(sources.filter((s, i) => imports[i] && raw(s) === undefined).length).toBeGreaterThan(0);
  });
});
