// The floor for any stdio proxy that reads what it forwards: like bench/relay.mjs it pipes bytes to
// a child and back, but it also splits the client's stream into lines and JSON.parses each one, the
// least a policy proxy must do to see a tools/call. No checks, no decisions, no bookkeeping.
// Usage: node bench/parse-relay.mjs <command> [args…]
import { spawn } from 'node:child_process';

const [command, ...args] = process.argv.slice(2);
const child = spawn(command, args, { stdio: ['pipe', 'pipe', 'inherit'] });
let partial = [];
let parsed = 0;
process.stdin.on('data', (chunk) => {
  let start = 0;
  for (let nl = chunk.indexOf(10); nl >= 0; nl = chunk.indexOf(10, start)) {
    const piece = chunk.subarray(start, nl);
    const line = partial.length > 0 ? Buffer.concat([...partial, piece]) : piece;
    partial = [];
    start = nl + 1;
    if (JSON.parse(line.toString('utf8')) !== null) parsed++;
  }
  if (start < chunk.length) partial.push(Buffer.from(chunk.subarray(start)));
  child.stdin.write(chunk);
});
child.stdout.pipe(process.stdout);
child.on('exit', (code) => {
  process.exitCode = code ?? 1;
});
process.stdin.on('end', () => child.stdin.end());
