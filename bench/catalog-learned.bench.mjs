// The learned-combiner experiment (fixtures/catalog/learned/), measured three strict ways next to the
// rules: leave-one-server-out on every non-holdout server; "next round" (trained on the rounds before
// round N, tested on round N, with the rules and vocabulary as they stood before round N was studied,
// taken from git at the commit that added round N's labels); the holdout, trained on everything else.
// Not shipped: this prints why (docs/dev/catalog-classifier.md, section 24). The leave-one-server-out
// part trains two models per non-holdout server (~11 minutes on a shared machine): only with
// `LEARNED_LOSO=1`. `LEARNED_ROUNDS=1` prints every round. `LEARNED_CORPUS_COMMIT=<commit>` reads the
// labelled corpus (fixtures/catalog) from that commit instead of the work tree: a round labelled on
// another branch can be measured before its rules change.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT, importFromSource } from './lib.mjs';

/** The commit that added each round's labels, before any rule was changed for it (docs/dev/catalog-classifier.md, sections 15-22). */
const ROUND_COMMITS = {
  round4: '7e8cf0c',
  round5: '5789e6c',
  round6: '476fa2a',
  round7: '72e17c8',
  round8: 'afaa4d3',
  round9: '1261804',
  round10: '1d50425',
  round11: '8177e5b',
  // Measured on branch cat12 before it merged, as 0efc8e8 (section 24); the same labels on main.
  round12: '19c805f',
};

const RULES_ENTRY = [
  "export { classifyTool, tokenize } from './src/catalog/classify.ts';",
  "export * as vocabulary from './src/catalog/vocabulary.ts';",
].join('\n');

async function rulesAt(dir, commit) {
  const tree = join(dir, commit);
  mkdirSync(tree, { recursive: true });
  execFileSync('sh', ['-c', `git -C "${ROOT}" archive ${commit} src/catalog | tar -x -C "${tree}"`]);
  return importFromSource(dir, `rules-${commit}`, { stdin: { contents: RULES_ENTRY, resolveDir: tree, loader: 'ts' } });
}

const pct = (x) => `${(100 * x).toFixed(1)}%`;

