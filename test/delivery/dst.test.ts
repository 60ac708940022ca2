/**
 * Runs on the clock, minute by minute in spirit (every 5 minutes here), across the DST changes of
 * 2026 in both directions: one digest per local day, at the local time, never skipped or doubled.
 */
import { describe, expect, it } from 'vitest';
import { runCycle } from '../../src/schedule/index.ts';
import { wallClock } from '../../src/core/schedule/index.ts';
import { channel, clockOptions, fakeClock, makeDeps, scriptedAdapter, subscribe } from './support.ts';

const STEP = 5 * 60_000;

async function runDays(zone: string, times: string[], from: string, to: string) {
  const clock = fakeClock(from);
  const deps = makeDeps(clock);
  const { adapter, sent } = scriptedAdapter('discord', clock);
  const keys = new Map<string, string>();
  for (const t of times) keys.set(await subscribe(deps, channel('discord', `c-${t}`), { time: t, timezone: zone }), t);
  const end = new Date(to).getTime();
  while (clock.now().getTime() <= end) {
    await runCycle(deps, [adapter], clock.now(), clockOptions(clock));
    clock.advance(STEP);
  }
  return { sent, keys };
}

/** Local day and wall time of each delivery of `key`. */
function localRuns(sent: { key: string; at: string }[], key: string, zone: string) {
  return sent
    .filter((s) => s.key === key)
    .map((s) => {
      const w = wallClock(new Date(s.at), zone);
      return { day: `${w.year}-${String(w.month).padStart(2, '0')}-${String(w.day).padStart(2, '0')}`, hm: w.hour * 60 + w.minute, at: s.at };
    });
}

describe('digests across DST changes (injected clock)', () => {
  it('Berlin, clocks forward (29 March 2026): 08:30 and the nonexistent 02:30 each run once a day', async () => {
    const zone = 'Europe/Berlin';
    const { sent, keys } = await runDays(zone, ['08:30', '02:30'], '2026-03-27T22:00:00Z', '2026-03-30T22:00:00Z');
    for (const [key, time] of keys) {
      const runs = localRuns(sent, key, zone);
      expect(runs.map((r) => r.day), time).toEqual(['2026-03-28', '2026-03-29', '2026-03-30']);
      if (time === '08:30') for (const r of runs) expect(r.hm).toBe(8 * 60 + 30);
    }
    // 02:30 does not exist on the change day: it runs at the change (03:00 local, 01:00 UTC).
    const gap = localRuns(sent, [...keys].find(([, t]) => t === '02:30')![0], zone);
    expect(gap[1]!.at).toBe('2026-03-29T01:00:00.000Z');
    expect(gap[0]!.at).toBe('2026-03-28T01:30:00.000Z');
    expect(gap[2]!.at).toBe('2026-03-30T00:30:00.000Z');
  });

  it('Berlin, clocks back (25 October 2026): the twice-occurring 02:30 runs once, at its first occurrence', async () => {
    const zone = 'Europe/Berlin';
    const { sent, keys } = await runDays(zone, ['08:30', '02:30'], '2026-10-23T22:00:00Z', '2026-10-26T22:00:00Z');
    for (const [key] of keys) expect(localRuns(sent, key, zone).map((r) => r.day)).toEqual(['2026-10-24', '2026-10-25', '2026-10-26']);
    const amb = sent.filter((s) => keys.get(s.key) === '02:30').map((s) => s.at);
    // 02:30 CEST (00:30 UTC) on the change day; the repeat at 02:30 CET (01:30 UTC) is not run.
    expect(amb).toEqual(['2026-10-24T00:30:00.000Z', '2026-10-25T00:30:00.000Z', '2026-10-26T01:30:00.000Z']);
    const morning = sent.filter((s) => keys.get(s.key) === '08:30').map((s) => s.at);
    expect(morning).toEqual(['2026-10-24T06:30:00.000Z', '2026-10-25T07:30:00.000Z', '2026-10-26T07:30:00.000Z']);
  });

  it('New York in both directions (8 March and 1 November 2026), 07:00 local every day', async () => {
    const zone = 'America/New_York';
    const spring = await runDays(zone, ['07:00'], '2026-03-07T00:00:00Z', '2026-03-09T23:00:00Z');
    expect(spring.sent.map((s) => s.at)).toEqual(['2026-03-07T12:00:00.000Z', '2026-03-08T11:00:00.000Z', '2026-03-09T11:00:00.000Z']);
    const fall = await runDays(zone, ['07:00', '01:30'], '2026-10-31T00:00:00Z', '2026-11-02T23:00:00Z');
    const at = (t: string) => fall.sent.filter((s) => fall.keys.get(s.key) === t).map((s) => s.at);
    expect(at('07:00')).toEqual(['2026-10-31T11:00:00.000Z', '2026-11-01T12:00:00.000Z', '2026-11-02T12:00:00.000Z']);
    // 01:30 happens twice on 1 November: first occurrence only (EDT, 05:30 UTC).
    expect(at('01:30')).toEqual(['2026-10-31T05:30:00.000Z', '2026-11-01T05:30:00.000Z', '2026-11-02T06:30:00.000Z']);
  });

  it('weekdays only: nothing on Saturday and Sunday, Friday and Monday at the local time', async () => {
    const zone = 'Asia/Tokyo';
    const clock = fakeClock('2026-06-25T12:00:00Z'); // Thursday evening in Tokyo
    const deps = makeDeps(clock);
    const { adapter, sent } = scriptedAdapter('slack', clock);
    const key = await subscribe(deps, channel('slack', 'CWEEK'), { time: '08:00', timezone: zone, weekdaysOnly: true });
    while (clock.now() < new Date('2026-06-29T22:00:00Z')) {
      await runCycle(deps, [adapter], clock.now(), clockOptions(clock));
      clock.advance(15 * 60_000);
    }
    expect(localRuns(sent, key, zone).map((r) => r.day)).toEqual(['2026-06-26', '2026-06-29']);
    expect(sent.map((s) => s.at)).toEqual(['2026-06-25T23:00:00.000Z', '2026-06-28T23:00:00.000Z']);
  });
});
