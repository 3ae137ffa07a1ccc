import type { RecordingItem } from './read-recording.js';

const BATCH = 1024;

interface Cursor {
  source: AsyncIterator<RecordingItem[]>;
  batch: RecordingItem[];
  index: number;
  done: boolean;
}

/**
 * Merges recordings (each already in time order) into one stream in time order, holding one batch
 * per file. Equal times keep the order of the files as given, then of their lines. Problems (lines
 * that could not be read) pass through as soon as they are met.
 */
export async function* mergeByTime(sources: Array<AsyncIterable<RecordingItem[]>>): AsyncGenerator<RecordingItem[]> {
  if (sources.length === 1) {
    yield* sources[0]!;
    return;
  }
  const cursors: Cursor[] = sources.map((source) => ({ source: source[Symbol.asyncIterator](), batch: [], index: 0, done: false }));
  let out: RecordingItem[] = [];
  for (;;) {
    let best: Cursor | undefined;
    for (const cursor of cursors) {
      if (cursor.done) continue;
      while (!cursor.done && cursor.index >= cursor.batch.length) {
        const next = await cursor.source.next();
        if (next.done) cursor.done = true;
        else {
          cursor.batch = next.value;
          cursor.index = 0;
        }
      }
      if (cursor.done) continue;
      const item = cursor.batch[cursor.index]!;
      if (item.kind === 'problem') {
        best = cursor;
        break;
      }
      const bestItem = best?.batch[best.index];
      if (!bestItem || (bestItem.kind !== 'problem' && item.atMs < bestItem.atMs)) best = cursor;
    }
    if (!best) break;
    out.push(best.batch[best.index++]!);
    if (out.length >= BATCH) {
      yield out;
      out = [];
    }
  }
  if (out.length > 0) yield out;
}
