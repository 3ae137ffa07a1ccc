/**
 * What OAuth keeps per remote server, in `<config>/oauth/<host>-<hash>/`: the client registration
 * (`client.json`), the tokens (`tokens.json`) and what discovery found (`discovery.json`). Folders
 * are 0700 and files 0600 (on Windows the user's profile folder protects them), written to a
 * temporary file and renamed so a reader never sees half a file. A lock file serialises refreshes
 * and sign-ins between proxies for the same server: with refresh-token rotation, two refreshes of
 * one token would leave one proxy holding a token the server already replaced.
 */
import { createHash, randomBytes } from 'node:crypto';
import { chmodSync, closeSync, existsSync, mkdirSync, openSync, readFileSync, renameSync, rmSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export type StoredFile = 'client' | 'tokens' | 'discovery';

/** A lock older than this is taken over (its holder crashed mid-sign-in). */
const STALE_LOCK_MS = 10 * 60_000;
const LOCK_POLL_MS = 100;

/** The folder name for a server: readable host and port, plus a hash of the whole URL (origin and path). */
export function serverKey(url: URL): string {
  const identity = `${url.protocol}//${url.host}${url.pathname}`;
  const hash = createHash('sha256').update(identity).digest('hex').slice(0, 16);
  const host = `${url.hostname}${url.port ? `_${url.port}` : ''}`.replace(/[^A-Za-z0-9._-]/g, '_');
  return `${host}-${hash}`;
}

export class OAuthStore {
  constructor(readonly dir: string) {}

  static forServer(configDir: string, url: URL): OAuthStore {
    return new OAuthStore(join(configDir, 'oauth', serverKey(url)));
  }

  read<T>(file: StoredFile): T | undefined {
    try {
      return JSON.parse(readFileSync(this.path(file), 'utf8')) as T;
    } catch {
      return undefined;
    }
  }

  write(file: StoredFile, value: unknown): void {
    this.ensureDir();
    const target = this.path(file);
    const temporary = `${target}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
    writeFileSync(temporary, `${JSON.stringify(value, null, 2)}\n`, { mode: 0o600 });
    renameSync(temporary, target);
  }

  remove(file: StoredFile): void {
    rmSync(this.path(file), { force: true });
  }

  path(file: StoredFile): string {
    return join(this.dir, `${file}.json`);
  }

  /**
   * Waits for the server's lock (other proxies refreshing or signing in), takes it, and returns
   * its release. A lock left by a process that is gone, or older than 10 minutes, is taken over.
   */
  async lock(timeoutMs: number, signal?: AbortSignal): Promise<() => void> {
    this.ensureDir();
    const file = join(this.dir, 'lock');
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      try {
        const fd = openSync(file, 'wx', 0o600);
        writeFileSync(fd, String(process.pid));
        closeSync(fd);
        let released = false;
        return () => {
          if (released) return;
          released = true;
          try {
            unlinkSync(file);
          } catch {
            // taken over as stale meanwhile: nothing to release
          }
        };
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      }
      if (lockIsStale(file)) {
        rmSync(file, { force: true });
        continue;
      }
      if (Date.now() > deadline || signal?.aborted) throw new Error(`another policylayer process holds ${file}`);
      await new Promise((resolve) => setTimeout(resolve, LOCK_POLL_MS));
    }
  }

  private ensureDir(): void {
    if (!existsSync(this.dir)) mkdirSync(this.dir, { recursive: true, mode: 0o700 });
    // mkdir's mode is masked by the umask, and an existing folder keeps its mode: set it.
    if (process.platform !== 'win32') chmodSync(this.dir, 0o700);
  }
}

function lockIsStale(file: string): boolean {
  try {
    const pid = Number(readFileSync(file, 'utf8'));
    if (Date.now() - statSync(file).mtimeMs > STALE_LOCK_MS) return true;
    if (!Number.isInteger(pid) || pid <= 0) return false;
    try {
      process.kill(pid, 0);
      return false;
    } catch (error) {
      return (error as NodeJS.ErrnoException).code === 'ESRCH';
    }
  } catch {
    return false;
  }
}
