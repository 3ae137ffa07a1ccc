/** The `init --interactive` wizard: keys to the pure reducer, and the policy preview formatted on the way in. */
import { useApp, useInput, useStdout } from 'ink';
import { useEffect, useRef, useState } from 'react';
import type { ToolChoice } from '../../catalog/recommend.js';
import type { CatalogTool } from '../../catalog/types.js';
import { choicesOf, initialWizard, wizardKey, type WizardState } from '../model/wizard.js';
import { splitKeys } from '../split-keys.js';
import { useTerminalSize } from '../use-terminal-size.js';
import { WizardScreen } from './WizardScreen.js';

export interface WizardAppProps {
  tools: readonly CatalogTool[];
  serverName: string;
  source: string;
  target: string;
  overwriting: boolean;
  /** --strict: the Python guard starts on for tools that take Python code. */
  strict?: boolean;
  /** Formats the policy for the choices, exactly as it will be written. */
  renderPolicy(choices: ToolChoice[]): Promise<string>;
  onDone(result: { write: true; choices: ToolChoice[] } | { write: false }): void;
  size?: { columns: number; rows: number };
}

export function WizardApp(props: WizardAppProps) {
  const { exit } = useApp();
  const { stdout } = useStdout();
  const terminal = useTerminalSize(stdout);
  const { columns, rows } = props.size ?? terminal;
  const [state, setState] = useState<WizardState>(() => initialWizard(props.tools, { strict: props.strict === true }));
  const current = useRef(state);
  const [preview, setPreviewState] = useState<{ lines: string[] } | { error: string } | undefined>(undefined);
  // The key handler reads the ref: ink re-attaches handlers in an effect, which can run after a key.
  const previewRef = useRef(preview);
  const setPreview = (value: typeof preview) => {
    previewRef.current = value;
    setPreviewState(value);
  };
  const previewFor = useRef<WizardState | undefined>(undefined);
  const done = useRef(false);
  const height = Math.max(10, rows - 1);

  // Format the policy each time the preview opens; a late answer for older choices is dropped.
  useEffect(() => {
    if (state.screen !== 'preview' || previewFor.current === state) return;
    previewFor.current = state;
    const asked = state;
    setPreview(undefined);
    props.renderPolicy(choicesOf(state)).then(
      (text) => {
        if (previewFor.current === asked) setPreview({ lines: text.replace(/\n$/, '').split('\n') });
      },
      (error: Error) => {
        if (previewFor.current === asked) setPreview({ error: error.message });
      },
    );
  }, [state.screen]);

  useInput((input, key) => {
    for (const single of splitKeys(input, key)) {
      if (done.current) return;
      const before = current.current;
      const preview = previewRef.current;
      const previewLines = preview && 'lines' in preview ? preview.lines.length : 0;
      const result = wizardKey(before, { input: single.input, ...single.key }, { previewLines, visiblePreviewLines: Math.max(3, height - 4) });
      // Writing needs a preview that formatted without error.
      if (result.done === 'write' && !(preview && 'lines' in preview)) continue;
      current.current = result.state;
      setState(result.state);
      if (result.done) {
        done.current = true;
        props.onDone(result.done === 'write' ? { write: true, choices: choicesOf(result.state) } : { write: false });
        exit();
      }
    }
  });

  return <WizardScreen state={state} serverName={props.serverName} source={props.source} target={props.target} overwriting={props.overwriting} preview={preview} width={columns} height={height} />;
}
