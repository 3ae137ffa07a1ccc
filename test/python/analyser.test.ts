import { beforeAll, describe, expect, it } from 'vitest';
import { STRICT_PYTHON_GUARD } from '../../src/catalog/python-guard-profile.js';
import { analysePython, checkPython, compileGuard, loadPythonParser, MAX_CODE_LENGTH } from '../../src/python/index.js';
import { compilePattern, patternBelow, patternMatches } from '../../src/python/names.js';

beforeAll(async () => {
  await loadPythonParser();
});

const strict = compileGuard(STRICT_PYTHON_GUARD);
const flag = (code: string) => checkPython(strict, code);

describe('dotted-name patterns', () => {
  const matches = (pattern: string, name: string) => patternMatches(compilePattern(pattern), name.split('.'));
  it('match the name and everything under it, segment by segment', () => {
    expect(matches('os', 'os')).toBe(true);
    expect(matches('os', 'os.path.join')).toBe(true);
    expect(matches('os.path', 'os.pathsep')).toBe(false);
    expect(matches('os.system', 'os')).toBe(false);
  });
  it('* is a glob inside one segment; ** any number of segments', () => {
    expect(matches('os.exec*', 'os.execvp')).toBe(true);
    expect(matches('os.exec*', 'os.exe')).toBe(false);
    expect(matches('**.unlink', 'unlink')).toBe(true);
    expect(matches('**.unlink', 'pathlib.Path.unlink')).toBe(true);
    expect(matches('**.unlink', '?.unlink')).toBe(true);
    expect(matches('**.unlink', 'os.unlinked')).toBe(false);
    expect(matches('pathlib.**.rename', 'pathlib.Path.home.rename')).toBe(true);
    expect(matches('pathlib.**.rename', 'os.rename')).toBe(false);
  });
  it('normalise with NFKC, as Python does for identifiers', () => {
    expect(matches('ｏｓ.system', 'os.system')).toBe(true);
  });
  it('lie below a name only through their literal segments', () => {
    const below = (pattern: string, name: string) => patternBelow(compilePattern(pattern), name.split('.'));
    expect(below('os.system', 'os')).toBe(true);
    expect(below('os.system', 'os.system')).toBe(false);
    expect(below('**.unlink', 'pathlib')).toBe(false);
    expect(below('pathlib.**.rename', 'pathlib')).toBe(true);
    expect(below('pathlib.**.rename', 'pathlib.Path')).toBe(false);
  });
});

describe('the analyser', () => {
  it('resolves import aliases to full dotted names', () => {
    const analysis = analysePython('import subprocess as sp\nsp.run(["ls"])\nfrom os import system as s\ns("x")');
    expect(analysis.parsed).toBe(true);
    const names = analysis.parsed ? analysis.uses.filter((u) => u.kind === 'name').map((u) => u.name) : [];
    expect(names).toContain('subprocess.run');
    expect(names).toContain('os.system');
  });

  it('reports 1-based lines and UTF-16 columns of the submitted code', () => {
    expect(flag('x = "é"\nimport os; os.system("id")')).toMatchObject({ kind: 'call', name: 'os.system', line: 2, column: 12 });
    expect(flag('s = "😀"; import socket')).toMatchObject({ kind: 'module', line: 1, column: 18 });
  });

  it('decides by the first flagged use in the code', () => {
    expect(flag('import os\nos.remove("a")\nimport subprocess')).toMatchObject({ name: 'os.remove', line: 2 });
  });

  it('does not read comments or strings as code', () => {
    expect(flag('# import subprocess\nx = "os.system(\'id\')"\nprint(x)')).toBeUndefined();
  });

  it('treats code that does not parse, Python 2, non-strings and huge inputs as unparsable', () => {
    expect(flag('def f(:\n  pass')).toMatchObject({ kind: 'unparsable' });
    expect(flag('print "hello"')).toMatchObject({ kind: 'unparsable', reason: expect.stringContaining('Python 2') });
    expect(checkPython(strict, 42)).toMatchObject({ kind: 'unparsable' });
    expect(checkPython(strict, 'x = 1\n'.repeat(MAX_CODE_LENGTH / 6 + 1))).toMatchObject({ kind: 'unparsable', reason: expect.stringContaining('characters long') });
  });

  it('fails closed on code nested deeper than the analyser can follow', () => {
    const deep = `x = ${'('.repeat(3000)}os.system${')'.repeat(3000)}`;
    expect(flag(deep)).toBeDefined();
  });

  it('honours the switches: without deny_unanalysable, exec passes; without deny_unparsable, syntax errors pass', () => {
    const loose = compileGuard({ deny_calls: ['os.system'], deny_unanalysable: false, deny_unparsable: false });
    expect(checkPython(loose, 'exec("x")')).toBeUndefined();
    expect(checkPython(loose, 'def f(:')).toBeUndefined();
    expect(checkPython(loose, 'import os as o\no.system("id")')).toMatchObject({ kind: 'call', name: 'os.system' });
  });

  it('allow lists: the more specific entry wins, deny wins a tie, unlisted imports are flagged', () => {
    const guard = compileGuard({ allow_modules: ['numpy', 'slicer'], deny_modules: ['slicer.util'] });
    expect(checkPython(guard, 'import numpy.linalg')).toBeUndefined();
    expect(checkPython(guard, 'import json')).toMatchObject({ kind: 'module', reason: expect.stringContaining('allow_modules does not list') });
    expect(checkPython(guard, 'from slicer.util import getNode')).toMatchObject({ kind: 'module', name: 'slicer.util' });
    const calls = compileGuard({ allow_calls: ['numpy.array'] });
    expect(checkPython(calls, 'import numpy\nnumpy.array([1])\nprint(len([]))')).toBeUndefined();
    expect(checkPython(calls, 'import numpy\nnumpy.load("x")')).toMatchObject({ kind: 'call', name: 'numpy.load' });
  });
});

