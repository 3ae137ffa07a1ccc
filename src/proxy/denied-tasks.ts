import { randomUUID } from 'node:crypto';
import { DENIED_PREFIX, INVALID_PARAMS, type DecisionMeta, DECISION_META_KEY, denialResult } from './wire/replies.js';

const RELATED_TASK = 'io.modelcontextprotocol/related-task';
const IMMEDIATE_RESPONSE = 'io.modelcontextprotocol/model-immediate-response';
const MAX_TASKS = 1000;
const DEFAULT_TTL_MS = 3_600_000;

interface DeniedTask {
  task: Record<string, unknown>;
  result: Record<string, unknown>;
  expiresAtMs: number;
}

export type TaskAnswer = { result: unknown } | { error: { code: number; message: string } };

/**
 * Denials of task-augmented tools/call requests (2025-11-25 tasks). The client expects a
 * CreateTaskResult, so the proxy answers as a server would for a task that failed at once: a task
 * in status `failed` whose statusMessage is the denial, and whose `tasks/result` is the same denial
 * result a plain call gets. The proxy answers tasks/get, tasks/result and tasks/cancel for these
 * task ids itself (the server never saw them); they are not in the server's tasks/list.
 */
export class DeniedTasks {
  private readonly tasks = new Map<string, DeniedTask>();

  create(message: string, meta: DecisionMeta, requestedTtl: unknown, nowMs: number): Record<string, unknown> {
    const taskId = `policylayer-denied-${randomUUID()}`;
    const ttl = typeof requestedTtl === 'number' && Number.isFinite(requestedTtl) && requestedTtl > 0 ? Math.min(requestedTtl, DEFAULT_TTL_MS) : DEFAULT_TTL_MS;
    const time = new Date(nowMs).toISOString();
    const task = { taskId, status: 'failed', statusMessage: `${DENIED_PREFIX}${message}`, createdAt: time, lastUpdatedAt: time, ttl };
    const result = denialResult(message, meta, false);
    result._meta = { ...(result._meta as Record<string, unknown>), [RELATED_TASK]: { taskId } };
    this.tasks.set(taskId, { task, result, expiresAtMs: nowMs + ttl });
    this.prune(nowMs);
    return { task, _meta: { [DECISION_META_KEY]: meta, [IMMEDIATE_RESPONSE]: `${DENIED_PREFIX}${message}` } };
  }

  /** The answer to tasks/get, tasks/result or tasks/cancel for one of these tasks; undefined when the task is not ours. */
  answer(method: string, params: unknown, nowMs: number): TaskAnswer | undefined {
    const taskId = params !== null && typeof params === 'object' ? (params as Record<string, unknown>).taskId : undefined;
    if (typeof taskId !== 'string' || !taskId.startsWith('policylayer-denied-')) return undefined;
    const entry = this.tasks.get(taskId);
    if (!entry || entry.expiresAtMs <= nowMs) return { error: { code: INVALID_PARAMS, message: `Failed to retrieve task: Task not found` } };
    if (method === 'tasks/get') return { result: entry.task };
    if (method === 'tasks/result') return { result: entry.result };
    if (method === 'tasks/cancel') return { error: { code: INVALID_PARAMS, message: 'Cannot cancel task: it is already in a terminal status (failed: denied by policy)' } };
    return undefined;
  }

  private prune(nowMs: number): void {
    for (const [id, entry] of this.tasks) {
      if (this.tasks.size <= MAX_TASKS && entry.expiresAtMs > nowMs) break;
      this.tasks.delete(id);
    }
  }
}
