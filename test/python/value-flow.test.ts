/**
 * Values the alias table alone did not follow (src/python/value-flow.ts, found probing the strict
 * profile in round 15): a pathlib path handed through builtins (`next`, `sorted`, `max`, `enumerate`),
 * subscripts, containers, function parameters, returns, `map`, tuple unpacking — and then renamed or
 * replaced. CPython is the oracle: generated programs run there with `Path.rename`/`Path.replace`
 * recorded (no file is touched), and whenever CPython renames a path, the guard must flag the code.
 * The other way, a path's string members (`p.name.replace('_', ' ')`) are str.replace and must pass.
 * A deliberately broken analyser, one that lets no builtin hand its argument through, must be caught.
 */
import { spawnSync } from 'node:child_process';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { STRICT_PYTHON_GUARD } from '../../src/catalog/python-guard-profile.js';
import { analyse, Analyser } from '../../src/python/analyse.js';
import { compileGuard, evaluateGuard } from '../../src/python/guard.js';
import { loadPythonParser, parsePython } from '../../src/python/parser.js';

const guard = compileGuard(STRICT_PYTHON_GUARD);
const hasPython = spawnSync('python3', ['-c', 'import pathlib'], { encoding: 'utf8' }).status === 0;

function verdict(code: string, variant?: typeof Analyser) {
  return evaluateGuard(guard, analyse(parsePython(code), code, variant));
}

/**
 * Value flow alone: without the rule that reads a one-argument rename/replace on an unnamed object as a
 * path's (round 17, call-shapes.ts), which would flag every program below whatever the flow found.
 */
class FlowOnly extends Analyser {
  protected override shapeUses(): void {}
  protected override moverValueUses(): void {}
}

/** The broken variant: no builtin hands its argument through (next(it) is just "something next returned"). */
class NoPassThrough extends FlowOnly {
  protected override passesThrough(): boolean {
    return false;
  }
}

beforeAll(async () => {
  await loadPythonParser();
});

/** One step of flow: wraps an expression, maybe with statements before it. `n` keeps names apart. */
type Step = (expr: string, n: number) => { prelude: string[]; expr: string };

const STEPS: Record<string, Step> = {
  next: (e) => ({ prelude: [], expr: `next(iter([${e}]))` }),
  sorted: (e) => ({ prelude: [], expr: `sorted([${e}])[0]` }),
  max: (e) => ({ prelude: [], expr: `max([${e}], key=str)` }),
  listIndex: (e) => ({ prelude: [], expr: `list((${e},))[0]` }),
  dictItem: (e) => ({ prelude: [], expr: `{'k': ${e}}['k']` }),
  dictValues: (e) => ({ prelude: [], expr: `list({'k': ${e}}.values())[0]` }),
  conditional: (e) => ({ prelude: [], expr: `(${e} if True else None)` }),
  comprehension: (e) => ({ prelude: [], expr: `[w for w in [${e}]][0]` }),
  variable: (e, n) => ({ prelude: [`t${n} = ${e}`], expr: `t${n}` }),
  walrus: (e, n) => ({ prelude: [`(t${n} := ${e})`], expr: `t${n}` }),
  forLoop: (e, n) => ({ prelude: [`for t${n} in [${e}]:`, '    pass'], expr: `t${n}` }),
  enumerate: (e, n) => ({ prelude: [`for _i${n}, t${n} in enumerate([${e}]):`, '    pass'], expr: `t${n}` }),
  zip: (e, n) => ({ prelude: [`for t${n}, _z${n} in zip([${e}], [0]):`, '    pass'], expr: `t${n}` }),
  unpackCall: (e, n) => ({ prelude: [`def pair${n}():`, `    return ${e}, 0`, `t${n}, _u${n} = pair${n}()`], expr: `t${n}` }),
  helper: (e, n) => ({ prelude: [`def h${n}(v):`, '    return v'], expr: `h${n}(${e})` }),
  keywordHelper: (e, n) => ({ prelude: [`def h${n}(*, v):`, '    return v'], expr: `h${n}(v=${e})` }),
  method: (e, n) => ({ prelude: [`class C${n}:`, '    def get(self, v):', '        return v'], expr: `C${n}().get(${e})` }),
  generator: (e, n) => ({ prelude: [`def g${n}():`, `    yield ${e}`], expr: `next(g${n}())` }),
  mapLambda: (e) => ({ prelude: [], expr: `list(map(lambda w: w, [${e}]))[0]` }),
  mapHelper: (e, n) => ({ prelude: [`def h${n}(v):`, '    return v'], expr: `list(map(h${n}, [${e}]))[0]` }),
  namedLambda: (e, n) => ({ prelude: [`f${n} = lambda v: v`], expr: `f${n}(${e})` }),
  field: (e, n) => ({ prelude: [`class Box${n}:`, '    pass', `b${n} = Box${n}()`, `b${n}.v${n} = ${e}`], expr: `b${n}.v${n}` }),
  selfField: (e, n) => ({ prelude: [`class K${n}:`, '    def __init__(self, v):', `        self.k${n} = v`], expr: `K${n}(${e}).k${n}` }),
};

