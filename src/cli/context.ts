import type { Io } from '../output/io.js';

/** What every command gets: where to read and write, and where to leave its exit code. */
export interface CliContext {
  io: Io;
  /** The exit code the finished command asks for. */
  exitCode: number;
}
