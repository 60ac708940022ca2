import { afterEach, describe, expect, it, vi } from 'vitest';
import { webApi } from '@slack/bolt';
import { createPacer, withRateLimit } from '../../../src/bots/slack/pacing.ts';

afterEach(() => {
  vi.useRealTimers();
});

describe('createPacer', () => {
  it('gives each channel one slot per interval and leaves other channels alone', async () => {
    vi.useFakeTimers();
    const pacer = createPacer(1000);
    const done: string[] = [];
    void pacer.wait('C1').then(() => done.push('C1#1'));
    void pacer.wait('C1').then(() => done.push('C1#2'));
    void pacer.wait('C1').then(() => done.push('C1#3'));
    void pacer.wait('C2').then(() => done.push('C2#1'));
    await vi.advanceTimersByTimeAsync(0);
    expect(done).toEqual(['C1#1', 'C2#1']);
    await vi.advanceTimersByTimeAsync(999);
    expect(done).toEqual(['C1#1', 'C2#1']);
    await vi.advanceTimersByTimeAsync(1);
    expect(done).toEqual(['C1#1', 'C2#1', 'C1#2']);
    await vi.advanceTimersByTimeAsync(1000);
    expect(done).toEqual(['C1#1', 'C2#1', 'C1#2', 'C1#3']);
  });

  it('stops waiting when aborted', async () => {
    const pacer = createPacer(60_000);
    const ctl = new AbortController();
    await pacer.wait('C1', ctl.signal);
    const second = pacer.wait('C1', ctl.signal);
    ctl.abort();
    await expect(second).rejects.toThrow(/stopped/);
  });
});

describe('withRateLimit', () => {
  it('retries after the Retry-After a bounded number of times, then rethrows', async () => {
    vi.useFakeTimers();
    let calls = 0;
    const waits: number[] = [];
    const p = withRateLimit(async () => {
      calls++;
      // The shape @slack/web-api throws for a 429 when rejectRateLimitedCalls is on.
      throw Object.assign(new Error('rate limited'), { code: webApi.ErrorCode.RateLimitedError, retryAfter: 2 });
    }, { retries: 2, maxWaitMs: 5000 }, undefined, (ms) => waits.push(ms));
    const settled = p.then(() => 'ok', (e: Error) => e.message);
    await vi.advanceTimersByTimeAsync(1999);
    expect(calls).toBe(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(calls).toBe(2);
    await vi.advanceTimersByTimeAsync(2000);
    expect(await settled).toBe('rate limited');
    expect(calls).toBe(3);
    expect(waits).toEqual([2000, 2000]);
  });

  it('does not retry other errors', async () => {
    let calls = 0;
    await expect(withRateLimit(async () => {
      calls++;
      throw Object.assign(new Error('nope'), { code: webApi.ErrorCode.PlatformError, data: { error: 'not_in_channel' } });
    }, { retries: 3, maxWaitMs: 5000 })).rejects.toThrow('nope');
    expect(calls).toBe(1);
  });
});
