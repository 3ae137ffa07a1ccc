import type { Io } from '../../src/output/io.js';

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
