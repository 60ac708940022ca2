/** Per-channel pacing (Slack allows about one message per second per channel) and bounded 429 handling. */
import { LRUCache } from 'lru-cache';
import { retry, sleep } from '../../core/wait.ts';
import { slackErrorInfo } from './slack-errors.ts';

export function createPacer(intervalMs: number) {
  // Each channel's next free slot, forgotten once it has passed (then the channel may post at once).
  const next = new LRUCache<string, number>({ ttl: Math.max(1, intervalMs), ttlAutopurge: true });
  return {
    /** Reserves the channel's next slot synchronously, then waits for it. */
    async wait(channel: string, signal?: AbortSignal): Promise<void> {
      const now = Date.now();
      const at = Math.max(now, next.get(channel) ?? 0);
      next.set(channel, at + intervalMs, { ttl: Math.max(1, at + intervalMs - now) });
      await sleep(at - now, signal);
    },
  };
}

export interface RateLimitPolicy {
  /** Retries after a 429 before giving up (the scheduler then retries later). */
  retries: number;
  /** Longest Retry-After we wait out in-process. */
  maxWaitMs: number;
}

/** Runs `call`; on a 429 waits out Retry-After and tries again, within the policy's bounds. */
export function withRateLimit<T>(call: () => Promise<T>, policy: RateLimitPolicy, signal?: AbortSignal, onWait?: (ms: number) => void): Promise<T> {
  return retry(call, (err, failures) => {
    const info = slackErrorInfo(err);
    if (info.code !== 'ratelimited' || failures > policy.retries || (info.retryAfterMs ?? 0) > policy.maxWaitMs) throw err;
    const wait = info.retryAfterMs ?? 1000;
    onWait?.(wait);
    return wait;
  }, { ...(signal ? { signal } : {}) });
}
