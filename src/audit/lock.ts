import { closeSync, openSync, readFileSync, unlinkSync, writeSync } from 'node:fs';
import { UserError } from '../errors.js';

/**
 * One writer per audit log: the hash chain needs each line to know the one before it, which two
 * processes appending to one file cannot guarantee. `FILE.lock` holds the owner's pid; a lock whose
 * process is gone (the proxy was killed) is taken over.
 */
export function acquireLock(path: string, shownPath: string): () => void {
  const lockPath = `${path}.lock`;
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(lockPath, 'wx');
      writeSync(fd, `${process.pid}\n`);
      closeSync(fd);
      let released = false;
      const release = (): void => {
        if (released) return;
        released = true;
        process.removeListener('exit', release);
        try {
          unlinkSync(lockPath);
        } catch {
          // already gone
        }
      };
      process.on('exit', release);
      return release;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') {
        throw new UserError(`${shownPath}: cannot create the lock file ${lockPath} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
      }
      const owner = readOwner(lockPath);
      if (owner !== undefined && isAlive(owner)) {
        throw new UserError(
          `${shownPath} is in use by another policylayer process (pid ${owner}); give each proxy its own --audit file (or delete ${lockPath} if that process is not a policylayer proxy)`,
        );
      }
      try {
        unlinkSync(lockPath);
      } catch {
        // someone else took it over first; the next attempt tells
      }
    }
  }
  throw new UserError(`${shownPath}: could not take the lock ${lockPath}`);
}

function readOwner(lockPath: string): number | undefined {
  try {
    const pid = Number(readFileSync(lockPath, 'utf8').trim());
    return Number.isSafeInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

function isAlive(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
