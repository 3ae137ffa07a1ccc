/**
 * The human form of a catalog: a table (tool, category, risk, confidence, parameters, recommended
 * rule) with risk coloured, then why each tool got its class and where the evidence disagreed.
 * Pure: colours come in as a `Paint` (a ChalkInstance fits), the width as a number.
 */
import { shellWords } from '../util/shell-words.js';
import { describeRecommendation } from './recommend.js';
import { CATEGORIES, type CatalogTool, type Risk, type ServerCatalog } from './types.js';

export interface Paint {
  red(text: string): string;
  yellow(text: string): string;
  green(text: string): string;
  magenta(text: string): string;
  dim(text: string): string;
  bold(text: string): string;
}

const plain: Paint = { red: String, yellow: String, green: String, magenta: String, dim: String, bold: String };

export function paintRisk(paint: Paint, risk: Risk, text: string = risk): string {
  switch (risk) {
    case 'Low':
      return paint.green(text);
    case 'Medium':
      return paint.yellow(text);
    case 'High':
      return paint.red(text);
    case 'Critical':
      return paint.bold(paint.magenta(text));
  }
}

export const MCP_DEFAULTS_NOTE = 'MCP defaults apply: not read-only, possibly destructive, not idempotent, open world';

/** `code*` for required parameters; names only, so the column stays narrow. */
export function parameterList(tool: CatalogTool): string[] {
  const properties = tool.inputSchema.properties ?? {};
  const required = new Set(tool.inputSchema.required ?? []);
  return Object.keys(properties).map((name) => (required.has(name) ? `${name}*` : name));
}

/** Greedy wrap of a comma-separated list into lines of at most `width` characters. */
function wrapList(items: readonly string[], width: number): string[] {
  if (items.length === 0) return ['—'];
  const lines: string[] = [];
  let line = '';
  for (const [i, item] of items.entries()) {
    const piece = i < items.length - 1 ? `${item},` : item;
    if (line === '') line = piece;
    else if (line.length + 1 + piece.length <= width) line += ` ${piece}`;
    else {
      lines.push(line);
      line = piece;
    }
  }
  lines.push(line);
  return lines;
}

interface Column {
  title: string;
  cells: string[][];
  paint?: (row: number, text: string) => string;
}

function table(columns: Column[], paint: Paint): string {
  const widths = columns.map((column) => Math.max(column.title.length, ...column.cells.flat().map((line) => line.length)));
  const rows = columns[0]!.cells.length;
  const out: string[] = [];
  const pad = (text: string, width: number) => text + ' '.repeat(Math.max(0, width - text.length));
  out.push(columns.map((column, i) => paint.dim(pad(column.title, widths[i]!))).join('  ').trimEnd());
  for (let row = 0; row < rows; row++) {
    const height = Math.max(...columns.map((column) => column.cells[row]!.length));
    for (let line = 0; line < height; line++) {
      const parts = columns.map((column, i) => {
        const text = column.cells[row]![line] ?? '';
        const padded = i === columns.length - 1 ? text : pad(text, widths[i]!);
        return column.paint && text !== '' ? column.paint(row, padded) : padded;
      });
      out.push(parts.join('  ').trimEnd());
    }
  }
  return out.join('\n');
}

function sourceLine(catalog: ServerCatalog): string {
  if (catalog.source === 'live') {
    const version = catalog.serverVersion ? ` ${catalog.serverVersion}` : '';
    return `${catalog.serverName}${version}, introspected live from: ${shellWords(catalog.launch)}`;
  }
  if (catalog.source === 'tools-list') return `classified from a saved tools/list answer (the server's name and version are not in it)`;
  return `built-in catalog, reviewed by hand${catalog.homepage ? ` (${catalog.homepage})` : ''}`;
}

function annotationsLine(catalog: ServerCatalog): string {
  const without = catalog.tools.filter((tool) => !tool.annotations || Object.keys(tool.annotations).length === 0).length;
  if (catalog.tools.length === 0) return '';
  if (without === catalog.tools.length) return `Annotations: the server declares none for any tool (${MCP_DEFAULTS_NOTE}).`;
  if (without === 0) return 'Annotations: declared for every tool; they are hints from the server, checked against the other evidence.';
  return `Annotations: ${without} of ${catalog.tools.length} tools declare none (${MCP_DEFAULTS_NOTE}).`;
}

export interface RenderOptions {
  paint?: Paint;
  /** Terminal width; the parameters column wraps to fit. */
  width?: number;
  /** Every evidence line for every tool, not only the reason and conflicts. */
  evidence?: boolean;
}

