import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import type { JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';
import { MAX_MESSAGE_BYTES } from '../util/line-splitter.js';
import type { ServerProcess } from '../util/server-process.js';

/** The SDK's stdio framing, passed in: the SDK is loaded on first use (see introspect.ts). */
export interface StdioFraming {
  ReadBuffer: new (options?: { maxBufferSize?: number }) => { append(chunk: Buffer): void; readMessage(): JSONRPCMessage | null };
  serializeMessage(message: JSONRPCMessage): string;
}

/**
 * An MCP SDK transport over a ServerProcess, so live introspection starts the server the way the
 * proxy does (own process group, environment unchanged) and can stop everything it started. The
 * SDK's StdioClientTransport spawns by itself and signals only the process it started. Messages
 * may be as large as the proxy passes (the SDK's default is 10 MiB, which a big tools/list can pass).
 */
export function childTransport(server: ServerProcess, framing: StdioFraming): Transport {
  const buffer = new framing.ReadBuffer({ maxBufferSize: MAX_MESSAGE_BYTES });
  const transport: Transport = {
    async start() {
      server.stdout.on('data', (chunk: Buffer) => {
        try {
          buffer.append(chunk);
        } catch (error) {
          transport.onerror?.(error as Error);
          return;
        }
        for (;;) {
          let message: JSONRPCMessage | null;
          try {
            message = buffer.readMessage();
          } catch (error) {
            transport.onerror?.(error as Error);
            continue;
          }
          if (message === null) break;
          transport.onmessage?.(message);
        }
      });
      void server.exited.then(() => transport.onclose?.());
    },
    async send(message) {
      if (server.hasExited) throw new Error('the server has exited');
      server.stdin.write(framing.serializeMessage(message));
    },
    async close() {
      server.stdin.end();
    },
  };
  return transport;
}
