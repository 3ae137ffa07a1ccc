import { afterEach } from 'vitest';
import { killAll } from './mcp-stream.js';

/** Undo steps a test registers (servers, clients), run after each test last first, once every process it spawned is killed. */
export function cleanupsAfterEach(): Array<() => Promise<unknown> | void> {
  const cleanups: Array<() => Promise<unknown> | void> = [];
  afterEach(async () => {
    killAll();
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });
  return cleanups;
}
