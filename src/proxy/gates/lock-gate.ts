import { checkToolsAgainstLock, type LockFile, type ToolDefinition } from '../../catalog/lock.js';
import type { CallCheck, ListedTool, ToolGate } from './tool-gates.js';

export const LOCK_RULE = '(lock)';

/**
 * `--lock FILE`: tools whose definition differs from the lock (or that the lock does not know,
 * unless `--allow-new-tools`) are hidden and their calls denied with a message naming the change.
 * A call to a tool whose current definition the proxy has not seen (never listed, or listed before
 * a list_changed) is checked against a fresh tools/list first, so no call slips past unchecked.
 */
export class LockGate implements ToolGate {
  /** Tools seen in tools/list since the last list_changed: name → denial message, or '' when they match the lock. */
  private readonly seen = new Map<string, string>();

  constructor(
    private readonly lock: LockFile,
    private readonly options: { allowNewTools: boolean; lockName: string },
  ) {}

  active(): boolean {
    return true;
  }

  filter(tools: readonly ListedTool[]): Map<string, string> {
    const definitions = tools.map((tool) => asDefinition(tool));
    const { blocked } = checkToolsAgainstLock(this.lock, definitions, this.options);
    for (const tool of tools) this.seen.set(tool.name, blocked.get(tool.name) ?? '');
    return blocked;
  }

  checkCall(tool: string, refreshed: boolean): CallCheck {
    const verdict = this.seen.get(tool);
    if (verdict === undefined) {
      if (!refreshed) return 'unknown';
      return {
        rule: LOCK_RULE,
        message: `Tool "${tool}" is blocked: the server does not list it (or its tools could not be listed), so it cannot be checked against ${this.options.lockName}.`,
      };
    }
    return verdict === '' ? undefined : { rule: LOCK_RULE, message: verdict };
  }

  invalidate(): void {
    this.seen.clear();
  }
}

function asDefinition(tool: ListedTool): ToolDefinition {
  const value = tool.definition();
  if (value === null || typeof value !== 'object') return { name: tool.name };
  const record = value as Record<string, unknown>;
  return {
    name: tool.name,
    ...(typeof record.title === 'string' ? { title: record.title } : {}),
    ...(typeof record.description === 'string' ? { description: record.description } : {}),
    ...(record.inputSchema !== undefined ? { inputSchema: record.inputSchema } : {}),
    ...(record.annotations !== undefined ? { annotations: record.annotations } : {}),
  };
}
