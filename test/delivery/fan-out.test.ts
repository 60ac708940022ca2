/** Fan-out: concurrent but bounded, 429s waited out, failures isolated, slow ones cut off. */
import { beforeEach, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { DeliveryError, type CoreDeps } from '../../src/core/index.ts';
import { backoffMs, defaultRetryPolicy, withRetry } from '../../src/delivery/index.ts';
import { runCycle } from '../../src/schedule/index.ts';
import { waitFor } from '../support/wait.ts';
import { channel, clockOptions, fakeClock, makeDeps, scriptedAdapter, subscribe, type FakeClock } from './support.ts';

let clock: FakeClock;
let deps: CoreDeps;

beforeEach(() => {
  clock = fakeClock('2026-06-24T09:00:00Z');
  deps = makeDeps(clock);
});

async function channels(n: number, prefix = 'C'): Promise<string[]> {
  const keys: string[] = [];
  for (let i = 0; i < n; i++) keys.push(await subscribe(deps, channel('slack', `${prefix}${i}`)));
  return keys;
}

describe('fan-out', () => {
  it('a 429 storm: every Retry-After is waited out on the clock, each destination gets exactly one digest', async () => {
    const keys = await channels(30);
    const limited = new Map<string, number>();
    // The first three tries of every destination answer 429 "retry after 7 s".
    const { adapter, sent, maxActive } = scriptedAdapter('slack', clock, (dest) => {
      const n = limited.get(dest.key) ?? 0;
      if (n < 3) {
        limited.set(dest.key, n + 1);
        throw new DeliveryError('rate_limited', 'Slack is rate limiting', false, 7_000);
      }
    });
    const waits: number[] = [];
    const report = await runCycle(deps, [adapter], clock.now(), { ...clockOptions(clock, waits), concurrency: 6 });
    expect(report.outcomes.map((o) => o.status)).toEqual(keys.map(() => 'sent'));
    expect(sent.map((s) => s.key).sort()).toEqual([...keys].sort());
    expect(waits).toHaveLength(90);
    expect(new Set(waits)).toEqual(new Set([7_000]));
    expect(maxActive()).toBeLessThanOrEqual(6);
  });

  it('a destination that is always rate limited gives up after a bounded number of waits and is retried next cycle', async () => {
    const [key] = await channels(1);
    let tries = 0;
    const { adapter, sent } = scriptedAdapter('slack', clock, () => {
      tries++;
      if (tries <= 6) throw new DeliveryError('rate_limited', 'Slack is rate limiting', false, 1_000);
    });
    const first = await runCycle(deps, [adapter], clock.now(), clockOptions(clock));
    expect(tries).toBe(defaultRetryPolicy.rateLimitRetries + 1);
    expect(first.outcomes).toEqual([expect.objectContaining({ key, status: 'failed', retry: true, failure: expect.objectContaining({ code: 'rate_limited' }) })]);
    expect(await deps.store.digestStatus(key!, '2026-06-24')).toBeUndefined();
    clock.advance(3 * 60_000);
    await runCycle(deps, [adapter], clock.now(), clockOptions(clock));
    expect(sent.map((s) => s.key)).toEqual([key]);
  });

  it('a permanent failure marks the destination and stops it, also on later days, until its settings change', async () => {
    const [gone, ok] = await channels(2);
    let tried = 0;
    const { adapter, sent } = scriptedAdapter('slack', clock, (dest) => {
      if (dest.key === gone) {
        tried++;
        throw new DeliveryError('channel_not_found', 'The channel was deleted', true);
      }
    });
    await runCycle(deps, [adapter], clock.now(), clockOptions(clock));
    expect(tried).toBe(1);
    for (const at of ['2026-06-25T09:00:00Z', '2026-06-26T09:00:00Z']) {
      clock.set(at);
      await runCycle(deps, [adapter], clock.now(), clockOptions(clock));
    }
    expect(tried).toBe(1);
    expect(sent.filter((s) => s.key === ok)).toHaveLength(3);
    expect((await deps.store.getDestination(gone!))!.state.lastFailure).toMatchObject({ code: 'channel_not_found', permanent: true });
    // Someone fixes it (any settings change): delivery resumes with the next due run.
    await deps.store.updateSettings(gone!, { time: '10:00' });
    clock.set('2026-06-26T10:00:00Z');
    await runCycle(deps, [adapter], clock.now(), clockOptions(clock));
    expect(tried).toBe(2);
  });

  it('one destination that hangs does not hold the others; its late answer is recorded, never sent twice', async () => {
    const keys = await channels(20);
    const slow = keys[0]!;
    let release!: () => void;
    const hanging = new Promise<void>((r) => (release = r));
    let slowCalls = 0;
    const { adapter, sent } = scriptedAdapter('slack', clock, async (dest) => {
      if (dest.key === slow) {
        slowCalls++;
        await hanging;
      }
    });
    adapter.findDelivered = async () => undefined;
    const inFlight = new Set<string>();
    const opts = { ...clockOptions(clock), concurrency: 4, attemptTimeoutMs: 50, inFlight };
    const report = await runCycle(deps, [adapter], clock.now(), opts);
    expect(sent.map((s) => s.key).sort()).toEqual(keys.slice(1).sort());
    expect(report.outcomes.find((o) => o.key === slow)).toMatchObject({ status: 'failed', retry: true, failure: { code: 'timeout' } });
    // Maybe sent: the claim stays, and while the send runs no cycle reconciles or resends it.
    expect(await deps.store.digestStatus(slow, '2026-06-24')).toBe('claimed');
    clock.advance(5 * 60_000);
    const again = await runCycle(deps, [adapter], clock.now(), opts);
    expect(again.outcomes).toEqual([{ key: slow, day: '2026-06-24', status: 'in-flight' }]);
    release();
    await hanging;
    await waitFor(() => inFlight.size === 0, { what: 'the released send settling', timeoutMs: 5_000, intervalMs: 5 });
    expect(await deps.store.digestStatus(slow, '2026-06-24')).toBe('sent');
    expect(inFlight.size).toBe(0);
    clock.advance(5 * 60_000);
    await runCycle(deps, [adapter], clock.now(), opts);
    expect(slowCalls).toBe(1);
    expect(sent.filter((s) => s.key === slow)).toHaveLength(1);
  });

  it('a retry that hangs after a quick transient failure stays marked in flight', async () => {
    const [key] = await channels(1);
    let release!: () => void;
    const hanging = new Promise<void>((r) => (release = r));
    let n = 0;
    const { adapter, sent } = scriptedAdapter('slack', clock, async () => {
      if (n++ === 0) throw new DeliveryError('platform_error', 'HTTP 502', false);
      await hanging;
    });
    const inFlight = new Set<string>();
    const opts = { ...clockOptions(clock), attemptTimeoutMs: 50, inFlight };
    await runCycle(deps, [adapter], clock.now(), opts);
    expect([...inFlight]).toEqual([`${key}|2026-06-24`]);
    clock.advance(5 * 60_000);
    expect((await runCycle(deps, [adapter], clock.now(), opts)).outcomes).toEqual([{ key, day: '2026-06-24', status: 'in-flight' }]);
    release();
    await waitFor(() => inFlight.size === 0, { what: 'the released retry settling', timeoutMs: 5_000, intervalMs: 5 });
    expect(await deps.store.digestStatus(key!, '2026-06-24')).toBe('sent');
    expect(sent).toHaveLength(1);
  });

  it('nothing is posted on an empty day unless the destination asked for the note', async () => {
    const quiet = await subscribe(deps, channel('slack', 'QUIET'), { notifyEmpty: false });
    const noted = await subscribe(deps, channel('slack', 'NOTED'), { notifyEmpty: true });
    const { adapter, sent } = scriptedAdapter('slack', clock);
    const report = await runCycle(deps, [adapter], clock.now(), clockOptions(clock));
    expect(Object.fromEntries(report.outcomes.map((o) => [o.key, o.status]))).toEqual({ [quiet]: 'empty', [noted]: 'sent' });
    expect(sent.map((s) => s.key)).toEqual([noted]);
    expect((await deps.store.getDestination(quiet))!.state).toMatchObject({ lastRunPapers: 0, lastDigestDay: '2026-06-24' });
    expect((await deps.store.getDestination(quiet))!.state.lastFailure).toBeUndefined();
  });
});

describe('retry policy', () => {
  it('backs off exponentially with jitter, within [cap/2, cap], capped', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 20 }), fc.double({ min: 0, max: 0.999999, noNaN: true }), (n, r) => {
        const cap = Math.min(defaultRetryPolicy.maxDelayMs, defaultRetryPolicy.baseDelayMs * 2 ** n);
        const ms = backoffMs(n, defaultRetryPolicy, () => r);
        return ms >= Math.floor(cap / 2) && ms <= cap;
      }),
    );
  });

  it('does not wait out a Retry-After longer than the policy allows: the next cycle tries again', async () => {
    let tries = 0;
    const err = new DeliveryError('rate_limited', 'wait 10 minutes', false, 600_000);
    const waits: number[] = [];
    await expect(withRetry(async () => void (tries++, (() => { throw err; })()), defaultRetryPolicy, { sleep: async (ms) => void waits.push(ms), random: () => 0 })).rejects.toBe(err);
    expect([tries, waits]).toEqual([1, []]);
  });

  it('does not retry permanent errors or sends that timed out (they may have arrived)', async () => {
    for (const err of [new DeliveryError('dm_closed', 'closed', true), new DeliveryError('timeout', 'slow', false)]) {
      let tries = 0;
      const waits: number[] = [];
      await expect(
        withRetry(async () => {
          tries++;
          throw err;
        }, defaultRetryPolicy, { sleep: async (ms) => void waits.push(ms), random: () => 0 }),
      ).rejects.toBe(err);
      expect([tries, waits]).toEqual([1, []]);
    }
  });
});
