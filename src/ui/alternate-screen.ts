/**
 * Full-screen UIs draw on the terminal's alternate screen, like htop and vim, so that quitting gives
 * the shell its screen (and scrollback) back unchanged.
 */
export async function onAlternateScreen<T>(stdout: NodeJS.WriteStream, run: () => Promise<T>): Promise<T> {
  stdout.write('\u001B[?1049h');
  try {
    return await run();
  } finally {
    stdout.write('\u001B[?1049l');
  }
}