/** Counterexamples found while building the guard (by the property tests and the corpora), kept. */
describe('regressions', () => {
  it.each([
    ['a pathlib path built with / then replaced', "import pathlib\n(pathlib.Path.home() / 'a').replace('/tmp/b')"],
    ['the same with a variable', "from pathlib import Path\nd = Path.cwd() / 'x'\nd.rename('y')"],
    ['__import__ reached through builtins', "import builtins\nbuiltins.__import__('os')"],
    ['a module handed on by a conditional expression', 'import os\nm = os if True else None\nm.system("id")'],
    ['os.environ handed to a function', 'import os\nsetup(os.environ)'],
    ['a class aliased four times, then an instance renamed', 'import pathlib\nd = pathlib.Path\nc = d\nb = c\na = b\na("x").rename("y")'],
    ['os reached as an attribute of os.path', 'import os.path as osp\nosp.os.system("id")'],
    ['sys.modules reached through os', 'import os\nos.sys.modules["subprocess"].run(["id"])'],
    ['pickle reached through numpy', 'import numpy as np\nnp.lib.format.pickle.loads(b"")'],
    ['asyncio.subprocess', 'import asyncio\nasyncio.subprocess.create_subprocess_exec("id")'],
    ['a path walked up, then renamed', 'from pathlib import Path\np = Path("a")\nwhile p != p.parent:\n    p = p.parent\np.rename("x")'],
    // Handing a module around stays flagged when an import (or a host global such as os) is behind the name.
    ['the code module imported, then handed to a function', 'import code\nf(code)'],
    ['a profiler module under an alias, handed on', 'import cProfile as cp\nf(cp)'],
    ['a variable that may hold the imported code module', 'import code as c\ncode = c\nf(code)'],
    ['a free os handed to a function that calls system on it', 'def f(m):\n    m.system("id")\nf(os)'],
    // Found probing the guard (2026-12-07): a match statement binds its case names to the subject.
    ['a module matched, bound by a case', 'import os\nmatch os:\n    case m:\n        m.system("id")'],
    ['a module in a list matched (tree-sitter reads it as an annotated assignment)', 'import os\nmatch [os]:\n    case [m]:\n        m.system("id")'],
    ['a module in a dictionary matched', 'import os\nmatch {"a": os}:\n    case {"a": m}:\n        m.system("id")'],
  ])('flags %s', (_name, code) => {
    expect(flag(code)).toBeDefined();
  });

  it.each([
    ['reading os.environ with in', 'import os\nok = "HOME" in os.environ'],
    ['from pathlib import Path (pathlib methods are denied, the class is not)', 'from pathlib import Path\np = Path("a") / "b"\nprint(p.exists())'],
    ["old scripts' from __main__ import slicer", 'from __main__ import vtk, qt, ctk, slicer\nslicer.util.getNode("x")'],
    ["numpy's ctypes interface of an array", 'import numpy as np\na = np.zeros(3)\np = a.ctypes.data_as(None)'],
    ["a Qt dialog's exec()", 'dialog = qt.QDialog()\ndialog.exec()'],
    ["an attribute named like a module's member", 'r = response.code\nvalue = data.json()'],
    ['str.replace on a string', 'name = "a-b".replace("-", "_")'],
    ['a local variable named like an escaping module', 'code = "x = 1"\nprint(code.strip())'],
    // Found on Slicer's own test scripts (2026-12-07): a variable or parameter spelt like a module that
    // only an import can bring (code, profile, pickle, …) was taken for the module when handed around.
    ['a variable named code, handed to print', 'code = "T-D0050"\nprint(code)'],
    ['a parameter named code, written to a file', 'def save(code, path):\n    with open(path, "w") as f:\n        f.write(code)'],
    ['an intensity profile along a line, plotted', 'import numpy as np\nprofile = np.zeros(10)\nplot(profile)'],
    ['a trace of values, handed on', 'trace = [1, 2, 3]\nshow(trace)'],
    ['a parameter named pickle, returned', 'def unwrap(pickle):\n    return pickle'],
    ['a match statement on data', 'cmd = {"op": "load", "path": "/data/a.nrrd"}\nmatch cmd:\n    case {"op": "load", "path": p}:\n        node = slicer.util.loadVolume(p)\n    case _:\n        node = None'],
    ['a regular-expression match indexed', 'import re\nmatch = re.match(r"(\\d+)", "abc123")\nprint(match[1])'],
    ['a parameter named os.path-like', 'import os\ndef f(path):\n    return os.path.basename(path)'],
    ['a loop that walks up a hierarchy (the alias fixed point must widen, not overflow)', 'node = slicer.util.getNode("x")\nwhile node:\n    node = node.GetParentNode()'],
    ['a pathlib walk up to the root', 'from pathlib import Path\np = Path("a")\nwhile p != p.parent:\n    p = p.parent'],
  ])('allows %s', (_name, code) => {
    expect(flag(code)).toBeUndefined();
  });
});
