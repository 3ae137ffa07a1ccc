import { watch, type FSWatcher } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { basename, dirname } from 'node:path';

const DEBOUNCE_MS = 100;

/**
 * Calls `changed` after the policy file changes (debounced: editors write in several steps).
 * Watches the folder, not the file, so a save that replaces the file (write to a temporary file,
 * then rename) is seen too. The watcher never keeps the process alive.
 */
export function watchPolicyFile(path: string, changed: () => void, onError: (error: Error) => void): () => void {
  const name = basename(path);
  let timer: ReturnType<typeof setTimeout> | undefined;
  let watcher: FSWatcher;
  try {
    watcher = watch(dirname(path), { persistent: false }, (_event, file) => {
      if (file !== null && file.toString() !== name) return;
      clearTimeout(timer);
      timer = setTimeout(changed, DEBOUNCE_MS);
    });
  } catch (error) {
    onError(error as Error);
    return () => {};
  }
  watcher.on('error', onError);
  return () => {
    clearTimeout(timer);
    watcher.close();
  };
}

/** How long a changed policy file must stay the same before it is read as the new policy. */
export const STABLE_MS = 150;
const MAX_SETTLE_TRIES = 40;

/**
 * The policy file's bytes once they stop changing: read, wait STABLE_MS, read again, until two reads
 * agree. An editor or script caught mid-write leaves a prefix that may parse (a YAML file cut
 * after a line is still YAML), and applying that prefix once let a hidden tool and a denied
 * argument through (issue 15); a file that keeps changing for MAX_SETTLE_TRIES reads is not read
 * this time (the next change tries again). Writing the new version to a temporary file and
 * renaming it over the policy avoids the window entirely (docs/proxy.md).
 */
export async function readWhenStable(path: string, wait: (ms: number) => Promise<void> = delay): Promise<Buffer | undefined> {
  let before = await readFile(path);
  for (let tries = 0; tries < MAX_SETTLE_TRIES; tries++) {
    await wait(STABLE_MS);
    const now = await readFile(path);
    if (now.equals(before)) return now;
    before = now;
  }
  return undefined;
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
