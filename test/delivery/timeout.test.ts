/** withTimeout: the answer when it comes in time, a 'timeout' DeliveryError when not; no timer left behind. */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { DeliveryError } from '../../src/core/index.ts';
import { withTimeout } from '../../src/delivery/timeout.ts';

/** A promise settled by hand. */
function later<T>() {
  let resolve!: (v: T) => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<T>((a, b) => ((resolve = a), (reject = b)));
  return { promise, resolve, reject };
}

describe('withTimeout', () => {
  beforeEach(() => void vi.useFakeTimers());
  afterEach(() => void vi.useRealTimers());

  it('answers with the value or the error of a call that settles in time, and clears its timer', async () => {
    const ok = later<string>();
    const p = withTimeout(ok.promise, 5_000, 'Posting');
    ok.resolve('sent');
    await expect(p).resolves.toBe('sent');
    expect(vi.getTimerCount()).toBe(0);

    const bad = later<string>();
    const q = withTimeout(bad.promise, 5_000, 'Posting');
    const err = new Error('HTTP 500');
    bad.reject(err);
    await expect(q).rejects.toBe(err);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('rejects a call that outlives the limit with a retryable timeout naming it', async () => {
    const slow = later<string>();
    const p = withTimeout(slow.promise, 120_000, 'Delivering to slack:channel:C1');
    let settled = false;
    const caught = p.catch((e: unknown) => e).finally(() => (settled = true));
    await vi.advanceTimersByTimeAsync(119_999);
    expect(settled).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    const e = await caught;
    expect(e).toBeInstanceOf(DeliveryError);
    expect(e).toMatchObject({ reason: 'timeout', permanent: false, message: 'Delivering to slack:channel:C1 did not answer within 120 s.' });
  });

  it('says milliseconds for a limit under a second (not "within 0 s")', async () => {
    const p = withTimeout(new Promise(() => {}), 50, 'Posting').catch((e: Error) => e.message);
    await vi.advanceTimersByTimeAsync(50);
    expect(await p).toBe('Posting did not answer within 50 ms.');
  });

  it('a call that fails after its limit is no unhandled rejection; its late answer is ignored', async () => {
    const unhandled: unknown[] = [];
    const on = (e: unknown) => unhandled.push(e);
    process.on('unhandledRejection', on);
    try {
      const slow = later<string>();
      const p = withTimeout(slow.promise, 1_000, 'Posting').catch((e: unknown) => e);
      await vi.advanceTimersByTimeAsync(1_000);
      expect(await p).toMatchObject({ reason: 'timeout' });
      slow.reject(new Error('late failure'));
      vi.useRealTimers();
      await new Promise((r) => setTimeout(r, 0));
      await new Promise((r) => setImmediate(r));
      expect(unhandled).toEqual([]);
    } finally {
      process.off('unhandledRejection', on);
    }
  });

  it('has no limit when the limit is 0, negative, NaN or infinite: the same promise comes back', () => {
    const p = new Promise<number>(() => {});
    for (const ms of [0, -1, Number.NaN, Number.POSITIVE_INFINITY]) expect(withTimeout(p, ms, 'x')).toBe(p);
    expect(vi.getTimerCount()).toBe(0);
  });
});
