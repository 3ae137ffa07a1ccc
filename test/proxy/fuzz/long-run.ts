/**
 * `npm run fuzz`: the reader fuzzer of test/proxy/reader-fuzz.test.ts for minutes, not seconds.
 * Prints cases per second as it goes and, on a failure, the shrunk counterexample to keep in
 * regressions.ts. Options: --minutes N (default 3), --seed N.
 */
import fc from 'fast-check';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fuzzCase } from './grammar.js';
import { runCase, violations } from './harness.js';
import { ReaderPool } from './readers.js';

const arg = (name: string): string | undefined => {
  const at = process.argv.indexOf(`--${name}`);
  return at >= 0 ? process.argv[at + 1] : undefined;
};
const minutes = Number(arg('minutes') ?? 3);
const seed = arg('seed') === undefined ? Date.now() : Number(arg('seed'));

const dir = mkdtempSync(join(tmpdir(), 'policylayer-fuzz-'));
const pool = await ReaderPool.start(dir);
const started = performance.now();
let cases = 0;
const progress = setInterval(() => {
  const seconds = (performance.now() - started) / 1000;
  process.stderr.write(`fuzz: ${cases} cases in ${seconds.toFixed(0)} s (${(cases / seconds).toFixed(1)} cases/s, ${pool.names.length} readers each)\n`);
}, 15_000);

const result = await fc.check(
  fc.asyncProperty(fuzzCase, async (fuzz) => {
    cases++;
    return (await runCase(pool, dir, fuzz)).every((run) => violations(run).length === 0);
  }),
  { numRuns: Number.MAX_SAFE_INTEGER, interruptAfterTimeLimit: minutes * 60_000, seed, endOnFailure: true },
);
clearInterval(progress);
// What the shrunk counterexample breaks, for the report.
const failure = result.failed && result.counterexample ? (await runCase(pool, dir, result.counterexample[0])).flatMap((run) => violations(run)) : [];
pool.stop();
rmSync(dir, { recursive: true, force: true });
const seconds = (performance.now() - started) / 1000;
process.stdout.write(`fuzz: ${cases} cases in ${seconds.toFixed(0)} s: ${(cases / seconds).toFixed(1)} cases/s across ${pool.names.length} readers (seed ${seed})\n`);
if (result.failed) {
  process.stdout.write(`fuzz: FAILED\n${fc.defaultReportMessage(result)}\n${failure.join('\n')}\n`);
  process.exit(1);
}
process.stdout.write('fuzz: no counterexample\n');
