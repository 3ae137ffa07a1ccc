/** Lax reading's properties (test/engine/lax-property.ts) on the real engine. */
import { describe, expect, it } from 'vitest';
import { requireFor } from '../helpers/requirements.js';
import { monotonicCounterexample, pydantic, soundnessFailures, unchangedCounterexample } from './lax-property.js';

describe('lax reading', () => {
  it('never makes a deny_if condition fire less or a require condition pass more', () => {
    expect(monotonicCounterexample(1500)).toBeUndefined();
  });

  it('changes nothing for values no Python validator reads otherwise', () => {
    expect(unchangedCounterexample(1000)).toBeUndefined();
  });

  it.runIf(pydantic.ok)('sees every value pydantic hands the tool (deny_if) and binds require for it', () => {
    expect(soundnessFailures(800)).toEqual([]);
  });
});

requireFor('python3 with pydantic 2', pydantic);