export function renderCatalog(catalog: ServerCatalog, options: RenderOptions = {}): string {
  const paint = options.paint ?? plain;
  const width = Math.max(60, options.width ?? 100);
  const tools = catalog.tools;
  const out: string[] = [];
  // The id is what `catalog <id>` and `lint --server <id>` take: shown for built-in catalogs when it differs from the name.
  const id = catalog.source !== 'live' && catalog.id !== catalog.name ? `  ${paint.dim(`(${catalog.id})`)}` : '';
  out.push(`${paint.bold(catalog.name)}${id}`);
  if (catalog.summary) out.push(catalog.summary);
  out.push(paint.dim(sourceLine(catalog)));
  out.push('');
  if (tools.length === 0) {
    out.push('The server lists no tools.');
    return `${out.join('\n')}\n`;
  }

  const names = tools.map((tool) => [tool.name]);
  // `Write?`: the class needs review (weak or conflicting evidence); the reasons are listed below the table.
  const categories = tools.map((tool) => [tool.needsReview !== undefined ? `${tool.category}?` : tool.category]);
  const risks = tools.map((tool) => [tool.risk]);
  const confidences = tools.map((tool) => [tool.confidence.toFixed(2)]);
  // `allow + checks`: the catalog's argument checks go with it (listed below the table).
  const rules = tools.map((tool) => [`${describeRecommendation(tool.recommendation)}${tool.argumentRules?.length ? ' + checks' : ''}`]);
  const fixed = [names, categories, risks, confidences, rules].map((cells, i) =>
    Math.max(['TOOL', 'CATEGORY', 'RISK', 'CONF', 'RECOMMENDED'][i]!.length, ...cells.flat().map((line) => line.length)),
  );
  const parametersWidth = Math.max(16, width - fixed.reduce((sum, w) => sum + w, 0) - 2 * 5);
  const parameters = tools.map((tool) => wrapList(parameterList(tool), parametersWidth));
  out.push(
    table(
      [
        { title: 'TOOL', cells: names, paint: (_row, text) => paint.bold(text) },
        { title: 'CATEGORY', cells: categories },
        { title: 'RISK', cells: risks, paint: (row, text) => paintRisk(paint, tools[row]!.risk, text) },
        { title: 'CONF', cells: confidences },
        { title: 'PARAMETERS', cells: parameters },
        { title: 'RECOMMENDED', cells: rules },
      ],
      paint,
    ),
  );
  const marked = tools.some((tool) => tool.needsReview !== undefined);
  out.push(paint.dim(`* required parameter.${marked ? ' ? class needs review.' : ''} CONF: confidence of the class (1.00: reviewed by hand).`));
  out.push('');
  const annotations = annotationsLine(catalog);
  if (annotations) out.push(annotations);
  const counts = CATEGORIES.map((category) => [category, tools.filter((tool) => tool.category === category).length] as const).filter(([, n]) => n > 0);
  out.push(`Classes: ${counts.map(([category, n]) => `${n} ${category}`).join(', ')}.`);
  out.push('');

  out.push(paint.bold('Why'));
  for (const tool of tools) {
    out.push(`  ${paint.bold(tool.name)}: ${tool.reason}`);
    if (tool.needsReview !== undefined) out.push(`    ${paint.yellow('needs review:')} ${tool.needsReview}; recommended: ${describeRecommendation(tool.recommendation)}`);
    for (const conflict of tool.conflicts ?? []) out.push(`    ${paint.yellow('conflict:')} ${conflict}`);
    for (const rule of tool.argumentRules ?? []) out.push(`    ${paint.yellow('argument check:')} ${rule.on_deny ?? (rule.conditions ?? []).map((c) => c.path).join(', ')}`);
    if (options.evidence) {
      for (const line of tool.evidence) out.push(`    ${paint.dim('-')} ${line}`);
      for (const line of tool.overruled ?? []) out.push(`    ${paint.dim('lost:')} ${line}`);
    }
  }
  const reviewed = tools.filter((tool) => tool.needsReview !== undefined);
  if (reviewed.length > 0) {
    out.push('', paint.yellow(`${reviewed.length} tool${reviewed.length === 1 ? ' needs' : 's need'} review (weak or conflicting evidence): ${reviewed.map((tool) => tool.name).join(', ')}.`));
    out.push(paint.yellow('Each gets the cautious recommendation (require approval; hide if it may destroy data) until a person reviews it.'));
  }

  return `${out.join('\n')}\n`;
}

/** `policylayer catalog` without a server: the built-in catalogs. */
export function renderServerList(catalogs: readonly ServerCatalog[], options: RenderOptions = {}): string {
  const paint = options.paint ?? plain;
  const out = [
    table(
      [
        { title: 'SERVER', cells: catalogs.map((catalog) => [catalog.id]), paint: (_row, text) => paint.bold(text) },
        { title: 'NAME', cells: catalogs.map((catalog) => [catalog.name]) },
        { title: 'TOOLS', cells: catalogs.map((catalog) => [String(catalog.tools.length)]) },
        { title: 'LAUNCH', cells: catalogs.map((catalog) => [shellWords(catalog.launch)]) },
        { title: 'SUMMARY', cells: catalogs.map((catalog) => [catalog.summary]) },
      ],
      paint,
    ),
    '',
    `Show one: policylayer catalog ${catalogs[0]?.id ?? '<server>'}`,
    'Any other stdio server, classified live: policylayer catalog -- <command> [args…]',
  ];
  return `${out.join('\n')}\n`;
}
