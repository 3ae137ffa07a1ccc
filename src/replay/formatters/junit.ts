import { closeSync, openSync, readSync, rmSync, writeSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { StringDecoder } from 'node:string_decoder';
import { join } from 'node:path';
import type { Io } from '../../output/io.js';
import { JUNIT_HEADER, junitCase, junitSuiteOpen, junitSuitesOpen, junitSystemOut } from '../../output/junit.js';
import { printable } from '../../output/printable.js';
import { BufferedWriter } from '../../output/buffered-writer.js';
import type { ReplaySink } from '../replay.js';
import type { RecordingProblem } from '../read-recording.js';
import type { ReplayEvent, ReplaySummary } from '../summary.js';
import { failureText, where, type ReplayFormatOptions } from './describe.js';
import { plural } from '../../output/plural.js';

/**
 * JUnit XML with one test case per call that carries `expect`. The report's counts come first in
 * the XML but are known only at the end, so test cases are spooled to a temporary file and copied
 * out after the run: memory stays constant however many calls are checked.
 */
export function junitReplay(io: Io, options: ReplayFormatOptions): ReplaySink {
  const folder = mkdtempSync(join(tmpdir(), 'policylayer-junit-'));
  const spool = openSync(join(folder, 'cases.xml'), 'w+');
  let pending: string[] = [];
  let pendingSize = 0;
  const spill = () => {
    if (pendingSize === 0) return;
    writeSync(spool, pending.join(''));
    pending = [];
    pendingSize = 0;
  };
  const out = new BufferedWriter(io.stdout);
  const cleanup = () => {
    closeSync(spool);
    rmSync(folder, { recursive: true, force: true });
  };
  return {
    call(event: ReplayEvent) {
      if (event.item.expect === undefined) return;
      const text = junitCase({
        name: `${where(event)} ${event.item.call.tool} expects ${event.item.expect}`,
        classname: `policylayer.replay.${event.item.file}`,
        ...(event.failed ? { failure: { message: failureText(event), type: 'expectation', details: `${where(event)}: ${failureText(event)}` } } : {}),
      });
      pending.push(text);
      pendingSize += text.length;
      if (pendingSize >= 64 * 1024) spill();
    },
    problem(problem: RecordingProblem) {
      io.stderr.write(`${problem.file}:${problem.line}: warning: ${printable(problem.message)}\n`);
    },
    finish(summary: ReplaySummary) {
      try {
        spill();
        const suite = { name: 'policylayer replay', tests: summary.expectationsChecked, failures: summary.expectationsFailed, timeSeconds: summary.durationMs / 1000 };
        out.write(JUNIT_HEADER + junitSuitesOpen(suite) + junitSuiteOpen({ ...suite, name: summary.files.join(', ') }));
        const buffer = Buffer.alloc(64 * 1024);
        const decoder = new StringDecoder('utf8');
        for (let position = 0, n; (n = readSync(spool, buffer, 0, buffer.length, position)) > 0; position += n) out.write(decoder.write(buffer.subarray(0, n)));
        const changes = summary.comparing ? `; ${plural(summary.changes, 'change')} compared with ${options.againstPath}` : '';
        out.write(
          junitSystemOut(
            `${plural(summary.calls, 'call')} replayed under ${options.policyPath}: ${summary.totals.allow} allow, ${summary.totals.deny} deny, ${summary.totals.approval_required} approval_required, ${summary.totals.unknown} unknown${changes}`,
          ),
        );
        out.write('  </testsuite>\n</testsuites>\n');
      } finally {
        cleanup();
      }
    },
    flush: () => out.flush(true),
  };
}

