import { existsSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type BetterSqlite3 from 'better-sqlite3';
import type { CounterStore, ReserveResult } from '../engine/store.js';
import type { Reservation } from '../engine/types.js';
import { UserError } from '../errors.js';
import { importModule } from '../util/import-module.js';

const SCHEMA_VERSION = 1;
const SWEEP_EVERY_WRITES = 1000;

/** Why a state file cannot be opened, in one line. */
function openError(label: string, error: unknown): UserError {
  if (error instanceof UserError) return error;
  // An install that skipped better-sqlite3's build script (--ignore-scripts, npm's allowScripts) has its JavaScript but no native module.
  if (/bindings file/.test(messageOf(error))) return new UserError(`${label}: counters in a file need better-sqlite3's native module, which was not built here (npm rebuild better-sqlite3, or use --state memory or redis://)`);
  return new UserError(`${label}: cannot open the state file: ${messageOf(error)}`);
}

/**
 * better-sqlite3 is an optional peer dependency, installed only by those who use `--state file:`: a
 * native module, it compiles SQLite for minutes wherever no prebuilt binary can be fetched, which
 * would make every install pay for a feature few use. A global one (`npm install -g
 * better-sqlite3`) resolves from a global policylayer: both live in the same node_modules folder.
 */
async function loadSqlite(label: string): Promise<typeof import('better-sqlite3')> {
  try {
    return (await importModule<{ default: typeof import('better-sqlite3') }>('better-sqlite3')).default;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    // Node sets a code; vitest's loader (the tests run this from source) only says "Could not resolve".
    const missing = code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND' || /^Could not resolve "better-sqlite3"/.test(messageOf(error));
    if (!missing) throw error;
    throw new UserError(`${label}: counters in a file need better-sqlite3, which is not installed here (npm install -g better-sqlite3 next to a global policylayer, npm run setup:file-state in a clone; or use --state memory or redis://)`);
  }
}

/**
 * Counters in an SQLite file (better-sqlite3): they survive restarts, and several processes on this
 * machine can share one file. WAL mode lets readers run while one process writes; every reservation
 * is one IMMEDIATE transaction (write lock taken up front, so two processes can never both read
 * "9 of 10" and both write 10), and `busy_timeout` bounds how long a process waits for that lock.
 * Windows come from this machine's clock, which all processes sharing the file read.
 *
 * `synchronous=NORMAL`: a committed reservation survives the process crashing or being killed; a
 * power cut can lose the last few. Local disks only: WAL needs shared memory, so network file
 * systems are not supported (use Redis to share counters between machines).
 */
export class FileCounterStore implements CounterStore {
  private readonly selectValue: BetterSqlite3.Statement<[string, number], number>;
  private readonly upsert: BetterSqlite3.Statement<[string, number, number]>;
  private readonly subtract: BetterSqlite3.Statement<[number, string]>;
  private readonly deleteExpired: BetterSqlite3.Statement<[number]>;
  private readonly reserveAll: (reservations: readonly Reservation[], nowMs: number) => ReserveResult;
  private readonly rollbackAll: (reservations: readonly Reservation[]) => void;
  private writes = 0;

  private constructor(
    private readonly db: BetterSqlite3.Database,
    readonly label: string,
  ) {
    this.selectValue = db.prepare<[string, number], number>('SELECT value FROM counters WHERE key = ? AND expires_at > ?').pluck();
    this.upsert = db.prepare('INSERT INTO counters (key, value, expires_at) VALUES (?, ?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value, expires_at = excluded.expires_at');
    this.subtract = db.prepare('UPDATE counters SET value = max(0, value - ?) WHERE key = ?');
    this.deleteExpired = db.prepare('DELETE FROM counters WHERE expires_at <= ?');
    this.reserveAll = db.transaction((reservations: readonly Reservation[], nowMs: number): ReserveResult => {
      const values = reservations.map((r) => this.valueOf(r.key, nowMs));
      const pending = new Map<string, number>();
      for (let i = 0; i < reservations.length; i++) {
        const r = reservations[i]!;
        const next = (pending.get(r.key) ?? values[i]!) + r.amount;
        if (next > r.max) return { ok: false, failed: i, values };
        pending.set(r.key, next);
      }
      for (const r of reservations) this.upsert.run(r.key, pending.get(r.key)!, r.windowEndMs);
      return { ok: true, values };
    }).immediate;
    this.rollbackAll = db.transaction((reservations: readonly Reservation[]) => {
      for (const r of reservations) this.subtract.run(r.amount, r.key);
    }).immediate;
  }

  /**
   * Opens (creating if needed) the file. A file that is not a policylayer state database is a user
   * error, not an outage. `readOnly` (explain, replay: they read live counters and never write them)
   * neither creates the file or its folder, nor migrates or sweeps it: a missing store is reported.
   */
  static async open(path: string, options: { timeoutMs: number; readOnly?: boolean }): Promise<FileCounterStore> {
    const label = `file:${path}`;
    if (options.readOnly) return FileCounterStore.openForReading(path, label, options.timeoutMs);
    const Database = await loadSqlite(label);
    let db: BetterSqlite3.Database | undefined;
    try {
      makeFolders(dirname(path));
      db = new Database(path, { timeout: options.timeoutMs });
      db.pragma('journal_mode = WAL');
      db.pragma('synchronous = NORMAL');
      migrate(db, label);
      const store = new FileCounterStore(db, label);
      store.sweep(Date.now());
      return store;
    } catch (error) {
      db?.close();
      throw openError(label, error);
    }
  }

  private static async openForReading(path: string, label: string, timeoutMs: number): Promise<FileCounterStore> {
    if (!existsSync(path)) throw new UserError(`${label}: no such state file; it is created by the first proxy started with --state ${label}, and only read here`);
    const Database = await loadSqlite(label);
    let db: BetterSqlite3.Database | undefined;
    try {
      db = new Database(path, { timeout: timeoutMs, fileMustExist: true });
      const version = db.pragma('user_version', { simple: true }) as number;
      if (version > SCHEMA_VERSION) throw new UserError(`${label}: written by a newer policylayer (state format ${version}, this one reads ${SCHEMA_VERSION})`);
      if (version !== SCHEMA_VERSION) throw new UserError(`${label}: not a policylayer state file (a proxy started with --state ${label} writes one)`);
      return new FileCounterStore(db, label);
    } catch (error) {
      db?.close();
      throw openError(label, error);
    }
  }

  async read(keys: readonly string[], nowMs: number): Promise<number[]> {
    return this.guard(() => keys.map((key) => this.valueOf(key, nowMs)));
  }

  async reserve(reservations: readonly Reservation[], nowMs: number): Promise<ReserveResult> {
    return this.guard(() => {
      const result = this.reserveAll(reservations, nowMs);
      if (result.ok && ++this.writes >= SWEEP_EVERY_WRITES) this.sweep(nowMs);
      return result;
    });
  }

  async commit(): Promise<void> {}

  async rollback(reservations: readonly Reservation[]): Promise<void> {
    this.guard(() => this.rollbackAll(reservations));
  }

  async close(): Promise<void> {
    if (this.db.open) this.db.close();
  }

  private valueOf(key: string, nowMs: number): number {
    return this.selectValue.get(key, nowMs) ?? 0;
  }

  /** Old windows are other keys, never read again; deleting them only keeps the file small. */
  private sweep(nowMs: number): void {
    this.writes = 0;
    this.deleteExpired.run(nowMs);
  }

  private guard<T>(operation: () => T): T {
    try {
      return operation();
    } catch (error) {
      throw new Error(`${this.label}: ${messageOf(error)}`);
    }
  }
}

/**
 * `mkdir -p`, one level at a time: Node's recursive mkdir loops forever where a folder cannot be
 * created but its parent exists (e.g. under /proc).
 */
function makeFolders(folder: string): void {
  if (existsSync(folder)) return;
  const parent = dirname(folder);
  if (parent !== folder) makeFolders(parent);
  mkdirSync(folder);
}

function migrate(db: BetterSqlite3.Database, label: string): void {
  db.transaction(() => {
    const version = db.pragma('user_version', { simple: true }) as number;
    if (version === SCHEMA_VERSION) return;
    if (version > SCHEMA_VERSION) throw new UserError(`${label}: written by a newer policylayer (state format ${version}, this one reads ${SCHEMA_VERSION})`);
    const tables = db.prepare("SELECT count(*) FROM sqlite_master WHERE type = 'table'").pluck().get() as number;
    if (tables > 0) throw new UserError(`${label}: an SQLite database that is not policylayer state; choose another path`);
    db.exec(`
      CREATE TABLE counters (key TEXT PRIMARY KEY, value REAL NOT NULL, expires_at INTEGER NOT NULL) WITHOUT ROWID;
      CREATE INDEX counters_by_expiry ON counters (expires_at);
      PRAGMA user_version = ${SCHEMA_VERSION};
    `);
  }).immediate();
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
