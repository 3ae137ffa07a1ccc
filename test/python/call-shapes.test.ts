/**
 * Calls read by their arguments' shape (src/python/call-shapes.ts, round 17): a one-argument
 * rename/replace on an object the analysis cannot name is a path's; Slicer's module getters reach
 * slicer.modules by the name they are given; a call is a call however its function is written.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { STRICT_PYTHON_GUARD } from '../../src/catalog/python-guard-profile.js';
import { checkPython, compileGuard, loadPythonParser } from '../../src/python/index.js';

beforeAll(async () => {
  await loadPythonParser();
});

const strict = compileGuard(STRICT_PYTHON_GUARD);
const flag = (code: string) => checkPython(strict, code);
const LOST = "import copy\nfrom pathlib import Path\np = copy.copy(Path('/data/a'))\n";

describe('a path mover by its shape', () => {
  it.each([
    ['one positional argument', `${LOST}p.rename('/tmp/a')`],
    ['target=', `${LOST}p.replace(target='/tmp/a')`],
    ['an unpacked argument', `${LOST}p.rename(*['/tmp/a'])`],
    ['one argument and an empty unpacking', `${LOST}p.replace('/tmp/a', *[])`],
    ['move_into', `${LOST}p.move_into('/tmp')`],
    ['through __call__', `${LOST}p.rename.__call__('/tmp/a')`],
    ['in parentheses', `${LOST}(p.rename)('/tmp/a')`],
    ['through getattr with a constant name', `${LOST}getattr(p, 'rename')('/tmp/a')`],
    ['a bound method kept in a name', `${LOST}m = p.rename\nm('/tmp/a')`],
    ['a name from an earlier call', "q.rename('/tmp/a')"],
    ['a name also bound to a harmless module', `import json as p\n${LOST}p.rename('/tmp/a')`],
  ])('flags %s', (_name, code) => {
    expect(flag(code)?.reason).toMatch(/pathlib\.Path\.(rename|replace|move_into)/);
  });

  it.each([
    ["a string's replace", "s = 'a_b'\nprint(s.replace('_', ' '))"],
    ['str.replace in parentheses', "s = 'a_b'\nprint((s.replace)('_', ' '))"],
    ["pandas' rename with a keyword", "import pandas as pd\npd.DataFrame().rename(columns={'a': 'b'})"],
    ["datetime's replace with a keyword", "import datetime\ndatetime.datetime.now().replace(microsecond=0)"],
    ["a module's own function", "import dataclasses\n@dataclasses.dataclass\nclass C:\n    x: int = 0\nprint(dataclasses.replace(C()))"],
    ['a Qt widget moved', "w = qt.QWidget()\nw.move(qt.QPoint(1, 2))"],
  ])('allows %s', (_name, code) => {
    expect(flag(code)).toBeUndefined();
  });
});

describe("Slicer's modules by name", () => {
  it.each([
    ['getModuleLogic', "slicer.util.getModuleLogic('WebServer').start()"],
    ['getModuleWidget', "slicer.util.getModuleWidget('WebServer').logic.start()"],
    ['getNewModuleWidget', "slicer.util.getNewModuleWidget('WebServer').logic.start()"],
    ["the module manager's lookup", "slicer.app.moduleManager().module('WebServer').widgetRepresentation().self().logic.start()"],
  ])('reads %s as slicer.modules.webserver', (_name, code) => {
    expect(flag(code)?.reason).toMatch(/slicer\.modules\.webserver/);
  });

  it.each([
    ['getModuleLogic', "n = 'Web' + 'Server'\nslicer.util.getModuleLogic(n).start()"],
    ["the module manager's lookup", "mm = slicer.app.moduleManager()\nfor n in mm.modulesNames():\n    mm.module(n).widgetRepresentation()"],
  ])('%s given a computed name escapes', (_name, code) => {
    expect(flag(code)).toMatchObject({ kind: 'unanalysable' });
  });

  it.each([
    ['a module by a constant name', "print(slicer.util.getModuleLogic('Segmentations'))"],
    ['a module object', 'print(slicer.util.getModuleLogic(slicer.modules.volumes))'],
    ['a method named module elsewhere, by a variable', "import types\nm = types.SimpleNamespace(module=lambda n: n)\nn = 'x'\nprint(m.module(n))"],
  ])('allows %s', (_name, code) => {
    expect(flag(code)).toBeUndefined();
  });
});

describe('calls not written as a name', () => {
  it.each([
    ['numpy.load in parentheses', "import numpy as np\n(np.load)('/tmp/a.npy', allow_pickle=True)"],
    ['numpy.load through __call__', "import numpy as np\nnp.load.__call__('/tmp/a.npy', allow_pickle=True)"],
    ['numpy.load through getattr', "import numpy as np\ngetattr(np, 'load')('/tmp/a.npy', allow_pickle=True)"],
    ['getattr through __call__', "import os\ngetattr.__call__(os, 'sys' + 'tem')"],
  ])('reads %s as a call', (_name, code) => {
    expect(flag(code)).toMatchObject({ kind: 'unanalysable' });
  });

  it('a Qt slot string through a parenthesized connect', () => {
    const code = "b = qt.QPushButton()\nem = slicer.app.extensionsManagerModel()\n(b.connect)('clicked()', em, 'downloadAndInstallExtensionByName(QString)')";
    expect(flag(code)?.reason).toMatch(/downloadAndInstallExtension/);
  });
});

describe('a method named exec given an argument', () => {
  it.each([
    ["a console found by findChild", "c = slicer.util.findChild(slicer.util.mainWindow(), 'PythonConsole')\nc.exec('import os')"],
    ['exec_ with a computed string', "c = w.findChildren('QWidget')[3]\nc.exec_('import ' + 'os')"],
  ])('escapes: %s', (_name, code) => {
    expect(flag(code)).toMatchObject({ kind: 'unanalysable' });
  });

  it("allows a dialog's exec() without one", () => {
    expect(flag('d = qt.QDialog()\nd.exec()')).toBeUndefined();
  });
});

describe('a path mover taken as a value', () => {
  it.each([
    ['functools.partial', `${LOST}import functools\nfunctools.partial(p.rename, '/tmp/a')()`],
    ['map', `${LOST}list(map(p.rename, ['/tmp/a']))`],
    ["a thread's target", `${LOST}import threading\nthreading.Thread(target=p.rename, args=('/tmp/a',)).start()`],
    ['a dictionary of callables', `${LOST}ops = {'mv': p.replace}\nops['mv']('/tmp/a')`],
  ])('flags %s', (_name, code) => {
    expect(flag(code)?.reason).toMatch(/pathlib\.Path\.(rename|replace)/);
  });

  it("allows a string's method as a value", () => {
    expect(flag("print(list(map(str.upper, ['a'])))")).toBeUndefined();
  });
});

describe("a folder's renamer by its shape (round 18)", () => {
  it.each([
    ['a QDir from a dictionary', "import qt\nh = {'d': qt.QDir('/home/u')}\nh.get('d').rename('a.txt', 'b.txt')", /qt\.QDir\.rename/],
    ['a QDir from a property', "import qt\nclass C:\n    @property\n    def d(self): return qt.QDir('/home/u')\nC().d.rename('a', 'b')", /qt\.QDir\.rename/],
    ['a QDir from an earlier call', "d.rename('/home/u/a', '/tmp/a')", /qt\.QDir\.rename/],
    ['a vtkDirectory from a dictionary', "import vtk\nh = {'d': vtk.vtkDirectory()}\nh.get('d').Rename('/home/u/a', '/tmp/a')", /vtk\.vtkDirectory\.Rename/],
    ['unpacked arguments (the path rule takes them first)', "d.rename(*('a', 'b'))", /(qt\.QDir|pathlib\.Path)\.rename/],
  ])('flags %s', (_name, code, reason) => {
    expect(flag(code)?.reason).toMatch(reason);
  });

  it.each([
    ['a rename with a keyword', "class T:\n    def rename(self, a, b=None): return a\nprint(T().rename('x', b='y'))"],
    ['a string method of two arguments', "print('a_b'.replace('_', ' '))"],
  ])('allows %s', (_name, code) => {
    expect(flag(code)).toBeUndefined();
  });
});
