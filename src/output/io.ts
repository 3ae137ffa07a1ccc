/** Where a command reads and writes. Commands never touch `process` directly so tests can run them in-process. */
export interface Output {
  write(chunk: string): unknown;
  isTTY?: boolean;
  columns?: number;
}

export interface Io {
  stdout: Output;
  stderr: Output;
  cwd: string;
  env: Record<string, string | undefined>;
  /** All of standard input (for `lint -` and `fmt -`); rejects past `maxBytes`. Absent: there is none. */
  readStdin?: (maxBytes: number) => Promise<Buffer>;
}

export function processIo(): Io {
  return { stdout: process.stdout, stderr: process.stderr, cwd: process.cwd(), env: process.env, readStdin: readProcessStdin };
}

/** Reads process.stdin to its end, refusing more than `maxBytes` (a policy, not a stream). */
async function readProcessStdin(maxBytes: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let bytes = 0;
  for await (const chunk of process.stdin) {
    bytes += (chunk as Buffer).length;
    if (bytes > maxBytes) {
      process.stdin.destroy();
      throw new RangeError(`more than ${maxBytes} bytes`);
    }
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks, bytes);
}
