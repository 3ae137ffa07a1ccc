/** Reads a whole audit log once into a TopModel and formats the summary (`top --once`). */
import { FileFollower } from '../../audit/follow.js';
import { formatSummaryJson, formatSummaryText, SUMMARY_DECISIONS } from './summary.js';
import { TopModel } from './top-model.js';
import { buildTopView, NO_FILTER, type TopView } from './top-view.js';

export async function summarizeAuditLog(path: string, shown: string, nowMs: number, format: 'text' | 'json'): Promise<{ view: TopView; text: string }> {
  const model = new TopModel();
  let failure: Error | undefined;
  const follower = new FileFollower(path, {
    lines: (lines) => model.ingest(lines),
    overlong: (bytes) => model.overlong(bytes),
    error: (error) => {
      failure = error;
    },
  });
  try {
    await follower.readNow();
  } finally {
    await follower.close();
  }
  if (failure) throw failure;
  const view = buildTopView(model, NO_FILTER, nowMs, SUMMARY_DECISIONS);
  return { view, text: format === 'json' ? formatSummaryJson(view, shown) : formatSummaryText(view, shown) };
}
