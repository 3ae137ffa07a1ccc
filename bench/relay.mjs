// The floor for any stdio proxy: a separate process that only pipes bytes to a child and back.
// Usage: node bench/relay.mjs <command> [args…]
import { spawn } from 'node:child_process';

const [command, ...args] = process.argv.slice(2);
const child = spawn(command, args, { stdio: ['pipe', 'pipe', 'inherit'] });
process.stdin.pipe(child.stdin);
child.stdout.pipe(process.stdout);
child.on('exit', (code) => {
  process.exitCode = code ?? 1;
});
process.stdin.on('end', () => child.stdin.end());
