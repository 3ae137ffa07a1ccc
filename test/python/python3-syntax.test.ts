/**
 * Syntax tree-sitter-python accepts and CPython 3 rejects (src/python/python3-syntax.ts): Python 2 forms
 * and a few Python 3 errors. Each case is asked of CPython's own compiler too, so the list
 * cannot claim a rejection CPython does not make; each has a valid neighbour that must stay allowed.
 */
import { spawnSync } from 'node:child_process';
import { beforeAll, describe, expect, it } from 'vitest';
import { STRICT_PYTHON_GUARD } from '../../src/catalog/python-guard-profile.js';
import { checkPython, compileGuard, loadPythonParser } from '../../src/python/index.js';

beforeAll(async () => {
  await loadPythonParser();
});

const strict = compileGuard(STRICT_PYTHON_GUARD);
const hasPython = spawnSync('python3', ['-c', 'import ast'], { encoding: 'utf8' }).status === 0;

/** Which of the sources CPython's parser rejects, in one process. */
function cpythonRejects(sources: string[]): boolean[] {
  const script = 'import json, sys\nout = []\nfor s in json.load(sys.stdin):\n    try:\n        compile(s, "<code>", "exec")\n        out.append(False)\n    except SyntaxError:\n        out.append(True)\nprint(json.dumps(out))';
  const run = spawnSync('python3', ['-c', script], { input: JSON.stringify(sources), encoding: 'utf8' });
  return JSON.parse(run.stdout) as boolean[];
}

const INVALID: Array<[string, string]> = [
  ['except X, name', 'try:\n    pass\nexcept Exception, e:\n    pass\n'],
  ['backticks', 'x = `1`\n'],
  ['<>', 'if 1 <> 2:\n    pass\n'],
  ['an octal literal without 0o', 'x = 0777\n'],
  ['a long integer', 'x = 10L\n'],
  ['the ur prefix', "x = ur'abc'\n"],
  ['raise X, message', "raise ValueError, 'x'\n"],
  ['a tuple parameter', 'def f((a, b)):\n    return a\n'],
  ['a generator next to another argument', 'f(x for x in y, 1)\n'],
  ['a comprehension over a bare tuple', '[x for x in 1, 2]\n'],
  ['a positional argument after a keyword', 'f(a=1, 2)\n'],
  ['a positional argument after **', 'f(**k, 2)\n'],
  ['an iterable after **', 'f(**k, *a)\n'],
  ['a parameter without a default after one with', 'def f(a=1, b):\n    pass\n'],
  ['the same in a lambda', 'g = lambda a=1, b: a\n'],
  ['a walrus statement', 'x := 1\n'],
  ['a starred expression alone', 'x = *a\n'],
  ['an augmented assignment to a tuple', 'a, b += 1\n'],
  ['async as a name', 'async = 1\n'],
  ['del of an expression', 'del a + b\n'],
  ['a trailing comma in an import', 'from os import path,\n'],
  ['an f-string conversion other than !r, !s, !a', "f'{x!z}'\n"],
];

const VALID: Array<[string, string]> = [
  ['except with a tuple', 'try:\n    pass\nexcept (ValueError, TypeError) as e:\n    pass\n'],
  ['numbers', 'a = 0\nb = 00\nc = 0x1F\nd = 0o17\ne = 1_000\nf = 0777j\ng = 0777.5\n'],
  ['string prefixes', "a = rb'x'\nb = Rb'x'\nc = BR'x'\nd = F'{a}'\ne = u'x'\nf = fR'{a}'\n"],
  ['a comprehension over pairs', 'd = {}\nprint([k for k, v in d.items()], list(x for x in (1, 2)))\n'],
  ['keyword-only parameters after defaults', 'def f(a, b=1, *, c, d=2, e):\n    pass\ndef g(a=1, *args, b, **kw):\n    pass\n'],
  ['positional-only parameters', 'def f(a, b=1, /, c=2):\n    pass\n'],
  ['arguments in every allowed order', 'f(1, *a, b=2, *c, **d, e=3)\n'],
  ['keyword arguments split by a continuation', 'f(a,\\\n  b, c=1,\\\n  d=2)\n'],
  ['a parenthesised walrus', 'if (n := 10) > 5:\n    pass\n'],
  ['del of names, attributes and items', 'del a, b.c, d[0], (e), [f]\n'],
  ['a parenthesised import with a trailing comma', 'from os.path import (join, exists,)\n'],
  ['raise from', "raise ValueError('x') from None\n"],
  ['conversions', "f'{x!r} {x!s} {x!a}'\n"],
  ['names near keywords', 'asyncio = 1\nawaited = 2\nprint(asyncio, awaited)\n'],
];

describe('syntax tree-sitter accepts and CPython 3 rejects', () => {
  it.each(INVALID)('denies %s', (_name, code) => {
    expect(checkPython(strict, code)).toMatchObject({ kind: 'unparsable' });
  });

  it.each(VALID)('allows %s', (_name, code) => {
    expect(checkPython(strict, code)?.kind).not.toBe('unparsable');
  });

  it.skipIf(!hasPython)('matches CPython on every case', () => {
    expect(cpythonRejects(INVALID.map(([, code]) => code))).toEqual(INVALID.map(() => true));
    expect(cpythonRejects(VALID.map(([, code]) => code))).toEqual(VALID.map(() => false));
  });
});
