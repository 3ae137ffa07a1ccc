import { watch, type FSWatcher } from 'node:fs';
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
