/**
 * Restarts on an injected clock, with the real JSON store reopened from its file each time: a
 * digest due during downtime goes out within the catch-up window, and beyond it is recorded as missed.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { defaultCoreConfig, silentLogger, type CoreDeps, type Store } from '../../src/core/index.ts';
import { statusFields } from '../../src/core/commands/status.ts';
import { createSearchIndex } from '../../src/core/search/index.ts';
import { runCycle } from '../../src/schedule/index.ts';
import { openStore } from '../../src/store/index.ts';
import { channel, clockOptions, fakeClock, scriptedAdapter, subscribe, type FakeClock } from './support.ts';

let dir: string;
let url: string;
let clock: FakeClock;
let store: Store | undefined;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'paperboy-catchup-'));
  url = `file:${join(dir, 'paperboy.json')}`;
  clock = fakeClock('2026-06-22T07:00:00Z'); // a Monday
});
afterEach(async () => {
  await store?.close();
  store = undefined;
  await rm(dir, { recursive: true, force: true });
});

/** "Starts the process": opens the store file afresh. */
async function boot(): Promise<CoreDeps> {
  await store?.close();
  store = await openStore(url, { logger: silentLogger, clock });
  return { store, index: createSearchIndex(), clock, logger: silentLogger, config: defaultCoreConfig };
}

