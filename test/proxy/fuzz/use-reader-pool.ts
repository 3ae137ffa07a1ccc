/** A ReaderPool started before a test file's tests and stopped after them, in a folder of its own. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { ReaderPool } from './readers.js';

export function useReaderPool(prefix: string): { dir: string; pool: () => ReaderPool } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  let pool: ReaderPool | undefined;
  beforeAll(async () => {
    pool = await ReaderPool.start(dir);
  }, 30_000);
  afterAll(() => {
    pool?.stop();
    rmSync(dir, { recursive: true, force: true });
  });
  return {
    dir,
    pool: () => {
      if (!pool) throw new Error('the reader pool has not started');
      return pool;
    },
  };
}
