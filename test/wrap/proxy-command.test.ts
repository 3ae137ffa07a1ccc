import { describe, expect, it } from 'vitest';
import { parseWrapped, serverSlug, wrappedCommand } from '../../src/wrap/proxy-command.js';

const paths = { node: 'C:\\Program Files\\nodejs\\node.exe', bin: 'C:\\src\\policylayer\\bin\\policylayer', policy: 'C:\\p.json', audit: 'C:\\a.jsonl' };

describe('the wrapped command line', () => {
  it('round-trips the original command, including arguments that look like options', () => {
    const inner = { command: 'npx', args: ['-y', 'server', '--', '--policy', 'x'] };
    const wrapped = wrappedCommand(inner, paths);
    expect(wrapped.command).toBe(paths.node);
    expect(parseWrapped(wrapped)).toEqual({ launcher: { node: paths.node, bin: paths.bin }, options: ['--policy', 'C:\\p.json', '--audit', 'C:\\a.jsonl'], policy: 'C:\\p.json', audit: 'C:\\a.jsonl', inner: { kind: 'stdio', ...inner } });
  });

  it('recognises a hand-written `policylayer proxy` and a future --upstream entry, and nothing else', () => {
    expect(parseWrapped({ command: 'policylayer', args: ['proxy', '--policy=p.json', '--', 'uvx', 'mcp-slicer'] })).toMatchObject({ launcher: { bin: 'policylayer' }, policy: 'p.json', inner: { kind: 'stdio', command: 'uvx', args: ['mcp-slicer'] } });
    expect(parseWrapped({ command: '/usr/bin/node', args: ['/x/bin/policylayer', 'proxy', '--upstream', 'https://h/mcp'] })).toMatchObject({ inner: { kind: 'upstream', url: 'https://h/mcp' } });
    expect(parseWrapped({ command: 'node', args: ['server.js', 'proxy', '--', 'x'] })).toBeUndefined();
    expect(parseWrapped({ command: 'policylayer', args: ['lint'] })).toBeUndefined();
    expect(parseWrapped({ command: 'policylayer', args: ['proxy', '--policy', 'p'] })).toBeUndefined();
  });

  it('names policy files after servers safely', () => {
    expect(['slicer', 'my server/../x', '..', 'ü'].map(serverSlug)).toEqual(['slicer', 'my-server-..-x', 'server', 'server']);
  });
});
