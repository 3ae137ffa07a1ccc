/**
 * A real terminal for end-to-end tests of the ink screens: a private tmux server runs one command in
 * a pseudo-terminal of a fixed size; tests press keys and read the screen back as text.
 */
import { execFileSync } from 'node:child_process';
import { vi } from 'vitest';

let sessions = 0;

export class Terminal {
  private readonly socket = `pl-test-${process.pid}-${Date.now()}-${sessions++}`;

  /**
   * Runs `command` in a `columns`×`rows` terminal. ink draws only a final frame when it believes it
   * runs under CI, so CI variables are removed. A shell around the command records its exit code in
   * `statusFile` (when given) and keeps the pane, and its last screen, open.
   */
  start(command: string[], options: { cwd: string; columns?: number; rows?: number; statusFile?: string }): void {
    const wrapped = ['env', '-u', 'CI', '-u', 'CONTINUOUS_INTEGRATION', 'TERM=xterm-256color', ...command];
    const script = options.statusFile ? '"$@"; echo $? > "$STATUS_FILE"; sleep 600' : '"$@"; sleep 600';
    this.tmux(
      'new-session',
      '-d',
      '-s',
      'main',
      '-x',
      String(options.columns ?? 100),
      '-y',
      String(options.rows ?? 30),
      '-c',
      options.cwd,
      ...(options.statusFile ? ['-e', `STATUS_FILE=${options.statusFile}`] : []),
      '--',
      'sh',
      '-c',
      script,
      'sh',
      ...wrapped,
    );
  }

  screen(): string {
    return this.tmux('capture-pane', '-p', '-t', 'main');
  }

  /** Keys in tmux's send-keys names: `q`, `Enter`, `Down`, `Escape`. */
  keys(...keys: string[]): void {
    this.tmux('send-keys', '-t', 'main', ...keys);
  }

  resize(columns: number, rows: number): void {
    this.tmux('resize-window', '-t', 'main', '-x', String(columns), '-y', String(rows));
  }

  async waitFor(check: (screen: string) => boolean, what: string, timeoutMs = 15_000): Promise<string> {
    let last = '';
    await vi.waitFor(
      () => {
        last = this.screen();
        if (!check(last)) throw new Error(`the screen never showed ${what}; last screen:\n${last}`);
      },
      { timeout: timeoutMs, interval: 50 },
    );
    return last;
  }

  /**
   * Waits until the program reads keys one by one (raw mode): keys sent before that sit in the
   * terminal's line buffer, echoed, and arrive later as one line.
   */
  async waitForRawMode(timeoutMs = 15_000): Promise<void> {
    const tty = this.tmux('display-message', '-p', '-t', 'main', '#{pane_tty}').trim();
    await vi.waitFor(
      () => {
        const modes = execFileSync('stty', ['-F', tty, '-a'], { encoding: 'utf8' });
        if (!/(^|\s)-icanon(\s|$)/.test(modes)) throw new Error(`${tty} is still in line mode`);
      },
      { timeout: timeoutMs, interval: 50 },
    );
  }

  kill(): void {
    try {
      this.tmux('kill-server');
    } catch {
      // Already gone.
    }
  }

  private tmux(...args: string[]): string {
    return execFileSync('tmux', ['-L', this.socket, '-f', '/dev/null', ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  }
}
