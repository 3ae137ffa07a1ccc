/**
 * What the proxy learns about the client from the traffic it forwards: the capabilities declared in
 * `initialize` and the protocol version the server answered with (the negotiated one). Nothing is
 * required: a modern-era (2026-07-28) client sends no `initialize` and carries its version and
 * capabilities on each request's `_meta` instead.
 */
import { isObject } from '../util/json.js';
import { CLIENT_CAPABILITIES_META, ownRequestMeta, PROTOCOL_VERSION_META } from '../util/mcp-era.js';

/** Elicitation exists from this revision on. */
const ELICITATION_SINCE = '2025-06-18';
/** `mode: "form"` exists from this revision on. */
const ELICITATION_MODE_SINCE = '2025-11-25';

export type ElicitationSupport = { ok: true; sendMode: boolean } | { ok: false; reason: string };

export class ClientSession {
  private capabilities: Record<string, unknown> | undefined;
  private requestedVersion: string | undefined;
  private negotiatedVersion: string | undefined;
  /** The revision on the client's last 2026-07-28-style request (its `_meta`), if it speaks that era. */
  private modernVersion: string | undefined;

  noteInitializeRequest(params: unknown): void {
    this.modernVersion = undefined;
    if (!isObject(params)) return;
    if (isObject(params.capabilities)) this.capabilities = params.capabilities;
    if (typeof params.protocolVersion === 'string') this.requestedVersion = params.protocolVersion;
    this.negotiatedVersion = undefined;
  }

  noteInitializeResult(result: unknown): void {
    if (isObject(result) && typeof result.protocolVersion === 'string') this.negotiatedVersion = result.protocolVersion;
  }

  get protocolVersion(): string | undefined {
    return this.negotiatedVersion;
  }

  /** Notes the era of a client request from its `params._meta`. */
  noteRequestMeta(meta: unknown): void {
    if (isObject(meta) && typeof meta[PROTOCOL_VERSION_META] === 'string') this.modernVersion = meta[PROTOCOL_VERSION_META];
  }

  /**
   * The `_meta` the proxy's own requests to the server need in the client's era: a 2026-07-28
   * server reads a request without it as the 2025 era (the v2 SDK's serveStdio then answers in
   * that era, results without `resultType`, which the client rejects). The proxy declares no
   * capabilities of its own. Undefined for a 2025-era client.
   */
  ownRequestMeta(): Record<string, unknown> | undefined {
    return this.modernVersion === undefined ? undefined : ownRequestMeta(this.modernVersion);
  }

  /** Whether the proxy may ask this client for approval with `elicitation/create`, and how. */
  elicitation(requestMeta: unknown): ElicitationSupport {
    const modern = modernElicitation(requestMeta);
    if (modern) {
      // A 2026-07-28 client that can be asked is asked with an input-required result (approval/round-trip.ts), not a request.
      return modern.ok ? { ok: false, reason: 'the client speaks the 2026-07-28 protocol, which has no server-to-client requests' } : modern;
    }
    if (!this.capabilities) return { ok: false, reason: 'the client has not initialized a session, so it cannot be asked' };
    if (!isObject(this.capabilities.elicitation)) return { ok: false, reason: 'the client did not declare the elicitation capability' };
    const version = this.negotiatedVersion ?? this.requestedVersion;
    if (!version || version < ELICITATION_SINCE) {
      return { ok: false, reason: `the session's protocol version ${version ?? '(unknown)'} predates elicitation (${ELICITATION_SINCE})` };
    }
    return formsRefused(this.capabilities.elicitation) ?? { ok: true, sendMode: version >= ELICITATION_MODE_SINCE };
  }
}

/**
 * For a 2026-07-28 request, which carries the client's capabilities on its own `_meta` (never
 * inferred from earlier requests): whether an elicitation form may go in an input-required result.
 * Undefined for a request of the legacy era.
 */
export function modernElicitation(requestMeta: unknown): ElicitationSupport | undefined {
  if (!isObject(requestMeta) || typeof requestMeta[PROTOCOL_VERSION_META] !== 'string') return undefined;
  const capabilities = requestMeta[CLIENT_CAPABILITIES_META];
  const elicitation = isObject(capabilities) ? capabilities.elicitation : undefined;
  if (!isObject(elicitation)) return { ok: false, reason: 'the client did not declare the elicitation capability' };
  return formsRefused(elicitation) ?? { ok: true, sendMode: true };
}

/** {} means form mode; a client that lists modes must list form. */
function formsRefused(elicitation: Record<string, unknown>): ElicitationSupport | undefined {
  const keys = Object.keys(elicitation);
  if (keys.length > 0 && (keys.includes('form') || keys.includes('url')) && !isObject(elicitation.form)) {
    return { ok: false, reason: 'the client supports only URL-mode elicitation, not forms' };
  }
  return undefined;
}


/** Whether a request carries the 2026-07-28 per-request protocol version. */
export function isModernRequest(params: unknown): boolean {
  return isObject(params) && isObject(params._meta) && typeof params._meta[PROTOCOL_VERSION_META] === 'string';
}
