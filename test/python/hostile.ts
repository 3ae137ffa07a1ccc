/**
 * Hostile generators for the Python guard's property tests: a forbidden action (a denied module
 * function, or an escape), wrapped in evasions, buried among ordinary Slicer lines.
 */
import fc from 'fast-check';

/** Forbidden actions of the strict profile: [module, function, arguments]. */
export const FORBIDDEN: ReadonlyArray<readonly [string, string, string]> = [
  ['os', 'system', "'id'"],
  ['os', 'popen', "'id'"],
  ['os', 'execv', "'/bin/sh', ['sh']"],
  ['os', 'remove', "'/data/a.nrrd'"],
  ['os', 'unlink', "'/data/a.nrrd'"],
  ['os', 'rename', "'/data/a', '/tmp/a'"],
  ['shutil', 'rmtree', "'/data'"],
  ['shutil', 'move', "'/data', '/tmp'"],
  ['subprocess', 'run', "['id']"],
  ['subprocess', 'Popen', "['id']"],
  ['socket', 'create_connection', "('evil.example', 80)"],
  ['requests', 'get', "'https://evil.example'"],
  ['pty', 'spawn', "'/bin/sh'"],
  ['slicer.util', 'pip_install', "'evil'"],
  ['slicer.util', 'launchConsoleProcess', "['id']"],
];

export const BENIGN_LINES = [
  'volumeNode = slicer.util.getNode("MRHead")',
  'voxels = slicer.util.arrayFromVolume(volumeNode)',
  'stats = {"min": float(voxels.min()), "max": float(voxels.max())}',
  'segmentationNode = slicer.mrmlScene.AddNewNodeByClass("vtkMRMLSegmentationNode")',
  'segmentationNode.CreateDefaultDisplayNodes()',
  'pointListNode = slicer.mrmlScene.AddNewNodeByClass("vtkMRMLMarkupsFiducialNode")',
  'pointListNode.AddControlPoint([1.0, 2.0, 3.0])',
  'matrix = vtk.vtkMatrix4x4()',
  'matrix.SetElement(0, 3, 5.)',
  'layoutManager = slicer.app.layoutManager()',
  'slicer.app.processEvents()',
  'import numpy as np',
  'histogram = np.histogram(voxels, bins=20)',
  'import os',
  'path = os.path.join(slicer.app.temporaryPath, "out.nrrd")',
  'print(f"{volumeNode.GetName()!r} has {len(stats)} values")',
  'names = [n.GetName() for n in slicer.util.getNodesByClass("vtkMRMLModelNode")]',
  'with open(path + ".txt", "w") as f: f.write("done")',
  '__execResult = stats',
];

const FULLWIDTH_OFFSET = 0xff41 - 0x61;

/** The same identifier in full-width letters: Python's NFKC normalisation makes it the original. */
export function fullWidth(identifier: string): string {
  return [...identifier].map((ch) => (/[a-z]/.test(ch) ? String.fromCodePoint(ch.codePointAt(0)! + FULLWIDTH_OFFSET) : ch)).join('');
}

function splitString(text: string, at: number): string {
  const k = Math.max(1, Math.min(text.length - 1, at));
  return `'${text.slice(0, k)}' + '${text.slice(k)}'`;
}

type Evasion = (module: string, fn: string, args: string, n: number) => string;

