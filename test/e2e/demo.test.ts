import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../helpers/cli.js';

describe('the `npm start` demo (fixtures/demo/run.mjs on the built binary)', () => {
  it('shows the hidden tool missing, ten allowed calls, the eleventh denied with its retry-after, and an intact audit log', () => {
    const run = spawnSync(process.execPath, [resolve(ROOT, 'fixtures/demo/run.mjs')], { cwd: ROOT, encoding: 'utf8', timeout: 120_000, env: { ...process.env, NO_COLOR: '1' } });
    expect(run.status, run.stderr).toBe(0);
    const out = run.stdout;
    expect(out).toContain('   list_nodes, execute_python_code\n');
    expect(out.match(/^ {3}# ?\d+ allowed /gm)).toHaveLength(10);
    expect(out).toMatch(/^ {3}#11 DENIED {2}\[POLICY DENIED\] Rate limit of 10 calls per minute reached for "execute_python_code_rate" \(grant local\); try again in \d+ s {2}rule \/tools\/execute_python_code\/limits\/0, retry_after_ms \d+$/m);
    expect(out).toContain('capture_screenshot → DENIED  [POLICY DENIED] Tool "capture_screenshot" is hidden by policy  rule (hidden)');
    expect(out).toMatch(/execute_python_code +11 +10 +0 +1 /);
    expect(out).toMatch(/audit\.jsonl: intact: 27 lines, 1 run, sealed; head [0-9a-f]{64} \(lines 1–27\)/);
  }, 150_000);
});
