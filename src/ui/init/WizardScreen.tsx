/** The `init --interactive` screens (tools, then the policy preview): presentational, fed a WizardState. */
import { Box, Text } from 'ink';
import { describeRecommendation } from '../../catalog/recommend.js';
import { changedFromRecommendation, recommendationOf, type WizardAction, type WizardState } from '../model/wizard.js';

export interface WizardScreenProps {
  state: WizardState;
  serverName: string;
  /** `built-in catalog`, `live from <command>`, or a catalog file. */
  source: string;
  /** Where the policy will be written, as shown to the user. */
  target: string;
  /** The target exists and --force was given. */
  overwriting: boolean;
  /** The policy text for the preview screen; undefined while it is being formatted. */
  preview: { lines: string[] } | { error: string } | undefined;
  width: number;
  height: number;
}

export const ACTION_COLOR: Record<WizardAction, string> = {
  allow: 'green',
  limit: 'yellow',
  require_approval: 'cyan',
  deny: 'red',
  hide: 'magenta',
};

const RISK_COLOR: Record<string, string> = { Low: 'green', Medium: 'yellow', High: 'red', Critical: 'magentaBright' };

export const TOOL_KEYS = '↑/↓ tool  ←/→ or a l r d h action  +/− or digits limit  w window  u undo  Enter preview  q quit';
export const PREVIEW_KEYS = 'Enter or y write  b or Esc back  ↑/↓ PgUp/PgDn scroll  q quit without writing';

function Header({ props, title }: { props: WizardScreenProps; title: string }) {
  return (
    <Box flexDirection="column">
      <Text wrap="truncate-end">
        <Text bold>{`policylayer init · ${props.serverName}`}</Text>
        <Text dimColor>{` · ${props.source} · ${title}`}</Text>
      </Text>
    </Box>
  );
}

/** The tools that fit, in a window that keeps the selection visible. */
function visibleRange(count: number, selected: number, rows: number): [number, number] {
  if (count <= rows) return [0, count];
  const start = Math.min(Math.max(0, selected - Math.floor(rows / 2)), count - rows);
  return [start, start + rows];
}

