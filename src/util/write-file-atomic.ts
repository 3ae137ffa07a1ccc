import { chmod, mkdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

/**
 * Writes a file atomically: a temporary file in the same folder, renamed over the target, so a
 * client reading it meanwhile sees the old or the new text, never half of one. An existing file's
 * permissions are kept (a config holding tokens may be 0600).
 */
export async function writeFileAtomic(path: string, text: string, options: { mode?: number } = {}): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  let mode = options.mode;
  try {
    mode = (await stat(path)).mode & 0o7777;
  } catch {
    // a new file
  }
  const temporary = join(dirname(path), `.${basename(path)}.policylayer-${process.pid}-${Date.now()}`);
  try {
    await writeFile(temporary, text, { flag: 'wx', ...(mode !== undefined ? { mode } : {}) });
    if (mode !== undefined) await chmod(temporary, mode);
    await rename(temporary, path);
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
}
