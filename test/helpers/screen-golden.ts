import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { expect } from 'vitest';
import type { Terminal } from './tmux.js';

/**
 * Waits until the terminal shows what `check` expects and then stays the same for `quietMs`, so the
 * capture is the screen a user would be left looking at, not a frame in the middle of a redraw.
 */
export async function settledScreen(terminal: Terminal, check: (screen: string) => boolean, what: string, quietMs = 400): Promise<string> {
  let screen = await terminal.waitFor(check, what);
  for (let tries = 0; tries < 50; tries++) {
    await new Promise((resolve) => setTimeout(resolve, quietMs));
    const again = terminal.screen();
    if (again === screen) return screen;
    screen = again;
  }
  throw new Error(`the screen never settled after showing ${what}; last screen:\n${screen}`);
}

/**
 * Compares a whole captured screen with a golden file line by line (every row, also the blank
 * ones, so a stale row left by an earlier frame fails); `UPDATE_GOLDEN=1` rewrites the file.
 */
export function expectScreenGolden(folder: string, name: string, screen: string, size: { columns: number; rows: number }): void {
  const lines = screen.replace(/\n$/, '').split('\n');
  expect(lines, `the capture has one line per terminal row`).toHaveLength(size.rows);
  expect(lines.filter((line) => [...line].length > size.columns), 'no line wider than the terminal').toEqual([]);
  const file = join(folder, name);
  if (process.env.UPDATE_GOLDEN === '1') {
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, `${lines.join('\n')}\n`);
  }
  expect(existsSync(file), `missing golden ${file} (run with UPDATE_GOLDEN=1)`).toBe(true);
  const expected = readFileSync(file, 'utf8').replace(/\n$/, '').split('\n');
  // Numbered, so a failure names the row that differs.
  const numbered = (rows: string[]) => rows.map((line, i) => `${String(i + 1).padStart(2)}│${line}`);
  expect(numbered(lines)).toEqual(numbered(expected));
}
