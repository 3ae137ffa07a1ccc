import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
const url = new URL(process.argv[2]);
const client = new Client({ name: 't', version: '1' });
await client.connect(new StreamableHTTPClientTransport(url, { requestInit: { headers: { Authorization: 'Bearer 0123456789abcdef0123', 'X-Grant': 'bob' } } }));
const tools = await client.listTools();
console.log(tools.tools.map((t) => t.name).join(','));
for (let i = 0; i < 3; i++) console.log(JSON.stringify((await client.callTool({ name: 'echo', arguments: { message: 'x' } })).content).slice(0, 120));
await client.close();
