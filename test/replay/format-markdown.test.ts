import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT, runCli } from '../helpers/cli.js';
import { expectGolden } from '../helpers/golden.js';

describe('replay --format markdown', () => {
  it('summarises changed decisions against the old policy (golden)', async () => {
    const args = ['replay', '--policy', 'fixtures/policies/valid/recommended/read-low.json', '--against', 'fixtures/policies/valid/seed-execute-python-code.json', '--fail-on-change', '--format', 'markdown', 'fixtures/recordings/slicer-segmentation.jsonl'];
    const result = await runCli(args, { cwd: ROOT });
    expect(result.code).toBe(1);
    expectGolden(join(ROOT, 'test/replay/golden'), 'against.markdown.md', result.stdout);
  });
});
