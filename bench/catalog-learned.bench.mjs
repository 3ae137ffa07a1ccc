// The learned-combiner experiment (fixtures/catalog/learned/), measured as the shipped rules are: a
// logistic regression over the rules' votes and each tool's words, trained leave-one-server-out on the
// development and evaluation servers (the server under test contributes nothing to vocabulary, weights
// or decision), holdout servers classified by a model trained on every other set. It is not shipped:
// this prints why (it does not beat the rules), for each decision threshold, next to the rules.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT, importFromSource } from './lib.mjs';

export async function run() {
  const dir = mkdtempSync(join(tmpdir(), 'policylayer-bench-learned-'));
  try {
    process.env.POLICYLAYER_ROOT = ROOT;
    const { labelledTools, loadCorpus, leaveOneServerOut, report, runExperiment } = await importFromSource(dir, 'catalog-learned', {
      stdin: {
        contents: [
          "export { labelledTools, loadCorpus } from './fixtures/catalog/corpus.ts';",
          "export { leaveOneServerOut, report } from './fixtures/catalog/evaluate.ts';",
          "export { runExperiment } from './fixtures/catalog/learned/experiment.ts';",
        ].join('\n'),
        resolveDir: ROOT,
        loader: 'ts',
      },
    });
    const tools = labelledTools(loadCorpus());
    const line = (outcomes) => {
      const part = (set) => {
        const r = report(set ? outcomes.filter((outcome) => outcome.set === set) : outcomes);
        const pct = (x) => `${(100 * x).toFixed(1)}%`;
        return `${pct(r.accuracy)} (E ${pct(r.recall.Execute)}, D ${pct(r.recall.Destructive)}, F ${pct(r.recall.Financial)}, high-risk as Read/Write ${r.highRiskAsLow}/${r.highRisk})`;
      };
      return `all ${part()} | development ${part('development')} | evaluation ${part('evaluation')} | holdout ${part('holdout')}`;
    };
    console.log(`rules (shipped):          ${line(leaveOneServerOut(tools))}`);
    const started = Date.now();
    const { byMissCost, examples } = runExperiment(tools);
    for (const [missCost, outcomes] of byMissCost) console.log(`learned, miss cost ${missCost}:     ${line(outcomes)}`);
    console.log(`(${byMissCost.size} thresholds, ${Date.now() - started} ms for all folds)`);
    console.log('\nWhere the learned model and the rules disagree (first few), with the features that decided:');
    for (const example of examples) console.log(`  ${example}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
