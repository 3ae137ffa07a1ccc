/**
 * Where each MCP client keeps its server list, per operating system, and the shape of that list.
 * Pure: the platform, home folder, environment and working folder are inputs, so the paths of all
 * three systems are tested on any one of them. Sources for every path: docs/wrap.md.
 */
import { posix, win32 } from 'node:path';

export const CLIENT_IDS = ['claude-desktop', 'claude-code', 'cursor', 'vscode', 'windsurf', 'gemini', 'codex', 'zed'] as const;
export type ClientId = (typeof CLIENT_IDS)[number];

export const CLIENT_NAMES: Record<ClientId, string> = {
  'claude-desktop': 'Claude Desktop',
  'claude-code': 'Claude Code',
  cursor: 'Cursor',
  vscode: 'VS Code',
  windsurf: 'Windsurf',
  gemini: 'Gemini CLI',
  codex: 'Codex CLI',
  zed: 'Zed',
};

/**
 * `json`: the client reads it with JSON.parse, so a comment or trailing comma is an error.
 * `jsonc`: comments (and trailing commas) are allowed, or the client's parser is not documented.
 */
export type ConfigFormat = 'json' | 'jsonc' | 'toml';

/**
 * Where the servers sit inside the file. `servers-at` is one object of servers at a key path;
 * `claude-json` is ~/.claude.json: user servers at `mcpServers` plus one object per project at
 * `projects.<path>.mcpServers`.
 */
export type ConfigShape = { kind: 'servers-at'; key: string } | { kind: 'claude-json' };

export interface ConfigLocation {
  client: ClientId;
  /** `user` (this account, every project) or `project` (a file inside the working folder). */
  scope: 'user' | 'project';
  path: string;
  format: ConfigFormat;
  shape: ConfigShape;
}

export type Platform = 'linux' | 'darwin' | 'win32';

export interface LocationContext {
  platform: Platform;
  home: string;
  env: Record<string, string | undefined>;
  /** The project folder for project-scoped files. */
  cwd: string;
}

const at = (key: string): ConfigShape => ({ kind: 'servers-at', key });

/** Every file a client may keep MCP servers in, for this platform, in a stable order. */
export function configLocations(context: LocationContext): ConfigLocation[] {
  const { platform, home, env, cwd } = context;
  const path = platform === 'win32' ? win32 : posix;
  const join = path.join;
  const nonEmpty = (value: string | undefined): string | undefined => (value !== undefined && value !== '' ? value : undefined);
  const appData = nonEmpty(env.APPDATA) ?? join(home, 'AppData', 'Roaming');
  // XDG_CONFIG_HOME only counts when absolute (the XDG spec says to ignore a relative one).
  const xdgRaw = nonEmpty(env.XDG_CONFIG_HOME);
  const xdgConfig = xdgRaw !== undefined && path.isAbsolute(xdgRaw) ? xdgRaw : join(home, '.config');
  const macSupport = join(home, 'Library', 'Application Support');

  const claudeDesktop =
    platform === 'darwin' ? join(macSupport, 'Claude') : platform === 'win32' ? join(appData, 'Claude') : join(xdgConfig, 'Claude');
  const claudeConfigDir = nonEmpty(env.CLAUDE_CONFIG_DIR);
  const vscodeUser = platform === 'darwin' ? join(macSupport, 'Code', 'User') : platform === 'win32' ? join(appData, 'Code', 'User') : join(xdgConfig, 'Code', 'User');
  const geminiHome = nonEmpty(env.GEMINI_CLI_HOME) ?? home;
  const codexHome = nonEmpty(env.CODEX_HOME) ?? join(home, '.codex');
  const zedConfig =
    platform === 'win32'
      ? join(appData, 'Zed')
      : platform === 'darwin'
        ? join(home, '.config', 'zed')
        : join(nonEmpty(env.FLATPAK_XDG_CONFIG_HOME) ?? xdgConfig, 'zed');

  return [
    { client: 'claude-desktop', scope: 'user', path: join(claudeDesktop, 'claude_desktop_config.json'), format: 'json', shape: at('mcpServers') },
    {
      client: 'claude-code',
      scope: 'user',
      path: claudeConfigDir !== undefined ? join(claudeConfigDir, '.claude.json') : join(home, '.claude.json'),
      format: 'json',
      shape: { kind: 'claude-json' },
    },
    { client: 'claude-code', scope: 'project', path: join(cwd, '.mcp.json'), format: 'json', shape: at('mcpServers') },
    { client: 'cursor', scope: 'user', path: join(home, '.cursor', 'mcp.json'), format: 'jsonc', shape: at('mcpServers') },
    { client: 'cursor', scope: 'project', path: join(cwd, '.cursor', 'mcp.json'), format: 'jsonc', shape: at('mcpServers') },
    { client: 'vscode', scope: 'user', path: join(vscodeUser, 'mcp.json'), format: 'jsonc', shape: at('servers') },
    { client: 'vscode', scope: 'project', path: join(cwd, '.vscode', 'mcp.json'), format: 'jsonc', shape: at('servers') },
    { client: 'windsurf', scope: 'user', path: join(home, '.codeium', 'windsurf', 'mcp_config.json'), format: 'jsonc', shape: at('mcpServers') },
    { client: 'gemini', scope: 'user', path: join(geminiHome, '.gemini', 'settings.json'), format: 'jsonc', shape: at('mcpServers') },
    { client: 'gemini', scope: 'project', path: join(cwd, '.gemini', 'settings.json'), format: 'jsonc', shape: at('mcpServers') },
    { client: 'codex', scope: 'user', path: join(codexHome, 'config.toml'), format: 'toml', shape: at('mcp_servers') },
    { client: 'codex', scope: 'project', path: join(cwd, '.codex', 'config.toml'), format: 'toml', shape: at('mcp_servers') },
    { client: 'zed', scope: 'user', path: join(zedConfig, 'settings.json'), format: 'jsonc', shape: at('context_servers') },
    { client: 'zed', scope: 'project', path: join(cwd, '.zed', 'settings.json'), format: 'jsonc', shape: at('context_servers') },
  ];
}

/** `--client` values: the ids, case-insensitive, with a few obvious aliases. */
export function parseClientId(value: string): ClientId | undefined {
  const normal = value.toLowerCase().replace(/[\s_]+/g, '-');
  const aliases: Record<string, ClientId> = { claude: 'claude-desktop', 'claude-cli': 'claude-code', code: 'vscode', 'vs-code': 'vscode', 'gemini-cli': 'gemini', 'codex-cli': 'codex' };
  if ((CLIENT_IDS as readonly string[]).includes(normal)) return normal as ClientId;
  return aliases[normal];
}
