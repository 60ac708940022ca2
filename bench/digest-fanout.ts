/**
 * Digest fan-out through the real `buildDigest` (issue 6, delivery CPU): N destinations of one
 * cycle, each digest built in turn against the memory store holding the corpus, without and with
 * a per-cycle `DigestCache`. Destinations are in three windows, interleaved as a real cycle meets
 * them: most ran yesterday, some are new (no previous run), some resume after a 6-day pause.
 * Digests must be identical both ways.
 *
 *   node --import tsx bench/digest-fanout.ts [--dests 20000] [--topics 2000] [--sample 0.05] [--json]
 *
 * --sample builds the uncached digests for that fraction of destinations (every 1/f-th, which keeps
 * the windows interleaved) and scales its time up; they are the ones compared.
 */
import { buildDigest, DigestCache, type DigestCacheStats } from '../src/core/digests/index.ts';
import type { Destination, Digest, Paper } from '../src/core/model/index.ts';
import { createMemoryStore } from '../src/store/index.ts';
import { loadCorpus } from './lib/corpus.ts';
import { corpusTopics, subscribers } from './lib/subscriptions.ts';
import { fmt, table } from './lib/stats.ts';
import { numberArg } from './lib/args.ts';

const arg = numberArg;
const DESTS = arg('dests', 20_000);
const TOPICS = arg('topics', 2_000);
const SAMPLE = Math.min(1, arg('sample', 0.05));
const JSON_OUT = process.argv.includes('--json');
const DAY_MS = 86_400_000;

export interface DigestFanoutResult {
  destinations: number;
  distinctTopics: number;
  papers: number;
  sampled: number;
  uncachedMs: number;
  uncachedCpuMs: number;
  cachedMs: number;
  cachedCpuMs: number;
  /** The cached run again on its full cache: the per-destination part alone. */
  perDestOnlyMs: number;
  perDestOnlyCpuMs: number;
  cache: DigestCacheStats;
  withPapers: number;
  identical: boolean;
  mismatches: number;
}

async function timedAsync<T>(fn: () => Promise<T>): Promise<{ value: T; ms: number; cpuMs: number }> {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const value = await fn();
  const ms = performance.now() - t0;
  const c = process.cpuUsage(c0);
  return { value, ms, cpuMs: (c.user + c.system) / 1000 };
}

const silent = { debug() {}, info() {}, warn() {}, error() {} };

async function main(): Promise<void> {
  const corpus = await loadCorpus();
  const days = new Map<string, number>();
  for (const p of corpus) days.set(p.listedOn, (days.get(p.listedOn) ?? 0) + 1);
  const [busiest] = [...days].sort((x, y) => y[1] - x[1])[0]!;
  const now = new Date(`${busiest}T12:00:00Z`);
  const store = createMemoryStore();
  const weekStart = new Date(now.getTime() - 7 * DAY_MS).toISOString().slice(0, 10);
  const papers: Paper[] = corpus.filter((p) => p.listedOn >= weekStart && p.listedOn <= busiest);
  await store.upsertPapers(papers);
  const topics = corpusTopics(corpus, TOPICS);
  const subs = subscribers(topics, Math.round(DESTS * 2)).slice(0, DESTS);
  const lastRun = (i: number): string | undefined =>
    i % 10 === 9 ? undefined : i % 10 === 4 ? new Date(now.getTime() - 6.5 * DAY_MS).toISOString() : new Date(now.getTime() - DAY_MS).toISOString();
  const dests: Destination[] = subs.map((s, i) => {
    const at = lastRun(i);
    return {
      platform: 'discord', kind: 'channel', id: String(i), key: s.key, createdAt: '2026-01-01T00:00:00Z',
      settings: { topics: s.topics, time: '12:00', timezone: 'UTC', paused: false, weekdaysOnly: false, notifyEmpty: false, maxPapers: 10 },
      state: at ? { lastRunAt: at } : {},
    };
  });
  const deps = { store, clock: { now: () => now }, logger: silent };
  const step = Math.max(1, Math.round(1 / SAMPLE));
  const sampled = dests.filter((_, i) => i % step === 0);

  // Warm-up (JIT, store) on other destinations' worth of work, then the two timed runs.
  for (const d of dests.slice(0, 50)) await buildDigest(d, deps, { now });
  const warm = new DigestCache();
  for (const d of dests.slice(0, 50)) await buildDigest(d, deps, { now, cache: warm });

  const a = await timedAsync(async () => {
    const out: Digest[] = [];
    for (const d of sampled) out.push(await buildDigest(d, deps, { now }));
    return out;
  });
  const cache = new DigestCache();
  const b = await timedAsync(async () => {
    const out: Digest[] = [];
    for (const d of dests) out.push(await buildDigest(d, deps, { now, cache }));
    return out;
  });
  // Again with the now-full cache: what stays per destination (ledger, merge, rank), the rest being shared work.
  const c = await timedAsync(async () => {
    for (const d of dests) await buildDigest(d, deps, { now, cache });
  });
  const key = (g: Digest) => JSON.stringify([g.total, g.since, g.hits.map((h) => [h.paper.id, h.score, h.matched])]);
  let mismatches = 0;
  a.value.forEach((g, j) => {
    if (key(g) !== key(b.value[j * step]!)) mismatches++;
  });
  const scale = dests.length / sampled.length;
  const r: DigestFanoutResult = {
    destinations: dests.length, distinctTopics: new Set(subs.flatMap((s) => s.topics)).size, papers: papers.length,
    sampled: sampled.length, uncachedMs: a.ms * scale, uncachedCpuMs: a.cpuMs * scale, cachedMs: b.ms, cachedCpuMs: b.cpuMs,
    perDestOnlyMs: c.ms, perDestOnlyCpuMs: c.cpuMs,
    cache: cache.stats(), withPapers: b.value.filter((g) => g.total > 0).length, identical: mismatches === 0, mismatches,
  };
  if (JSON_OUT) {
    console.log(JSON.stringify(r));
    return;
  }
  console.log(`Digest fan-out via buildDigest: ${r.destinations} destinations, ${r.distinctTopics} distinct topics, ${r.papers} papers in the week to ${busiest}`);
  console.log(table(
    ['way', 'total ms', 'cpu ms', 'per dest µs', 'windows', 'indexes', 'evaluations', 'identical'],
    [
      [`no cache (${r.sampled} sampled)`, fmt(r.uncachedMs, 0), fmt(r.uncachedCpuMs, 0), fmt((1000 * r.uncachedMs) / r.destinations, 0), '-', '-', '-', '-'],
      ['DigestCache', fmt(r.cachedMs, 0), fmt(r.cachedCpuMs, 0), fmt((1000 * r.cachedMs) / r.destinations, 0), String(r.cache.windows), String(r.cache.indexes),
        String(r.cache.evaluations), r.identical ? 'yes' : `NO (${r.mismatches})`],
      ['  of which per destination', fmt(r.perDestOnlyMs, 0), fmt(r.perDestOnlyCpuMs, 0), fmt((1000 * r.perDestOnlyMs) / r.destinations, 0), '-', '-', '-', '-'],
    ],
  ));
  console.log(`ratio ${fmt(r.uncachedMs / r.cachedMs, 1)}x; digests with papers: ${r.withPapers}`);
}

await main();
