/**
 * The soundness property of lax-properties.test.ts must catch a conversion dropped from
 * src/engine/lax-reading.ts: here 0/1 no longer read as booleans and whitespace around numbers is
 * no longer trimmed, as a careless edit could do.
 */
import { describe, expect, it, vi } from 'vitest';
import { requireFor } from '../helpers/requirements.js';
import { pydantic, soundnessFailures } from './lax-property.js';

vi.mock('../../src/engine/lax-reading.js', async (importOriginal) => {
  const real = await importOriginal<typeof import('../../src/engine/lax-reading.js')>();
  return {
    ...real,
    laxBoolean: (value: unknown) => (typeof value === 'number' ? undefined : real.laxBoolean(value)),
    laxNumber: (value: unknown) => (typeof value === 'string' && value.trim() !== value ? undefined : real.laxNumber(value)),
  };
});

describe.runIf(pydantic.ok)('a lax reading with a conversion dropped', () => {
  it('fails the soundness property, naming both holes', () => {
    const failures = soundnessFailures(800);
    expect(failures.some((f) => /(receives \((true|false)\) but not for (0|1)$)|(passes for (0|1) but fails for what the server receives \((true|false)\))/.test(f))).toBe(true);
    expect(failures.some((f) => /^deny_if .* receives \(-?[\d.e+-]+\) but not for " /.test(f))).toBe(true);
  });
});

requireFor('python3 with pydantic 2', pydantic);
