/**
 * Gates decide which tools the client may see in `tools/list` and, for tools a gate blocks, deny
 * the call before the policy is asked. The policy's `hide` is one gate; a lock file (`--lock`,
 * src/catalog/lock.ts) is another. Every tools/list result is filtered as it passes, so a tool
 * stays hidden after `notifications/tools/list_changed` and on every page of a paginated list.
 */
import type { CompiledPolicy } from '../../engine/compile.js';

export interface ListedTool {
  name: string;
  /** The tool object as the server sent it (parsed on demand: only gates that need it pay). */
  definition(): unknown;
}

export type CallCheck = { rule: string; message: string } | 'unknown' | undefined;

export interface ToolGate {
  /** Whether filter() could remove anything now; when no gate is active, tools/list passes without being read. */
  active(): boolean;
  /** The tools to remove from one tools/list page, each with the reason. */
  filter(tools: readonly ListedTool[]): Map<string, string>;
  /**
   * Checked before the policy on every tools/call: a denial, `undefined` (this gate lets it through)
   * or `unknown` (the gate has not seen the tool's current definition: the proxy lists the tools
   * itself, then asks again with `refreshed` true, when the gate must decide).
   */
  checkCall(tool: string, refreshed: boolean): CallCheck;
  /** The server said its tools changed: forget what was seen. */
  invalidate?(): void;
}

/** The policy's `hide`: hidden tools never reach the client (calls to them are denied by the engine). */
export class PolicyHideGate implements ToolGate {
  constructor(private readonly policy: () => CompiledPolicy) {}

  active(): boolean {
    const policy = this.policy();
    return policy.hideAll || policy.hidden.size > 0;
  }

  filter(tools: readonly ListedTool[]): Map<string, string> {
    const policy = this.policy();
    const removed = new Map<string, string>();
    for (const tool of tools) if (policy.hideAll || policy.hidden.has(tool.name)) removed.set(tool.name, 'hidden by policy');
    return removed;
  }

  checkCall(): CallCheck {
    return undefined;
  }
}
