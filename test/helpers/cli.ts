import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { memoryIo } from './io.js';
import { main } from '../../src/cli/main.js';

export const ROOT = resolve(import.meta.dirname, '../..');
export const BIN = resolve(ROOT, 'bin/policylayer');

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the CLI in-process (fast, most tests). */
export async function runCli(args: string[], options: { cwd?: string; env?: Record<string, string | undefined>; isTTY?: boolean; stdin?: string | Buffer } = {}): Promise<CliResult> {
  const io = memoryIo({
    cwd: options.cwd ?? ROOT,
    env: options.env ?? {},
    ...(options.isTTY !== undefined ? { isTTY: options.isTTY } : {}),
    ...(options.stdin !== undefined ? { stdin: options.stdin } : {}),
  });
  const code = await main(args, io);
  return { code, stdout: io.out(), stderr: io.err() };
}

/** Spawns the built binary (end-to-end tests); kills it after `timeoutMs`. */
export function runBin(
  args: string[],
  options: { cwd?: string; env?: Record<string, string | undefined>; input?: string | Buffer; timeoutMs?: number } = {},
): Promise<CliResult & { signal: NodeJS.Signals | null }> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      cwd: options.cwd ?? ROOT,
      env: { PATH: process.env.PATH, HOME: process.env.HOME, ...options.env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => err.push(chunk));
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 15_000);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolvePromise({ code: code ?? -1, signal, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8') });
    });
    child.stdin.end(options.input ?? '');
  });
}
