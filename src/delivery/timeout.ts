/** A per-destination time limit, so one slow platform call cannot hold the fan-out. */
import { DeliveryError } from '../core/index.ts';
import { durationText, withTimeout as limit } from '../core/wait.ts';

/**
 * Rejects with DeliveryError('timeout') when `p` takes longer than `ms`. `p` keeps running: the
 * message may still arrive, so the caller treats the outcome as uncertain, never as "not sent".
 */
export function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  return limit(p, ms, () => new DeliveryError('timeout', `${what} did not answer within ${durationText(ms)}.`, false));
}
