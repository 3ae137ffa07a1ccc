/**
 * The repository passes its own checks from the clone root, as a new user would run them: every
 * policy it ships lints clean, every policy test passes. Its deliberately broken fixtures are left
 * out by its own .policylayerignore and .policylayer-lint.yaml, and policylayer's other files
 * (catalogs, tool lists, golden outputs, recordings) are recognised and skipped; a fixture added
 * later that is neither must be fixed or listed there, or this test fails.
 */
import { describe, expect, it } from 'vitest';
import { runBin } from '../helpers/cli.js';

describe('the repository root', () => {
  it('passes `policylayer lint`, and `policylayer lint .` finds the same files', async () => {
    const lint = await runBin(['lint']);
    expect(lint.stdout).toMatch(/^no problems in \d+ files\n$/);
    expect(lint.code).toBe(0);
    const dot = await runBin(['lint', '.']);
    expect({ code: dot.code, stdout: dot.stdout }).toEqual({ code: 0, stdout: lint.stdout });
  });

  it('passes `policylayer test`', async () => {
    const test = await runBin(['test']);
    expect(test.stdout).toMatch(/\n\d+ passed, 0 failed\n$/);
    expect(test).toMatchObject({ code: 0, stderr: '' });
  });
});
