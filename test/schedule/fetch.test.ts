import { describe, expect, it } from 'vitest';
import { createMemoryStore } from '../../src/store/index.ts';
import { createSearchIndex } from '../../src/core/search/index.ts';
import { defaultCoreConfig, silentLogger, type CoreDeps } from '../../src/core/index.ts';
import { daysToFetch, lastDays, startScheduler } from '../../src/schedule/index.ts';

const at = (iso: string) => new Date(iso);
const fetched = (entries: [string, string][]) => new Map(entries.map(([d, a]) => [d, { at: a, count: 1 }]));

describe('daysToFetch', () => {
  it('asks for yesterday and today when nothing was fetched yet', () => {
    expect(daysToFetch(new Map(), at('2026-06-24T10:00:00Z'))).toEqual(['2026-06-23', '2026-06-24']);
  });

  it('fills every missing day since the last fetch, capped to the look-back window', () => {
    const f = fetched([['2026-06-01', '2026-06-02T05:00:00Z']]);
    expect(daysToFetch(f, at('2026-06-24T10:00:00Z'))).toEqual(lastDays(at('2026-06-24T10:00:00Z'), 7));
    const g = fetched([['2026-06-20', '2026-06-21T05:00:00Z']]);
    expect(daysToFetch(g, at('2026-06-22T10:00:00Z'))).toEqual(['2026-06-21', '2026-06-22']);
  });

  it('refreshes an open day only after the interval, and never a settled one', () => {
    const open = fetched([['2026-06-24', '2026-06-24T09:55:00Z']]);
    expect(daysToFetch(open, at('2026-06-24T10:00:00Z'))).toEqual([]);
    expect(daysToFetch(open, at('2026-06-24T10:20:00Z'))).toEqual(['2026-06-24']);
    const settled = fetched([['2026-06-23', '2026-06-24T02:00:00Z'], ['2026-06-24', '2026-06-24T09:55:00Z']]);
    expect(daysToFetch(settled, at('2026-06-24T10:00:00Z'))).toEqual([]);
  });

  it('lists the last n UTC days oldest first', () => {
    expect(lastDays(at('2026-03-01T23:59:00Z'), 3)).toEqual(['2026-02-27', '2026-02-28', '2026-03-01']);
  });
});

describe('startScheduler', () => {
  it('runs a cycle on demand, never two at once, and stops (cron task destroyed)', async () => {
    const deps: CoreDeps = {
      store: createMemoryStore(),
      index: createSearchIndex(),
      clock: { now: () => at('2026-06-24T10:00:00Z') },
      logger: silentLogger,
      config: defaultCoreConfig,
    };
    const scheduler = startScheduler(deps, () => [], { clock: deps.clock });
    const a = scheduler.runNow();
    const b = scheduler.runNow();
    expect(b).toBe(a);
    expect(await a).toEqual({ outcomes: [], noAdapter: [] });
    await scheduler.stop();
  });
});
