/**
 * Calls that unpickle only when switched on (src/python/switched-escapes.ts): the switch by keyword,
 * by position, through a variable or **kwargs, and the safe defaults left alone.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { STRICT_PYTHON_GUARD } from '../../src/catalog/python-guard-profile.js';
import { checkPython, compileGuard, loadPythonParser } from '../../src/python/index.js';

beforeAll(async () => {
  await loadPythonParser();
});

const strict = compileGuard(STRICT_PYTHON_GUARD);
const flag = (code: string) => checkPython(strict, code);

describe('calls that unpickle when switched on', () => {
  it.each([
    ['allow_pickle=True', "import numpy as np\na = np.load('/tmp/x.npy', allow_pickle=True)"],
    ['allow_pickle as the third positional argument', "import numpy as np\na = np.load('/tmp/x.npy', None, True)"],
    ['allow_pickle from a variable', "import numpy as np\nflag = True\na = np.load('/tmp/x.npy', allow_pickle=flag)"],
    ['**kwargs that may carry it', "import numpy as np\nkw = {'allow_pickle': True}\na = np.load('/tmp/x.npy', **kw)"],
    ['*args that may carry it', "import numpy as np\nrest = [None, True]\na = np.load('/tmp/x.npy', *rest)"],
    ['load imported by name', "from numpy import load\na = load('/tmp/x.npy', allow_pickle=True)"],
    ["NumPy's read_array", "import numpy\nnumpy.lib.format.read_array(open('/tmp/x', 'rb'), allow_pickle=True)"],
    ['torch.load with weights_only=False', "import torch\nm = torch.load('/tmp/m.pt', weights_only=False)"],
  ])('flags %s', (_name, code) => {
    expect(flag(code)?.reason).toMatch(/unpickles/);
  });

  it.each([
    ['numpy.load as it comes', "import numpy as np\na = np.load('/tmp/x.npy')"],
    ['allow_pickle=False', "import numpy as np\na = np.load('/tmp/x.npy', allow_pickle=False)"],
    ['a memory-mapped load (second positional)', "import numpy as np\na = np.load('/tmp/x.npy', 'r')"],
    ['torch.load as it comes', "import torch\nm = torch.load('/tmp/m.pt', map_location='cpu')"],
    ['torch.load with weights_only=True', "import torch\nm = torch.load('/tmp/m.pt', weights_only=True)"],
    ['a load of something else', "import json\nd = json.load(open('/tmp/x.json'))"],
  ])('allows %s', (_name, code) => {
    expect(flag(code)).toBeUndefined();
  });

  it('points at the call', () => {
    expect(flag("import numpy as np\n\nx = 1; a = np.load('f', allow_pickle=True)")).toMatchObject({ kind: 'unanalysable', line: 3, column: 12 });
  });
});

describe("Slicer's DICOMCommand runs DCMTK's folder + '/' + its first argument (round 17)", () => {
  it.each([
    ['a path', "from DICOMLib import DICOMCommand\nDICOMCommand('../../../bin/sh', ['-c', 'id']).start()"],
    ['a computed program', "import DICOMLib\ncmd = '../bin/' + 'sh'\nDICOMLib.DICOMCommand(cmd, []).start()"],
    ['the program as a keyword', "from DICOMLib import DICOMCommand\nDICOMCommand(cmd='../../bin/sh', args=[]).start()"],
    ['arguments unpacked', "from DICOMLib import DICOMCommand\na = ['../../bin/sh', []]\nDICOMCommand(*a).start()"],
    ['an f-string', "from DICOMLib import DICOMCommand\nDICOMCommand(f'img2dcm', []).start()"],
    ['in parentheses', "import DICOMLib\n(DICOMLib.DICOMCommand)('../x', []).start()"],
  ])('flags %s', (_name, code) => {
    expect(flag(code)?.reason).toMatch(/DCMTK/);
  });

  it.each([
    ["Slicer's documented example", "from DICOMLib import DICOMCommand\ncommand = DICOMCommand('img2dcm', ['image.png', 'output.dcm'])\nstdout = command.start()"],
    ['a tool name as the keyword', "import DICOMLib\nDICOMLib.DICOMCommand(cmd='dcmdump', args=['/data/a.dcm']).start()"],
  ])('allows %s', (_name, code) => {
    expect(flag(code)).toBeUndefined();
  });
});

describe('switches given through functools.partial or operator.call, and the round-18 switches', () => {
  it.each([
    ['partial(np.load, allow_pickle=True)', "import functools, numpy as np\nld = functools.partial(np.load, allow_pickle=True)\nld('/tmp/a.npy')", /unpickles/],
    ['partial imported under another name', "from functools import partial as P\nimport numpy as np\nP(np.load, allow_pickle=True)('/tmp/a.npy')", /unpickles/],
    ['partial with the switch by position', "import functools, numpy as np\nfunctools.partial(np.load, '/tmp/a.npy', None, True)()", /unpickles/],
    ['operator.call', "import operator, numpy as np\noperator.call(np.load, '/tmp/a.npy', allow_pickle=True)", /unpickles/],
    ['partialmethod in a class body', "import functools, torch\nclass L:\n    load = functools.partialmethod(torch.load, weights_only=False)", /unpickles/],
    ["numpy's NpzFile made directly", "import numpy as np\nnp.lib.npyio.NpzFile(open('/tmp/a.npz', 'rb'), allow_pickle=True)", /unpickles/],
    ['NpzFile with the switch by position', "import numpy as np\nnp.lib.npyio.NpzFile(open('/tmp/a.npz', 'rb'), False, True)", /unpickles/],
    ['inspect.signature with eval_str', "import inspect\ndef f(x: 'int'): pass\ninspect.signature(f, eval_str=True)", /eval_str/],
    ['Signature.from_callable with eval_str', "from inspect import Signature\ndef f(x: 'int'): pass\nSignature.from_callable(f, eval_str=True)", /eval_str/],
    ['fileinput in place', "import fileinput\nfor line in fileinput.input('/home/u/a.txt', inplace=True):\n    pass", /inplace/],
    ['fileinput in place by position', "import fileinput\nfor line in fileinput.input(['/home/u/a'], 1):\n    pass", /inplace/],
    ['FileInput in place', "from fileinput import FileInput\nFileInput(files=['/home/u/a'], inplace=True)", /inplace/],
  ])('flags %s', (_name, code, reason) => {
    expect(flag(code)?.reason).toMatch(reason);
  });

  it.each([
    ['partial(np.load) with a memory map', "import functools, numpy as np\nprint(functools.partial(np.load, mmap_mode='r'))"],
    ['partial(np.load, allow_pickle=False)', "import functools, numpy as np\nprint(functools.partial(np.load, allow_pickle=False))"],
    ['operator.call of a builtin', "import operator\nprint(operator.call(abs, -1))"],
    ['NpzFile without pickles', "import numpy as np\nprint(np.lib.npyio.NpzFile(open('/tmp/a.npz', 'rb')).files)"],
    ['inspect.signature as it comes', "import inspect\ndef f(x: int): pass\nprint(inspect.signature(f))"],
    ['fileinput reading', "import fileinput\nfor line in fileinput.input(['/tmp/a.txt']):\n    print(line, end='')"],
    ['fileinput with inplace=False', "import fileinput\nfor line in fileinput.input('/tmp/a.txt', inplace=False):\n    print(line)"],
  ])('allows %s', (_name, code) => {
    expect(flag(code)).toBeUndefined();
  });
});
