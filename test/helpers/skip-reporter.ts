/**
 * Repeats, after vitest's own summary, why tests were skipped (the notes of `context.skip(note)`,
 * see test/helpers/requirements.ts), and in which files: a newcomer sees what to install instead
 * of a bare "31 skipped".
 */
import type { Reporter, TestModule } from 'vitest/node';

export default class SkipReporter implements Reporter {
  onTestRunEnd(modules: ReadonlyArray<TestModule>): void {
    const byReason = new Map<string, Set<string>>();
    for (const module of modules) {
      const tests = [...module.children.allTests()];
      const notes = new Set(tests.map((test) => test.result()).flatMap((result) => (result.state === 'skipped' && result.note ? [result.note] : [])));
      if (notes.size === 0) continue;
      for (const note of notes) byReason.set(note, (byReason.get(note) ?? new Set<string>()).add(module.relativeModuleId));
    }
    if (byReason.size === 0) return;
    const lines = ['', 'Skipped because something is missing on this machine (CI=true makes these failures):'];
    for (const [reason, files] of byReason) lines.push(`  ${reason}`, `    skipped in ${[...files].sort().join(', ')}`);
    process.stdout.write(`${lines.join('\n')}\n\n`);
  }
}
