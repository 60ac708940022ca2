import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  DeliveryError,
  destinationKey,
  replyText,
  silentLogger,
  defaultCoreConfig,
  type Adapter,
  type CoreDeps,
  type Destination,
  type DestinationRef,
  type Reply,
} from '../../src/core/index.ts';
import { createHfSource } from '../../src/core/sources/index.ts';
import { createSearchIndex } from '../../src/core/search/index.ts';
import { createMemoryStore } from '../../src/store/index.ts';
import { runCycle } from '../../src/schedule/index.ts';
import { startHfStandIn, type HfStandIn } from '../support/hf-stand-in.ts';

/** Records deliveries; channel `gone` fails permanently, `flaky` transiently. */
function recordingAdapter(platform: 'discord' | 'slack') {
  const sent: { key: string; reply: Reply }[] = [];
  const adapter: Adapter = {
    platform,
    async start() {},
    async stop() {},
    async deliver(dest: Destination, message: Reply) {
      if (dest.id === 'gone') throw new DeliveryError('channel_not_found', 'Unknown Channel', true);
      if (dest.id === 'flaky') throw new DeliveryError('platform_error', 'HTTP 503 from the platform', false);
      sent.push({ key: dest.key, reply: message });
    },
    health: () => ({ connected: true }),
  };
  return { adapter, sent };
}

const channel = (platform: 'discord' | 'slack' | 'shell', id: string): DestinationRef => ({ platform, kind: 'channel', id });

let hf: HfStandIn;
let deps: CoreDeps;
let now: Date;

beforeAll(async () => {
  hf = await startHfStandIn();
});
afterAll(async () => {
  await hf.close();
});

beforeEach(() => {
  hf.requests.length = 0;
  now = new Date('2026-06-24T10:00:00Z');
  deps = {
    store: createMemoryStore(),
    index: createSearchIndex(),
    clock: { now: () => now },
    logger: silentLogger,
    config: defaultCoreConfig,
    source: createHfSource({ baseUrl: hf.url, maxRetries: 0 }),
  };
});

async function subscribe(ref: DestinationRef, topics: string[], settings: Partial<Destination['settings']> = {}): Promise<string> {
  const key = destinationKey(ref);
  await deps.store.ensureDestination(ref, { topics: [], time: '09:00', timezone: 'UTC', paused: false, weekdaysOnly: false, notifyEmpty: false, maxPapers: 10, ...settings });
  for (const t of topics) await deps.store.addTopic(key, t, 25);
  return key;
}

