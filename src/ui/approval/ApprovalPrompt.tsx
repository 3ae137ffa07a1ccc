/** The approval prompt drawn on the terminal (`proxy --approve-tty`): presentational, fed by ApprovalApp. */
import { Box, Text } from 'ink';
import { formatDuration } from '../model/format.js';
import type { ApprovalChoice } from '../model/approval-keys.js';

export interface ApprovalPromptProps {
  tool: string;
  rule: string;
  message: string;
  grant: string;
  /** The argument summary, one terminal line each. */
  argLines: string[];
  scroll: number;
  visibleLines: number;
  focus: ApprovalChoice;
  remainingMs: number;
  /** False during the short delay in which keys are ignored. */
  armed: boolean;
  width: number;
}

function Field({ label, children, color }: { label: string; children: string; color?: string }) {
  return (
    <Box>
      <Box width={11} flexShrink={0}>
        <Text dimColor>{label}</Text>
      </Box>
      <Text wrap="truncate-end" {...(color ? { color } : {})}>
        {children}
      </Text>
    </Box>
  );
}

function Button({ label, focused, color }: { label: string; focused: boolean; color: string }) {
  return (
    <Box marginRight={2}>
      <Text color={color} inverse={focused} bold={focused}>
        {focused ? `▸ ${label} ` : `  ${label} `}
      </Text>
    </Box>
  );
}

export function ApprovalPrompt(props: ApprovalPromptProps) {
  const { argLines, scroll, visibleLines } = props;
  const shown = argLines.slice(scroll, scroll + visibleLines);
  const above = scroll;
  const below = Math.max(0, argLines.length - scroll - shown.length);
  const urgent = props.remainingMs <= 10_000;
  return (
    <Box flexDirection="column" width={props.width} borderStyle="round" borderColor="yellow" paddingX={1}>
      <Text bold color="yellow">
        policylayer: approve this tool call?
      </Text>
      <Field label="Tool">{props.tool}</Field>
      <Field label="Rule">{props.rule}</Field>
      {props.message ? <Field label="Why">{props.message}</Field> : null}
      <Field label="Grant">{props.grant}</Field>
      <Text dimColor>{`Arguments${above > 0 || below > 0 ? ` (lines ${scroll + 1}–${scroll + shown.length} of ${argLines.length}, ↑/↓ to scroll)` : ''}`}</Text>
      {above > 0 ? <Text dimColor>{`  … ${above} line${above === 1 ? '' : 's'} above`}</Text> : null}
      {shown.map((line, i) => (
        <Text key={i} wrap="truncate-end">{`  ${line}`}</Text>
      ))}
      {below > 0 ? <Text dimColor>{`  … ${below} more line${below === 1 ? '' : 's'}`}</Text> : null}
      <Box marginTop={1}>
        <Button label="Approve" focused={props.focus === 'approve'} color="green" />
        <Button label="Deny" focused={props.focus === 'deny'} color="red" />
        <Box flexGrow={1} justifyContent="flex-end">
          <Text {...(urgent ? { color: 'red', bold: true } : { dimColor: true })}>{`denied in ${formatDuration(props.remainingMs)}`}</Text>
        </Box>
      </Box>
      <Text dimColor>{props.armed ? 'y then Enter approves this one call · n or Esc denies · ←/→ move' : 'get ready…'}</Text>
    </Box>
  );
}
