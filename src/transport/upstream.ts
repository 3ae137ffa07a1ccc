import type { Readable, Writable } from 'node:stream';

/**
 * How an upstream ended. A child process reports its exit code or signal; a remote server has
 * neither, so it reports a code the proxy can exit with (0 when the proxy closed it, 1 when it was
 * lost) and a one-line reason for the log.
 */
export interface UpstreamExit {
  code: number | null;
  signal: NodeJS.Signals | null;
  reason?: string;
}

/**
 * A reply the upstream made up because the server never answered: the request's connection failed,
 * its response stream broke, or the upstream shut down. `mayHaveReachedServer` says whether the
 * server may have executed it (the proxy keeps a call's budget spent when it may have).
 */
export interface LocalReply {
  mayHaveReachedServer: boolean;
  reason: string;
}

/**
 * What the proxy needs from the server it guards, whether a child process on stdio
 * (`ServerProcess`) or a remote server over HTTP (`HttpUpstream`): newline-delimited JSON-RPC in
 * both directions, a promise that settles once the server is gone for good (after `stdout` ended),
 * and the MCP stdio shutdown (end `stdin`, then `stop`).
 */
export interface Upstream {
  /** Lines for the server, each ending with `\n`. */
  readonly stdin: Writable;
  /** Lines from the server, each ending with `\n`; a line is never split by another. */
  readonly stdout: Readable;
  readonly exited: Promise<UpstreamExit>;
  readonly hasExited: boolean;
  /** Set when `stop`/`terminate` had to force the end: the exit code then says nothing about the session. */
  readonly stoppedBy: 'terminated' | 'killed' | undefined;
  /** After `stdin` was ended: wait up to `graceMs` for the server to finish, then force it. */
  stop(graceMs: number): Promise<'exited' | 'terminated' | 'killed'>;
  terminate(graceMs: number): Promise<'terminated' | 'killed'>;
  signal(signal: NodeJS.Signals): void;
  /** Processes the server left behind (a child's process group); 'none' for a remote server. */
  reapGroup(graceMs: number): Promise<'none' | 'terminated' | 'killed'>;
  /**
   * Whether the reply to request `id` (its value: `7` and `"7"` differ, as in src/proxy/wire/ids.ts) was
   * made up by the upstream rather than sent by the server, and what it knows about that request.
   * Reading it forgets it. Only this says so: a server can put anything in an error's `data`.
   */
  takeLocalReply?(id: string | number): LocalReply | undefined;
}

/** The transport's key for a JSON-RPC id (one string per id; a string id and a number id with the same text differ). */
export function idKeyOf(id: string | number): string {
  return typeof id === 'string' ? `s:${id}` : `n:${id}`;
}
