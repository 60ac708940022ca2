/** A per-destination time limit, so one slow platform call cannot hold the fan-out. */
import { DeliveryError } from '../core/index.ts';

/**
 * Rejects with DeliveryError('timeout') when `p` takes longer than `ms`. `p` keeps running: the
 * message may still arrive, so the caller treats the outcome as uncertain, never as "not sent".
 */
export function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  if (!Number.isFinite(ms) || ms <= 0) return p;
  let timer: NodeJS.Timeout | undefined;
  const expiry = new Promise<never>((_, reject) => {
    const limit = ms < 1000 ? `${Math.round(ms)} ms` : `${Math.round(ms / 1000)} s`;
    timer = setTimeout(() => reject(new DeliveryError('timeout', `${what} did not answer within ${limit}.`, false)), ms);
  });
  return Promise.race([p, expiry]).finally(() => clearTimeout(timer));
}
