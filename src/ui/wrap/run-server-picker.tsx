/** Runs the `wrap`/`unwrap` picker on the terminal; resolves with the chosen rows, or undefined when the user quit. */
import { render } from 'ink';
import type { PickerRow } from '../model/server-picker.js';
import { onAlternateScreen } from '../alternate-screen.js';
import { ServerPicker } from './ServerPicker.js';

export interface RunServerPickerOptions {
  rows: readonly PickerRow[];
  verb: 'wrap' | 'unwrap';
  stdin?: NodeJS.ReadStream;
  stdout?: NodeJS.WriteStream;
}

export async function runServerPicker({ rows, verb, stdin, stdout = process.stdout }: RunServerPickerOptions): Promise<number[] | undefined> {
  let result: number[] | undefined;
  await onAlternateScreen(stdout, async () => {
    const instance = render(<ServerPicker rows={rows} verb={verb} onDone={(chosen) => (result = chosen)} />, { stdin: stdin ?? process.stdin, stdout, exitOnCtrlC: false, patchConsole: false });
    await instance.waitUntilExit();
  });
  return result;
}
