import { describe, expect, it } from 'vitest';
import { listServerTools } from '../../src/catalog/introspect.js';
import { loadLabelledTools } from '../../fixtures/catalog/labelled.js';
import { LABELLED_SERVERS, ROOT, packageSpec, serverCommand } from '../../fixtures/catalog/servers.js';

/**
 * The labelled set stays real: every server is started from node_modules and must serve exactly the
 * definitions (names, titles, descriptions, input schemas, annotations) the labels were given for.
 * When a devDependency is upgraded, this fails until `npx tsx scripts/update-labelled-tools.ts` is
 * run and any new tool is labelled by hand.
 */
const set = loadLabelledTools();

describe.each(LABELLED_SERVERS)('labelled server $id', (server) => {
  it('serves exactly the labelled definitions', { timeout: 60_000 }, async () => {
    const listed = await listServerTools(serverCommand(server), { env: { PATH: process.env.PATH, HOME: process.env.HOME, ...server.env }, cwd: ROOT, timeoutMs: 45_000 });
    const labelled = set.tools.filter((tool) => tool.server === server.id);
    expect(labelled.length).toBeGreaterThan(0);
    for (const tool of labelled) expect(tool.package).toBe(packageSpec(server));
    const served = listed.tools.map((tool) => ({
      name: tool.name,
      ...(tool.title !== undefined ? { title: tool.title } : {}),
      ...(tool.description !== undefined ? { description: tool.description } : {}),
      ...(tool.inputSchema !== undefined ? { inputSchema: tool.inputSchema } : {}),
      ...(tool.annotations !== undefined ? { annotations: tool.annotations } : {}),
    }));
    const expected = labelled.map(({ server: _server, package: _package, label: _label, note: _note, ...definition }) => definition);
    expect(served).toEqual(expected);
  });
});
