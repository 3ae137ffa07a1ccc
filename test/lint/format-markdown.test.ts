import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { markdownCell, markdownCode } from '../../src/util/markdown.js';
import { ROOT, runCli } from '../helpers/cli.js';
import { expectGolden } from '../helpers/golden.js';

describe('lint --format markdown', () => {
  it('summarises findings for a CI job page (golden; the same inputs as the other formats)', async () => {
    const inputs = ['fixtures/policies/invalid/unknown-key.json', 'fixtures/policies/invalid/redundant-allow.json', 'fixtures/policies/invalid/missing.json'];
    const result = await runCli(['lint', ...inputs, '--format', 'markdown'], { cwd: ROOT });
    expect(result.code).toBe(2);
    expectGolden(join(ROOT, 'test/lint/golden/format'), 'markdown.md', result.stdout);
    const clean = await runCli(['lint', 'fixtures/policies/valid/seed-execute-python-code.json', '--format', 'markdown'], { cwd: ROOT });
    expect(clean.stdout).toBe('### ✅ policylayer lint: no problems in 1 file\n');
  });

  it('keeps hostile text inside its table cell', () => {
    expect(markdownCell('a | b\n# c <img src=x> `d`')).toBe('a \\| b \\# c \\<img src=x\\> \\`d\\`');
    expect(markdownCode('x`y|z')).toBe('``x`y\\|z``');
  });
});
