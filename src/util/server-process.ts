import { spawn, type ChildProcessByStdio } from 'node:child_process';
import { constants } from 'node:os';
import type { Readable, Writable } from 'node:stream';

/** How long stdout may stay open after the server process exited. */
const STDOUT_LINGER_MS = 1000;

/**
 * On POSIX the server leads a process group of its own, and signals go to the whole group: a server
 * started through a launcher (`npx …`, `uvx …`, `sh -c …`) is a tree of processes, and signalling
 * only the launcher can leave the real server running with nobody to stop it. (Windows has no
 * process groups to signal; there the server gets the signal alone.)
 */
const OWN_GROUP = process.platform !== 'win32';
const GROUP_POLL_MS = 20;

export interface ChildExit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

/**
 * A stdio MCP server as a child process (the proxy's upstream, and live introspection's subject):
 * stdin and stdout piped, stderr inherited by default (its logs go where ours go), and our own
 * environment and working folder passed through unchanged — unlike the MCP SDK's
 * StdioClientTransport, which keeps only a few variables, because a wrapper must not change what
 * the server sees.
 */
export class ServerProcess {
  /** Resolves when the process has exited and its stdout has closed. */
  readonly exited: Promise<ChildExit>;
  private exitInfo: ChildExit | undefined;

  private constructor(private readonly child: ChildProcessByStdio<Writable, Readable, Readable | null>) {
    this.exited = new Promise((resolve) => {
      let timer: ReturnType<typeof setTimeout> | undefined;
      child.once('exit', (code, signal) => {
        this.exitInfo = { code, signal };
        // A process the server started may keep its stdout open (npx, shells): stop waiting for it.
        timer = setTimeout(() => child.stdout.destroy(), STDOUT_LINGER_MS);
      });
      child.once('close', (code, signal) => {
        clearTimeout(timer);
        resolve(this.exitInfo ?? { code, signal });
      });
    });
  }

  /**
   * Starts the server; rejects with a one-line reason when it cannot start (not found, not
   * executable), the error's `code` kept. stderr is inherited unless the caller wants to read it.
   */
  static start(command: string, args: readonly string[], options: { env: NodeJS.ProcessEnv; cwd: string; stderr?: 'inherit' | 'pipe' }): Promise<ServerProcess> {
    return new Promise((resolve, reject) => {
      // The cast names what the stdio option guarantees: stdin and stdout piped, stderr piped or inherited.
      const child = spawn(command, args, { stdio: ['pipe', 'pipe', options.stderr ?? 'inherit'], env: options.env, cwd: options.cwd, windowsHide: true, detached: OWN_GROUP }) as ChildProcessByStdio<
        Writable,
        Readable,
        Readable | null
      >;
      const onError = (error: NodeJS.ErrnoException): void => reject(Object.assign(new Error(describeSpawnError(command, error)), { code: error.code }));
      child.once('error', onError);
      child.once('spawn', () => {
        child.off('error', onError);
        // Errors after the start (EPIPE on a dead server's stdin) surface through the streams and 'exit'.
        child.on('error', () => {});
        child.stdin.on('error', () => {});
        resolve(new ServerProcess(child));
      });
    });
  }

  get stdin(): Writable {
    return this.child.stdin;
  }

  get stdout(): Readable {
    return this.child.stdout;
  }

  /** Only when started with `stderr: 'pipe'`. */
  get stderr(): Readable | null {
    return this.child.stderr;
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  get hasExited(): boolean {
    return this.exitInfo !== undefined || this.child.exitCode !== null || this.child.signalCode !== null;
  }

  /** Sends a signal to the server and the processes it started (its process group). */
  signal(signal: NodeJS.Signals): void {
    if (this.groupAlive()) {
      try {
        process.kill(-this.child.pid!, signal);
        return;
      } catch {
        // the group ended in between: fall back to the process itself
      }
    }
    if (!this.hasExited) this.child.kill(signal);
  }

  /**
   * After the server exited: processes it started that still run in its group (a launcher's child
   * that outlived it) get SIGTERM, then SIGKILL after `graceMs`, so the proxy leaves no server
   * behind. Returns what it had to do.
   */
  async reapGroup(graceMs: number): Promise<'none' | 'terminated' | 'killed'> {
    if (!this.groupAlive()) return 'none';
    this.signal('SIGTERM');
    for (let waited = 0; waited < graceMs; waited += GROUP_POLL_MS) {
      await new Promise((resolve) => setTimeout(resolve, GROUP_POLL_MS));
      if (!this.groupAlive()) return 'terminated';
    }
    this.signal('SIGKILL');
    return 'killed';
  }

  /** Whether any process of the server's group still exists (signal 0 only checks). */
  private groupAlive(): boolean {
    if (!OWN_GROUP || this.child.pid === undefined) return false;
    try {
      process.kill(-this.child.pid, 0);
      return true;
    } catch {
      return false;
    }
  }

  /**
   * The MCP stdio shutdown: the caller has closed the server's stdin; wait `graceMs` for it to
   * exit, then SIGTERM, wait again, then SIGKILL. Returns the step that ended it.
   */
  async stop(graceMs: number): Promise<'exited' | 'terminated' | 'killed'> {
    if (await this.exitsWithin(graceMs)) return 'exited';
    return this.terminate(graceMs);
  }

  /** SIGTERM now, SIGKILL if it still runs after `graceMs`; resolves once it has exited. */
  async terminate(graceMs: number): Promise<'terminated' | 'killed'> {
    this.stoppedBy = 'terminated';
    this.signal('SIGTERM');
    if (await this.exitsWithin(graceMs)) return 'terminated';
    this.stoppedBy = 'killed';
    this.signal('SIGKILL');
    await this.exited;
    return 'killed';
  }

  /** Set when stop() had to signal the server: its exit code then says nothing about the session. */
  stoppedBy: 'terminated' | 'killed' | undefined;

  private async exitsWithin(ms: number): Promise<boolean> {
    if (this.hasExited) return true;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const exited = await Promise.race([
      new Promise<boolean>((resolve) => this.child.once('exit', () => resolve(true))),
      new Promise<boolean>((resolve) => {
        timer = setTimeout(() => resolve(false), ms);
      }),
    ]);
    clearTimeout(timer);
    return exited;
  }
}

/** The exit code a shell would report: the code, or 128 + the signal's number. */
export function exitCodeOf(exit: ChildExit): number {
  if (exit.code !== null) return exit.code;
  const number = exit.signal ? constants.signals[exit.signal] : undefined;
  return number !== undefined ? 128 + number : 1;
}

function describeSpawnError(command: string, error: NodeJS.ErrnoException): string {
  switch (error.code) {
    case 'ENOENT':
      return `cannot start the server: "${command}" was not found (is it installed and on PATH?)`;
    case 'EACCES':
      return `cannot start the server: "${command}" is not executable`;
    default:
      return `cannot start the server "${command}": ${error.message}`;
  }
}
