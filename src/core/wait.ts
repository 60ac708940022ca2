/**
 * The one way Paperboy waits and retries: an abortable sleep, exponential backoff with jitter, a
 * time limit on a promise, and a retry loop whose caller decides, after each failure, how long to
 * wait (a Retry-After, a backoff) or to stop by throwing. Used by delivery, the paper sources and
 * Slack pacing. Own code rather than cockatiel: every caller injects `sleep`, so tests run on a
 * fake clock without sleeping, and the waits come from the platforms' own hints.
 */

/** Waits `ms`; rejects early when `signal` aborts: with the reason given to abort(), else Error('stopped'). */
export type Sleep = (ms: number, signal?: AbortSignal) => Promise<void>;

const stopped = (signal: AbortSignal): unknown => {
  const r: unknown = signal.reason;
  const bare = r === undefined || (r instanceof DOMException && r.name === 'AbortError');
  return bare ? new Error('stopped') : r;
};

export const sleep: Sleep = (ms, signal) => {
  if (signal?.aborted) return Promise.reject(stopped(signal));
  if (!(ms > 0)) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const onAbort = () => {
      clearTimeout(timer);
      reject(stopped(signal!));
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
};

/** Delay before retry `attempt` (0-based): d = base·2^attempt capped at `capMs`, a random wait in [d/2, d]. */
export function backoffMs(attempt: number, baseMs: number, capMs: number, random: () => number = Math.random): number {
  const d = Math.min(capMs, baseMs * 2 ** attempt);
  return Math.round(d / 2 + random() * (d / 2));
}

/**
 * Rejects with `onTimeout()` when `p` takes longer than `ms` (no limit when `ms` is not a positive
 * number). `p` keeps running: the caller decides what an unfinished operation means.
 */
export function withTimeout<T>(p: Promise<T>, ms: number, onTimeout: () => unknown): Promise<T> {
  if (!Number.isFinite(ms) || ms <= 0) return p;
  let timer: NodeJS.Timeout | undefined;
  const expiry = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(onTimeout()), ms);
  });
  return Promise.race([p, expiry]).finally(() => clearTimeout(timer));
}

/** How long a duration is, in words for messages ("250 ms", "20 s"). */
export function durationText(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)} ms` : `${Math.round(ms / 1000)} s`;
}

export interface RetryOptions {
  sleep?: Sleep;
  signal?: AbortSignal;
}

/**
 * Runs `attempt` until it succeeds. After each failure `next(error, failures)` (failures counted
 * from 1) returns how many ms to wait before the next try, or throws to stop: what it throws is
 * what the caller gets.
 */
export async function retry<T>(attempt: () => Promise<T>, next: (error: unknown, failures: number) => number, opts: RetryOptions = {}): Promise<T> {
  const wait = opts.sleep ?? sleep;
  for (let failures = 1; ; failures++) {
    try {
      return await attempt();
    } catch (error) {
      await wait(next(error, failures), opts.signal);
    }
  }
}
