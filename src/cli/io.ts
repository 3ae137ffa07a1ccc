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

/** An Io that records everything written, for in-process tests. */
export function memoryIo(options: { cwd?: string; env?: Record<string, string | undefined>; isTTY?: boolean; stdin?: string | Buffer } = {}): Io & {
  out: () => string;
  err: () => string;
} {
  let out = '';
  let err = '';
  return {
    stdout: { write: (chunk: string) => (out += chunk), isTTY: options.isTTY ?? false, columns: 100 },
    stderr: { write: (chunk: string) => (err += chunk), isTTY: options.isTTY ?? false, columns: 100 },
    cwd: options.cwd ?? process.cwd(),
    env: options.env ?? {},
    readStdin: async (maxBytes: number) => {
      const bytes = Buffer.from(options.stdin ?? '');
      if (bytes.length > maxBytes) throw new RangeError(`more than ${maxBytes} bytes`);
      return bytes;
    },
    out: () => out,
    err: () => err,
  };
}
