/**
 * Source encoding declarations (src/python/source-encoding.ts): a server that runs the code as bytes
 * (3D Slicer's WebServer: `exec(requestBody)`) lets CPython decode it with the declared codec, so
 * `# coding: utf-7` turns `+AAo-` inside what the guard reads as a comment into a line break. The
 * property asks CPython itself: every generated source in which a declaration made CPython run code
 * hidden that way must be reported; a check of the first line alone is caught.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { STRICT_PYTHON_GUARD } from '../../src/catalog/python-guard-profile.js';
import { checkPython, compileGuard, loadPythonParser } from '../../src/python/index.js';
import { foreignEncodingDeclaration, type BrokenEncodingVariant } from '../../src/python/source-encoding.js';

beforeAll(async () => {
  await loadPythonParser();
});

const strict = compileGuard(STRICT_PYTHON_GUARD);

describe('source encoding declarations', () => {
  it.each([
    ['utf-7, a line break hidden in a comment', "# -*- coding: utf-7 -*-\nx = 1 #+AAo-import os+AAo-os.system('id')\n", 1],
    ['unicode_escape on the second line, after a shebang', "#!/usr/bin/env python\n# vim: set fileencoding=unicode_escape :\nx = 1 #\\x0aimport os\\x0aos.system('id')\n", 2],
    ['raw_unicode_escape, CRLF line breaks', "# coding=raw_unicode_escape\r\nx = 1 #\\u000aimport os\r\n", 1],
    ['utf-7 in capitals and after a bare CR', '\r# CODING: UTF-7\rx = 1\r', 2],
    ['shift_jis (a backslash swallowed into a character)', "# coding: cp932\ns = 'あ\\'; import os; os.system('id') #'\n", 1],
    ['latin-1 on code that is not ASCII', "# -*- coding: latin-1 -*-\nname = 'Müller'\n", 1],
  ])('reports %s', (_name, code, line) => {
    expect(foreignEncodingDeclaration(code)).toMatchObject({ line });
    expect(checkPython(strict, code)).toMatchObject({ kind: 'unanalysable', line, reason: expect.stringContaining('declares the source encoding') });
  });

  it.each([
    ['utf-8', '# -*- coding: utf-8 -*-\nimport numpy\n'],
    ['utf_8 and UTF8', '#!/usr/bin/env python\n# coding: UTF8\nx = "é"\n'],
    ['utf-8-sig (CPython reads it as utf-8)', '# coding: utf-8-sig\nx = 1\n'],
    ['latin-1 on ASCII code (decoded to the same text)', '# -*- coding: latin-1 -*-\nimport numpy\n'],
    ['a declaration on the third line (CPython looks at two)', '# a\n# b\n# coding: utf-7\nx = 1\n'],
    ['"coding" in a comment that declares nothing', '# encoding of the data: see below\nx = 1\n'],
  ])('leaves %s alone', (_name, code) => {
    expect(foreignEncodingDeclaration(code)).toBeUndefined();
    expect(checkPython(strict, code)).toBeUndefined();
  });

  it('is not reported when the guard does not deny what it cannot analyse', () => {
    expect(checkPython(compileGuard({ deny_modules: ['subprocess'], deny_unanalysable: false }), "# coding: utf-7\nx = 1 #+AAo-import subprocess\n")).toBeUndefined();
  });

  it('gives way to an earlier finding', () => {
    expect(checkPython(strict, "import subprocess\n# coding: utf-7\n")).toMatchObject({ kind: 'module', line: 1 });
  });
});

const hasPython = spawnSync('python3', ['-c', 'pass']).status === 0;

/** The codecs under which a payload hides in a comment, each with its hidden line break. */
const HIDING = [
  { names: ['utf-7', 'UTF-7', 'utf_7', 'U7', 'unicode-1-1-utf-7', 'csUnicode11UTF7'], newline: '+AAo-' },
  { names: ['unicode_escape', 'unicode-escape', 'Unicode_Escape'], newline: '\\x0a' },
  { names: ['raw_unicode_escape', 'raw-unicode-escape'], newline: '\\u000a' },
];

const cookieSource = fc
  .record({
    codec: fc.constantFrom(...HIDING.flatMap((h) => h.names.map((name) => ({ name, newline: h.newline })))),
    lead: fc.constantFrom('', ' ', '\t', '\f', '  \t'),
    before: fc.constantFrom('', ' -*- ', ' vim: set file', ' x ', '!'),
    coding: fc.constantFrom('coding', 'Coding', 'CODING', 'encoding', 'fileencoding'),
    separator: fc.constantFrom(':', '=', ': ', '=\t', ' :'),
    after: fc.constantFrom('', ' -*-', ' :', ' ', '\t# more'),
    line: fc.constantFrom(1, 2, 3),
    firstLine: fc.constantFrom('#!/usr/bin/env python', '', '   ', '# a comment', 'x = 0', '\f'),
    lineBreak: fc.constantFrom('\n', '\r\n', '\r'),
  })
  .map((g) => {
    const cookie = `${g.lead}#${g.before}${g.coding}${g.separator}${g.codec.name}${g.after}`;
    const head = g.line === 1 ? [cookie] : g.line === 2 ? [g.firstLine, cookie] : [g.firstLine, '# second', cookie];
    return [...head, `x = 1 #${g.codec.newline}__hit__()`, ''].join(g.lineBreak);
  });

/** For each source, whether CPython, given its UTF-8 bytes to exec, ran the hidden call. */
function cpythonRuns(sources: string[]): boolean[] {
  const script = [
    'import json, sys',
    'out = []',
    'for s in json.load(sys.stdin):',
    '    hit = []',
    '    try:',
    '        exec(s.encode("utf-8"), {"__hit__": lambda: hit.append(1)})',
    '    except Exception:',
    '        pass',
    '    out.append(bool(hit))',
    'print(json.dumps(out))',
  ].join('\n');
  return JSON.parse(execFileSync('python3', ['-c', script], { input: JSON.stringify(sources), encoding: 'utf8', maxBuffer: 64 << 20 })) as boolean[];
}

describe.skipIf(!hasPython)('against CPython (python3 on this machine)', () => {
  const sources = fc.sample(cookieSource, { numRuns: 400, seed: 263 });
  const runs = hasPython ? cpythonRuns(sources) : [];
  const missed = (variant?: BrokenEncodingVariant) => sources.filter((s, i) => runs[i] && foreignEncodingDeclaration(s, variant) === undefined);

  it('every declaration CPython honours is reported', () => {
    // The generator must reach CPython's honoured cases, or the property says nothing.
    expect(runs.filter(Boolean).length).toBeGreaterThan(50);
    expect(missed()).toEqual([]);
  });

  it('catches a check of the first line alone', () => {
    expect(missed('first-line-only').length).toBeGreaterThan(0);
  });
});