/** Where the path comes from. */
const SOURCES = ["Path('/data/study/ct.nrrd')", "pathlib.Path('/data/study') / 'ct.nrrd'", "Path.home() / 'ct.nrrd'", "next(Path('/data').glob('*.nrrd'))"];

interface Program {
  code: string;
  /** What the last line does with the path: rename or replace it, or call str.replace on its name. */
  ending: 'rename' | 'replace' | 'nameReplace';
}

const programArbitrary: fc.Arbitrary<Program> = fc
  .record({
    source: fc.constantFrom(...SOURCES),
    steps: fc.array(fc.constantFrom(...Object.keys(STEPS)), { minLength: 1, maxLength: 4 }),
    ending: fc.constantFrom('rename' as const, 'replace' as const, 'nameReplace' as const),
  })
  .map(({ source, steps, ending }) => {
    const lines = ['import pathlib', 'from pathlib import Path'];
    let expr = source;
    steps.forEach((name, n) => {
      const step = STEPS[name]!(expr, n);
      lines.push(...step.prelude);
      expr = step.expr;
    });
    lines.push(ending === 'nameReplace' ? `print(${expr}.name.replace('_', ' '))` : `${expr}.${ending}('/tmp/moved')`);
    return { code: lines.join('\n'), ending };
  });

/** CPython's verdict on each program: did it call Path.rename or Path.replace? (Both recorded, nothing moved.) */
function cpythonMoves(programs: Program[]): boolean[] {
  const runner = [
    'import json, sys, pathlib',
    'programs = json.load(sys.stdin)',
    'out = []',
    'for code in programs:',
    '    moved = []',
    '    pathlib.Path.rename = lambda self, target: moved.append(("rename", str(self)))',
    '    pathlib.Path.replace = lambda self, target: moved.append(("replace", str(self)))',
    '    pathlib.Path.glob = lambda self, pattern: iter([self / "a.nrrd"])',
    '    try:',
    '        exec(compile(code, "<probe>", "exec"), {"__name__": "probe", "print": lambda *a: None})',
    '    except Exception as e:',
    '        moved.append(("error", repr(e)))',
    '    out.append(moved)',
    'print(json.dumps(out))',
  ].join('\n');
  const result = spawnSync('python3', ['-c', runner], { input: JSON.stringify(programs.map((p) => p.code)), encoding: 'utf8', maxBuffer: 1 << 26 });
  if (result.status !== 0) throw new Error(result.stderr);
  const runs = JSON.parse(result.stdout) as Array<Array<[string, string]>>;
  return runs.map((run, i) => {
    const errors = run.filter(([kind]) => kind === 'error');
    if (errors.length > 0) throw new Error(`CPython could not run a generated program:\n${programs[i]!.code}\n${errors[0]![1]}`);
    return run.some(([kind]) => kind === 'rename' || kind === 'replace');
  });
}

