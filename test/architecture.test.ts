/**
 * The layers of src/ (README, Development): imports run one way, from the commands down to util.
 * Every relative import in src/ is read and checked against this map; a new folder must be placed
 * in it. A test that lets an upward import through would let the layers rot unnoticed.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, normalize, relative, sep } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from './helpers/cli.js';

/** What each folder of src/ may import besides itself (errors.ts and version.ts count as util). */
const ALLOWED: Record<string, readonly string[]> = {
  util: [],
  policy: ['util'],
  python: ['util'],
  engine: ['util', 'policy', 'python'],
  output: ['util'],
  state: ['util', 'engine'],
  audit: ['util', 'engine'],
  catalog: ['util', 'policy'],
  transport: ['util'],
  wrap: ['util', 'policy', 'engine', 'catalog', 'transport', 'output'],
  doctor: ['util', 'policy', 'engine', 'lint', 'catalog', 'audit', 'wrap', 'output'],
  lint: ['util', 'policy', 'python', 'engine', 'catalog', 'output'],
  explain: ['util', 'policy', 'engine', 'output'],
  replay: ['util', 'policy', 'engine', 'audit', 'output'],
  'policy-test': ['util', 'policy', 'engine', 'output'],
  proxy: ['util', 'policy', 'engine', 'audit', 'state', 'catalog', 'transport', 'output'],
  ui: ['util', 'policy', 'python', 'engine', 'output', 'state', 'audit', 'catalog', 'transport', 'lint', 'explain', 'replay', 'policy-test', 'proxy', 'wrap', 'doctor'],
  cli: ['util', 'policy', 'python', 'engine', 'output', 'state', 'audit', 'catalog', 'transport', 'lint', 'explain', 'replay', 'policy-test', 'proxy', 'wrap', 'doctor', 'ui'],
};

const SRC = join(ROOT, 'src');

function layerOf(file: string): string {
  const parts = relative(SRC, file).split(sep);
  if (parts.length === 1) return 'util';
  return parts[0]!;
}

function sourceFiles(folder: string): string[] {
  return readdirSync(folder, { withFileTypes: true }).flatMap((entry) => {
    const path = join(folder, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return /\.(ts|tsx)$/.test(entry.name) ? [path] : [];
  });
}

/** `from '../engine/x.js'`, `import('../ui/y.js')`, `import type … from …`: every relative specifier. */
const SPECIFIER = /(?:\bfrom|\bimport)\s*\(?\s*['"](\.{1,2}\/[^'"]+)['"]/g;

function importsOf(file: string): Array<{ file: string; target: string }> {
  const text = readFileSync(file, 'utf8');
  return [...text.matchAll(SPECIFIER)].map((match) => ({ file: relative(ROOT, file), target: normalize(join(dirname(file), match[1]!)) }));
}

/** Each import that goes where its folder may not. */
function violations(imports: ReadonlyArray<{ file: string; target: string }>): string[] {
  const found: string[] = [];
  for (const { file, target } of imports) {
    if (!target.startsWith(SRC)) continue; // package.json (version.ts)
    const from = layerOf(join(ROOT, file));
    const to = layerOf(target);
    if (to !== from && !(ALLOWED[from] ?? []).includes(to)) found.push(`${file} (${from}) imports ${relative(ROOT, target)} (${to})`);
  }
  return found;
}

describe('the layers of src/', () => {
  const files = sourceFiles(SRC);

  it('has every folder placed in the map', () => {
    const layers = new Set(files.map(layerOf));
    expect([...layers].filter((layer) => !(layer in ALLOWED))).toEqual([]);
  });

  it('imports only downward: util ← policy ← engine ← state; lint, explain, replay, policy-test on engine; proxy on engine, audit, state; ui and cli on top', () => {
    expect(violations(files.flatMap(importsOf))).toEqual([]);
  });

  it('has nothing outside cli import cli', () => {
    const offenders = files.filter((file) => layerOf(file) !== 'cli').flatMap((file) => importsOf(file).filter(({ target }) => layerOf(target) === 'cli').map(({ file: shown }) => shown));
    expect(offenders).toEqual([]);
  });

  it('catches an upward import (the check itself works)', () => {
    expect(violations([{ file: 'src/engine/decide.ts', target: join(SRC, 'proxy', 'run.ts') }])).toEqual(['src/engine/decide.ts (engine) imports src/proxy/run.ts (proxy)']);
    expect(violations([{ file: 'src/replay/replay.ts', target: join(SRC, 'cli', 'io.ts') }])).toHaveLength(1);
    expect(violations([{ file: 'src/proxy/run.ts', target: join(SRC, 'engine', 'decide.ts') }])).toEqual([]);
  });
});
