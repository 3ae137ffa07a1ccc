// Classifier accuracy and speed on the labelled corpus: the saved tools/list answers of 73 real npm
// MCP servers (fixtures/catalog/tools-list/) and their hand labels (fixtures/catalog/labels.json).
// No server is started: `npm run bench -- catalog` needs no corpus install.
//
// Prints, leave-one-server-out (each server's tools classified by a classifier built without it):
// overall accuracy, per-class recall and precision, the confusion matrix, the count of Execute,
// Destructive and Financial tools classed Read or Write, and how many tools are marked needs review —
// for the whole corpus and for each set (development: the servers the rules were written from;
// evaluation: labelled after the rules were first frozen, then tuned on; holdout: labelled before the
// classifier ever ran on them and never tuned on — the out-of-sample figure; round4: a fourth round, labelled
// and committed before the classifier ran on it, measured untouched once, then tuned on; round5 to round12: the fifth to twelfth rounds, the same way). Targets (issue 16), out of
// sample: overall ≥ 95%, recall ≥ 95% for Execute, Destructive and Financial, ≤ 1% high-risk as Read/Write.
//
// Speed: the whole corpus classified in-process (median of 21 runs; target under a second), and one
// `policylayer catalog FILE` of a saved tools/list answer through the built binary (median of 5).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BIN, ROOT, fmt, importFromSource, median, timeProcess } from './lib.mjs';

function compiled(dir) {
  return importFromSource(dir, 'catalog-eval', {
    stdin: {
      contents: [
        "export { labelledTools, loadCorpus } from './fixtures/catalog/corpus.ts';",
        "export { leaveOneServerOut, report, formatReport } from './fixtures/catalog/evaluate.ts';",
        "export { classifyTool } from './src/catalog/classify.ts';",
      ].join('\n'),
      resolveDir: ROOT,
      loader: 'ts',
    },
  });
}

export async function run() {
  const dir = mkdtempSync(join(tmpdir(), 'policylayer-bench-catalog-'));
  try {
    // The corpus module finds its files from its own location; bundled into a temp dir it is told the root.
    process.env.POLICYLAYER_ROOT = ROOT;
    const { labelledTools, loadCorpus, leaveOneServerOut, report, formatReport, classifyTool } = await compiled(dir);
    const corpus = loadCorpus();
    const tools = labelledTools(corpus);
    const outcomes = leaveOneServerOut(tools);
    const all = report(outcomes);
    console.log(formatReport('All servers', all));
    const titles = {
      development: 'Development set',
      evaluation: 'Evaluation set',
      holdout: 'Holdout set (frozen: never tuned on)',
      round4: 'Round 4 set (labelled before the classifier ran; untouched figure in docs/dev/catalog-classifier.md §15)',
      round5: 'Round 5 set (labelled before the classifier ran; untouched figure in docs/dev/catalog-classifier.md §16)',
      round6: 'Round 6 set (labelled before the classifier ran; untouched figure in docs/dev/catalog-classifier.md §17)',
      round7: 'Round 7 set (labelled before the classifier ran; untouched figure in docs/dev/catalog-classifier.md §18)',
      round8: 'Round 8 set (labelled before the classifier ran; untouched figure in docs/dev/catalog-classifier.md §19)',
      round9: 'Round 9 set (labelled before the classifier ran; untouched figure in docs/dev/catalog-classifier.md §20)',
      round10: 'Round 10 set (labelled before the classifier ran; untouched figure in docs/dev/catalog-classifier.md §21)',
      round11: 'Round 11 set (labelled before the classifier ran; untouched figure in docs/dev/catalog-classifier.md §22)',
      round12: 'Round 12 set (labelled before the classifier ran; untouched figure in docs/dev/catalog-classifier.md §23)',
    };
    for (const set of ['development', 'evaluation', 'holdout', 'round4', 'round5', 'round6', 'round7', 'round8', 'round9', 'round10', 'round11', 'round12']) {
      console.log('');
      console.log(formatReport(titles[set], report(outcomes.filter((outcome) => outcome.set === set))));
    }
    const holdout = report(outcomes.filter((outcome) => outcome.set === 'holdout'));
    const met = (r) => (r.accuracy >= 0.95 && ['Execute', 'Destructive', 'Financial'].every((c) => r.recall[c] >= 0.95) && r.highRiskAsLow <= 0.01 * r.highRisk ? 'met' : 'NOT met');
    console.log(`\nTargets (≥ 95% overall, ≥ 95% recall on Execute/Destructive/Financial, ≤ 1% high-risk as Read/Write): whole corpus ${met(all)}; holdout set ${met(holdout)}`);

    console.log('\nPer server (accuracy):');
    for (const { server, set, correct, total } of all.perServer) console.log(`  ${server.padEnd(22)} ${set.padEnd(12)} ${`${correct}/${total}`.padEnd(8)} ${fmt((100 * correct) / total)}%`);
    console.log('\nMisses (hand label → classifier; the deciding evidence):');
    for (const miss of all.misses) console.log(`  ${miss.id}: ${miss.label} → ${miss.got}${miss.needsReview ? ' [needs review]' : ''}  (${miss.evidence})`);

    const definitions = corpus.flatMap((entry) => entry.tools);
    const times = [];
    for (let i = 0; i < 21; i++) {
      const started = process.hrtime.bigint();
      for (const tool of definitions) classifyTool(tool);
      times.push(Number(process.hrtime.bigint() - started) / 1e6);
    }
    console.log(`\nClassifying all ${definitions.length} tools in-process: median ${fmt(median(times), 1)} ms over 21 runs (target: under 1,000 ms)`);
    const file = join(ROOT, 'fixtures/catalog/tools-list', corpus.find((entry) => entry.server.id === 'cloudflare') ? `cloudflare@${corpus.find((entry) => entry.server.id === 'cloudflare').version}.json` : '');
    const processTimes = [];
    for (let i = 0; i < 5; i++) processTimes.push(timeProcess([BIN, 'catalog', '--format', 'json', file]));
    console.log(`\`policylayer catalog <saved tools/list of ${definitions.length > 0 ? 'cloudflare' : ''}>\` through the built binary: median ${fmt(median(processTimes), 0)} ms over 5 runs`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
