import { expect, it } from 'vitest';
import { classifyTool } from '../../src/catalog/classify.js';

/** Helpers of the per-round probe files: an invented tool, the class it must get and the deciding evidence line. */
export type Tool = Parameters<typeof classifyTool>[0];
export const object = (properties: Record<string, unknown>) => ({ type: 'object', properties });
export const text = { type: 'string' };
export const number = { type: 'number' };
export const bool = { type: 'boolean' };
export const cases = (list: ReadonlyArray<readonly [Tool, string, RegExp]>) =>
  it.each(list)('%j → %s', (tool, expected, deciding) => {
    const result = classifyTool(tool);
    expect(result.category).toBe(expected);
    expect(result.evidence[0]).toMatch(deciding);
  });
