/**
 * A per-user command rate limit: a token bucket per caller (default 20 commands a minute, refilled
 * continuously), so a burst is fine but a flood is answered with a clear "slow down" instead of work.
 */
export interface RateLimitOptions {
  /** Commands a caller may run in a burst, and per window on average. */
  capacity: number;
  /** The window `capacity` refills over, in ms. */
  windowMs: number;
  /** Callers remembered at once; idle (full) buckets are forgotten first, so memory stays bounded. */
  maxKeys: number;
}

export const defaultRateLimit: RateLimitOptions = { capacity: 20, windowMs: 60_000, maxKeys: 10_000 };

export type RateDecision = { ok: true; remaining: number } | { ok: false; retryAfterMs: number };

export interface RateLimiter {
  readonly options: RateLimitOptions;
  /** Takes one token for `key` at `nowMs`; refused when the bucket is empty. */
  take(key: string, nowMs: number): RateDecision;
  /** Buckets held (for tests of the memory bound). */
  size(): number;
}

interface Bucket {
  /** Tokens x windowMs: with integer clocks this stays exact (no 0.999... tokens). */
  credit: number;
  at: number;
}

export function createRateLimiter(opts: Partial<RateLimitOptions> = {}): RateLimiter {
  const o: RateLimitOptions = { ...defaultRateLimit, ...opts };
  if (!(o.capacity >= 1) || !(o.windowMs > 0)) throw new Error('rate limit needs capacity >= 1 and a positive window');
  const full = o.capacity * o.windowMs;
  const token = o.windowMs;
  const buckets = new Map<string, Bucket>();

  const refill = (b: Bucket, now: number): void => {
    // A clock that goes backwards (NTP, tests) neither adds nor removes tokens.
    const elapsed = Math.max(0, now - b.at);
    b.credit = Math.min(full, b.credit + elapsed * o.capacity);
    b.at = Math.max(b.at, now);
  };

  function evict(now: number): void {
    for (const [k, b] of buckets) {
      refill(b, now);
      if (b.credit >= full) buckets.delete(k);
    }
    // Still too many busy callers: forget the least recently seen (Map keeps insertion order).
    for (const k of buckets.keys()) {
      if (buckets.size < o.maxKeys) break;
      buckets.delete(k);
    }
  }

  return {
    options: o,
    take(key, now) {
      let b = buckets.get(key);
      if (b) buckets.delete(key);
      else {
        if (buckets.size >= o.maxKeys) evict(now);
        b = { credit: full, at: now };
      }
      buckets.set(key, b);
      refill(b, now);
      if (b.credit >= token) {
        b.credit -= token;
        return { ok: true, remaining: Math.floor(b.credit / token) };
      }
      return { ok: false, retryAfterMs: Math.ceil((token - b.credit) / o.capacity) };
    },
    size: () => buckets.size,
  };
}

/** What a caller who is over the limit is told. */
export function rateLimitMessage(retryAfterMs: number, o: Pick<RateLimitOptions, 'capacity' | 'windowMs'>): string {
  const seconds = Math.max(1, Math.ceil(retryAfterMs / 1000));
  const per = o.windowMs === 60_000 ? 'a minute' : `per ${Math.round(o.windowMs / 1000)} seconds`;
  return `Slow down: you can run at most ${o.capacity} commands ${per}. Try again in ${seconds} second${seconds === 1 ? '' : 's'}.`;
}
