import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { classifyTool } from '../../src/catalog/classify.js';
import { CATEGORIES } from '../../src/catalog/types.js';
import { loadLabelledTools } from '../../fixtures/catalog/labelled.js';

interface Baseline {
  correct: number;
  total: number;
  accuracy: number;
  knownMisses: string[];
}

const baseline = JSON.parse(readFileSync(resolve(import.meta.dirname, '../../fixtures/catalog/accuracy-baseline.json'), 'utf8')) as Baseline;
const set = loadLabelledTools();
const results = set.tools.map((tool) => ({ id: `${tool.server}/${tool.name}`, label: tool.label, got: classifyTool(tool).category }));

describe('the labelled tool set', () => {
  it('holds at least 100 real tools, each labelled by hand with the package it came from', () => {
    expect(set.tools.length).toBeGreaterThanOrEqual(100);
    for (const tool of set.tools) {
      expect(CATEGORIES, `${tool.server}/${tool.name} needs a hand label`).toContain(tool.label);
      expect(tool.package, tool.name).toMatch(/^(@[\w.-]+\/)?[\w.-]+@\d+\.\d+\.\d+/);
    }
    expect(new Set(results.map((r) => r.id)).size).toBe(results.length);
    // Every class is represented, so the confusion table measures each.
    for (const category of CATEGORIES) expect(set.tools.filter((tool) => tool.label === category).length, category).toBeGreaterThanOrEqual(5);
  });
});

describe('classifier accuracy on the labelled set', () => {
  const misses = results.filter((r) => r.got !== r.label);
  const accuracy = (results.length - misses.length) / results.length;

  it(`stays at or above the recorded ${(baseline.accuracy * 100).toFixed(1)}% (target: 90%)`, () => {
    expect(accuracy).toBeGreaterThanOrEqual(0.9);
    expect(accuracy).toBeGreaterThanOrEqual(baseline.accuracy - 1e-9);
  });

  it('misclassifies no tool outside the recorded known misses', () => {
    const unexpected = misses.filter((miss) => !baseline.knownMisses.includes(miss.id)).map((miss) => `${miss.id}: labelled ${miss.label}, classified ${miss.got}`);
    expect(unexpected).toEqual([]);
  });

  it('has no stale known misses (a fixed miss raises the recorded figure)', () => {
    const fixed = baseline.knownMisses.filter((id) => !misses.some((miss) => miss.id === id));
    expect(fixed, 'remove these from fixtures/catalog/accuracy-baseline.json and update correct/accuracy').toEqual([]);
    expect(baseline.correct).toBe(results.length - misses.length);
    expect(baseline.total).toBe(results.length);
  });
});
