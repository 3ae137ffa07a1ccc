/**
 * Refreshes fixtures/catalog/labelled-tools.json from the real servers in fixtures/catalog/servers.ts:
 * introspects each, keeps every existing hand label (matched by server and tool name), and writes
 * `"label": null` for a tool that is new, so it must be labelled by hand before the tests pass.
 * Run: npx tsx scripts/update-labelled-tools.ts
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { listServerTools } from '../src/catalog/introspect.js';
import { LABELLED_SERVERS, ROOT, packageSpec, serverCommand } from '../fixtures/catalog/servers.js';
import type { LabelledTool, LabelledToolSet } from '../fixtures/catalog/labelled.js';

const file = resolve(ROOT, 'fixtures/catalog/labelled-tools.json');
const previous: LabelledToolSet | undefined = existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as LabelledToolSet) : undefined;
const labels = new Map((previous?.tools ?? []).map((tool) => [`${tool.server}/${tool.name}`, tool]));

const tools: LabelledTool[] = [];
for (const server of LABELLED_SERVERS) {
  const listed = await listServerTools(serverCommand(server), { env: { ...process.env, ...server.env }, cwd: ROOT, timeoutMs: 60_000 });
  const spec = packageSpec(server);
  for (const tool of listed.tools) {
    const old = labels.get(`${server.id}/${tool.name}`);
    tools.push({
      server: server.id,
      package: spec,
      name: tool.name,
      label: old?.label ?? null,
      ...(old?.note ? { note: old.note } : {}),
      ...(tool.title !== undefined ? { title: tool.title } : {}),
      ...(tool.description !== undefined ? { description: tool.description } : {}),
      ...(tool.inputSchema !== undefined ? { inputSchema: tool.inputSchema } : {}),
      ...(tool.annotations !== undefined ? { annotations: tool.annotations } : {}),
    });
  }
  process.stderr.write(`${spec}: ${listed.tools.length} tools\n`);
}

const set: LabelledToolSet = {
  $comment: previous?.$comment ?? [],
  guide: previous?.guide ?? {},
  tools,
};
writeFileSync(file, `${JSON.stringify(set, null, 2)}\n`);
const unlabelled = tools.filter((tool) => tool.label === null).length;
process.stderr.write(`${tools.length} tools written to ${file}${unlabelled > 0 ? `; ${unlabelled} need a hand label` : ''}\n`);
