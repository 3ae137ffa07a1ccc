import { describe, expect, it } from 'vitest';
import { classifyTool, tokenize } from '../../src/catalog/classify.js';
import * as vocabulary from '../../src/catalog/vocabulary.js';
import { decide, type Variant } from '../../fixtures/catalog/learned/experiment.js';
import { toolFeatures } from '../../fixtures/catalog/learned/features.js';
import { compile, explain, score } from '../../fixtures/catalog/learned/model.js';
import { train } from '../../fixtures/catalog/learned/train.js';

/** The learned-combiner experiment (not shipped): its features carry across servers, its training is deterministic and its guards hold. */
const rules = { classifyTool, tokenize, vocabulary };
const features = (tool: Parameters<typeof classifyTool>[0]) => toolFeatures(tool, classifyTool(tool), rules);

describe('the learned combiner experiment', () => {
  it('reads word classes from the vocabulary, parameter shapes and annotation hints, not only words', () => {
    const got = features({
      name: 'drop_table',
      description: 'Run arbitrary SQL against the database.',
      inputSchema: { type: 'object', properties: { sql: { type: 'string' }, cascade_delete: { type: 'boolean' }, amount: { type: 'number' } } },
      annotations: { destructiveHint: true },
    });
    expect(got).toEqual(expect.arrayContaining(['nameverb:Destructive', 'phrase:Execute', 'pclass:code:string', 'pclass:destructiveflag', 'pclass:money', 'ann:destructive:true', 'params:3-5']));
  });

  it('trains the same weights from the same examples, and keeps words only when enough servers use them', () => {
    const examples = [
      { server: 'a', features: ['bias', 'rules:Read', 'name:list', 'name:acme'], label: 'Read' as const },
      { server: 'b', features: ['bias', 'rules:Read', 'name:list'], label: 'Read' as const },
      { server: 'c', features: ['bias', 'rules:Destructive', 'name:delete'], label: 'Destructive' as const },
      { server: 'd', features: ['bias', 'rules:Write', 'name:delete'], label: 'Destructive' as const },
    ];
    const options = { minServers: 2, l2: 0.003, steps: 50, highRiskMissCost: 1 };
    const first = train(examples, options);
    expect(train(examples, options)).toEqual(first);
    expect(first.features).toContain('name:list');
    expect(first.features).not.toContain('name:acme');
    const model = compile(first);
    const answer = score(model, ['bias', 'rules:Write', 'name:delete'], 'Write');
    expect(answer.category).toBe('Destructive');
    expect(explain(model, ['bias', 'rules:Write', 'name:delete'], 'Destructive', 'Write').map((item) => item.feature)).toContain('name:delete');
  });

  it('never moves a tool the rules class high-risk to Read or Write when guarded or raising only', () => {
    const p = { Read: 0.05, Write: 0.8, Execute: 0.05, Destructive: 0.05, Financial: 0.05 };
    const variant = (application: Variant['application']): Variant => ({ name: application, features: 'all', missCost: 1, application });
    expect(decide(p, 'Destructive', variant('model'))).toBe('Write');
    expect(decide(p, 'Destructive', variant('guarded'))).toBe('Destructive');
    expect(decide(p, 'Destructive', variant('raise'))).toBe('Destructive');
    expect(decide(p, 'Read', variant('guarded'))).toBe('Write');
    expect(decide({ ...p, Write: 0.3, Financial: 0.55 }, 'Write', variant('raise'))).toBe('Financial');
    expect(decide(p, 'Destructive', { ...variant('guarded'), lowerAt: 0.9 })).toBe('Destructive');
    expect(decide(p, 'Destructive', { ...variant('guarded'), lowerAt: 0.8 })).toBe('Write');
  });
});
