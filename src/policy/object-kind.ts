import type { KNOWN_KEYS } from './schema.js';

export type ObjectKind = keyof typeof KNOWN_KEYS;

/** Which object kind lives at a path, by its shape in the language (for did-you-mean and fmt's key order). */
export function objectKindAt(path: readonly (string | number)[]): ObjectKind | undefined {
  const p = path.map((s) => (typeof s === 'number' ? '#' : s));
  const shape = p.join('/');
  if (p.length === 0) return 'policy';
  if (shape === 'all_tools') return 'all_tools';
  if (shape === 'all_tools/limits/#') return 'limit';
  if (p[0] !== 'tools') return undefined;
  if (p.length === 2) return 'tool';
  if (p.length === 4 && (p[2] === 'require' || p[2] === 'deny_if')) return 'rule';
  if (p.length === 4 && p[2] === 'require_approval') return 'approval';
  if (p.length === 4 && p[2] === 'limits') return 'limit';
  if (p.length === 6 && p[4] === 'conditions') return 'condition';
  // The value of a `python` condition (the only operator whose value is an object with known keys).
  if (p.length === 7 && p[4] === 'conditions' && p[6] === 'value') return 'python_guard';
  return undefined;
}
