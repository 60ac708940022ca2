import { beforeAll, describe, expect, it } from 'vitest';
import { buildDigest, DigestCache, type BuildOptions } from '../../../src/core/digests/index.ts';
import type { Destination, Digest, Paper } from '../../../src/core/model/index.ts';
import { loadDay, makeDeps, type TestDeps } from '../commands/support.ts';

const DAYS = ['2026-06-22', '2026-06-23', '2026-06-24', '2026-06-25', '2026-06-26'];

/** Small seeded generator, so a failure can be replayed. */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = Math.imul(s ^ (s >>> 15), 1 | s);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Real topics from the week's AI keywords (most frequent first), and the query forms users type. */
function topicPool(papers: Paper[]): string[] {
  const freq = new Map<string, number>();
  for (const p of papers) for (const k of p.aiKeywords) freq.set(k.toLowerCase(), (freq.get(k.toLowerCase()) ?? 0) + 1);
  const kws = [...freq].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).map(([k]) => k).filter((k) => !/["|:]/.test(k));
  const author = papers.find((p) => p.authors.length > 0)!.authors[0]!;
  return [
    'agents', 'Agents', ' agents ', 'diffusion', 'video | audio', 'reasoning -video', '"language models"', 'transformers',
    `author:"${author}"`, 'GUI', 'a "b', '-video', ...kws.slice(0, 150), ...kws.slice(0, 40).map((k) => `"${k}"`),
  ];
}

/** States a destination can be in before a cycle: never run, ran yesterday, long paused, unreadable, ahead of the clock. */
const LAST_RUNS: (string | undefined)[] = [
  undefined, '2026-06-25T12:00:00.000Z', '2026-06-23T09:00:00.000Z', '2026-06-22T18:30:00.000Z', '2026-06-10T00:00:00.000Z', 'not a date', '2026-06-30T00:00:00.000Z',
];

function destinations(pool: string[], count: number): Destination[] {
  const r = rng(42);
  // Zipf-like: low ranks are followed by many destinations.
  const pick = () => pool[Math.min(pool.length - 1, Math.floor(pool.length ** r() - 1))]!;
  return Array.from({ length: count }, (_, i) => {
    const topics = Array.from({ length: 1 + Math.floor(r() * 4) }, pick);
    const lastRunAt = LAST_RUNS[i % LAST_RUNS.length];
    return {
      platform: 'shell', kind: i % 2 ? 'user' : 'channel', id: `d${i}`, key: `shell:${i % 2 ? 'user' : 'channel'}:d${i}`,
      settings: { topics, time: '09:00', timezone: i % 3 ? 'UTC' : 'Asia/Tokyo', paused: false, weekdaysOnly: false, notifyEmpty: false, maxPapers: 1 + (i % 12) },
      state: lastRunAt ? { lastRunAt } : {},
      createdAt: '2026-06-01T00:00:00.000Z',
    };
  });
}

let deps: TestDeps;
let dests: Destination[];
const ledgered = new Map<string, string[]>();

beforeAll(async () => {
  deps = await makeDeps(DAYS);
  dests = destinations(topicPool(DAYS.flatMap(loadDay)), 420);
  // Every fifth destination already received a few of the week's papers.
  const week = await deps.store.papersListedBetween('2026-06-22', '2026-06-26');
  for (const [i, d] of dests.entries()) {
    if (i % 5 !== 0) continue;
    const ids = week.filter((_, j) => (j + i) % 4 === 0).map((p) => p.id);
    expect(await deps.store.claimDigest(d.key, '2026-06-21', '2026-06-21T09:00:00Z')).toBe(true);
    await deps.store.finishDigest(d.key, '2026-06-21', 'sent', ids, '2026-06-21T09:00:00Z');
    ledgered.set(d.key, ids);
  }
});

/** Without the cache: each destination's digest alone, as a preview builds it. */
async function uncached(opts: BuildOptions): Promise<Map<string, Digest>> {
  const out = new Map<string, Digest>();
  const byState = [...dests].sort((a, b) => String(a.state.lastRunAt).localeCompare(String(b.state.lastRunAt)));
  for (const d of byState) out.set(d.key, await buildDigest(d, deps, opts));
  return out;
}

/** With one cache for the cycle, every destination at once and in their own order. */
async function cached(opts: BuildOptions, cache: DigestCache): Promise<Map<string, Digest>> {
  const digests = await Promise.all(dests.map((d) => buildDigest(d, deps, { ...opts, cache })));
  return new Map(digests.map((g) => [g.destination.key, g]));
}

describe('buildDigest with a DigestCache on the real week of 2026-06-22', () => {
  const cycles: BuildOptions[] = [
    { now: new Date('2026-06-24T09:00:00Z') },
    { now: new Date('2026-06-26T12:00:00Z') },
    { now: new Date('2026-06-27T08:30:00Z') },
    { now: new Date('2026-06-26T12:00:00Z'), since: new Date('2026-06-22T00:00:00Z') },
  ];

  it.each(cycles)('every destination gets the same digest as without the cache (%o)', async (opts) => {
    const cache = new DigestCache();
    const before = await uncached(opts);
    const after = await cached(opts, cache);
    expect(after.size).toBe(dests.length);
    for (const d of dests) expect(after.get(d.key), d.key).toEqual(before.get(d.key));

    // Real matching happened, and the ledger still filtered per destination.
    const full = [...after.values()].filter((g) => g.total > 0);
    expect(full.length).toBeGreaterThan(dests.length / 4);
    for (const [key, ids] of ledgered) for (const h of after.get(key)!.hits) expect(ids).not.toContain(h.paper.id);

    // The work was shared: one load and index per window, each distinct query run once per window.
    const s = cache.stats();
    const topicsByWindow = new Map<string, Set<string>>();
    for (const d of dests) {
      const g = after.get(d.key)!;
      const w = topicsByWindow.get(`${g.since}|${g.until}`) ?? new Set<string>();
      for (const t of d.settings.topics) w.add(t.trim().toLowerCase());
      topicsByWindow.set(`${g.since}|${g.until}`, w);
    }
    expect(s.windows).toBeLessThanOrEqual(topicsByWindow.size + 1);
    expect(s.windows).toBeLessThan(LAST_RUNS.length + 1);
    expect(s.indexes).toBeLessThanOrEqual(s.windows);
    const oncePerWindow = [...topicsByWindow.values()].reduce((n, w) => n + w.size, 0);
    const subscriptions = dests.reduce((n, d) => n + d.settings.topics.length, 0);
    expect(s.evaluations).toBeGreaterThan(0);
    expect(s.evaluations).toBeLessThanOrEqual(oncePerWindow);
    expect(oncePerWindow).toBeLessThan(subscriptions);
  }, 120_000); // 420 destinations each build a window index on the uncached side: CPU-bound, not a timing claim

  it('shares matches but not the ledger: a twin without ledger entries also gets the papers already delivered to the other', async () => {
    const opts = { now: new Date('2026-06-26T12:00:00Z'), since: new Date('2026-06-21T00:00:00Z') };
    const cache = new DigestCache();
    let compared = 0;
    for (const [key, ids] of ledgered) {
      const d = dests.find((x) => x.key === key)!;
      const settings = { ...d.settings, maxPapers: 100 };
      const mine = await buildDigest({ ...d, settings }, deps, { ...opts, cache });
      const theirs = await buildDigest({ ...d, id: 'twin', key: `${key}-twin`, settings }, deps, { ...opts, cache });
      const kept = theirs.hits.map((h) => h.paper.id).filter((id) => !ids.includes(id));
      expect(mine.hits.map((h) => h.paper.id)).toEqual(kept);
      expect(mine.total).toBe(kept.length);
      if (kept.length < theirs.total) compared++;
    }
    // Some twins really differed by their ledger.
    expect(compared).toBeGreaterThan(5);
    expect(cache.stats().windows).toBe(1);
  });
});
