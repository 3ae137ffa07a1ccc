import { InputError } from '../errors.js';
import type { LockFile } from '../catalog/lock.js';
import type { Io } from '../output/io.js';

/** Reads and checks a lock file (`policylayer pin`); unreadable or invalid is one line naming the file (exit 2). */
export async function readLockFile(io: Io, file: string): Promise<{ lock: LockFile; shown: string }> {
  const { readInputText } = await import('./read-input.js');
  const { text, shown } = await readInputText(io, file, 'lock file', '; create it with `policylayer pin -- <command>`');
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new InputError(shown, `not a lock file: ${(error as Error).message}`);
  }
  const { parseLock } = await import('../catalog/lock.js');
  const parsed = parseLock(value);
  if ('error' in parsed) throw new InputError(shown, `not a valid lock file: ${parsed.error}`);
  return { lock: parsed.lock, shown };
}
