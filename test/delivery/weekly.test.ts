/**
 * Weekly digests on an injected clock: once a week on the local day and time, across DST weeks in
 * Berlin and New York, with catch-up, at most once per week, and a first digest covering 7 days.
 */
import { describe, expect, it } from 'vitest';
import { runCycle } from '../../src/schedule/index.ts';
import { wallClock } from '../../src/core/schedule/index.ts';
import { parseCommandText, runCommand } from '../../src/core/commands/index.ts';
import type { CommandContext, CoreDeps, Paper, Reply } from '../../src/core/index.ts';
import { realPapers } from '../store/real-papers.ts';
import { channel, clockOptions, fakeClock, makeDeps, scriptedAdapter, subscribe, type FakeClock } from './support.ts';

const STEP = 15 * 60_000;

async function runUntil(deps: CoreDeps, clock: FakeClock, adapter: Parameters<typeof runCycle>[1][number], to: string, step = STEP) {
  while (clock.now().getTime() <= Date.parse(to)) {
    await runCycle(deps, [adapter], clock.now(), clockOptions(clock));
    clock.advance(step);
  }
}

const localOf = (iso: string, zone: string) => {
  const w = wallClock(new Date(iso), zone);
  return { weekday: w.weekday, hm: `${String(w.hour).padStart(2, '0')}:${String(w.minute).padStart(2, '0')}` };
};

const papersOf = (r: Reply) => r.blocks.flatMap((b) => (b.type === 'paper' ? [b.hit.paper] : []));

