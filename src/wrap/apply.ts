/**
 * Writes planned configurations: each file is read again just before writing (a client that saved
 * it meanwhile wins, and the run stops with nothing of that file changed), copied to the backup
 * folder, and replaced atomically.
 */
import { copyFile, mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { UserError } from '../errors.js';
import { writeFileAtomic } from '../util/write-file-atomic.js';
import type { FoundConfig } from './discover.js';
import type { FilePlan } from './plan.js';

export function backupName(path: string, at: Date): string {
  const stamp = at.toISOString().replace(/[:.]/g, '-');
  const flat = path.replace(/^[A-Za-z]:/, '').replace(/[\\/]+/g, '_').replace(/^_+/, '');
  return `${stamp}--${flat}`;
}

/** Writes one file's plan; returns the backup's path. */
export async function applyPlan(found: FoundConfig, plan: FilePlan, backupDir: string, at: Date): Promise<string> {
  const path = found.location.path;
  const expected = (found.bom ? '\uFEFF' : '') + plan.config.text;
  const current = await readFile(path, 'utf8').catch(() => undefined);
  if (current !== expected) throw new UserError(`${path}: changed while policylayer was reading it (is the client saving it?); nothing was written to it, run the command again`);
  // Backups may hold tokens from the clients' env blocks: the folder is the user's alone.
  await mkdir(backupDir, { recursive: true, mode: 0o700 });
  const backup = join(backupDir, backupName(path, at));
  await copyFile(path, backup);
  await writeFileAtomic(path, (found.bom ? '\uFEFF' : '') + plan.after);
  return backup;
}
