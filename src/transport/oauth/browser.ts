/**
 * Opens the user's browser at a sign-in URL, or quietly does not: a proxy runs under MCP clients,
 * in containers and over SSH, where there may be no browser at all, and the one-line instruction
 * on stderr is what the user gets then. Only http(s) URLs, and never through a shell (the URL
 * comes from a server's metadata: it must not become a command).
 */
import { spawn } from 'node:child_process';

export type OpenBrowser = (url: URL) => Promise<boolean>;

/** The platform's URL opener: `open` (macOS), `rundll32 url.dll,FileProtocolHandler` (Windows: no cmd.exe, so `&` stays in the URL), else `xdg-open`. */
export function browserCommand(url: URL, platform: NodeJS.Platform = process.platform): [string, string[]] {
  if (platform === 'darwin') return ['open', [url.href]];
  if (platform === 'win32') return ['rundll32', ['url.dll,FileProtocolHandler', url.href]];
  return ['xdg-open', [url.href]];
}

/** Resolves true when a browser was started; false (never a rejection) when it could not be. */
export const openSystemBrowser: OpenBrowser = (url) =>
  new Promise((resolve) => {
    if (url.protocol !== 'https:' && url.protocol !== 'http:') return resolve(false);
    const [command, args] = browserCommand(url);
    let child;
    try {
      child = spawn(command, args, { stdio: 'ignore', detached: true, windowsHide: true });
    } catch {
      return resolve(false);
    }
    child.once('error', () => resolve(false));
    child.once('spawn', () => {
      child.unref();
      resolve(true);
    });
  });
