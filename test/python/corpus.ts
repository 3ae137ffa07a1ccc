import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { ROOT } from '../helpers/cli.js';

/** Every `code` argument of the Python guard's corpora (fixtures/tests/python-guard/*.yaml), benign and attacks. */
export function corpusCode(): string[] {
  const folder = join(ROOT, 'fixtures/tests/python-guard');
  return readdirSync(folder)
    .filter((name) => name.endsWith('.yaml'))
    .flatMap((name) => (parseYaml(readFileSync(join(folder, name), 'utf8')) as { cases: Array<{ args?: { code?: unknown } }> }).cases)
    .map((c) => c.args?.code)
    .filter((code): code is string => typeof code === 'string');
}
