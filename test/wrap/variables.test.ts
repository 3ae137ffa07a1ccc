import { describe, expect, it } from 'vitest';
import { expandClientVariables } from '../../src/cli/wrap-policy.js';

describe('client variables, for starting a server to list its tools', () => {
  const env = { TOKEN: 't0k', EMPTY: '' };
  const folders = { home: '/home/u', workspace: '/home/u/p' };
  it('expands what can be known outside the client, and leaves the rest as written', () => {
    const cases: [string, string][] = [
      ['${env:TOKEN}', 't0k'],
      ['${TOKEN}', 't0k'],
      ['Bearer ${TOKEN}!', 'Bearer t0k!'],
      ['${MISSING:-fallback}', 'fallback'],
      ['${EMPTY:-fallback}', ''],
      ['${MISSING}', '${MISSING}'],
      ['${userHome}/data', '/home/u/data'],
      ['${workspaceFolder}/.env', '/home/u/p/.env'],
      ['${input:api-key}', '${input:api-key}'],
      ['$TOKEN', '$TOKEN'],
    ];
    for (const [input, output] of cases) expect(expandClientVariables(input, env, folders), input).toBe(output);
  });
});
