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
}

export function processIo(): Io {
  return { stdout: process.stdout, stderr: process.stderr, cwd: process.cwd(), env: process.env };
}

/** An Io that records everything written, for in-process tests. */
export function memoryIo(options: { cwd?: string; env?: Record<string, string | undefined>; isTTY?: boolean } = {}): Io & {
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
    out: () => out,
    err: () => err,
  };
}
