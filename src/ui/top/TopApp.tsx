/**
 * The live `top` screen: turns model changes into frames (at most one per `frameMs`, so thousands
 * of lines a second cost a handful of renders), ticks once a second for the countdowns, and maps
 * keys to the pure key reducer. Pausing freezes a copy of the model, so filters still work on it.
 */
import { useApp, useInput, useStdout } from 'ink';
import { useEffect, useRef, useState } from 'react';
import { INITIAL_TOP_UI, topKey, type TopUiState } from '../model/top-keys.js';
import type { TopModel } from '../model/top-model.js';
import { buildTopView, timeDependentText } from '../model/top-view.js';
import { splitKeys } from '../split-keys.js';
import { useTerminalSize } from '../use-terminal-size.js';
import { TopScreen } from './TopScreen.js';

export interface TopFeed {
  model: TopModel;
  /** Registers a listener called after the model changed; returns the unsubscribe function. */
  subscribe(listener: () => void): () => void;
}

export interface TopAppProps {
  feed: TopFeed;
  file: string;
  /** Minimum time between two frames caused by new lines: four a second is live enough to read, and keeps a busy log cheap. */
  frameMs?: number;
  now?: () => number;
  /** Fixed size for tests; otherwise the terminal's. */
  size?: { columns: number; rows: number };
}

export function TopApp({ feed, file, frameMs = 250, now = Date.now, size }: TopAppProps) {
  const { exit } = useApp();
  const { stdout } = useStdout();
  const terminal = useTerminalSize(stdout);
  const { columns, rows } = size ?? terminal;
  const [ui, setUi] = useState<TopUiState>(INITIAL_TOP_UI);
  // Keys can arrive faster than React re-renders; each must see the state the previous one left.
  const current = useRef(ui);
  const [, setFrame] = useState(0);
  const frozen = useRef<{ model: TopModel; atMs: number; lines: number } | undefined>(undefined);

  useEffect(() => {
    let timer: NodeJS.Timeout | undefined;
    let last = 0;
    const redraw = () => {
      timer = undefined;
      last = performance.now();
      setFrame((n) => n + 1);
    };
    const unsubscribe = feed.subscribe(() => {
      if (timer) return;
      timer = setTimeout(redraw, Math.max(0, last + frameMs - performance.now()));
    });
    let shownTime = '';
    const clock = setInterval(() => {
      const time = timeDependentText(feed.model, now());
      if (time === shownTime) return;
      shownTime = time;
      setFrame((n) => n + 1);
    }, 1000);
    return () => {
      unsubscribe();
      clearTimeout(timer);
      clearInterval(clock);
    };
  }, [feed, frameMs, now]);

  useInput((input, key) => {
    for (const single of splitKeys(input, key)) {
      const before = current.current;
      const result = topKey(before, { input: single.input, escape: single.key.escape, ctrl: single.key.ctrl }, [...(frozen.current?.model ?? feed.model).tools.keys()]);
      if (result.quit) {
        exit();
        return;
      }
      if (result.state.paused && !before.paused) frozen.current = { model: feed.model.clone(), atMs: now(), lines: feed.model.health.lines };
      if (!result.state.paused) frozen.current = undefined;
      current.current = result.state;
      setUi(result.state);
    }
  });

  // A frame shorter than the terminal: ink clears the whole screen on every frame that fills it.
  const height = Math.max(1, rows - 1);
  const source = frozen.current?.model ?? feed.model;
  const nowMs = frozen.current?.atMs ?? now();
  // The screen decides how many decisions fit; it never needs more than its height.
  const view = buildTopView(source, ui.filter, nowMs, height);
  const unseen = frozen.current ? feed.model.health.lines - frozen.current.lines : 0;
  return <TopScreen view={view} file={file} width={columns} height={height} paused={ui.paused} unseenLines={unseen} />;
}
