/** The `wrap`/`unwrap` picker screen: pure state (src/ui/model/server-picker.ts) drawn as rows. */
import { Box, Text, useApp, useInput, useStdout } from 'ink';
import { useRef, useState } from 'react';
import { initialPicker, pickerKey, visibleWindow, type PickerRow, type PickerState } from '../model/server-picker.js';
import { splitKeys } from '../split-keys.js';
import { useTerminalSize } from '../use-terminal-size.js';

export interface ServerPickerProps {
  rows: readonly PickerRow[];
  verb: 'wrap' | 'unwrap';
  onDone(chosen: number[] | undefined): void;
  size?: { columns: number; rows: number };
}

function clip(text: string, width: number): string {
  return text.length <= width ? text : `${text.slice(0, Math.max(0, width - 1))}…`;
}

export function ServerPickerScreen({ state, verb, width, height }: { state: PickerState; verb: 'wrap' | 'unwrap'; width: number; height: number }) {
  const nameWidth = Math.min(24, Math.max(4, ...state.rows.map((row) => row.name.length)));
  const statusWidth = Math.min(26, Math.max(6, ...state.rows.map((row) => row.status.length)));
  const { start, end } = visibleWindow(state, height - 5);
  const chosen = state.checked.filter(Boolean).length;
  const current = state.rows[state.cursor];
  return (
    <Box flexDirection="column" width={width}>
      <Text bold>{verb === 'wrap' ? 'Put policylayer proxy in front of these servers' : 'Restore these servers to their commands before wrap'}</Text>
      {state.rows.slice(start, end).map((row, offset) => {
        const i = start + offset;
        const box = row.selectable ? (state.checked[i] ? '[x]' : '[ ]') : ' - ';
        const line = `${i === state.cursor ? '›' : ' '} ${box} ${row.name.padEnd(nameWidth)}  ${row.status.padEnd(statusWidth)}  ${row.client}`;
        return (
          <Text key={i} inverse={i === state.cursor} dimColor={!row.selectable}>
            {clip(line, width)}
          </Text>
        );
      })}
      <Text dimColor>{current ? clip(`  ${current.target}  (${current.file})`, width) : ''}</Text>
      <Text color={state.hint ? 'yellow' : undefined}>{clip(state.hint ?? `${chosen} chosen`, width)}</Text>
      <Text dimColor>{clip(`↑/↓ move · Space choose · a all · Enter ${verb} (the diff is shown first) · q quit`, width)}</Text>
    </Box>
  );
}

export function ServerPicker(props: ServerPickerProps) {
  const { exit } = useApp();
  const { stdout } = useStdout();
  const terminal = useTerminalSize(stdout);
  const { columns, rows } = props.size ?? terminal;
  const [state, setState] = useState<PickerState>(() => initialPicker(props.rows));
  const current = useRef(state);
  const done = useRef(false);
  useInput((input, key) => {
    for (const single of splitKeys(input, key)) {
      if (done.current) return;
      const result = pickerKey(current.current, { input: single.input, ...single.key });
      current.current = result.state;
      setState(result.state);
      if (result.done) {
        done.current = true;
        props.onDone(result.done === 'quit' ? undefined : result.done.chosen);
        exit();
      }
    }
  });
  return <ServerPickerScreen state={state} verb={props.verb} width={columns} height={Math.max(8, rows - 1)} />;
}
