import { describe, expect, it } from 'vitest';
import { BufferedWriter } from '../../src/output/buffered-writer.js';

/** A stand-in for stdout: it has an fd, takes bytes or text, and can push back once. */
function stream(options: { pushBack?: boolean } = {}) {
  const chunks: Array<string | Uint8Array> = [];
  let drain: (() => void) | undefined;
  let pushBack = options.pushBack ?? false;
  return {
    fd: 1,
    write(chunk: string | Uint8Array) {
      chunks.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk));
      if (!pushBack) return true;
      pushBack = false;
      setTimeout(() => drain?.(), 5);
      return false;
    },
    once(_event: 'drain', listener: () => void) {
      drain = listener;
    },
    text: () => chunks.map((c) => (typeof c === 'string' ? c : Buffer.from(c).toString('utf8'))).join(''),
    count: () => chunks.length,
  };
}

const lines = Array.from({ length: 5000 }, (_, i) => `line ${i} é ✓ 😀 ${'x'.repeat(i % 97)}\n`);
const expected = lines.join('');

describe('BufferedWriter', () => {
  it('writes bytes to a real stream, in large chunks, exactly as the text', async () => {
    const out = stream();
    const writer = new BufferedWriter(out, 4096);
    for (const line of lines) {
      writer.write(line);
      await writer.flush();
    }
    writer.write('x'.repeat(50_000));
    await writer.flush(true);
    expect(out.text()).toBe(expected + 'x'.repeat(50_000));
    expect(out.count()).toBeLessThan(lines.length / 10);
  });

  it('writes strings to other outputs (tests, memory)', async () => {
    let text = '';
    const writer = new BufferedWriter({ write: (chunk: string) => (text += chunk) }, 4096);
    for (const line of lines) writer.write(line);
    await writer.flush(true);
    expect(text).toBe(expected);
  });

  it('waits for drain when the stream pushes back', async () => {
    const out = stream({ pushBack: true });
    const writer = new BufferedWriter(out, 16);
    writer.write('a'.repeat(20));
    let done = false;
    const flushed = writer.flush().then(() => (done = true));
    await new Promise((resolve) => setTimeout(resolve, 1));
    expect(done).toBe(false);
    await flushed;
    expect(done).toBe(true);
  });
});
