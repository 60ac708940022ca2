/** A claim left open by a crash: settled by asking the platform, never sent twice. */
import { beforeEach, describe, expect, it } from 'vitest';
import { DeliveryError, type CoreDeps } from '../../src/core/index.ts';
import { digestId } from '../../src/delivery/index.ts';
import { runCycle } from '../../src/schedule/index.ts';
import { realPapers } from '../store/real-papers.ts';
import { channel, clockOptions, fakeClock, makeDeps, scriptedAdapter, subscribe, type FakeClock } from './support.ts';

const DAY = '2026-06-24';
let clock: FakeClock;
let deps: CoreDeps;
let key: string;

beforeEach(async () => {
  clock = fakeClock('2026-06-24T10:00:00Z');
  deps = makeDeps(clock);
  await deps.store.upsertPapers(realPapers(DAY));
  key = await subscribe(deps, channel('slack', 'C1'), { topics: ['diffusion'], time: '09:00', timezone: 'UTC' });
  // The crash: the ledger holds the claim, nothing was recorded after it.
  expect(await deps.store.claimDigest(key, DAY, '2026-06-24T09:00:00.000Z')).toBe(true);
});

describe('reconciling a digest interrupted between claim and send', () => {
  it('records it as sent, with the papers the message carried, when the platform has it', async () => {
    const { adapter, sent } = scriptedAdapter('slack', clock);
    const asked: string[] = [];
    const papers = realPapers(DAY).slice(0, 3).map((p) => p.id);
    adapter.findDelivered = async (_dest, id) => (asked.push(id), { paperIds: papers });
    const report = await runCycle(deps, [adapter], clock.now(), clockOptions(clock));
    expect(report.outcomes).toEqual([{ key, day: DAY, status: 'reconciled', papers: 3 }]);
    expect(asked).toEqual([digestId(key, DAY)]);
    expect(sent).toEqual([]);
    expect(await deps.store.digestStatus(key, DAY)).toBe('sent');
    expect((await deps.store.deliveredPapers(key, papers)).size).toBe(3);
    expect((await deps.store.getDestination(key))!.state).toMatchObject({ lastDigestDay: DAY, lastRunPapers: 3 });
  });

  it('sends it once when the platform does not have it, carrying its digest id and papers', async () => {
    const { adapter, sent } = scriptedAdapter('slack', clock);
    adapter.findDelivered = async () => undefined;
    const report = await runCycle(deps, [adapter], clock.now(), clockOptions(clock));
    expect(report.outcomes).toEqual([expect.objectContaining({ key, status: 'sent' })]);
    expect(sent).toHaveLength(1);
    const mark = sent[0]!.reply.digest!;
    expect(mark.id).toBe(digestId(key, DAY));
    const shown = sent[0]!.reply.blocks.flatMap((b) => (b.type === 'paper' ? [b.hit.paper.id] : []));
    expect(mark.paperIds).toEqual(shown);
    expect(shown.length).toBeGreaterThan(0);
    clock.advance(60_000);
    await runCycle(deps, [adapter], clock.now(), clockOptions(clock));
    expect(sent).toHaveLength(1);
  });

  it('without a way to look (no findDelivered), counts it as failed instead of risking a second copy', async () => {
    const { adapter, sent } = scriptedAdapter('shell', clock);
    await deps.store.claimDigest(await subscribe(deps, channel('shell', 'term'), { time: '09:00' }), DAY, '2026-06-24T09:00:00.000Z');
    const report = await runCycle(deps, [adapter], clock.now(), clockOptions(clock));
    expect(report.outcomes).toEqual([expect.objectContaining({ key: 'shell:channel:term', status: 'failed', retry: false, failure: expect.objectContaining({ code: 'interrupted' }) })]);
    expect(sent).toEqual([]);
    expect(await deps.store.digestStatus('shell:channel:term', DAY)).toBe('failed');
    // The next day is normal again.
    clock.set('2026-06-25T09:00:00Z');
    await runCycle(deps, [adapter], clock.now(), clockOptions(clock));
    expect(sent.map((s) => s.key)).toEqual(['shell:channel:term']);
  });

  it('keeps the claim and asks again later when the platform cannot be asked right now', async () => {
    const { adapter, sent } = scriptedAdapter('slack', clock);
    let fail = true;
    adapter.findDelivered = async () => {
      if (fail) throw new DeliveryError('platform_error', 'Slack answered 503', false);
      return undefined;
    };
    const first = await runCycle(deps, [adapter], clock.now(), clockOptions(clock));
    expect(first.outcomes).toEqual([expect.objectContaining({ status: 'failed', retry: true })]);
    expect(await deps.store.digestStatus(key, DAY)).toBe('claimed');
    expect(sent).toEqual([]);
    fail = false;
    clock.advance(3 * 60_000); // past the 2-minute backoff
    await runCycle(deps, [adapter], clock.now(), clockOptions(clock));
    expect(sent).toHaveLength(1);
    expect(await deps.store.digestStatus(key, DAY)).toBe('sent');
  });

  it('a digest finished before the crash could note it on the destination is not due again', async () => {
    await deps.store.finishDigest(key, DAY, 'sent', [], '2026-06-24T09:00:01.000Z');
    const { adapter, sent } = scriptedAdapter('slack', clock);
    const report = await runCycle(deps, [adapter], clock.now(), clockOptions(clock));
    expect(report.outcomes).toEqual([{ key, day: DAY, status: 'already-claimed' }]);
    expect((await deps.store.getDestination(key))!.state.lastDigestDay).toBe(DAY);
    clock.advance(60_000);
    expect((await runCycle(deps, [adapter], clock.now(), clockOptions(clock))).outcomes).toEqual([]);
    expect(sent).toEqual([]);
  });
});
