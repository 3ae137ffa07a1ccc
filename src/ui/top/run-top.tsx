/** Runs the live `top` screen on a terminal: follows the audit log into a TopModel and draws it with ink. */
import { render } from 'ink';
import { FileFollower } from '../../audit/follow.js';
import { onAlternateScreen } from '../alternate-screen.js';
import { TopModel } from '../model/top-model.js';
import { TopApp, type TopFeed } from './TopApp.js';

export interface RunTopOptions {
  /** Absolute path of the audit log. */
  path: string;
  /** How the path is shown. */
  displayPath: string;
  stdin?: NodeJS.ReadStream;
  stdout?: NodeJS.WriteStream;
  /** The clock the screen shows and counts down against; tests fix it. */
  now?: () => number;
}

/** Resolves with the exit code once the user quits (q, Ctrl+C) or the process is asked to stop. */
export async function runTop(options: RunTopOptions): Promise<number> {
  const stdin = options.stdin ?? process.stdin;
  const stdout = options.stdout ?? process.stdout;
  const model = new TopModel();
  const listeners = new Set<() => void>();
  const changed = () => {
    for (const listener of listeners) listener();
  };
  const feed: TopFeed = {
    model,
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
  const follower = new FileFollower(options.path, {
    lines(lines) {
      if (model.health.readError !== undefined) model.readError(undefined);
      model.ingest(lines);
      changed();
    },
    reset(reason) {
      model.reset(reason);
      changed();
    },
    overlong(bytes) {
      model.overlong(bytes);
      changed();
    },
    presence(exists) {
      model.presence(exists);
      changed();
    },
    error(error) {
      model.readError(error.message);
      changed();
    },
  });

  await onAlternateScreen(stdout, async () => {
    // Not ink's incrementalRendering: in ink 6 it moves the cursor up one line too few for a frame
    // that ends in a newline (every frame shorter than the terminal), so each redraw lands one row
    // lower and the rows it leaves alone keep the previous frame (fixed upstream in ink 7.0.3, which
    // needs Node 22). The standard renderer erases the whole frame and draws it again, inside the
    // terminal's synchronized-update brackets, so it does not flicker either.
    const instance = render(<TopApp feed={feed} file={options.displayPath} {...(options.now ? { now: options.now } : {})} />, {
      stdin,
      stdout,
      exitOnCtrlC: true,
      patchConsole: false,
      maxFps: 10,
    });
    const stop = () => instance.unmount();
    process.once('SIGTERM', stop);
    process.once('SIGHUP', stop);
    try {
      // Not awaited: quitting must not wait for a long history to be read.
      void follower.start();
      await instance.waitUntilExit();
    } finally {
      process.off('SIGTERM', stop);
      process.off('SIGHUP', stop);
      await follower.close();
    }
  });
  return 0;
}
