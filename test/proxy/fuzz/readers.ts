/**
 * The reader fixtures (fixtures/servers/readers/) as long-lived processes serving one MCP session
 * per Unix-socket connection, so a fuzz case costs a connection, not a process start. Each
 * connection begins with a control line naming the file the reader logs executed calls to.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { join, resolve } from 'node:path';
import { ROOT } from '../../helpers/cli.js';

const DIR = resolve(ROOT, 'fixtures/servers/readers');

export const READER_NAMES = ['python-sdk', 'python-sdk-replace', 'ts-sdk', 'java-readline', 'go-scanner'] as const;
export type ReaderName = (typeof READER_NAMES)[number];

const COMMANDS: Record<ReaderName, (socket: string) => string[]> = {
  'python-sdk': (socket) => ['python3', join(DIR, 'python_sdk_reader.py'), '--listen', socket],
  'python-sdk-replace': (socket) => ['python3', join(DIR, 'python_sdk_reader.py'), '--errors', 'replace', '--listen', socket],
  'ts-sdk': (socket) => [process.execPath, join(DIR, 'ts-sdk-reader.mjs'), '--listen', socket],
  'java-readline': (socket) => [process.execPath, join(DIR, 'line-reader.mjs'), '--style', 'readline', '--listen', socket],
  'go-scanner': (socket) => [process.execPath, join(DIR, 'line-reader.mjs'), '--style', 'scanner', '--listen', socket],
};

export interface ExecutedCall {
  reader: string;
  id: unknown;
  tool: string;
  args: Record<string, unknown>;
}

export class ReaderPool {
  private readonly processes: ChildProcess[] = [];
  private readonly sockets = new Map<ReaderName, string>();

  private constructor(private readonly dir: string) {}

  static async start(dir: string, names: readonly ReaderName[] = READER_NAMES): Promise<ReaderPool> {
    const pool = new ReaderPool(dir);
    await Promise.all(names.map((name) => pool.startOne(name)));
    return pool;
  }

  private startOne(name: ReaderName): Promise<void> {
    const socket = join(this.dir, `${name}.sock`);
    const [command, ...args] = COMMANDS[name](socket);
    const child = spawn(command!, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    this.processes.push(child);
    this.sockets.set(name, socket);
    let stderr = '';
    child.stderr!.on('data', (chunk: Buffer) => {
      stderr = (stderr + chunk.toString('utf8')).slice(-4000);
    });
    return new Promise((resolveStart, reject) => {
      child.stdout!.once('data', () => resolveStart());
      child.once('exit', (code) => reject(new Error(`reader ${name} exited with ${code} before listening:\n${stderr}`)));
      child.once('error', reject);
    });
  }

  get names(): ReaderName[] {
    return [...this.sockets.keys()];
  }

  /** A new session with one reader; its executed calls go to `log`. */
  connect(name: ReaderName, log: string): Promise<Socket> {
    return new Promise((resolveConnect, reject) => {
      const socket = connect(this.sockets.get(name)!, () => {
        socket.write(`${JSON.stringify({ log })}\n`);
        resolveConnect(socket);
      });
      socket.once('error', reject);
    });
  }

  stop(): void {
    for (const child of this.processes) child.kill('SIGKILL');
  }
}

export function readExecuted(log: string): ExecutedCall[] {
  if (!existsSync(log)) return [];
  return readFileSync(log, 'utf8')
    .split('\n')
    .filter((line) => line.length > 0)
    .map((line) => JSON.parse(line) as ExecutedCall);
}
