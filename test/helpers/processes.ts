import { existsSync, readFileSync } from 'node:fs';

/**
 * `node -e` source of a launcher (like npx, uvx or sh -c) that starts `process.argv[1]` with
 * inherited stdio and writes that child's pid to `process.argv[2]`. A naive one: it dies on SIGTERM
 * without passing it on, or (`exitAtOnce`) does not wait for its child at all.
 */
export function launcherSource(exitAtOnce: boolean): string {
  return [
    "const { spawn } = require('node:child_process');",
    "const child = spawn(process.execPath, [process.argv[1]], { stdio: 'inherit' });",
    "require('node:fs').writeFileSync(process.argv[2], String(child.pid));",
    exitAtOnce ? 'process.exit(0);' : "process.on('SIGTERM', () => process.exit(0));",
  ].join('\n');
}

/** The pid a launcher wrote, once it is there. */
export async function pidFrom(file: string): Promise<number> {
  for (let waited = 0; waited < 5000; waited += 20) {
    const text = existsSync(file) ? readFileSync(file, 'utf8') : '';
    if (text) return Number(text);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error(`no pid in ${file}`);
}

/** Whether the process still runs (a zombie waiting for init to reap it does not count). */
export function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  const stat = existsSync(`/proc/${pid}/stat`) ? readFileSync(`/proc/${pid}/stat`, 'utf8') : '';
  return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
}

/** Waits up to 2 s for the process to end. */
export async function stopsRunning(pid: number): Promise<boolean> {
  for (let waited = 0; waited < 2000; waited += 20) {
    if (!isRunning(pid)) return true;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return false;
}
