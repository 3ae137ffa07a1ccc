import type { LintRule } from '../rule.js';

export const defaultAllow: LintRule = {
  id: 'default-allow',
  severity: 'warning',
  description: '"default": "allow" lets every unlisted tool through, including tools the server adds later.',
  check({ policy, report }) {
    if (policy.default !== 'allow' || (policy.hide ?? []).includes('*')) return;
    report({
      pointer: '/default',
      message: '"default": "allow" lets every tool not listed under "tools" through, including tools the server adds later; prefer "deny" and list the tools you allow',
    });
  },
};
