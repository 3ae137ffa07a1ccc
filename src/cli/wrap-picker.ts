/** The ink picker for `wrap` and `unwrap` on a terminal, and the question before writing; loaded only when one is needed. */
import { createInterface } from 'node:readline/promises';
import { loadUi } from '../ui/load.js';
import type { Io } from '../output/io.js';
import type { Candidate } from './wrap.js';
import { clientLabel, describeTarget, entryStatus, shortPath, wrapBlocker } from './wrap.js';

export async function pickServers(io: Io, candidates: readonly Candidate[], verb: 'wrap' | 'unwrap'): Promise<Candidate[] | undefined> {
  const ui = await loadUi();
  const rows = candidates.map((c) => ({
    name: c.entry.name,
    client: clientLabel(c.found, c.entry),
    file: shortPath(io, c.found.location.path),
    target: describeTarget(c.entry),
    status: entryStatus(c.entry),
    selectable: verb === 'unwrap' ? c.entry.wrapped !== undefined : wrapBlocker(c.found, c.entry) === undefined,
    preselected: verb === 'unwrap' ? c.entry.wrapped !== undefined : !c.entry.wrapped && wrapBlocker(c.found, c.entry) === undefined,
  }));
  const picked = await ui.runServerPicker({ rows, verb, stdin: process.stdin, stdout: process.stdout });
  return picked === undefined ? undefined : picked.map((i) => candidates[i]!);
}

/** Asks a yes/no question on the terminal; only "y" or "yes" is yes. */
export async function confirmOnTerminal(question: string): Promise<boolean> {
  // ink unrefs standard input when it unmounts: without this the process would end mid-question.
  (process.stdin as { ref?: () => void }).ref?.();
  const readline = createInterface({ input: process.stdin, output: process.stdout });
  try {
    const answer = await readline.question(`${question} [y/N] `);
    return /^y(es)?$/i.test(answer.trim());
  } finally {
    readline.close();
  }
}
