/**
 * A home folder of its own for each wrap/doctor test: the clients' configuration files are written
 * into it, and the CLI runs with HOME (and POLICYLAYER_HOME) pointing there, never at the real one.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, beforeEach } from 'vitest';
import { ROOT } from './cli.js';

export const SIM = resolve(ROOT, 'dist/fixtures/mcp-slicer-sim.mjs');

export interface ClientHome {
  /** The home folder; `project` is a folder inside it used as the working folder. */
  home: string;
  project: string;
  env(): Record<string, string | undefined>;
}

/** Registers a fresh home (with an empty `project` folder) before each test, removed after it. */
export function useClientHome(prefix: string): ClientHome {
  const state: ClientHome = {
    home: '',
    project: '',
    env: () => ({ HOME: state.home, XDG_CONFIG_HOME: '', POLICYLAYER_HOME: join(state.home, '.policylayer'), PATH: process.env.PATH }),
  };
  beforeEach(() => {
    state.home = mkdtempSync(join(tmpdir(), prefix));
    state.project = join(state.home, 'project');
    mkdirSync(state.project);
  });
  afterEach(() => rmSync(state.home, { recursive: true, force: true }));
  return state;
}

/** Writes a file, making its folders; returns its path. */
export function writeFile(path: string, text: string): string {
  mkdirSync(resolve(path, '..'), { recursive: true });
  writeFileSync(path, text);
  return path;
}
