/**
 * Follows a growing line-oriented file (the audit log) like `tail -F`: reads what is there, then
 * each append, and survives the file being replaced (rotation by rename), truncated (copytruncate),
 * removed and re-created. Change notices come from fs.watch on the folder (inotify on Linux), so an
 * idle follower costs nothing; a slow stat every `pollMs` covers file systems whose notices are lost.
 * Reads are bounded (`chunkBytes` at a time) and coalesced (`minReadIntervalMs`), so a writer at
 * thousands of lines a second costs a few reads per frame, not one read per line.
 */
import { watch, type FSWatcher, type Stats } from 'node:fs';
import { open, stat, type FileHandle } from 'node:fs/promises';
import { basename, dirname } from 'node:path';
import { LineSplitter } from '../util/line-splitter.js';

export type FollowReset = 'rotated' | 'truncated';

export interface FollowHandlers {
  /** Complete lines, in file order, without their line breaks (a trailing `\r` is kept). */
  lines(lines: string[]): void;
  /** The file was replaced or truncated; lines from the new content follow. */
  reset?(reason: FollowReset): void;
  /** A line longer than `maxLineBytes` was skipped. */
  overlong?(bytes: number): void;
  /** The file exists (true) or not (false); called on start and on each change. */
  presence?(exists: boolean): void;
  /** An unexpected I/O error; following continues with the next change notice. */
  error?(error: Error): void;
}

export interface FollowOptions {
  chunkBytes?: number;
  maxLineBytes?: number;
  minReadIntervalMs?: number;
  pollMs?: number;
}

export class FileFollower {
  private readonly chunkBytes: number;
  private readonly maxLineBytes: number;
  private readonly minReadIntervalMs: number;
  private readonly pollMs: number;
  private handle: FileHandle | undefined;
  private identity: { dev: number; ino: number } | undefined;
  private offset = 0;
  private splitter!: LineSplitter;
  /** Lines split from the current chunk, handed over together. */
  private batch: string[] = [];
  private watcher: FSWatcher | undefined;
  private pollTimer: NodeJS.Timeout | undefined;
  private delayTimer: NodeJS.Timeout | undefined;
  private reading: Promise<void> | undefined;
  private again = false;
  private lastReadStart = 0;
  private exists: boolean | undefined;
  private started = false;
  private closed = false;

  constructor(
    readonly path: string,
    private readonly handlers: FollowHandlers,
    options: FollowOptions = {},
  ) {
    this.chunkBytes = options.chunkBytes ?? 1 << 20;
    this.maxLineBytes = options.maxLineBytes ?? 4 << 20;
    this.resetPosition();
    this.minReadIntervalMs = options.minReadIntervalMs ?? 10;
    this.pollMs = options.pollMs ?? 1000;
  }

  /** Reads the file to its current end and starts watching. Resolves once the existing content is delivered. */
  async start(): Promise<void> {
    this.started = true;
    this.ensureWatcher();
    this.pollTimer = setInterval(() => this.notify(), this.pollMs);
    await this.readNow();
  }

  /** Watches the folder; when it does not exist yet, the poll notices it and the next read retries. */
  private ensureWatcher(): void {
    if (this.watcher || !this.started || this.closed) return;
    try {
      this.watcher = watch(dirname(this.path), { persistent: true }, (_event, filename) => {
        if (filename === null || filename === basename(this.path)) this.notify();
      });
      this.watcher.on('error', (error) => {
        this.watcher?.close();
        this.watcher = undefined;
        this.handlers.error?.(error);
      });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') this.handlers.error?.(error as Error);
    }
  }

  /** Reads everything there is now; resolves when caught up. Useful after a known write. */
  async readNow(): Promise<void> {
    if (this.closed) return;
    if (this.reading) {
      this.again = true;
      await this.reading;
      if (this.reading) await this.reading;
      return;
    }
    this.reading = this.readLoop().finally(() => {
      this.reading = undefined;
    });
    await this.reading;
  }

  async close(): Promise<void> {
    this.closed = true;
    this.watcher?.close();
    clearInterval(this.pollTimer);
    clearTimeout(this.delayTimer);
    await this.reading?.catch(() => undefined);
    await this.handle?.close().catch(() => undefined);
    this.handle = undefined;
  }

  /** A change notice: read now, or shortly if a read just started (coalescing bursts of notices). */
  private notify(): void {
    if (this.closed) return;
    if (this.reading) {
      this.again = true;
      return;
    }
    if (this.delayTimer) return;
    const wait = this.lastReadStart + this.minReadIntervalMs - performance.now();
    if (wait <= 0) {
      void this.readNow();
      return;
    }
    this.delayTimer = setTimeout(() => {
      this.delayTimer = undefined;
      void this.readNow();
    }, wait);
  }

  private async readLoop(): Promise<void> {
    do {
      this.again = false;
      this.lastReadStart = performance.now();
      try {
        await this.catchUp();
      } catch (error) {
        this.handlers.error?.(error as Error);
      }
    } while (this.again && !this.closed);
  }

  private async catchUp(): Promise<void> {
    this.ensureWatcher();
    const current = await statOrUndefined(this.path);
    this.setPresence(current !== undefined);
    if (this.handle && this.identity) {
      const replaced = !current || current.ino !== this.identity.ino || current.dev !== this.identity.dev;
      if (replaced) {
        // Lines written to the old file before the rename still count.
        await this.drain();
        if (!current) return;
        await this.handle.close();
        this.handle = undefined;
        this.resetPosition();
        this.handlers.reset?.('rotated');
      } else if (current.size < this.offset) {
        this.resetPosition();
        this.handlers.reset?.('truncated');
      }
    }
    if (!this.handle) {
      if (!current) return;
      try {
        this.handle = await open(this.path, 'r');
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
        throw error;
      }
      const opened = await this.handle.stat();
      this.identity = { dev: opened.dev, ino: opened.ino };
    }
    await this.drain();
  }

  private resetPosition(): void {
    this.offset = 0;
    this.splitter = new LineSplitter(
      {
        line: (line) => this.batch.push(line.toString('utf8')),
        oversized: (line) => this.handlers.overlong?.(line.length),
      },
      this.maxLineBytes,
    );
  }

  /** Reads the open file from `offset` to its end, in bounded chunks. */
  private async drain(): Promise<void> {
    const handle = this.handle;
    if (!handle) return;
    for (;;) {
      if (this.closed) return;
      const { size } = await handle.stat();
      if (size <= this.offset) return;
      // A fresh buffer each time: the splitter may keep pieces of it for a line still incomplete.
      const chunk = Buffer.allocUnsafe(Math.min(this.chunkBytes, size - this.offset));
      const { bytesRead } = await handle.read(chunk, 0, chunk.length, this.offset);
      if (bytesRead === 0) return;
      this.offset += bytesRead;
      this.splitter.push(bytesRead === chunk.length ? chunk : chunk.subarray(0, bytesRead));
      if (this.batch.length > 0) {
        const lines = this.batch;
        this.batch = [];
        this.handlers.lines(lines);
      }
    }
  }

  private setPresence(exists: boolean): void {
    if (exists === this.exists) return;
    this.exists = exists;
    this.handlers.presence?.(exists);
  }
}

async function statOrUndefined(path: string): Promise<Stats | undefined> {
  try {
    return await stat(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}
