/**
 * The proxy's promise, fuzzed across readers: hostile client byte streams (fuzz/grammar.ts) go
 * through the proxy to every stdio reader in use (the TypeScript SDK, the Python SDK's loop in both
 * its strict and errors="replace" forms, a readLine reader, a Go Scanner reader); each reader logs
 * what it executes, and fuzz/harness.ts checks that everything executed was allowed and audited,
 * that no limit was exceeded and that no hidden tool was listed. `npm run fuzz` runs the same
 * property for minutes. Every counterexample found is kept in fuzz/regressions.ts.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fuzzCase } from './fuzz/grammar.js';
import { runCase, violations } from './fuzz/harness.js';
import { useReaderPool } from './fuzz/use-reader-pool.js';
import { REGRESSIONS } from './fuzz/regressions.js';

const { dir, pool } = useReaderPool('policylayer-reader-fuzz-');


describe('every reader executes only what the proxy allowed and audited', () => {
  it('holds for hostile byte streams cut into chunks anywhere', async () => {
    await fc.assert(
      fc.asyncProperty(fuzzCase, async (fuzz) => {
        const problems = (await runCase(pool(), dir, fuzz)).flatMap((run) => violations(run));
        expect(problems).toEqual([]);
      }),
      { numRuns: Number(process.env.POLICYLAYER_FUZZ_RUNS ?? 150), interruptAfterTimeLimit: 90_000 },
    );
  }, 120_000);

  for (const [name, bytes] of Object.entries(REGRESSIONS)) {
    it(`holds for a kept counterexample: ${name}`, async () => {
      const problems = (await runCase(pool(), dir, { bytes: Buffer.from(bytes, 'latin1'), cuts: [] })).flatMap((run) => violations(run));
      expect(problems).toEqual([]);
    });
  }
});