describe('runCycle', () => {
  it('fetches yesterday and today into the store and the index on a first cycle', async () => {
    const report = await runCycle(deps, [], now);
    expect(hf.requests.map((r) => r.date)).toEqual(['2026-06-23', '2026-06-24']);
    expect(report.fetch).toMatchObject({ days: ['2026-06-23', '2026-06-24'], papers: 37 + 21 });
    expect(await deps.store.countPapers()).toBe(58);
    expect(deps.index.size()).toBe(58);
    expect([...(await deps.store.fetchedDays()).keys()].sort()).toEqual(['2026-06-23', '2026-06-24']);
  });

  it('does not fetch again within the refresh interval, and fills in missing days later', async () => {
    await runCycle(deps, [], now);
    hf.requests.length = 0;
    now = new Date('2026-06-24T10:05:00Z');
    await runCycle(deps, [], now);
    expect(hf.requests).toHaveLength(0);
    now = new Date('2026-06-26T12:00:00Z');
    await runCycle(deps, [], now);
    // 06-24 was fetched while still open, so it is fetched again; 06-25 was missing.
    expect(hf.requests.map((r) => r.date)).toEqual(['2026-06-24', '2026-06-25', '2026-06-26']);
  });

  it('delivers a due digest of matching papers once, and records it in the ledger and state', async () => {
    const { adapter, sent } = recordingAdapter('discord');
    const key = await subscribe(channel('discord', 'c1'), ['diffusion']);
    const report = await runCycle(deps, [adapter], now);
    expect(sent).toHaveLength(1);
    const text = replyText(sent[0]!.reply);
    const papers = sent[0]!.reply.blocks.filter((b) => b.type === 'paper');
    expect(papers.length).toBeGreaterThan(0);
    for (const b of papers) {
      if (b.type !== 'paper') continue;
      expect(b.hit.paper.listedOn).toBe('2026-06-24');
      expect(b.hit.matched).toEqual(['diffusion']);
    }
    expect(text).toContain('Daily papers');
    expect(report.outcomes).toEqual([{ key, day: '2026-06-24', status: 'sent', papers: papers.length }]);
    expect(await deps.store.digestStatus(key, '2026-06-24')).toBe('sent');
    const dest = await deps.store.getDestination(key);
    expect(dest?.state).toMatchObject({ lastDigestDay: '2026-06-24', lastRunPapers: papers.length, lastRunAt: now.toISOString() });

    now = new Date('2026-06-24T10:01:00Z');
    await runCycle(deps, [adapter], now);
    expect(sent).toHaveLength(1);
  });

  it('waits for each destination\'s own time in its own zone', async () => {
    const { adapter, sent } = recordingAdapter('discord');
    await subscribe(channel('discord', 'ny'), ['diffusion'], { timezone: 'America/New_York' });
    await runCycle(deps, [adapter], now); // 06:00 in New York
    expect(sent).toHaveLength(0);
    now = new Date('2026-06-24T13:01:00Z'); // 09:01 EDT
    await runCycle(deps, [adapter], now);
    expect(sent.map((s) => s.key)).toEqual(['discord:channel:ny']);
  });

  it('skips paused destinations and those without topics; records an empty run without posting', async () => {
    const { adapter, sent } = recordingAdapter('discord');
    await subscribe(channel('discord', 'paused'), ['diffusion'], { paused: true });
    await subscribe(channel('discord', 'none'), []);
    const quiet = await subscribe(channel('discord', 'quiet'), ['"no paper says this exact phrase"']);
    const report = await runCycle(deps, [adapter], now);
    expect(sent).toHaveLength(0);
    expect(report.outcomes).toEqual([{ key: quiet, day: '2026-06-24', status: 'empty' }]);
    expect((await deps.store.getDestination(quiet))?.state.lastDigestDay).toBe('2026-06-24');
  });

  it('keeps going when one destination fails: permanent closes the day, transient is retried later', async () => {
    const { adapter, sent } = recordingAdapter('discord');
    const gone = await subscribe(channel('discord', 'gone'), ['diffusion']);
    const flaky = await subscribe(channel('discord', 'flaky'), ['diffusion']);
    const ok = await subscribe(channel('discord', 'ok'), ['diffusion']);
    const orphan = await subscribe(channel('slack', 'C1'), ['diffusion']);
    // Retries wait on an injected sleep: recorded, not slept.
    const waits: number[] = [];
    const fast = { sleep: async (ms: number) => void waits.push(ms), random: () => 0 };
    const report = await runCycle(deps, [adapter], now, fast);
    expect(sent.map((s) => s.key)).toEqual([ok]);
    // Three tries in the cycle, backing off 1 s then 2 s (base 2 s, jitter factor 0.5 at random 0).
    expect(waits).toEqual([1000, 2000]);
    expect(report.noAdapter).toEqual([orphan]);
    expect(await deps.store.digestStatus(gone, '2026-06-24')).toBe('failed');
    expect(await deps.store.digestStatus(flaky, '2026-06-24')).toBeUndefined();
    const g = await deps.store.getDestination(gone);
    expect(g?.state.lastFailure).toMatchObject({ code: 'channel_not_found', permanent: true });
    const f = await deps.store.getDestination(flaky);
    expect(f?.state).toMatchObject({ failures: 1, lastFailure: { code: 'platform_error', permanent: false } });
    expect(f?.state.lastDigestDay).toBeUndefined();

    // Within the backoff nothing is tried; after it the flaky one is tried again, the gone one is not.
    const tried: string[] = [];
    const watching: Adapter = { ...adapter, deliver: async (d, m) => { tried.push(d.id); return adapter.deliver(d, m); } };
    now = new Date('2026-06-24T10:01:00Z');
    await runCycle(deps, [watching], now, fast);
    expect(tried).toEqual([]);
    now = new Date('2026-06-24T10:03:00Z');
    await runCycle(deps, [watching], now, fast);
    expect(tried).toEqual(['flaky', 'flaky', 'flaky']);
    expect((await deps.store.getDestination(flaky))?.state.failures).toBe(2);
  });

  it('still delivers from stored papers when Hugging Face fails', async () => {
    await runCycle(deps, [], now);
    hf.fault(() => ({ kind: 'status', status: 503 }));
    try {
      const { adapter, sent } = recordingAdapter('discord');
      await subscribe(channel('discord', 'c1'), ['diffusion']);
      now = new Date('2026-06-24T10:30:00Z');
      const report = await runCycle(deps, [adapter], now);
      expect(report.fetch?.error?.message).toMatch(/503/);
      expect(sent).toHaveLength(1);
    } finally {
      hf.fault(undefined);
    }
  });
});