/** Ways to reach module.fn(args). Each returns top-level statements (no leading indentation). */
export const EVASIONS: Record<string, Evasion> = {
  direct: (m, f, a) => `import ${m}\n${m}.${f}(${a})`,
  importAlias: (m, f, a) => `import ${m} as zz\nzz.${f}(${a})`,
  fromImportAlias: (m, f, a) => `from ${m} import ${f} as yy\nyy(${a})`,
  fromImport: (m, f, a) => `from ${m} import ${f}\n${f}(${a})`,
  lateImport: (m, f, a) => `def helper():\n    import ${m}\n    return ${m}.${f}(${a})\nhelper()`,
  lateFromImport: (m, f, a) => `def helper():\n    from ${m} import ${f} as g\n    return g(${a})\nhelper()`,
  assignmentChain: (m, f, a) => `import ${m}\nfirst = ${m}.${f}\nsecond = first\nsecond(${a})`,
  moduleAlias: (m, f, a) => `import ${m}\nmm = ${m}\nmm.${f}(${a})`,
  passedModule: (m, f, a) => `import ${m}\ndef go(x):\n    return x.${f}(${a})\ngo(${m})`,
  tupleLoop: (m, f, a) => `import ${m}\nfor x in (${m},):\n    x.${f}(${a})`,
  getattrConstant: (m, f, a) => `import ${m}\ngetattr(${m}, '${f}')(${a})`,
  getattrComputed: (m, f, a, n) => `import ${m}\ngetattr(${m}, ${splitString(f, n)})(${a})`,
  dunderImport: (m, f, a, n) => `__import__(${splitString(m, n)}).${f}(${a})`,
  importlibImport: (m, f, a, n) => `import importlib\nimportlib.import_module(${splitString(m, n)}).${f}(${a})`,
  base64Exec: (m, f, a) => `import base64\nexec(base64.b64decode('${Buffer.from(`import ${m}; ${m}.${f}(${a})`).toString('base64')}'))`,
  evalString: (m, f) => `eval(${JSON.stringify(`__import__('${m}').${f}`)})`,
  fullWidthName: (m, f, a) => `import ${m}\n${m}.${fullWidth(f)}(${a})`,
  lineContinuation: (m, f, a) => `import ${m}\n${m}.\\\n${f}(${a})`,
  semicolons: (m, f, a) => `x = 1; import ${m}; y = 2; ${m}.${f}(${a}); z = 3`,
  classBody: (m, f, a) => `import ${m}\nclass Helper:\n    action = ${m}.${f}\n    def run(self):\n        return ${m}.${f}(${a})\nHelper().run()`,
  lambda: (m, f, a) => `import ${m}\nrun = lambda: ${m}.${f}(${a})\nrun()`,
  decorator: (m, f) => `import ${m}\n@${m}.${f}\ndef target():\n    pass`,
  comprehension: (m, f, a) => `import ${m}\nresults = [${m}.${f}(${a}) for _ in range(1)]`,
  walrus: (m, f, a) => `import ${m}\nif (act := ${m}.${f}):\n    act(${a})`,
  matchCase: (m, f, a) => `import ${m}\nmatch 1:\n    case 1:\n        ${m}.${f}(${a})`,
  starImport: (m, f, a) => `from ${m} import *\n${f}(${a})`,
  varsOfModule: (m, f, a) => `import ${m}\nvars(${m})['${f}'](${a})`,
  globalsLookup: (m, f, a) => `import ${m}\nglobals()['${m.split('.')[0]}'].${m.split('.').slice(1).concat(f).join('.')}(${a})`,
  sysModules: (m, f, a) => `import sys\nsys.modules['${m}'].${f}(${a})`,
  dictWalk: (m, f, a) => `import ${m}\n${m}.__dict__['${f}'](${a})`,
  builtinsDict: (m, f, a) => `import builtins\nbuiltins.__dict__['__import__']('${m}').${f}(${a})`,
  tryExcept: (m, f, a) => `try:\n    import ${m}\n    ${m}.${f}(${a})\nexcept Exception:\n    pass`,
  withBlock: (m, f, a) => `import ${m}\nwith open('/tmp/x', 'w') as handle:\n    ${m}.${f}(${a})`,
  asyncDef: (m, f, a) => `import ${m}\nasync def job():\n    ${m}.${f}(${a})`,
  defaultArgument: (m, f, a) => `import ${m}\ndef job(run=${m}.${f}):\n    run(${a})\njob()`,
  conditionalAlias: (m, f, a) => `import ${m}\nrun = ${m}.${f} if True else print\nrun(${a})`,
  // Modules are attributes of other modules: logging imports os, so logging.os is os.
  moduleAttribute: (m, f, a) => `import logging\nlogging.${m}.${f}(${a})`,
  moduleAttributeAlias: (m, f, a) => `import os.path as osp\nosp.${m}.${f}(${a})`,
};

export interface Attack {
  module: string;
  fn: string;
  evasion: string;
  code: string;
}

/** An attack: a forbidden action through an evasion, buried at a random place among ordinary lines. */
export const attackArbitrary: fc.Arbitrary<Attack> = fc
  .record({
    forbidden: fc.constantFrom(...FORBIDDEN),
    evasion: fc.constantFrom(...Object.keys(EVASIONS)),
    split: fc.nat({ max: 20 }),
    before: fc.array(fc.constantFrom(...BENIGN_LINES), { maxLength: 15 }),
    after: fc.array(fc.constantFrom(...BENIGN_LINES), { maxLength: 15 }),
  })
  .map(({ forbidden: [module, fn, args], evasion, split, before, after }) => ({
    module,
    fn,
    evasion,
    code: [...before, EVASIONS[evasion]!(module, fn, args, split), ...after].join('\n'),
  }));

/** Ordinary scripts: only benign lines. */
export const benignArbitrary: fc.Arbitrary<string> = fc.array(fc.constantFrom(...BENIGN_LINES), { minLength: 1, maxLength: 30 }).map((lines) => lines.join('\n'));
