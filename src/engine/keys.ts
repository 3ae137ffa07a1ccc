import type { Scope, Window } from '../policy/schema.js';

/**
 * The store key of one counter in one window for one scope. Counters with the same name share a
 * budget across tools. The scope id is length-prefixed and the counter name comes last, so no
 * choice of names can make two different counters collide.
 */
export function counterKey(counter: string, window: Window, windowStartMs: number, scope: Scope, scopeId: string): string {
  return `${window}/${windowStartMs}/${scope}/${scopeId.length}:${scopeId}/${counter}`;
}

export function parseCounterKey(key: string): { window: Window; windowStartMs: number; scope: Scope; scopeId: string; counter: string } | undefined {
  const match = /^(minute|hour|day)\/(\d+)\/(grant|session|global)\/(\d+):/.exec(key);
  if (!match) return undefined;
  const idLength = Number(match[4]);
  const rest = key.slice(match[0].length);
  if (rest.charAt(idLength) !== '/') return undefined;
  return {
    window: match[1] as Window,
    windowStartMs: Number(match[2]),
    scope: match[3] as Scope,
    scopeId: rest.slice(0, idLength),
    counter: rest.slice(idLength + 1),
  };
}
