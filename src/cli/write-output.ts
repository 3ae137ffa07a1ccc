import { createWriteStream, type WriteStream } from 'node:fs';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { UserError } from '../errors.js';
import type { Io } from '../output/io.js';
import { displayPath } from './paths.js';

/** Writes a new file; an existing one only with `force` (then atomically, by rename). */
export async function writeOutputFile(io: Io, path: string, text: string, force: boolean): Promise<void> {
  const absolute = resolve(io.cwd, path);
  const shown = displayPath(io.cwd, absolute);
  const fail = (error: unknown): never => {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') throw new UserError(`${shown} already exists; pass --force to overwrite it, or -o to write elsewhere`);
    throw new UserError(`${shown}: cannot write (${code === 'ENOENT' ? 'no such folder' : (code ?? (error as Error).message)})`);
  };
  if (!force) {
    // `wx` fails if the file exists, with no window between a check and the write.
    await writeFile(absolute, text, { flag: 'wx' }).catch(fail);
    return;
  }
  const temporary = join(dirname(absolute), `.${basename(absolute)}.policylayer-${process.pid}`);
  try {
    await writeFile(temporary, text, { flag: 'wx' });
    await rename(temporary, absolute);
  } catch (error) {
    await rm(temporary, { force: true });
    fail(error);
  }
}

/**
 * `-o, --output-file`: a report replaces what a previous run wrote there (as in ESLint), atomically,
 * in a folder created if needed. The path is what messages show.
 */
export async function writeReportFile(io: Io, path: string, text: string): Promise<void> {
  const absolute = resolve(io.cwd, path);
  const shown = path;
  const temporary = join(dirname(absolute), `.${basename(absolute)}.policylayer-${process.pid}`);
  try {
    await mkdir(dirname(absolute), { recursive: true });
    await writeFile(temporary, text, { flag: 'wx' });
    await rename(temporary, absolute);
  } catch (error) {
    await rm(temporary, { force: true });
    const code = (error as NodeJS.ErrnoException).code;
    throw new UserError(`${shown}: cannot write the report (${code === 'EISDIR' ? 'it is a folder' : (code ?? (error as Error).message)})`);
  }
}

/** A report written as it streams (replay): a temporary file, renamed over `path` by `commit`. */
export async function openReportStream(io: Io, path: string): Promise<{ stream: WriteStream; commit(): Promise<void>; abort(): Promise<void> }> {
  const absolute = resolve(io.cwd, path);
  const temporary = join(dirname(absolute), `.${basename(absolute)}.policylayer-${process.pid}`);
  const fail = (error: unknown): never => {
    const code = (error as NodeJS.ErrnoException).code;
    throw new UserError(`${path}: cannot write the report (${code === 'EISDIR' ? 'it is a folder' : (code ?? (error as Error).message)})`);
  };
  await mkdir(dirname(absolute), { recursive: true }).catch(fail);
  const stream = createWriteStream(temporary, { flags: 'wx' });
  await new Promise<void>((done, failed) => stream.once('open', () => done()).once('error', failed)).catch(fail);
  const closed = () => new Promise<void>((done, failed) => stream.end(() => done()).once('error', failed));
  return {
    stream,
    async commit() {
      await closed();
      await rename(temporary, absolute).catch(async (error: unknown) => {
        await rm(temporary, { force: true });
        fail(error);
      });
    },
    async abort() {
      stream.destroy();
      await rm(temporary, { force: true });
    },
  };
}
