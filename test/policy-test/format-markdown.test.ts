import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT, runCli } from '../helpers/cli.js';
import { expectGolden } from '../helpers/golden.js';

describe('test --format markdown', () => {
  it('lists failures and files that could not run (golden)', async () => {
    const result = await runCli(['test', 'test/policy-test/data/failing.policytest.json', 'test/policy-test/data/invalid.policytest.yaml', '--format', 'markdown'], { cwd: ROOT });
    expect(result.code).toBe(2);
    expectGolden(join(ROOT, 'test/policy-test/golden'), 'failing.markdown.md', result.stdout);
  });
});