describe('weekly digests (injected clock)', () => {
  it('Berlin, weekly on Monday 08:30, across the week clocks go forward (29 March 2026)', async () => {
    const clock = fakeClock('2026-03-20T00:00:00Z');
    const deps = makeDeps(clock);
    const { adapter, sent } = scriptedAdapter('discord', clock);
    await subscribe(deps, channel('discord', 'CW'), { time: '08:30', timezone: 'Europe/Berlin', weeklyOn: 1 });
    await runUntil(deps, clock, adapter, '2026-04-08T00:00:00Z');
    // 08:30 CET is 07:30 UTC; after the change 08:30 CEST is 06:30 UTC.
    expect(sent.map((s) => s.at)).toEqual(['2026-03-23T07:30:00.000Z', '2026-03-30T06:30:00.000Z', '2026-04-06T06:30:00.000Z']);
  });

  it('New York, weekly on Friday 07:00, across the week clocks go back (1 November 2026)', async () => {
    const clock = fakeClock('2026-10-26T00:00:00Z');
    const deps = makeDeps(clock);
    const { adapter, sent } = scriptedAdapter('slack', clock);
    await subscribe(deps, channel('slack', 'CNY'), { time: '07:00', timezone: 'America/New_York', weeklyOn: 5 });
    await runUntil(deps, clock, adapter, '2026-11-14T00:00:00Z');
    expect(sent.map((s) => s.at)).toEqual(['2026-10-30T11:00:00.000Z', '2026-11-06T12:00:00.000Z', '2026-11-13T12:00:00.000Z']);
  });

  it.each([
    ['Pacific/Chatham', '00:10'],
    ['Asia/Kathmandu', '23:50'],
    ['Pacific/Kiritimati', '00:05'],
  ])('%s: the week boundary is the local one (weekly mon %s)', async (zone, time) => {
    const clock = fakeClock('2026-03-28T00:00:00Z');
    const deps = makeDeps(clock);
    const { adapter, sent } = scriptedAdapter('discord', clock);
    await subscribe(deps, channel('discord', 'CODD'), { time, timezone: zone, weeklyOn: 1 });
    // Five-minute steps: these zones are 45 minutes off the hour.
    await runUntil(deps, clock, adapter, '2026-04-14T00:00:00Z', 5 * 60_000);
    // Chatham leaves DST on 5 April 2026 (+13:45 -> +12:45): still Monday at the local time.
    expect(sent).toHaveLength(3);
    for (const s of sent) expect(localOf(s.at, zone)).toEqual({ weekday: 1, hm: time });
    expect(Date.parse(sent[1]!.at) - Date.parse(sent[0]!.at)).toBeGreaterThanOrEqual(6.9 * 86_400_000);
    // ~4,900 cycles at five-minute steps: seconds when idle, past 30 s on a busy CI machine.
  }, 180_000);

  it('catches up within the window after downtime, records a week missed beyond it, never doubles a week', async () => {
    const clock = fakeClock('2026-06-29T05:00:00Z');
    const deps = makeDeps(clock);
    const { adapter, sent } = scriptedAdapter('discord', clock);
    const key = await subscribe(deps, channel('discord', 'CC'), { time: '08:30', timezone: 'Europe/Berlin', weeklyOn: 1 });
    // Down over Monday 08:30 (06:30 UTC), back at 10:00 UTC: within the 6 hours, so it is sent.
    clock.set('2026-06-29T10:00:00Z');
    await runUntil(deps, clock, adapter, '2026-06-29T12:00:00Z');
    expect(sent.map((s) => s.at)).toEqual(['2026-06-29T10:00:00.000Z']);
    // Down the whole of the next Monday: back on Tuesday, that week is missed, not sent late.
    clock.set('2026-07-07T09:00:00Z');
    const report = await runCycle(deps, [adapter], clock.now(), clockOptions(clock));
    expect(report.outcomes).toEqual([expect.objectContaining({ key, day: '2026-07-06', status: 'missed' })]);
    expect(sent).toHaveLength(1);
    expect((await deps.store.getDestination(key))!.state.lastFailure?.code).toBe('missed');
    await runUntil(deps, clock, adapter, '2026-07-14T00:00:00Z');
    expect(sent.map((s) => s.at)).toEqual(['2026-06-29T10:00:00.000Z', '2026-07-13T06:30:00.000Z']);
  });

  it('moving the day mid-week does not give a second digest that week', async () => {
    const clock = fakeClock('2026-06-29T00:00:00Z');
    const deps = makeDeps(clock);
    const { adapter, sent } = scriptedAdapter('discord', clock);
    const key = await subscribe(deps, channel('discord', 'CM'), { time: '08:00', timezone: 'UTC', weeklyOn: 1 });
    await runUntil(deps, clock, adapter, '2026-06-29T12:00:00Z');
    await deps.store.updateSettings(key, { weeklyOn: 3 });
    await runUntil(deps, clock, adapter, '2026-07-09T00:00:00Z');
    expect(sent.map((s) => s.at)).toEqual(['2026-06-29T08:00:00.000Z', '2026-07-08T08:00:00.000Z']);
  });

  it('holds the papers of the last 7 days for the first digest, then those since it; never-delivered, ranked, capped', async () => {
    const clock = fakeClock('2026-06-29T05:00:00Z');
    const deps = makeDeps(clock);
    const days = ['2026-06-22', '2026-06-23', '2026-06-24', '2026-06-25', '2026-06-26'];
    const all: Paper[] = days.flatMap((d) => realPapers(d));
    await deps.store.upsertPapers(all);
    const { adapter, sent } = scriptedAdapter('discord', clock);
    await subscribe(deps, channel('discord', 'CP'), { time: '08:30', timezone: 'Europe/Berlin', weeklyOn: 1, topics: ['diffusion'], maxPapers: 5 });
    await runUntil(deps, clock, adapter, '2026-06-29T07:00:00Z');
    expect(sent).toHaveLength(1);
    const first = sent[0]!.reply;
    const shown = papersOf(first);
    expect(shown).toHaveLength(5);
    // Window: 7 days before Monday 06:30 UTC; a paper stamped at midnight of 22 June is older.
    const inWindow = all.filter((p) => p.listedOn >= '2026-06-23' && /diffusion/i.test(`${p.title} ${p.abstract} ${p.aiSummary ?? ''}`));
    expect(inWindow.length).toBeGreaterThan(5);
    for (const p of shown) expect(p.listedOn >= '2026-06-23').toBe(true);
    expect(shown.map((p) => p.upvotes)).toEqual([...shown.map((p) => p.upvotes)].sort((a, b) => b - a));
    const more = first.blocks.find((b) => b.type === 'more');
    expect(more && more.type === 'more' ? more.count : 0).toBeGreaterThan(0);
    // Next week: the papers listed since, none of those already sent.
    const later = realPapers('2026-08-20').map((p) => ({ ...p, listedOn: '2026-07-02', submittedAt: '2026-07-02T00:00:00.000Z' }));
    await deps.store.upsertPapers(later);
    await runUntil(deps, clock, adapter, '2026-07-06T07:00:00Z');
    expect(sent).toHaveLength(2);
    const second = papersOf(sent[1]!.reply);
    expect(second.length).toBeGreaterThan(0);
    for (const p of second) expect(p.listedOn).toBe('2026-07-02');
    expect(second.some((p) => shown.some((s) => s.id === p.id))).toBe(false);
  });

  it('/digest time 08:30 Europe/Berlin weekly mon (typed) sets it; status shows the next run on its date', async () => {
    const clock = fakeClock('2026-03-25T12:00:00Z'); // a Wednesday
    const deps = makeDeps(clock);
    const ctx: CommandContext = {
      platform: 'slack',
      user: { platform: 'slack', kind: 'user', id: 'U1' },
      channel: { platform: 'slack', kind: 'channel', id: 'C1' },
      canManageChannel: true,
    };
    const run = async (text: string) => {
      const parsed = parseCommandText(text);
      if ('error' in parsed) throw new Error(JSON.stringify(parsed.error));
      return runCommand(parsed.spec, ctx, parsed.args, deps);
    };
    await run('/digest add diffusion');
    const set = await run('/digest time 08:30 Europe/Berlin weekly mon');
    expect(set.blocks[0]).toEqual({ type: 'notice', level: 'success', text: 'The weekly digest now comes at 08:30 Europe/Berlin, weekly on Monday.' });
    expect(JSON.stringify(set.blocks[1])).toContain('Next run: Mon, 30 Mar 2026, 08:30');
    const status = await run('/digest status');
    const fields = status.blocks.find((b) => b.type === 'fields');
    expect(fields && fields.type === 'fields' ? fields.fields : []).toEqual(
      expect.arrayContaining([
        { label: 'Next run', value: expect.stringContaining('Mon, 30 Mar 2026, 08:30') },
        { label: 'Schedule', value: '08:30 Europe/Berlin, weekly on Monday' },
      ]),
    );
    // The zone may be left out, keywords in any slot; a day without weekly means weekly on it.
    const topics = await run('/topics time 07:00 weekly fri');
    expect(topics.blocks[0]).toMatchObject({ text: 'The weekly digest now comes at 07:00 UTC, weekly on Friday.' });
    const back = await run('/topics time 07:00 daily');
    expect(back.blocks[0]).toMatchObject({ text: 'The daily digest now comes at 07:00 UTC.' });
    const bad = await run('/topics time 07:00 weekly');
    expect(JSON.stringify(bad)).toContain('Say which day a weekly digest comes on');
    const wrong = await run('/topics time 07:00 weekdays fri');
    expect(JSON.stringify(wrong)).toContain('goes with weekly only');
  });
});
