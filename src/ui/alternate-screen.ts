/**
 * Full-screen UIs draw on the terminal's alternate screen, like htop and vim, so that quitting gives
 * the shell its screen (and scrollback) back unchanged.
 */
export async function onAlternateScreen<T>(stdout: NodeJS.WriteStream, run: () => Promise<T>): Promise<T> {
  // Switching keeps the cursor where the shell left it; the screen starts empty with the cursor at the top left.
  stdout.write('\u001B[?1049h\u001B[2J\u001B[H');
  try {
    return await run();
  } finally {
    stdout.write('\u001B[?1049l');
  }
}
