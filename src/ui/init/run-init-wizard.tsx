/** Runs the `init --interactive` wizard on the terminal and resolves with the confirmed choices (or none). */
import { render } from 'ink';
import type { ToolChoice } from '../../catalog/recommend.js';
import { onAlternateScreen } from '../alternate-screen.js';
import { WizardApp, type WizardAppProps } from './WizardApp.js';

export type RunInitWizardOptions = Omit<WizardAppProps, 'onDone' | 'size'> & {
  stdin?: NodeJS.ReadStream;
  stdout?: NodeJS.WriteStream;
};

/** The choices to write, or undefined when the user quit (nothing is written then). */
export async function runInitWizard({ stdin, stdout = process.stdout, ...props }: RunInitWizardOptions): Promise<ToolChoice[] | undefined> {
  let result: ToolChoice[] | undefined;
  await onAlternateScreen(stdout, async () => {
    const onDone: WizardAppProps['onDone'] = (done) => {
      if (done.write) result = done.choices;
    };
    const instance = render(<WizardApp {...props} onDone={onDone} />, { stdin: stdin ?? process.stdin, stdout, exitOnCtrlC: false, patchConsole: false });
    await instance.waitUntilExit();
  });
  return result;
}
