/**
 * The 2026-07-28 protocol era: no handshake; each request carries its revision and the client's
 * capabilities in `_meta`, and a result may carry the server's identity there.
 */
export const FIRST_MODERN_VERSION = '2026-07-28';
export const PROTOCOL_VERSION_META = 'io.modelcontextprotocol/protocolVersion';
export const CLIENT_CAPABILITIES_META = 'io.modelcontextprotocol/clientCapabilities';
export const CLIENT_INFO_META = 'io.modelcontextprotocol/clientInfo';
export const SERVER_INFO_META = 'io.modelcontextprotocol/serverInfo';

/** The `_meta` of a request the proxy or policylayer sends itself: the revision, and no capabilities. */
export function ownRequestMeta(version: string, clientInfo?: { name: string; version: string }): Record<string, unknown> {
  return { [PROTOCOL_VERSION_META]: version, [CLIENT_CAPABILITIES_META]: {}, ...(clientInfo ? { [CLIENT_INFO_META]: clientInfo } : {}) };
}
