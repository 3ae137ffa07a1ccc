// `npm run bench`: runs every bench/*.bench.mjs (or those whose names contain an argument) in order.
// Each benchmark prints its own figures; all targets are compared as ratios measured in one run,
// and every figure is a median. Benchmarks never fail the test suite: the machines are noisy.
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const filters = process.argv.slice(2);
const files = readdirSync(here)
  .filter((name) => name.endsWith('.bench.mjs'))
  .filter((name) => filters.length === 0 || filters.some((filter) => name.includes(filter)))
  .sort();
for (const file of files) {
  console.log(`\n## ${file.replace(/\.bench\.mjs$/, '')}\n`);
  const module = await import(pathToFileURL(join(here, file)).href);
  await module.run();
}