describe.skipIf(!hasPython)('value flow, against CPython (python3 on this machine)', () => {
  const programs = fc.sample(programArbitrary, { numRuns: 400, seed: 1515 });
  const moves = cpythonMoves(programs);

  it('CPython agrees with how the programs are built (the oracle is not vacuous)', () => {
    programs.forEach((p, i) => expect(moves[i], p.code).toBe(p.ending !== 'nameReplace'));
  });

  it('whenever CPython renames or replaces a path, the guard flags the code', () => {
    programs.forEach((p, i) => {
      if (moves[i]) expect(verdict(p.code), p.code).toBeDefined();
    });
  });

  it('…and value flow alone finds every such path too', () => {
    programs.forEach((p, i) => {
      if (moves[i]) expect(verdict(p.code, FlowOnly), p.code).toBeDefined();
    });
  });

  it("a path's name given to str.replace passes, however the path got there", () => {
    programs.forEach((p, i) => {
      if (!moves[i]) expect(verdict(p.code), p.code).toBeUndefined();
    });
  });

  it('catches the deliberately broken analyser (no builtin hands its argument through)', () => {
    const missed = programs.filter((p, i) => moves[i] && verdict(p.code, NoPassThrough) === undefined);
    expect(missed.length).toBeGreaterThan(0);
    // Every program it misses goes through a builtin that hands its argument on.
    for (const p of missed) expect(p.code, p.code).toMatch(/\b(next|sorted|max|list|enumerate|zip)\(/);
  });
});

describe('value flow, the cases found probing (round 15)', () => {
  const denied = [
    "from pathlib import Path\nnext(Path.home().iterdir()).replace('/tmp/stolen')",
    "from pathlib import Path\ndef archive(p, dest):\n    p.rename(dest)\narchive(Path('/data/study1'), '/tmp/study1')",
    "from pathlib import Path\nfiles = sorted(Path('/data').glob('*.dcm'))\nfiles[0].rename('/tmp/a.dcm')",
    "from pathlib import Path\nmv = lambda p, q: p.rename(q)\nmv(Path('/data/ct.nrrd'), '/tmp/ct.nrrd')",
    "from pathlib import Path\nd = {'ct': Path('/data/ct.nrrd')}\nd['ct'].rename('/tmp/ct.nrrd')",
    "from pathlib import Path\nfor i, p in enumerate(Path('/data').glob('*.dcm')):\n    p.rename(f'/tmp/{i}.dcm')",
    "from pathlib import Path\ndef two():\n    return Path('/data/a'), Path('/data/b')\na, b = two()\na.rename('/tmp/a')",
    "from pathlib import Path\np = Path('/data/ct.nrrd')\ntype(p).rename(p, '/tmp/ct.nrrd')",
    "import pathlib\nlist(map(lambda p: p.replace('/tmp/' + p.name), pathlib.Path('/data').iterdir()))",
    "from pathlib import Path\nclass Job:\n    def __init__(self, p):\n        self.p = p\n    def run(self):\n        self.p.rename('/tmp/moved')\nJob(Path('/data/study')).run()",
    "from pathlib import Path\nclass Mover:\n    def move(self, p, q):\n        p.replace(q)\nMover().move(Path('/data/a.nrrd'), '/tmp/a.nrrd')",
  ];
  it.each(denied)('denies %s', (code) => {
    expect(verdict(code)?.reason).toMatch(/rename|replace/);
  });
  const allowed = [
    "from pathlib import Path\nfor f in Path('/data').glob('*.nrrd'):\n    print(f.stem.replace('_', ' '))",
    "from pathlib import Path\nprint(Path('/data/ct_scan.nrrd').name.replace('_', '-'))",
    "from pathlib import Path\nprint(max(Path('/data').glob('*.json'), key=lambda p: p.stat().st_mtime).read_text().replace('\\n', ' '))",
    "import os\nbase, ext = os.path.splitext('/data/ct.nii.gz')\nprint(base.replace('/data', ''), ext)",
  ];
  it.each(allowed)('allows %s', (code) => {
    expect(verdict(code)).toBeUndefined();
  });
});
