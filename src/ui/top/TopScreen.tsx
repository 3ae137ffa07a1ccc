/** The `policylayer top` screen: presentational, fed a TopView; the width and height are props so tests can fix them. */
import { Box, Text } from 'ink';
import type { ReactNode } from 'react';
import type { CallClass } from '../model/classify.js';
import { formatBar, formatClock, formatCount, formatDuration } from '../model/format.js';
import { counterUsage, healthLine, shortRule } from '../model/summary.js';
import { budgetLevel, filterLine, statusLine, titleStatus } from '../model/top-text.js';
import type { ToolStats } from '../model/top-model.js';
import { TOP_KEY_HELP } from '../model/top-keys.js';
import { layoutTop, type CounterRow, type TopView } from '../model/top-view.js';

export interface TopScreenProps {
  view: TopView;
  file: string;
  width: number;
  height: number;
  paused: boolean;
  /** Lines read while paused (not yet on screen). */
  unseenLines: number;
}

export const CLASS_COLOR: Record<CallClass, string> = {
  allowed: 'green',
  denied: 'red',
  limited: 'yellow',
  approved: 'cyan',
  refused: 'magenta',
  asked: 'blue',
};

const BUDGET_COLOR = { spent: 'red', low: 'yellow', fine: 'green' } as const;

function Cell({ width, right, children, color, bold, dim }: { width?: number; right?: boolean; children: ReactNode; color?: string; bold?: boolean; dim?: boolean }) {
  return (
    <Box
      {...(width === undefined ? { flexGrow: 1, flexBasis: 0 } : { width, flexShrink: 0 })}
      justifyContent={right ? 'flex-end' : 'flex-start'}
      paddingRight={right ? 0 : 1}
      paddingLeft={right ? 1 : 0}
      overflow="hidden"
    >
      <Text wrap="truncate-end" {...(color ? { color } : {})} bold={bold ?? false} dimColor={dim ?? false}>
        {children}
      </Text>
    </Box>
  );
}

function Line({ children }: { children: ReactNode }) {
  return (
    <Box flexDirection="row" width="100%" height={1} overflow="hidden">
      {children}
    </Box>
  );
}

function ToolTable({ view, rows, width }: { view: TopView; rows: number; width: number }) {
  const showAsked = view.totals.asked > 0;
  // Narrow terminals get short titles and narrower numbers, so the tool names keep some room.
  const compact = width < 100;
  const numberWidth = compact ? 7 : 9;
  const numbers: Array<[string, string, (s: ToolStats) => number, string?]> = [
    ['CALLS', 'CALLS', (s) => s.calls],
    ['ALLOWED', 'ALLOW', (s) => s.allowed, CLASS_COLOR.allowed],
    ['DENIED', 'DENY', (s) => s.denied, CLASS_COLOR.denied],
    ['LIMITED', 'LIMIT', (s) => s.limited, CLASS_COLOR.limited],
    ['APPROVED', 'APPRV', (s) => s.approved, CLASS_COLOR.approved],
    ['REFUSED', 'REFUS', (s) => s.refused, CLASS_COLOR.refused],
    ...(showAsked ? ([['ASKED', 'ASKED', (s: ToolStats) => s.asked, CLASS_COLOR.asked]] as Array<[string, string, (s: ToolStats) => number, string?]>) : []),
    ['ERRORS', 'ERR', (s) => s.errors],
  ];
  const shown = view.tools.slice(0, view.tools.length > rows ? rows - 1 : rows);
  const hidden = view.tools.length - shown.length;
  const row = (s: ToolStats, bold: boolean, selected: boolean) => (
    <Line key={s.tool}>
      <Cell bold={bold || selected} {...(selected ? { color: 'cyan' } : {})}>
        {selected ? `▸ ${s.tool}` : s.tool}
      </Cell>
      {numbers.map(([title, , pick, color]) => {
        const n = pick(s);
        return (
          <Cell key={title} width={numberWidth} right bold={bold} dim={n === 0} {...(color && n > 0 ? { color } : {})}>
            {formatCount(n)}
          </Cell>
        );
      })}
    </Line>
  );
  return (
    <Box flexDirection="column">
      <Line>
        <Cell bold>TOOL</Cell>
        {numbers.map(([title, short]) => (
          <Cell key={title} width={numberWidth} right bold>
            {compact ? short : title}
          </Cell>
        ))}
      </Line>
      {view.tools.length === 0 ? (
        <Line>
          <Cell dim>no calls yet</Cell>
        </Line>
      ) : (
        shown.map((s) => row(s, false, s.tool === view.filter.tool))
      )}
      {hidden > 0 ? (
        <Line>
          <Cell dim>{`… ${hidden} more tool${hidden === 1 ? '' : 's'}`}</Cell>
        </Line>
      ) : null}
      {row(view.totals, true, false)}
    </Box>
  );
}