export async function run() {
  const dir = mkdtempSync(join(tmpdir(), 'policylayer-bench-learned-'));
  try {
    process.env.POLICYLAYER_ROOT = ROOT;
    if (process.env.LEARNED_CORPUS_COMMIT) {
      const root = join(dir, 'corpus-root');
      mkdirSync(root);
      execFileSync('sh', ['-c', `git -C "${ROOT}" archive ${process.env.LEARNED_CORPUS_COMMIT} fixtures/catalog | tar -x -C "${root}"`]);
      process.env.POLICYLAYER_ROOT = root;
    }
    const lib = await importFromSource(dir, 'catalog-learned', {
      stdin: {
        contents: [
          "export { labelledTools, loadCorpus } from './fixtures/catalog/corpus.ts';",
          "export { report } from './fixtures/catalog/evaluate.ts';",
          "export * from './fixtures/catalog/learned/experiment.ts';",
          RULES_ENTRY,
        ].join('\n'),
        resolveDir: ROOT,
        loader: 'ts',
      },
    });
    const { report, VARIANTS } = lib;
    const tools = lib.labelledTools(lib.loadCorpus());
    const line = (outcomes) => {
      const r = report(outcomes);
      const recall = ['Read', 'Write', 'Execute', 'Destructive', 'Financial'].map((c) => `${c[0]} ${pct(r.recall[c])}`).join(' ');
      return `${pct(r.accuracy).padStart(6)} (${r.correct}/${r.tools}) ${recall}; high-risk as R/W ${r.highRiskAsLow}/${r.highRisk}`;
    };
    // The model as a review mark only: the rules' class stays, a tool the rules class Read or Write is
    // marked when the model (c=3) says Execute, Destructive or Financial.
    const HIGH = new Set(['Execute', 'Destructive', 'Financial']);
    const reviewMark = (scored) => {
      const mark = lib.outcomes(scored, { name: 'mark', features: 'all', missCost: 3, application: 'model' });
      const flagged = scored.filter(({ row }, i) => !HIGH.has(row.rules.category) && HIGH.has(mark[i].got));
      const caught = flagged.filter(({ row }) => HIGH.has(row.label));
      const missed = scored.filter(({ row }) => !HIGH.has(row.rules.category) && HIGH.has(row.label));
      return `review mark from the model: ${flagged.length} Read/Write tools marked, ${caught.length} of the rules' ${missed.length} high-risk-as-Read/Write among them (${caught.filter(({ row }) => row.rules.needsReview === undefined).length} not already marked by the rules)`;
    };
    const table = (title, rulesOutcomes, scored) => {
      console.log(title);
      console.log(`  ${'rules'.padEnd(30)}${line(rulesOutcomes)}`);
      for (const variant of VARIANTS) {
        const pool = scored[variant.features];
        if (pool) console.log(`  ${variant.name.padEnd(30)}${line(lib.outcomes(pool, variant))}`);
      }
    };
    const current = lib.buildRows(tools, { classifyTool: lib.classifyTool, tokenize: lib.tokenize, vocabulary: lib.vocabulary });

    // (b) Next round, with the rules as they stood before each round.
    // Only the rounds the corpus has, whose label commit this repository holds.
    const known = (commit) => {
      try {
        execFileSync('git', ['-C', ROOT, 'cat-file', '-e', `${commit}^{commit}`], { stdio: 'ignore' });
        return true;
      } catch {
        return false;
      }
    };
    const rounds = Object.entries(ROUND_COMMITS).filter(([round, commit]) => tools.some((item) => item.server.set === round) && known(commit));
    const rowsAt = new Map();
    for (const [, commit] of rounds) rowsAt.set(commit, lib.buildRows(tools, await rulesAt(dir, commit)));
    // Every tool with the rules' answer from before its round was studied (untouched, out of sample for
    // the rules); the first sets, which the rules were written from, with round 4's rules (in sample).
    const first = rowsAt.get(ROUND_COMMITS.round4);
    const untouched = first.map((row, i) => rowsAt.get(ROUND_COMMITS[row.round])?.[i] ?? row);
    const nextRounds = (title, rowsFor) => {
      const started = Date.now();
      const totals = { rules: [], byVariant: new Map(), scored: [] };
      for (const [round, commit] of rounds) {
        const rows = rowsFor(commit);
        const scored = { all: lib.nextRound(rows, round, 'all'), 'no-rules': lib.nextRound(rows, round, 'no-rules') };
        const rulesOutcomes = lib.rulesOutcomes(rows.filter((row) => row.round === round));
        if (process.env.LEARNED_ROUNDS === '1') table(`${title}: ${round} (rules at ${commit}):`, rulesOutcomes, scored);
        totals.rules.push(...rulesOutcomes);
        totals.scored.push(...scored.all);
        for (const variant of VARIANTS) {
          if (!totals.byVariant.has(variant.name)) totals.byVariant.set(variant.name, []);
          totals.byVariant.get(variant.name).push(...lib.outcomes(scored[variant.features], variant));
        }
      }
      console.log(`${title}: ${rounds[0][0]}-${rounds.at(-1)[0]} together (${Date.now() - started} ms):`);
      console.log(`  ${'rules'.padEnd(30)}${line(totals.rules)}`);
      for (const [name, outcomes] of totals.byVariant) console.log(`  ${name.padEnd(30)}${line(outcomes)}`);
      console.log(`  ${reviewMark(totals.scored)}`);
    };
    nextRounds('next round, trained on the earlier rounds with the same rules (in sample for them)', (commit) => rowsAt.get(commit));
    nextRounds('next round, trained on each earlier round with its untouched rules (stacked)', () => untouched);

    // (c) The holdout, trained on every non-holdout server (current rules).
    const holdoutTable = (title, rows) => {
      const scored = { all: lib.holdout(rows, 'all'), 'no-rules': lib.holdout(rows, 'no-rules') };
      table(title, lib.rulesOutcomes(rows.filter((row) => row.set === 'holdout')), scored);
      console.log(`  ${reviewMark(scored.all)}`);
      return scored;
    };
    const holdoutScored = holdoutTable('holdout, trained on every non-holdout server (current rules):', current);
    holdoutTable('holdout, trained on each non-holdout round with its untouched rules (stacked):', untouched.map((row, i) => (row.set === 'holdout' ? current[i] : row)));
    const disagree = lib.outcomes(holdoutScored.all, VARIANTS[0]).filter((outcome, i) => outcome.got !== holdoutScored.all[i].row.rules.category);
    console.log(`  where "${VARIANTS[0].name}" (current rules) and the rules disagree on the holdout (${disagree.length}), with the features that decided:`);
    for (const outcome of disagree) console.log(`    ${outcome.id}: rules ${current.find((row) => row.id === outcome.id).rules.category}, model ${outcome.got} (label ${outcome.label}); ${outcome.evidence}`);

    // (a) Leave-one-server-out on every non-holdout server (current rules: in sample for them).
    if (process.env.LEARNED_LOSO === '1') {
      const loso = (title, rows) => {
        const t = Date.now();
        const scored = { all: lib.leaveOneServerOutLearned(rows, 'all') };
        table(`${title} (${Date.now() - t} ms):`, lib.rulesOutcomes(rows.filter((row) => row.set !== 'holdout')), scored);
      };
      loso('leave-one-server-out, all non-holdout servers (current rules, in sample for them)', current);
      loso('leave-one-server-out, all non-holdout servers (each round with its untouched rules, stacked)', untouched);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