function ToolsScreen(props: WizardScreenProps) {
  const { state, width, height } = props;
  const tool = state.tools[state.selected]!;
  const nameWidth = Math.min(32, Math.max(12, ...state.tools.map((t) => t.name.length + 3)));
  const detailLines = 7 + Math.min(tool.evidence.length, 4) + (tool.conflicts?.length ? 1 : 0) + (tool.needsReview !== undefined ? 1 : 0);
  const listRows = Math.max(3, height - detailLines - 6);
  const [from, to] = visibleRange(state.tools.length, state.selected, listRows);
  const changed = state.tools.filter((_, i) => changedFromRecommendation(state, i)).length;
  return (
    <Box flexDirection="column" width={width} height={height} overflow="hidden">
      <Header props={props} title={`${state.tools.length} tool${state.tools.length === 1 ? '' : 's'} → ${props.target}${props.overwriting ? ' (will overwrite)' : ''}`} />
      <Box>
        <Box width={nameWidth + 2} flexShrink={0}>
          <Text bold>{'  TOOL'}</Text>
        </Box>
        <Box width={20} flexShrink={0}>
          <Text bold>CLASS</Text>
        </Box>
        <Text bold>{`ACTION${changed > 0 ? `  (* ${changed} changed from the recommendation)` : ''}`}</Text>
      </Box>
      {from > 0 ? <Text dimColor>{`  … ${from} above`}</Text> : null}
      {state.tools.slice(from, to).map((t, offset) => {
        const i = from + offset;
        const selected = i === state.selected;
        const action = state.actions[i]!;
        return (
          <Box key={t.name}>
            <Box width={nameWidth + 2} flexShrink={0}>
              <Text wrap="truncate-end" bold={selected} {...(selected ? { color: 'cyan' } : {})}>{`${selected ? '▸ ' : '  '}${t.name}`}</Text>
            </Box>
            <Box width={20} flexShrink={0}>
              <Text>
                {`${t.category}${t.needsReview !== undefined ? '?' : ''} · `}
                <Text color={RISK_COLOR[t.risk] ?? 'white'}>{t.risk}</Text>
              </Text>
            </Box>
            <Text wrap="truncate-end" color={ACTION_COLOR[action]} bold={selected}>
              {`${selected ? '◂ ' : ''}${describeRecommendation(recommendationOf(state, i))}${selected ? ' ▸' : ''}${state.guards[i] ? ' + Python guard' : ''}${changedFromRecommendation(state, i) ? ' *' : ''}`}
            </Text>
          </Box>
        );
      })}
      {to < state.tools.length ? <Text dimColor>{`  … ${state.tools.length - to} below`}</Text> : null}
      <Text dimColor>{'─'.repeat(Math.max(10, width - 1))}</Text>
      <Text wrap="truncate-end">
        <Text bold>{tool.name}</Text>
        <Text>{` — ${tool.category} / `}</Text>
        <Text color={RISK_COLOR[tool.risk] ?? 'white'}>{tool.risk}</Text>
        <Text dimColor>{` (confidence ${Math.round(tool.confidence * 100)}%)`}</Text>
      </Text>
      <Text wrap="truncate-end">{tool.summary}</Text>
      {tool.needsReview !== undefined ? <Text color="yellow" wrap="truncate-end">{`Needs review: ${tool.needsReview} (so it is recommended: ${describeRecommendation(tool.recommendation)})`}</Text> : null}
      <Text wrap="truncate-end" dimColor>{`Why: ${tool.reason}`}</Text>
      <Text dimColor>Evidence:</Text>
      {tool.evidence.slice(0, 4).map((line, i) => (
        <Text key={i} wrap="truncate-end">{`  • ${line}`}</Text>
      ))}
      {tool.evidence.length > 4 ? <Text dimColor>{`  … ${tool.evidence.length - 4} more`}</Text> : null}
      <Text wrap="truncate-end">
        <Text dimColor>Recommended: </Text>
        <Text>{describeRecommendation(tool.recommendation)}</Text>
        {changedFromRecommendation(state, state.selected) ? <Text color="yellow">{` · you chose: ${describeRecommendation(recommendationOf(state, state.selected))}`}</Text> : null}
      </Text>
      {state.guardable[state.selected] !== undefined ? (
        <Text wrap="truncate-end">
          <Text dimColor>{`Python guard (g) on args.${state.guardable[state.selected]}: `}</Text>
          {state.guards[state.selected] ? (
            <Text color="green">on: denies code that starts processes, opens connections, deletes files, installs packages or escapes analysis</Text>
          ) : (
            <Text>off: press g to deny code that starts processes, opens connections, deletes files, installs packages or escapes analysis</Text>
          )}
        </Text>
      ) : null}
      {tool.conflicts?.length ? <Text color="yellow" wrap="truncate-end">{`Conflicting evidence (the higher risk won): ${tool.conflicts.join('; ')}`}</Text> : null}
      <Box flexGrow={1} />
      <Text dimColor wrap="truncate-end">
        {TOOL_KEYS}
      </Text>
    </Box>
  );
}

function PreviewScreen(props: WizardScreenProps) {
  const { state, width, height, preview } = props;
  const visible = Math.max(3, height - 4);
  let body;
  if (preview === undefined) body = <Text dimColor>formatting the policy…</Text>;
  else if ('error' in preview) body = <Text color="red">{`The policy cannot be written: ${preview.error}`}</Text>;
  else {
    const shown = preview.lines.slice(state.previewScroll, state.previewScroll + visible);
    body = shown.map((line, i) => (
      <Text key={i} wrap="truncate-end">
        {line || ' '}
      </Text>
    ));
  }
  const total = preview && 'lines' in preview ? preview.lines.length : 0;
  const position = total > visible ? ` · lines ${state.previewScroll + 1}–${Math.min(total, state.previewScroll + visible)} of ${total}` : '';
  return (
    <Box flexDirection="column" width={width} height={height} overflow="hidden">
      <Header props={props} title={`preview${position}`} />
      <Text wrap="truncate-end" {...(props.overwriting ? { color: 'yellow' } : {})}>
        {props.overwriting ? `Will overwrite ${props.target} (--force).` : `Will write ${props.target} (a new file).`}
      </Text>
      <Box flexDirection="column" borderStyle="single" borderLeft={false} borderRight={false} borderBottom={false} borderDimColor>
        {body}
      </Box>
      <Box flexGrow={1} />
      <Text dimColor wrap="truncate-end">
        {PREVIEW_KEYS}
      </Text>
    </Box>
  );
}

export function WizardScreen(props: WizardScreenProps) {
  return props.state.screen === 'tools' ? <ToolsScreen {...props} /> : <PreviewScreen {...props} />;
}
