/**
 * What unwrap needs to put an entry back byte for byte, kept outside the client's file (some
 * clients reject keys they do not know): <policylayer home>/wrapped.json, one record per wrapped
 * entry. Losing it costs only the byte-for-byte part: unwrap then rebuilds the entry from the
 * proxy's arguments.
 */
import { join } from 'node:path';
import { readFile } from 'node:fs/promises';
import * as z from 'zod/mini';
import type { RestoreRecord } from './plan.js';
import { writeFileAtomic } from '../util/write-file-atomic.js';

const RecordSchema = z.object({
  file: z.string(),
  keyPath: z.array(z.string()),
  offset: z.number(),
  wrapped: z.string(),
  original: z.string(),
  at: z.optional(z.string()),
});
const RecordsSchema = z.object({ version: z.literal(1), records: z.array(RecordSchema) });

export type StoredRecord = RestoreRecord & { at?: string | undefined };

export function recordsFile(policylayerHome: string): string {
  return join(policylayerHome, 'wrapped.json');
}

const keyOf = (record: Pick<RestoreRecord, 'file' | 'keyPath'>): string => JSON.stringify([record.file, record.keyPath]);

export class RestoreRecords {
  private constructor(
    private readonly path: string,
    private readonly byKey: Map<string, StoredRecord>,
  ) {}

  /** Unreadable or invalid records are treated as none: unwrap still works, just not byte for byte. */
  static async load(policylayerHome: string): Promise<RestoreRecords> {
    const path = recordsFile(policylayerHome);
    const byKey = new Map<string, StoredRecord>();
    try {
      const parsed = RecordsSchema.safeParse(JSON.parse(await readFile(path, 'utf8')));
      if (parsed.success) for (const record of parsed.data.records) byKey.set(keyOf(record), record);
    } catch {
      // none yet
    }
    return new RestoreRecords(path, byKey);
  }

  get(file: string, keyPath: readonly string[]): StoredRecord | undefined {
    return this.byKey.get(keyOf({ file, keyPath: [...keyPath] }));
  }

  set(record: RestoreRecord, at: string): void {
    this.byKey.set(keyOf(record), { ...record, at });
  }

  delete(file: string, keyPath: readonly string[]): void {
    this.byKey.delete(keyOf({ file, keyPath: [...keyPath] }));
  }

  async save(): Promise<void> {
    const records = [...this.byKey.values()];
    await writeFileAtomic(this.path, `${JSON.stringify({ version: 1, records }, null, 2)}\n`, { mode: 0o600 });
  }
}
