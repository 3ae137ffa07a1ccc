import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../helpers/cli.js';

describe('the `npm start` demo (fixtures/demo/run.mjs on the built binary)', () => {
  it('tells one story with the recommended policy: init writes it, Read tools pass, the eleventh Python run is limited, an unlisted tool denied, and the summary agrees', () => {
    const run = spawnSync(process.execPath, [resolve(ROOT, 'fixtures/demo/run.mjs')], { cwd: ROOT, encoding: 'utf8', timeout: 120_000, env: { ...process.env, NO_COLOR: '1' } });
    expect(run.status, run.stderr).toBe(0);
    const out = run.stdout;
    expect(out).toMatch(/\$ policylayer init mcp-slicer -o \S+policylayer\.json\n/);
    // What catalog and init recommend: capture_screenshot is a Read tool, allowed and listed.
    expect(out).toContain('   list_nodes, execute_python_code, capture_screenshot\n');
    expect(out).toMatch(/^ {3}capture_screenshot → allowed /m);
    expect(out.match(/^ {3}# ?\d+ allowed /gm)).toHaveLength(10);
    expect(out).toMatch(/^ {3}#11 LIMITED \[POLICY DENIED\] Rate limit of 10 calls per minute reached for "execute_python_code_rate" \(grant local\); try again in \d+ s {2}rule \/tools\/execute_python_code\/limits\/0, retry_after_ms \d+$/m);
    expect(out).toContain('delete_scene → DENIED  [POLICY DENIED] Tool "delete_scene" is not permitted by policy  rule (default deny)');
    // The lines above and top's summary count the same classes.
    const session = out.slice(0, out.indexOf('6. The audit log'));
    const shown = { limited: (session.match(/ LIMITED /g) ?? []).length, denied: (session.match(/ DENIED /g) ?? []).length };
    const total = /^ {3}TOTAL +(\d+) +(\d+) +(\d+) +(\d+) /m.exec(out);
    expect(total?.slice(1).map(Number)).toEqual([14, 12, shown.denied, shown.limited]);
    expect(shown).toEqual({ limited: 1, denied: 1 });
    expect(out).toMatch(/audit\.jsonl: intact: 29 lines, 1 run, sealed; head [0-9a-f]{64} \(lines 1–29\)/);
  }, 150_000);
});
