// `policylayer lint` speed, measured as whole processes against the built dist/:
// 1. startup: lint of the seed policy next to bare `node -e 0`, interleaved in one run; the ratio
//    must stay at or under 1.5 (plain commands load no ink/react, formatters and the ReDoS checker lazily);
// 2. throughput: a generated policy with 5,000 tools (every tool with a limit and conditions; no
//    regexes, whose ReDoS check costs per distinct pattern), without and with the MCP-Slicer catalog;
//    target under 1 s.
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BIN, fmt, interleaved, ROOT } from './lib.mjs';

const SEED = 'fixtures/policies/valid/seed-execute-python-code.json';

/** A schema-valid policy with `count` tools, each allowed with one limit, one deny_if and one require. */
export function generatedPolicy(count) {
  const tools = {};
  for (let i = 0; i < count; i++) {
    tools[`tool_${i}`] = {
      deny_if: [{ conditions: [{ path: 'args.amount', op: 'gt', value: 1000 + i }], on_deny: `Too large for tool_${i}.` }],
      require: [{ conditions: [{ path: 'args.reason', op: 'exists' }] }],
      limits: [{ counter: `tool_${i}_rate`, window: 'minute', max: 30, scope: 'grant' }],
    };
  }
  return { version: '1', default: 'deny', all_tools: { limits: [{ counter: 'all_calls', window: 'minute', max: 600, scope: 'grant' }] }, tools };
}

export async function run() {
  const runs = Number(process.env.BENCH_RUNS ?? 30);
  // --version runs no command: it shows what the frame and the bundle cost every command, lint or not.
  const [bare, version, lint] = interleaved([['-e', '0'], [BIN, '--version'], [BIN, 'lint', SEED]], runs);
  const bundle = statSync(join(ROOT, 'dist/cli.cjs')).size;
  console.log(`startup (median of ${runs} interleaved runs; dist/cli.cjs is ${fmt(bundle / 1024, 0)} KiB)`);
  console.log(`  node -e 0                        ${fmt(bare)} ms`);
  console.log(`  policylayer --version            ${fmt(version)} ms (ratio ${fmt(version / bare, 2)})`);
  console.log(`  policylayer lint <seed policy>   ${fmt(lint)} ms`);
  console.log(`  ratio                            ${fmt(lint / bare, 2)} (target ≤ 1.5)`);

  const dir = mkdtempSync(join(tmpdir(), 'policylayer-bench-'));
  try {
    const big = join(dir, 'tools-5000.json');
    const text = `${JSON.stringify(generatedPolicy(5000), null, 2)}\n`;
    writeFileSync(big, text);
    const [base, plain, catalog] = interleaved(
      [['-e', '0'], [BIN, 'lint', big, '--format', 'json'], [BIN, 'lint', big, '--format', 'json', '--server', 'mcp-slicer']],
      Math.max(5, Math.round(runs / 3)),
    );
    console.log(`\nthroughput: 5,000 tools (${fmt(text.length / 1024 / 1024, 1)} MiB), whole process, median`);
    console.log(`  policylayer lint                 ${fmt(plain)} ms (target < 1000 ms; ${fmt(plain - base)} ms above bare node)`);
    console.log(`  … --server mcp-slicer            ${fmt(catalog)} ms (5,000 unknown-tool findings)`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
