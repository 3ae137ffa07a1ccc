import { chmod, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { InputError } from '../errors.js';
import { formatPolicyText, type Formatted } from '../policy/format.js';
import { decodePolicyText, MAX_POLICY_BYTES } from '../policy/read.js';

/** Reads, formats and (with `write`) atomically replaces one policy file; the original mode is kept. */
export async function formatFile(file: string, shown: string, write: boolean): Promise<Formatted> {
  let bytes: Buffer;
  let mode: number;
  try {
    const info = await stat(file);
    if (info.isDirectory()) throw new InputError(shown, 'is a folder, not a policy file');
    if (info.size > MAX_POLICY_BYTES) throw new InputError(shown, `file is ${(info.size / 1024 / 1024).toFixed(1)} MiB; policies over ${MAX_POLICY_BYTES / 1024 / 1024} MiB are refused`);
    mode = info.mode;
    bytes = await readFile(file);
  } catch (error) {
    if (error instanceof InputError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    throw new InputError(shown, code === 'ENOENT' ? 'no such file' : `cannot read (${code ?? (error as Error).message})`);
  }
  const result = await formatPolicyText(shown, decodePolicyText(shown, bytes));
  if (write && result.changed) await replaceFile(file, shown, result.text, mode);
  return result;
}

/**
 * Replaces a file's text through a temporary file next to it and a rename, so an interrupted run
 * never leaves half a policy; `mode` (the original's permissions) is kept. Reads the mode itself
 * when not given.
 */
export async function replaceFile(file: string, shown: string, text: string, mode?: number): Promise<void> {
  const temporary = join(dirname(file), `.${basename(file)}.policylayer-${process.pid}`);
  try {
    const keep = mode ?? (await stat(file)).mode;
    await writeFile(temporary, text, { flag: 'wx' });
    await chmod(temporary, keep & 0o7777);
    await rename(temporary, file);
  } catch (error) {
    await rm(temporary, { force: true });
    throw new InputError(shown, `cannot write (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
  }
}
