/**
 * Bounded retries of one delivery: 429s wait out Retry-After, transient errors known not to have
 * been sent back off exponentially with jitter; permanent ones and those whose outcome is unknown
 * (outcome.ts) are not retried here.
 */
import { DeliveryError, isPaperboyError, type DeliveryFailure } from '../core/index.ts';
import { backoffMs as jitteredBackoff, retry, sleep } from '../core/wait.ts';
import { classifySendFailure } from './outcome.ts';

export interface RetryPolicy {
  /** Tries of one digest in one cycle for transient errors (first try included). */
  attempts: number;
  /** Extra tries after 429s (counted apart: a storm is waited out, within bounds). */
  rateLimitRetries: number;
  baseDelayMs: number;
  maxDelayMs: number;
  /** A longer Retry-After is not waited out in-process: the digest is tried again in a later cycle. */
  maxRetryAfterMs: number;
  /** After a send with an unknown outcome, how long to wait before reading the platform back. */
  readBackDelayMs: number;
}

export const defaultRetryPolicy: RetryPolicy = {
  attempts: 3,
  rateLimitRetries: 5,
  baseDelayMs: 2_000,
  maxDelayMs: 30_000,
  maxRetryAfterMs: 120_000,
  // Long enough for a platform that took the message but answered late to show it in its history.
  readBackDelayMs: 5_000,
};

/** Waits; injected so tests run on a fake clock without sleeping. */
export type Sleep = (ms: number) => Promise<void>;

export const realSleep: Sleep = (ms) => sleep(ms);

/** A send that may or may not have reached the platform (see outcome.ts). */
export function isUncertain(e: unknown): boolean {
  return classifySendFailure(e) === 'unknown';
}

export function failureOf(e: unknown, at: string): DeliveryFailure {
  if (e instanceof DeliveryError) return { at, code: e.reason, message: e.message, permanent: e.permanent };
  if (isPaperboyError(e)) return { at, code: e.code, message: e.message, permanent: false };
  return { at, code: 'internal', message: e instanceof Error ? e.message : String(e), permanent: false };
}

/** Delay before retry `n` (0-based): base·2^n capped, times a jitter factor in [0.5, 1). */
export function backoffMs(n: number, policy: RetryPolicy, random: () => number): number {
  return jitteredBackoff(n, policy.baseDelayMs, policy.maxDelayMs, random);
}

export interface RetryEnv {
  sleep: Sleep;
  random: () => number;
  onRetry?: (info: { attempt: number; waitMs: number; reason: string }) => void;
}

/** Runs `send` until it succeeds or the policy says stop; rethrows the last error. */
export async function withRetry<T>(send: () => Promise<T>, policy: RetryPolicy, env: RetryEnv): Promise<T> {
  let transient = 0;
  let limited = 0;
  return retry(send, (e) => {
    if (!(e instanceof DeliveryError) && isPaperboyError(e)) throw e;
    if (e instanceof DeliveryError && e.permanent) throw e;
    if (isUncertain(e)) throw e;
    let waitMs: number;
    if (e instanceof DeliveryError && e.reason === 'rate_limited') {
      const asked = e.retryAfterMs ?? policy.baseDelayMs;
      if (limited >= policy.rateLimitRetries || asked > policy.maxRetryAfterMs) throw e;
      limited++;
      waitMs = asked;
    } else {
      transient++;
      if (transient >= policy.attempts) throw e;
      waitMs = backoffMs(transient - 1, policy, env.random);
    }
    env.onRetry?.({ attempt: transient + limited, waitMs, reason: e instanceof DeliveryError ? e.reason : 'internal' });
    return waitMs;
  }, { sleep: env.sleep });
}
