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
