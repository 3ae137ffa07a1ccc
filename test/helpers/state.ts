/** Shared pieces of the counter-store tests: policies, windows, and worker processes. */
import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import fc from 'fast-check';
import { expect } from 'vitest';
import { counterKey } from '../../src/engine/keys.js';
import { MemoryCounterStore } from '../../src/engine/memory-store.js';
import type { CounterStore } from '../../src/engine/store.js';
import type { Reservation } from '../../src/engine/types.js';
import { windowEnd, windowStart } from '../../src/engine/windows.js';
import type { PolicyDocument } from '../../src/policy/schema.js';
import type { Config } from '../state/fixtures/decide-worker.js';
import { ROOT } from './cli.js';

export const WORKER = resolve(ROOT, 'test/state/fixtures/decide-worker.ts');

/** `max` calls of tool `t` per hour for everybody: an hour window keeps multi-second tests inside one window. */
export function globalLimitPolicy(max: number): PolicyDocument {
  return { version: '1', default: 'deny', tools: { t: { limits: [{ counter: 'c', window: 'hour', max, scope: 'global' }] } } };
}

/** Waits out the last `marginMs` of the current hour, so a test that must stay inside one hour window does. */
export async function awayFromHourBoundary(marginMs = 15_000, clock: () => number = Date.now): Promise<void> {
  const hour = 3_600_000;
  const left = hour - (clock() % hour);
  if (left < marginMs) await new Promise((r) => setTimeout(r, left + 100));
}

export interface WorkerResult {
  allowed: number;
  denied: number;
  unavailable: number;
  windows: Record<string, number>;
  /** How long the worker waited for the common start (negative: it was late, so overlapped less). */
  slackMs: number;
  busyMs: number;
}

export type WorkerConfig = Config;

/** Runs one decide-worker process; resolves with its JSON line (and, with `hang`, a kill function). */
export function runWorker(config: WorkerConfig, timeoutMs = 25_000): Promise<WorkerResult & { kill: () => void }> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', WORKER, JSON.stringify(config)], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    const kill = (): void => {
      child.kill('SIGKILL');
    };
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      if (config.hang && out.includes('\n')) {
        clearTimeout(timer);
        resolvePromise({ ...(JSON.parse(out) as WorkerResult), kill });
      }
    });
    child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      if (config.hang) return;
      if (code !== 0) reject(new Error(`worker exited with ${code ?? signal}: ${err.trim()}`));
      else resolvePromise({ ...(JSON.parse(out) as WorkerResult), kill });
    });
  });
}

export function sum(results: WorkerResult[], field: 'allowed' | 'denied' | 'unavailable'): number {
  return results.reduce((total, result) => total + result[field], 0);
}


/** A reservation of a global counter in the current `window` at `now`, as decide() would make it. */
export function globalReservation(counter: string, amount: number, max: number, now: number, window: 'minute' | 'hour' = 'hour'): Reservation {
  const start = windowStart(window, now);
  return {
    key: counterKey(counter, window, start, 'global', ''),
    amount,
    max,
    rule: '/tools/t/limits/0',
    counter,
    window,
    scope: 'global',
    scopeId: '',
    windowStartMs: start,
    windowEndMs: windowEnd(window, now),
  };
}

/** Every store: a call's counters are added all together or not at all; rollback never goes below zero. */
export async function checkAllOrNone(store: CounterStore, now: number): Promise<void> {
  const a = globalReservation('a', 2, 3, now);
  const b = globalReservation('b', 1, 1, now);
  expect(await store.reserve([a, b], now)).toEqual({ ok: true, values: [0, 0] });
  // b is full: a must not move either. The values are the counters as the store found them.
  expect(await store.reserve([a, b], now)).toEqual({ ok: false, failed: 0, values: [2, 1] });
  expect(await store.reserve([globalReservation('a', 1, 3, now), b], now)).toEqual({ ok: false, failed: 1, values: [2, 1] });
  expect(await store.read([a.key, b.key], now)).toEqual([2, 1]);
  await store.rollback([a, a, b]);
  expect(await store.read([a.key, b.key], now)).toEqual([0, 0]);
}

type Op = { kind: 'reserve'; picks: Array<{ key: number; amount: number; max: number }> } | { kind: 'rollback'; which: number } | { kind: 'read' };

const opArbitrary: fc.Arbitrary<Op> = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.record({
      kind: fc.constant('reserve' as const),
      picks: fc.array(fc.record({ key: fc.integer({ min: 0, max: 2 }), amount: fc.constantFrom(0.5, 1, 2, 3), max: fc.integer({ min: 0, max: 6 }) }), { minLength: 1, maxLength: 3 }),
    }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('rollback' as const), which: fc.nat() }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('read' as const) }) },
);

/**
 * Model-based check: any sequence of reserve / rollback / read gives the same answers and values
 * on `store` as on MemoryCounterStore, the reference. Keys are unique per run, in the current hour.
 */
export async function checkAgainstMemoryModel(store: CounterStore, runs = 40): Promise<void> {
  let run = 0;
  await fc.assert(
    fc.asyncProperty(fc.array(opArbitrary, { minLength: 1, maxLength: 25 }), async (ops) => {
      const model = new MemoryCounterStore();
      const now = Date.now();
      const start = windowStart('hour', now);
      const keys = [0, 1, 2].map((i) => counterKey(`c${i}`, 'hour', start, 'grant', `run${process.pid}-${run}-${now}`));
      run++;
      const reserved: Reservation[][] = [];
      for (const op of ops) {
        if (op.kind === 'reserve') {
          const reservations: Reservation[] = op.picks.map((p) => ({
            key: keys[p.key]!,
            amount: p.amount,
            max: p.max,
            rule: '/tools/t/limits/0',
            counter: `c${p.key}`,
            window: 'hour',
            scope: 'grant',
            scopeId: 'x',
            windowStartMs: start,
            windowEndMs: windowEnd('hour', now),
          }));
          const expected = await model.reserve(reservations, now);
          expect(await store.reserve(reservations, now)).toEqual(expected);
          if (expected.ok) reserved.push(reservations);
        } else if (op.kind === 'rollback') {
          if (reserved.length === 0) continue;
          const [reservations] = reserved.splice(op.which % reserved.length, 1);
          await model.rollback(reservations!);
          await store.rollback(reservations!);
        } else {
          expect(await store.read(keys, now)).toEqual(await model.read(keys, now));
        }
      }
      expect(await store.read(keys, now)).toEqual(await model.read(keys, now));
    }),
    { numRuns: runs },
  );
}