function CounterTable({ counters, rows, width, tool }: { counters: CounterRow[]; rows: number; width: number; tool: string | undefined }) {
  const scopeWidth = Math.max(12, Math.floor(width / 6));
  const barWidth = width >= 120 ? 20 : width >= 90 ? 10 : 0;
  const shown = counters.slice(0, counters.length > rows ? rows - 1 : rows);
  const hidden = counters.length - shown.length;
  return (
    <Box flexDirection="column">
      <Line>
        <Cell bold>COUNTER</Cell>
        <Cell width={scopeWidth} bold>
          SCOPE
        </Cell>
        <Cell width={8} bold>
          WINDOW
        </Cell>
        <Cell width={12} right bold>
          USED/MAX
        </Cell>
        <Cell width={8} right bold>
          LEFT
        </Cell>
        <Cell width={10} right bold>
          RESETS IN
        </Cell>
        {barWidth > 0 ? <Cell width={barWidth + 3}>{''}</Cell> : null}
      </Line>
      {counters.length === 0 ? (
        <Line>
          <Cell dim>{tool === undefined ? 'no counters reported yet' : `no counters reported for ${tool}`}</Cell>
        </Line>
      ) : (
        shown.map((c) => {
          const color = BUDGET_COLOR[budgetLevel(c)];
          return (
            <Line key={`${c.counter}\u0000${c.scope}\u0000${c.window}`}>
              <Cell>{c.counter}</Cell>
              <Cell width={scopeWidth}>{c.scope}</Cell>
              <Cell width={8}>{c.window}</Cell>
              <Cell width={12} right>
                {counterUsage(c)}
              </Cell>
              <Cell width={8} right color={color}>
                {formatCount(c.left)}
              </Cell>
              <Cell width={10} right>
                {formatDuration(c.resetsInMs)}
              </Cell>
              {barWidth > 0 ? (
                <Cell width={barWidth + 3} color={color}>
                  {`  ${formatBar(c.max === 0 ? 1 : c.used / c.max, barWidth)}`}
                </Cell>
              ) : null}
            </Line>
          );
        })
      )}
      {hidden > 0 ? (
        <Line>
          <Cell dim>{`… ${hidden} more counter${hidden === 1 ? '' : 's'}`}</Cell>
        </Line>
      ) : null}
    </Box>
  );
}

function DecisionList({ view, rows, width }: { view: TopView; rows: number; width: number }) {
  const toolWidth = Math.min(24, Math.max(12, Math.floor(width / 5)));
  const ruleWidth = Math.min(32, Math.max(14, Math.floor(width / 5)));
  return (
    <Box flexDirection="column">
      <Line>
        <Cell bold>{`RECENT DECISIONS (${formatCount(Math.min(rows, view.decisions.length))} of ${formatCount(view.matchingDecisions)} kept)`}</Cell>
      </Line>
      {view.decisions.length === 0 && rows > 0 ? (
        <Line>
          <Cell dim>no decisions match</Cell>
        </Line>
      ) : (
        // Keyed by position: the list scrolls, and seq numbers repeat after a rotation.
        view.decisions.slice(0, rows).map((d, i) => (
          <Line key={i}>
            <Cell width={10} dim>
              {formatClock(d.tsMs)}
            </Cell>
            <Cell width={10} color={CLASS_COLOR[d.cls]}>
              {d.cls}
            </Cell>
            <Cell width={toolWidth}>{d.tool}</Cell>
            <Cell width={ruleWidth} dim>
              {shortRule(d.rule, d.tool)}
            </Cell>
            <Cell>{d.message || (d.approval ? `approval ${d.approval}` : '')}</Cell>
          </Line>
        ))
      )}
    </Box>
  );
}

export function TopScreen({ view, file, width, height, paused, unseenLines }: TopScreenProps) {
  const layout = layoutTop(height, view.tools.length, view.counters.length);
  const { health } = view;
  const filter = filterLine(view.filter);
  return (
    <Box flexDirection="column" width={width} height={height} overflow="hidden">
      <Line>
        <Cell bold>{`policylayer top · ${file}`}</Cell>
        <Cell width={36} right {...(paused ? { color: 'yellow' } : {})} bold={paused}>
          {titleStatus(view, paused, unseenLines)}
        </Cell>
      </Line>
      <Line>
        <Cell dim>{statusLine(view, file)}</Cell>
      </Line>
      <Line>
        <Cell {...(health.unreadable > 0 || health.seqGaps > 0 || health.readError !== undefined ? { color: 'yellow' } : { dim: true })}>{healthLine(view)}</Cell>
      </Line>
      <ToolTable view={view} rows={layout.toolRows} width={width} />
      <Line>
        <Text> </Text>
      </Line>
      <CounterTable counters={view.counters} rows={layout.counterRows} width={width} tool={view.filter.tool} />
      <Line>
        <Text> </Text>
      </Line>
      <DecisionList view={view} rows={layout.decisionRows} width={width} />
      <Box flexGrow={1} />
      <Line>
        <Cell dim>{TOP_KEY_HELP}</Cell>
        <Cell width={Math.min(filter.text.length + 1, Math.floor(width / 2))} right {...(filter.active ? { color: 'cyan', bold: true } : { dim: true })}>
          {filter.text}
        </Cell>
      </Line>
    </Box>
  );
}
