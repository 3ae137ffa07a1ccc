import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
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

/** Every n-th .py file of the installed standard library, up to `count`, smallest first within the stride. */
export function stdlibSample(count: number, maxBytes = 200_000): string[] {
  const stdlib = execFileSync('python3', ['-c', 'import sysconfig; print(sysconfig.get_paths()["stdlib"])'], { encoding: 'utf8' }).trim();
  const files = (readdirSync(stdlib, { recursive: true }) as string[])
    .filter((name) => name.endsWith('.py') && !/(^|\/)(test|tests|lib2to3|idlelib|site-packages)\//.test(name))
    .sort();
  const stride = Math.max(1, Math.floor(files.length / count));
  return files
    .filter((_, i) => i % stride === 0)
    .slice(0, count)
    .map((name) => join(stdlib, name))
    .filter((path) => statSync(path).size < maxBytes)
    .map((path) => readFileSync(path, 'utf8'));
}
