import { describe, expect, it } from 'vitest';
import { buildDigest, DigestCache } from '../../../src/core/digests/index.ts';
import type { Destination, Paper } from '../../../src/core/model/index.ts';
import { captureLogger, loadDay, makeDeps } from '../commands/support.ts';

const day = loadDay('2026-06-24');
const w = (since: string, until = '2026-06-24T09:00:00Z', reopenDay?: string) => ({ since: new Date(since), until: new Date(until), reopenDay });

describe('DigestCache windows', () => {
  it('loads a window once for concurrent callers, and a separate window separately', async () => {
    const cache = new DigestCache();
    let loads = 0;
    const load = async () => {
      loads++;
      return day;
    };
    const [a, b] = await Promise.all([cache.window(w('2026-06-23T09:00:00Z'), load), cache.window(w('2026-06-23T09:00:00Z'), load)]);
    expect(a).toBe(b);
    expect(loads).toBe(1);
    const c = await cache.window(w('2026-06-23T09:00:00Z', undefined, '2026-06-23'), load);
    expect(c).not.toBe(a);
    expect(loads).toBe(2);
    expect(cache.stats().windows).toBe(2);
  });

  it('does not keep a failed load: the next caller tries again', async () => {
    const cache = new DigestCache();
    let calls = 0;
    const load = async () => {
      if (++calls === 1) throw new Error('store unavailable');
      return day;
    };
    await expect(cache.window(w('2026-06-23T09:00:00Z'), load)).rejects.toThrow('store unavailable');
    expect((await cache.window(w('2026-06-23T09:00:00Z'), load)).papers).toHaveLength(day.length);
    expect(calls).toBe(2);
  });

  it('keeps at most maxWindows, dropping the least recently used', async () => {
    const cache = new DigestCache(2);
    let loads = 0;
    const load = async () => (loads++, day);
    await cache.window(w('2026-06-21T00:00:00Z'), load);
    await cache.window(w('2026-06-22T00:00:00Z'), load);
    await cache.window(w('2026-06-21T00:00:00Z'), load); // used again: now the newest
    await cache.window(w('2026-06-23T00:00:00Z'), load); // evicts the 22nd
    expect(loads).toBe(3);
    await cache.window(w('2026-06-21T00:00:00Z'), load);
    expect(loads).toBe(3);
    await cache.window(w('2026-06-22T00:00:00Z'), load);
    expect(loads).toBe(4);
  });
});

describe('WindowMatcher', () => {
  it('evaluates each distinct query once, shared by its spellings, and answers topics that do not parse with nothing', async () => {
    const cache = new DigestCache();
    const m = await cache.window(w('2026-06-23T09:00:00Z'), async () => day);
    const broken: string[] = [];
    const a = m.match(['agents', 'GUI', 'a "b', '-video'], (t) => broken.push(t));
    const b = m.match(['Agents', ' agents', 'gui', 'agents'], (t) => broken.push(t));
    expect(broken).toEqual([]);
    expect(a.get('agents')!.length).toBeGreaterThan(0);
    expect(a.get('a "b')).toEqual([]);
    expect(a.get('-video')).toEqual([]);
    expect(b.get('Agents')).toEqual(a.get('agents'));
    expect(b.get('gui')).toEqual(a.get('GUI'));
    expect([...b.keys()]).toEqual(['Agents', ' agents', 'gui', 'agents']);
    expect(cache.stats()).toEqual({ windows: 1, indexes: 1, evaluations: 2 });
  });

  it('builds no index for a window nobody matches against', async () => {
    const cache = new DigestCache();
    const m = await cache.window(w('2026-06-23T09:00:00Z'), async () => day);
    m.match(['a "b'], () => {});
    expect(cache.stats().indexes).toBe(0);
  });

  it('a paper that breaks the index skips the topics with a warning, as without the cache, and crashes nothing', async () => {
    const bad = { ...day[0]!, id: '2606.99999' } as Paper;
    Object.defineProperty(bad, 'title', { get: () => { throw new Error('unreadable title'); } });
    const deps = await makeDeps([]);
    const store = Object.assign(Object.create(deps.store) as typeof deps.store, { papersListedBetween: async () => [bad, ...day] });
    const dest: Destination = {
      platform: 'shell', kind: 'channel', id: 'c', key: 'shell:channel:c', createdAt: '2026-06-01T00:00:00Z', state: {},
      settings: { topics: ['agents', 'GUI'], time: '09:00', timezone: 'UTC', paused: false, weekdaysOnly: false, notifyEmpty: false, maxPapers: 10 },
    };
    const now = new Date('2026-06-24T09:00:00Z');
    const plain = captureLogger();
    const shared = captureLogger();
    const without = await buildDigest(dest, { ...deps, store, logger: plain }, { now });
    const cache = new DigestCache();
    const withCache = await buildDigest(dest, { ...deps, store, logger: shared }, { now, cache });
    expect(withCache).toEqual(without);
    expect(withCache.total).toBe(0);
    const skipped = (l: typeof plain) => l.entries.filter((e) => e.level === 'warn').map((e) => (e.obj as { topic: string }).topic);
    expect(skipped(shared)).toEqual(['agents', 'GUI']);
    expect(skipped(shared)).toEqual(skipped(plain));
  });
});
