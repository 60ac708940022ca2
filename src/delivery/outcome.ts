/**
 * What a failed send means for at-most-once: the one rule every layer of delivery follows.
 *
 * - `not_sent`: the platform answered with an error before taking the message (4xx with an error
 *   body, a 500 it answered itself, a 429), or the connection was never made (refused, DNS). It may
 *   be sent again.
 * - `unknown`: the request was written but no whole answer came back (a timeout, a connection reset
 *   or closed mid-response, an aborted stream, a 502/503/504 from a proxy in front of the platform).
 *   It is never sent again blind: the platform's history is read back first (`findDelivered`).
 *
 * Adapters name what happened with the reasons below; this module only reads them.
 */
import { DeliveryError, isPaperboyError } from '../core/index.ts';

export type SendOutcome = 'sent' | 'not_sent' | 'unknown';

/** Reasons (DeliveryError.reason) of a send whose outcome is unknown. */
export const UNKNOWN_REASONS = {
  /** No answer in time, after the request was (or may have been) written. */
  timeout: 'timeout',
  /** The connection broke before a whole answer came back. */
  connectionLost: 'connection_lost',
  /** A proxy in front of the platform answered 502, 503 or 504: the platform may have taken it. */
  badGateway: 'bad_gateway',
} as const;

const UNKNOWN = new Set<string>(Object.values(UNKNOWN_REASONS));

/** The classification of a failed send. Anything that is not a Paperboy error counts as unknown. */
export function classifySendFailure(e: unknown): Exclude<SendOutcome, 'sent'> {
  if (e instanceof DeliveryError) return UNKNOWN.has(e.reason) ? 'unknown' : 'not_sent';
  // Validation and rendering errors are raised before anything is written.
  if (isPaperboyError(e)) return 'not_sent';
  return 'unknown';
}

/** Errors of Node and undici that mean no request reached the platform. */
const NOT_CONNECTED = new Set([
  'ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EAI_NONAME', 'EHOSTUNREACH', 'ENETUNREACH', 'EHOSTDOWN', 'ENETDOWN',
  'UND_ERR_CONNECT_TIMEOUT', 'ERR_INVALID_URL', 'ERR_TLS_CERT_ALTNAME_INVALID', 'CERT_HAS_EXPIRED', 'DEPTH_ZERO_SELF_SIGNED_CERT',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'SELF_SIGNED_CERT_IN_CHAIN',
]);

/** The error and its causes, outermost first (fetch wraps the socket error as `cause`). */
function chain(err: unknown): { name?: string; code?: string; message?: string }[] {
  const out: { name?: string; code?: string; message?: string }[] = [];
  let e: unknown = err;
  for (let i = 0; i < 5 && e && typeof e === 'object'; i++) {
    const x = e as { name?: unknown; code?: unknown; message?: unknown; cause?: unknown; original?: unknown };
    out.push({
      ...(typeof x.name === 'string' ? { name: x.name } : {}),
      ...(typeof x.code === 'string' ? { code: x.code } : {}),
      ...(typeof x.message === 'string' ? { message: x.message } : {}),
    });
    e = x.cause ?? x.original;
  }
  return out;
}

/**
 * The neutral reason of a transport failure (no HTTP answer): `network` when the connection was
 * never made (not sent), else `timeout` or `connection_lost` (unknown).
 */
export function transportReason(err: unknown): 'network' | 'timeout' | 'connection_lost' {
  const links = chain(err);
  for (const l of links) {
    if (l.code && NOT_CONNECTED.has(l.code)) return 'network';
    if (l.message && [...NOT_CONNECTED].some((c) => l.message!.includes(c))) return 'network';
  }
  if (links.some((l) => l.name === 'TimeoutError' || l.name === 'AbortError' || l.code === 'ETIMEDOUT' || l.code === 'UND_ERR_HEADERS_TIMEOUT' || l.code === 'UND_ERR_BODY_TIMEOUT')) return 'timeout';
  return 'connection_lost';
}

/** 502, 503 and 504 come from proxies and load balancers that may have passed the request on. */
export function isGatewayStatus(status: number | undefined): boolean {
  return status === 502 || status === 503 || status === 504;
}

/**
 * A failure before the message itself was posted (opening a DM, looking up the channel): whatever
 * its transport, nothing was posted, so it counts as not sent.
 */
export function beforePosting(e: DeliveryError): DeliveryError {
  if (classifySendFailure(e) !== 'unknown') return e;
  return new DeliveryError('network', `${e.message} (before the message was posted)`, false, undefined, { cause: e });
}