describe('catch-up after downtime', () => {
  it('sends a digest due while down when it comes back inside the window (6 hours by default)', async () => {
    let deps = await boot();
    const { adapter, sent } = scriptedAdapter('slack', clock);
    const key = await subscribe(deps, channel('slack', 'C1'), { time: '09:00', timezone: 'Europe/Berlin' });
    clock.set('2026-06-22T07:00:00Z'); // 09:00 Berlin: delivered on time
    await runCycle(deps, [adapter], clock.now(), clockOptions(clock));
    expect(sent).toHaveLength(1);
    // Down from Tuesday 08:00 to 12:59 local (10:59 UTC), 3 h 59 min after the 09:00 run.
    clock.set('2026-06-23T10:59:00Z');
    deps = await boot();
    const report = await runCycle(deps, [adapter], clock.now(), clockOptions(clock));
    expect(report.outcomes).toEqual([expect.objectContaining({ key, day: '2026-06-23', status: 'sent' })]);
    expect(sent.map((s) => s.at)).toEqual(['2026-06-22T07:00:00.000Z', '2026-06-23T10:59:00.000Z']);
    // And not again on the next cycles of that day.
    for (let i = 0; i < 5; i++) {
      clock.advance(60_000);
      await runCycle(deps, [adapter], clock.now(), clockOptions(clock));
    }
    expect(sent).toHaveLength(2);
  });

  it('records a digest beyond the window as missed, shows it in status, and is back on time the next day', async () => {
    let deps = await boot();
    const { adapter, sent } = scriptedAdapter('slack', clock);
    const key = await subscribe(deps, channel('slack', 'C1'), { time: '09:00', timezone: 'Europe/Berlin' });
    await runCycle(deps, [adapter], clock.now(), clockOptions(clock));
    // Down until 16:01 Berlin on Tuesday: 7 hours late.
    clock.set('2026-06-23T14:01:00Z');
    deps = await boot();
    const report = await runCycle(deps, [adapter], clock.now(), clockOptions(clock));
    expect(report.outcomes).toEqual([{ key, day: '2026-06-23', status: 'missed' }]);
    expect(sent).toHaveLength(1);
    expect(await deps.store.digestStatus(key, '2026-06-23')).toBe('failed');
    const dest = (await deps.store.getDestination(key))!;
    expect(dest.state).toMatchObject({ lastDigestDay: '2026-06-23', lastFailure: { code: 'missed', permanent: false } });
    const fields = Object.fromEntries(statusFields(dest, clock.now()).map((f) => [f.label, f.value]));
    expect(fields['Last failure']).toMatch(/2026-06-23 was not sent.*6-hour catch-up window/);
    expect(fields['Next run']).toMatch(/09:00/);
    expect(fields['Next run']).toMatch(/Europe\/Berlin/);
    // Nothing more that day; Wednesday at 09:00 it goes out and the failure is cleared.
    clock.set('2026-06-23T20:00:00Z');
    await runCycle(deps, [adapter], clock.now(), clockOptions(clock));
    expect(sent).toHaveLength(1);
    clock.set('2026-06-24T07:00:00Z');
    deps = await boot();
    await runCycle(deps, [adapter], clock.now(), clockOptions(clock));
    expect(sent.map((s) => s.at)).toEqual(['2026-06-22T07:00:00.000Z', '2026-06-24T07:00:00.000Z']);
    expect((await deps.store.getDestination(key))!.state.lastFailure).toBeUndefined();
  });

  it('records every day of a long outage as missed once, then sends today within the window', async () => {
    let deps = await boot();
    const { adapter, sent } = scriptedAdapter('slack', clock);
    const key = await subscribe(deps, channel('slack', 'C1'), { time: '09:00', timezone: 'UTC' });
    clock.set('2026-06-22T09:00:00Z');
    await runCycle(deps, [adapter], clock.now(), clockOptions(clock));
    clock.set('2026-06-26T10:00:00Z'); // down Tuesday to Friday morning
    deps = await boot();
    const report = await runCycle(deps, [adapter], clock.now(), clockOptions(clock));
    expect(report.outcomes.map((o) => `${o.day} ${o.status}`)).toEqual(['2026-06-25 missed', '2026-06-24 missed', '2026-06-23 missed', '2026-06-26 sent']);
    for (const day of ['2026-06-23', '2026-06-24', '2026-06-25']) expect(await deps.store.digestStatus(key, day)).toBe('failed');
    expect(sent.map((s) => s.at)).toEqual(['2026-06-22T09:00:00.000Z', '2026-06-26T10:00:00.000Z']);
    // Recorded once: a restart does not record them again.
    deps = await boot();
    expect((await runCycle(deps, [adapter], clock.now(), clockOptions(clock))).outcomes).toEqual([]);
  });

  it('a digest sent just before a crash (state not yet updated) is not reported as missed after a long outage', async () => {
    let deps = await boot();
    const { adapter, sent } = scriptedAdapter('slack', clock);
    const key = await subscribe(deps, channel('slack', 'C1'), { time: '09:00', timezone: 'UTC' });
    clock.set('2026-06-22T09:00:00Z');
    await deps.store.claimDigest(key, '2026-06-22', clock.now().toISOString());
    await deps.store.finishDigest(key, '2026-06-22', 'sent', [], clock.now().toISOString());
    clock.set('2026-06-22T20:00:00Z');
    deps = await boot();
    const report = await runCycle(deps, [adapter], clock.now(), clockOptions(clock));
    expect(report.outcomes).toEqual([]);
    const state = (await deps.store.getDestination(key))!.state;
    expect(state.lastDigestDay).toBe('2026-06-22');
    expect(state.lastFailure).toBeUndefined();
    expect(sent).toEqual([]);
  });

  it('takes CATCH_UP_HOURS into account (8 hours: 7 hours late still goes out)', async () => {
    let deps = await boot();
    const { adapter, sent } = scriptedAdapter('slack', clock);
    await subscribe(deps, channel('slack', 'C1'), { time: '09:00', timezone: 'UTC' });
    clock.set('2026-06-22T09:00:00Z');
    await runCycle(deps, [adapter], clock.now(), clockOptions(clock));
    clock.set('2026-06-23T16:00:00Z');
    deps = await boot();
    const report = await runCycle(deps, [adapter], clock.now(), { ...clockOptions(clock), catchUpHours: 8 });
    expect(report.outcomes.map((o) => o.status)).toEqual(['sent']);
    expect(sent).toHaveLength(2);
  });

  it('a paused stretch is not reported as missed after resuming, and a new destination starts fresh', async () => {
    let deps = await boot();
    const { adapter, sent } = scriptedAdapter('slack', clock);
    const key = await subscribe(deps, channel('slack', 'C1'), { time: '09:00', timezone: 'UTC' });
    clock.set('2026-06-22T09:00:00Z');
    await runCycle(deps, [adapter], clock.now(), clockOptions(clock));
    await deps.store.updateSettings(key, { paused: true });
    for (const at of ['2026-06-23T09:30:00Z', '2026-06-24T09:30:00Z', '2026-06-25T09:30:00Z']) {
      clock.set(at);
      await runCycle(deps, [adapter], clock.now(), clockOptions(clock));
    }
    await deps.store.updateSettings(key, { paused: false });
    clock.set('2026-06-25T20:00:00Z');
    deps = await boot();
    // Created after its time today: nothing due, nothing missed until tomorrow.
    const late = await subscribe(deps, channel('slack', 'C2'), { time: '09:00', timezone: 'UTC' });
    const report = await runCycle(deps, [adapter], clock.now(), clockOptions(clock));
    expect(report.outcomes).toEqual([]);
    expect((await deps.store.getDestination(key))!.state.lastFailure).toBeUndefined();
    clock.set('2026-06-26T09:00:00Z');
    await runCycle(deps, [adapter], clock.now(), clockOptions(clock));
    expect(sent.map((s) => `${s.key} ${s.at}`).sort()).toEqual([
      `${key} 2026-06-22T09:00:00.000Z`,
      `${key} 2026-06-26T09:00:00.000Z`,
      `${late} 2026-06-26T09:00:00.000Z`,
    ]);
  });
});
