/** Typed errors with a stable `code`; adapters turn them into user messages in one handler. */
export type ErrorCode =
  | 'usage'            // the user typed something the command does not accept
  | 'invalid_query'    // a topic or query that does not parse
  | 'forbidden'        // not allowed (e.g. channel management without permission)
  | 'limit'            // a cap was reached (topics per person, rate limit, length)
  | 'not_found'
  | 'upstream'         // Hugging Face or a platform failed
  | 'store'            // the store failed or is corrupt
  | 'config'           // configuration is invalid
  | 'delivery';        // a platform refused or failed a delivery

export class PaperboyError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    /** Extra text shown to the user, e.g. the command's help for a usage error. */
    readonly hint?: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'PaperboyError';
  }
}

export function isPaperboyError(e: unknown): e is PaperboyError {
  return e instanceof PaperboyError;
}

/** A delivery that failed; `permanent` stops retries until the destination's settings change. */
export class DeliveryError extends PaperboyError {
  constructor(
    /** Stable platform-neutral reason: `missing_permission`, `channel_not_found`, `dm_closed`, `token_revoked`, `rate_limited`, `platform_error`, ... */
    readonly reason: string,
    message: string,
    readonly permanent: boolean,
    /** Set on 429s: how long the platform asked us to wait. */
    readonly retryAfterMs?: number,
    options?: { cause?: unknown },
  ) {
    super('delivery', message, undefined, options);
    this.name = 'DeliveryError';
  }
}

/**
 * `DeliveryError.reason` of an `Adapter.findDelivered` that cannot tell whether the digest arrived
 * (e.g. the bot may post but not read the history): the digest counts as interrupted, not as failed
 * for good, and is not sent again.
 */
export const DELIVERY_UNKNOWN = 'delivery_unknown';
