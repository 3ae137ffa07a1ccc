/**
 * The reader fuzzer must catch a proxy that lacks one of its defences. Each case here breaks one,
 * in this file only (vi.mock), and expects the property of reader-fuzz.test.ts to fail.
 */
import fc from 'fast-check';
import { describe, expect, it, vi } from 'vitest';
import { fuzzCase } from './fuzz/grammar.js';
import { runCase, violations } from './fuzz/harness.js';
import { useReaderPool } from './fuzz/use-reader-pool.js';

const broken = vi.hoisted(() => ({ framing: false, ids: false }));

// Broken variant 1: the framing rule lets every CR through.
vi.mock('../../src/proxy/wire/framing.js', async (original) => {
  const real = await original<typeof import('../../src/proxy/wire/framing.js')>();
  return {
    ...real,
    strayLineBreak: (line: Buffer) => (broken.framing ? -1 : real.strayLineBreak(line)),
    strayLineBreakInParts: (parts: readonly Buffer[], length: number) => (broken.framing ? -1 : real.strayLineBreakInParts(parts, length)),
    chunkHasStrayLineBreak: (chunk: Buffer) => (broken.framing ? false : real.chunkHasStrayLineBreak(chunk)),
  };
});

// Broken variant 2: a request whose id is in flight is taken anyway.
vi.mock('../../src/proxy/in-flight/requests-in-flight.js', async (original) => {
  const real = await original<typeof import('../../src/proxy/in-flight/requests-in-flight.js')>();
  class LaxIds extends real.RequestsInFlight {
    override refusal(key: string | number) {
      return broken.ids ? undefined : super.refusal(key);
    }
  }
  return { ...real, RequestsInFlight: LaxIds };
});

const { dir, pool } = useReaderPool('policylayer-reader-fuzz-broken-');


async function findsAFailure(): Promise<boolean> {
  const result = await fc.check(
    fc.asyncProperty(fuzzCase, async (fuzz) => (await runCase(pool(), dir, fuzz)).every((run) => violations(run).length === 0)),
    { numRuns: 400, endOnFailure: true, interruptAfterTimeLimit: 100_000 },
  );
  return result.failed;
}

describe('the reader fuzzer catches a proxy without one of its defences', () => {
  it('without the framing rule (bare CR)', async () => {
    broken.framing = true;
    try {
      expect(await findsAFailure()).toBe(true);
    } finally {
      broken.framing = false;
    }
  }, 120_000);

  it('without one request per id in flight', async () => {
    broken.ids = true;
    try {
      expect(await findsAFailure()).toBe(true);
    } finally {
      broken.ids = false;
    }
  }, 120_000);
});
