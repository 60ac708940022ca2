/** Per-channel pacing (Slack allows about one message per second per channel) and bounded 429 handling. */
import { slackErrorInfo } from './slack-errors.ts';

export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  if (ms <= 0) return Promise.resolve();
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(new Error('stopped'));
    const onAbort = () => {
      clearTimeout(t);
      reject(new Error('stopped'));
    };
    const t = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

export function createPacer(intervalMs: number) {
  const next = new Map<string, number>();
  return {
    /** Reserves the channel's next slot synchronously, then waits for it. */
    async wait(channel: string, signal?: AbortSignal): Promise<void> {
      const now = Date.now();
      const at = Math.max(now, next.get(channel) ?? 0);
      next.set(channel, at + intervalMs);
      if (next.size > 1000) for (const [k, v] of next) if (v < now) next.delete(k);
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
export async function withRateLimit<T>(call: () => Promise<T>, policy: RateLimitPolicy, signal?: AbortSignal, onWait?: (ms: number) => void): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await call();
    } catch (err) {
      const info = slackErrorInfo(err);
      if (info.code !== 'ratelimited' || attempt >= policy.retries || (info.retryAfterMs ?? 0) > policy.maxWaitMs) throw err;
      const wait = info.retryAfterMs ?? 1000;
      onWait?.(wait);
      await sleep(wait, signal);
    }
  }
}
