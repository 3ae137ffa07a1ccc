import type { CompiledLimit, CompiledPolicy, CompiledRule } from '../engine/compile.js';
import type { Call, Decision } from '../engine/types.js';

interface Steps {
  /** Rule pointer → position in evaluation order. */
  position: Map<string, number>;
  /** Position and pointer of the first rule that reads argument values, if any. */
  first: { index: number; rule: string } | undefined;
}

/**
 * For calls whose argument values are unknown (audit log lines keep only the top-level keys): whether
 * the real values could have changed the decision. They could when the decision was made by, or
 * made after passing, a rule that reads values — any condition except `exists` on a top-level key,
 * or a limit with `increment_from`. Hide, default deny, rate limits and key presence are exact.
 */
export class ValueDependence {
  private readonly byTool = new Map<string, Steps>();
  private readonly unlisted: Steps;

  constructor(private readonly policy: CompiledPolicy) {
    this.unlisted = steps([], policy.allToolsLimits, []);
  }

  /** The first value-reading rule the decision depends on, or undefined when the decision is exact. */
  uncertainRule(call: Call, decision: Decision): string | undefined {
    const tool = this.policy.tools.get(call.tool);
    let info = tool ? this.byTool.get(call.tool) : this.unlisted;
    if (!info) {
      info = steps([...tool!.denyIf, ...tool!.require], tool!.allLimits, tool!.approval);
      this.byTool.set(call.tool, info);
    }
    if (!info.first) return undefined;
    // Labels and the tool's own pointer: hidden and default deny come before every rule; allow after all of them.
    const at = info.position.get(decision.rule) ?? (decision.outcome === 'deny' ? -1 : Number.POSITIVE_INFINITY);
    return at >= info.first.index ? info.first.rule : undefined;
  }
}

function steps(before: CompiledRule[], limits: CompiledLimit[], after: CompiledRule[]): Steps {
  const ordered: Array<{ rule: string; readsValues: boolean }> = [
    ...before.map((rule) => ({ rule: rule.pointer, readsValues: readsValues(rule) })),
    ...limits.map((limit) => ({ rule: limit.pointer, readsValues: limit.incrementFrom !== undefined })),
    ...after.map((rule) => ({ rule: rule.pointer, readsValues: readsValues(rule) })),
  ];
  const index = ordered.findIndex((step) => step.readsValues);
  return {
    position: new Map(ordered.map((step, i) => [step.rule, i])),
    first: index < 0 ? undefined : { index, rule: ordered[index]!.rule },
  };
}

function readsValues(rule: CompiledRule): boolean {
  return rule.conditions.some((condition) => condition.op !== 'exists' || condition.segments.length > 1);
}
