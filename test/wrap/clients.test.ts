import { describe, expect, it } from 'vitest';
import { configLocations, parseClientId, type LocationContext } from '../../src/wrap/clients.js';

const table = (context: LocationContext) => configLocations(context).map((l) => `${l.client} ${l.scope} ${l.format} ${l.path}`);

describe('where each client keeps its servers', () => {
  it('on Linux (XDG_CONFIG_HOME honoured when absolute)', () => {
    expect(table({ platform: 'linux', home: '/home/u', env: {}, cwd: '/home/u/proj' })).toEqual([
      'claude-desktop user json /home/u/.config/Claude/claude_desktop_config.json',
      'claude-code user json /home/u/.claude.json',
      'claude-code project json /home/u/proj/.mcp.json',
      'cursor user jsonc /home/u/.cursor/mcp.json',
      'cursor project jsonc /home/u/proj/.cursor/mcp.json',
      'vscode user jsonc /home/u/.config/Code/User/mcp.json',
      'vscode project jsonc /home/u/proj/.vscode/mcp.json',
      'windsurf user jsonc /home/u/.codeium/windsurf/mcp_config.json',
      'gemini user jsonc /home/u/.gemini/settings.json',
      'gemini project jsonc /home/u/proj/.gemini/settings.json',
      'codex user toml /home/u/.codex/config.toml',
      'codex project toml /home/u/proj/.codex/config.toml',
      'zed user jsonc /home/u/.config/zed/settings.json',
      'zed project jsonc /home/u/proj/.zed/settings.json',
    ]);
    const moved = table({ platform: 'linux', home: '/home/u', env: { XDG_CONFIG_HOME: '/x', CODEX_HOME: '/c', CLAUDE_CONFIG_DIR: '/cc', GEMINI_CLI_HOME: '/g' }, cwd: '/p' });
    expect(moved).toContain('claude-desktop user json /x/Claude/claude_desktop_config.json');
    expect(moved).toContain('vscode user jsonc /x/Code/User/mcp.json');
    expect(moved).toContain('zed user jsonc /x/zed/settings.json');
    expect(moved).toContain('codex user toml /c/config.toml');
    expect(moved).toContain('claude-code user json /cc/.claude.json');
    expect(moved).toContain('gemini user jsonc /g/.gemini/settings.json');
    expect(table({ platform: 'linux', home: '/home/u', env: { XDG_CONFIG_HOME: 'relative' }, cwd: '/p' })).toContain('zed user jsonc /home/u/.config/zed/settings.json');
  });

  it('on macOS', () => {
    const paths = table({ platform: 'darwin', home: '/Users/u', env: { XDG_CONFIG_HOME: '/ignored' }, cwd: '/Users/u/p' });
    expect(paths).toContain('claude-desktop user json /Users/u/Library/Application Support/Claude/claude_desktop_config.json');
    expect(paths).toContain('vscode user jsonc /Users/u/Library/Application Support/Code/User/mcp.json');
    expect(paths).toContain('zed user jsonc /Users/u/.config/zed/settings.json');
    expect(paths).toContain('windsurf user jsonc /Users/u/.codeium/windsurf/mcp_config.json');
  });

  it('on Windows (APPDATA, USERPROFILE-based dot folders, backslashes)', () => {
    const paths = table({ platform: 'win32', home: 'C:\\Users\\u', env: { APPDATA: 'C:\\Users\\u\\AppData\\Roaming' }, cwd: 'C:\\src\\p' });
    expect(paths).toContain('claude-desktop user json C:\\Users\\u\\AppData\\Roaming\\Claude\\claude_desktop_config.json');
    expect(paths).toContain('claude-code user json C:\\Users\\u\\.claude.json');
    expect(paths).toContain('cursor user jsonc C:\\Users\\u\\.cursor\\mcp.json');
    expect(paths).toContain('vscode user jsonc C:\\Users\\u\\AppData\\Roaming\\Code\\User\\mcp.json');
    expect(paths).toContain('vscode project jsonc C:\\src\\p\\.vscode\\mcp.json');
    expect(paths).toContain('codex user toml C:\\Users\\u\\.codex\\config.toml');
    expect(paths).toContain('zed user jsonc C:\\Users\\u\\AppData\\Roaming\\Zed\\settings.json');
    // Without APPDATA: the default Roaming folder under the profile.
    expect(table({ platform: 'win32', home: 'C:\\Users\\u', env: {}, cwd: 'C:\\p' })).toContain('zed user jsonc C:\\Users\\u\\AppData\\Roaming\\Zed\\settings.json');
  });

  it('reads --client names and aliases', () => {
    expect(['cursor', 'VS Code', 'claude', 'claude_code', 'gemini-cli', 'nope'].map(parseClientId)).toEqual(['cursor', 'vscode', 'claude-desktop', 'claude-code', 'gemini', undefined]);
  });
});
