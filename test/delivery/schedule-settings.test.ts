/** Setting when a digest comes, through the real commands: time, zone, weekdays only, empty-day note, status. */
import { describe, expect, it } from 'vitest';
import { statusFields } from '../../src/core/commands/status.ts';
import { typed, noticeOf } from '../core/commands/run-text.ts';
import { ctxOf } from '../core/commands/support.ts';
import { runCycle } from '../../src/schedule/index.ts';
import { clockOptions, fakeClock, makeDeps, scriptedAdapter } from './support.ts';

describe('/digest time and /topics time', () => {
  it('set weekdays only and the empty-day note, typed in any of the accepted orders', async () => {
    const clock = fakeClock('2026-06-26T12:00:00Z'); // Friday
    const deps = makeDeps(clock);
    const admin = ctxOf('ann', { manage: true });
    expect(noticeOf(await typed('/digest time 08:30 Europe/Berlin weekdays note', admin, deps))).toBe(
      'success: The daily digest now comes at 08:30 Europe/Berlin, on weekdays only.',
    );
    let dest = (await deps.store.getDestination('shell:channel:general'))!;
    expect(dest.settings).toMatchObject({ time: '08:30', timezone: 'Europe/Berlin', weekdaysOnly: true, notifyEmpty: true });
    // The zone may be left out; a keyword in its place is the keyword; the zone stays.
    await typed('/digest time 09:15 daily', admin, deps);
    dest = (await deps.store.getDestination('shell:channel:general'))!;
    expect(dest.settings).toMatchObject({ time: '09:15', timezone: 'Europe/Berlin', weekdaysOnly: false, notifyEmpty: true });
    const bad = await typed('/digest time 09:15 UTC sometimes', admin, deps);
    expect(noticeOf(bad)).toMatch(/^error: .*daily, weekdays/);

    const me = ctxOf('bob', { channel: null });
    await typed('/topics add diffusion', me, deps);
    await typed('/topics time 07:00 America/New_York weekdays', me, deps);
    const mine = (await deps.store.getDestination('shell:user:bob'))!;
    expect(mine.settings).toMatchObject({ time: '07:00', timezone: 'America/New_York', weekdaysOnly: true, notifyEmpty: false });
    // Friday noon UTC in New York: the next run skips the weekend, shown in the person's zone.
    const next = statusFields(mine, clock.now()).find((f) => f.label === 'Next run')!.value;
    expect(next).toMatch(/Mon/);
    expect(next).toMatch(/07:00/);
    expect(next).toMatch(/America\/New_York/);
  });

  it('a Slack person starts in the zone of their profile', async () => {
    const clock = fakeClock('2026-06-26T12:00:00Z');
    const deps = makeDeps(clock);
    await typed('/topics add agents', ctxOf('U1', { channel: null, platform: 'slack', tz: 'Asia/Kolkata' }), deps);
    expect((await deps.store.getDestination('slack:user:U1'))!.settings.timezone).toBe('Asia/Kolkata');
  });

  it('status shows the last run with its papers, the next run, and the last failure with its reason', async () => {
    const clock = fakeClock('2026-06-24T09:00:00Z');
    const deps = makeDeps(clock);
    const admin = ctxOf('ann', { manage: true });
    await typed('/digest add diffusion', admin, deps);
    await typed('/digest time 09:00 UTC note', admin, deps);
    const { adapter } = scriptedAdapter('shell', clock);
    await runCycle(deps, [adapter], clock.now(), clockOptions(clock));
    const status = await typed('/digest status', ctxOf('zoe'), deps);
    const text = JSON.stringify(status.blocks);
    expect(text).toMatch(/Last run.*0 papers/);
    expect(text).toMatch(/Next run.*09:00 \(UTC\)/);
    expect(text).toMatch(/Last failure","value":"none/);
  });
});
