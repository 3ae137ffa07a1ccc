import type { Condition, Limit, Operator, PolicyDocument, Scope, Window } from '../policy/schema.js';
import { toPointer } from '../policy/pointer.js';
import { argumentSegments } from './args.js';
import type { Reservation } from './types.js';
import { compileGuard, type CompiledGuard } from '../python/guard.js';

export interface CompiledCondition {
  path: string;
  segments: string[];
  /** The first segment, and the rest: a top-level argument sent as a JSON string is read on inside it (lax-reading.ts). */
  head: string[];
  rest: string[];
  op: Operator;
  value: unknown;
  regex?: RegExp;
  /** For `python`: the guard, compiled once. The parser itself is loaded by loadCodeAnalysis(). */
  guard?: CompiledGuard;
}

export interface CompiledRule {
  pointer: string;
  conditions: CompiledCondition[];
  message: string | undefined;
}

export interface CompiledLimit {
  pointer: string;
  counter: string;
  window: Window;
  max: number;
  scope: Scope;
  incrementFrom: { path: string; segments: string[] } | undefined;
  onDeny: string | undefined;
  /**
   * Memo of this limit's counter key per scope id, for the window it was last built for. Building
   * and hashing a fresh key string is most of the cost of an allowed decision; reusing the same
   * string lets the store's Map skip both. Bounded; never changes a decision.
   */
  keyCache?: Map<string, WindowKey>;
}

/** One limit's counter in one window for one scope id. */
export interface WindowKey {
  windowStartMs: number;
  key: string;
  /** The reservation of one unit here, made once and shared (reservations are never changed). */
  unit: Reservation | undefined;
}

export interface CompiledTool {
  name: string;
  pointer: string;
  denyIf: CompiledRule[];
  require: CompiledRule[];
  limits: CompiledLimit[];
  approval: CompiledRule[];
  /** `all_tools.limits` followed by the tool's own limits: the order in which a call to this tool meets them. */
  allLimits: CompiledLimit[];
}

/** A policy prepared for fast decisions: maps instead of objects, regexes compiled once. */
export interface CompiledPolicy {
  document: PolicyDocument;
  defaultAllow: boolean;
  hideAll: boolean;
  hidden: ReadonlySet<string>;
  /** A Map, never an object: a tool named `constructor` must not find Object.prototype. */
  tools: ReadonlyMap<string, CompiledTool>;
  allToolsLimits: CompiledLimit[];
  /** Whether some condition is `python`: the policy needs the Python parser (loadCodeAnalysis) before deciding. */
  usesPython: boolean;
}

/** Thrown for a policy the schema accepts but the engine cannot run (an invalid regex); lint reports it first. */
export class PolicyCompileError extends Error {
  constructor(
    readonly pointer: string,
    message: string,
  ) {
    super(`${pointer}: ${message}`);
    this.name = 'PolicyCompileError';
  }
}

export function compilePolicy(document: PolicyDocument): CompiledPolicy {
  const hide = document.hide ?? [];
  const allToolsLimits = (document.all_tools?.limits ?? []).map((limit, i) => compileLimit(['all_tools', 'limits', i], limit));
  const tools = new Map<string, CompiledTool>();
  for (const [name, rules] of Object.entries(document.tools ?? {})) {
    const base = ['tools', name];
    const limits = (rules.limits ?? []).map((limit, i) => compileLimit([...base, 'limits', i], limit));
    tools.set(name, {
      name,
      pointer: toPointer(base),
      denyIf: (rules.deny_if ?? []).map((rule, i) => compileRule([...base, 'deny_if', i], rule.conditions, rule.on_deny)),
      require: (rules.require ?? []).map((rule, i) => compileRule([...base, 'require', i], rule.conditions, rule.on_deny)),
      limits,
      approval: (rules.require_approval ?? []).map((rule, i) => compileRule([...base, 'require_approval', i], rule.conditions, rule.message)),
      allLimits: [...allToolsLimits, ...limits],
    });
  }
  return {
    document,
    usesPython: [...tools.values()].some((tool) => [...tool.denyIf, ...tool.require, ...tool.approval].some((rule) => rule.conditions.some((c) => c.guard))),
    defaultAllow: document.default === 'allow',
    hideAll: hide.includes('*'),
    hidden: new Set(hide),
    tools,
    allToolsLimits,
  };
}

function compileRule(path: (string | number)[], conditions: Condition[] | undefined, message: string | undefined): CompiledRule {
  const pointer = toPointer(path);
  return {
    pointer,
    message,
    conditions: (conditions ?? []).map((condition, i) => compileCondition(`${pointer}/conditions/${i}`, condition)),
  };
}

function compileCondition(pointer: string, condition: Condition): CompiledCondition {
  const segments = argumentSegments(condition.path);
  const compiled: CompiledCondition = {
    path: condition.path,
    segments,
    head: segments.slice(0, 1),
    rest: segments.slice(1),
    op: condition.op,
    value: condition.value,
  };
  if (condition.op === 'python') compiled.guard = compileGuard(condition.value);
  if (condition.op === 'regex') {
    try {
      compiled.regex = new RegExp(condition.value);
    } catch (error) {
      throw new PolicyCompileError(`${pointer}/value`, `invalid regular expression: ${(error as Error).message}`);
    }
  }
  return compiled;
}

function compileLimit(path: (string | number)[], limit: Limit): CompiledLimit {
  return {
    pointer: toPointer(path),
    counter: limit.counter,
    window: limit.window,
    max: limit.max,
    scope: limit.scope,
    incrementFrom: limit.increment_from ? { path: limit.increment_from, segments: argumentSegments(limit.increment_from) } : undefined,
    onDeny: limit.on_deny,
    keyCache: new Map(),
  };
}
