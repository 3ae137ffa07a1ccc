import { homedir } from 'node:os';
import { join, win32 } from 'node:path';

/**
 * The user's policylayer configuration folder: `%APPDATA%\policylayer` on Windows,
 * `$XDG_CONFIG_HOME/policylayer` when that is set (an absolute path, as the XDG spec requires),
 * else `~/.config/policylayer` (macOS included: a CLI's dotfiles belong there, not in
 * ~/Library/Application Support). `POLICYLAYER_CONFIG_DIR` overrides all of them.
 */
export function configDir(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform, home: string = homedir()): string {
  if (env.POLICYLAYER_CONFIG_DIR) return env.POLICYLAYER_CONFIG_DIR;
  if (platform === 'win32') return win32.join(env.APPDATA || win32.join(home, 'AppData', 'Roaming'), 'policylayer');
  const xdg = env.XDG_CONFIG_HOME;
  if (xdg && xdg.startsWith('/')) return join(xdg, 'policylayer');
  return join(home, '.config', 'policylayer');
}
