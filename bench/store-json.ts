/**
 * JSON (lowdb) store at scale: N papers and 100k personal subscriptions in one file. Measures the
 * file size, cold start (open + load every user destination), subscribe latency while a mixed
 * stream of 100 commands/s arrives (same mix as bench/store-postgres.ts), and what one full rewrite
 * of the file costs: the price every command would pay without the journal, and the pause a
 * compaction causes. A second load phase forces a compaction in the middle to show that pause.
 *
 *   node --import tsx bench/store-json.ts [--papers 100000] [--subs 100000] [--seconds 20] [--rate 100] [--warmup 5] [--json]
 */
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { cpus, loadavg, tmpdir } from 'node:os';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { join } from 'node:path';
import type { DestinationSettings } from '../src/core/model/index.ts';
import { silentLogger } from '../src/core/ports.ts';
import { type JsonStore, openJsonStore } from '../src/store/index.ts';
import { loadCorpus, replicate } from './lib/corpus.ts';
import { numberArg } from './lib/args.ts';

const arg = numberArg;
const PAPERS = arg('papers', 100_000);
const SUBS = arg('subs', 100_000);
const SECONDS = arg('seconds', 20);
const RATE = arg('rate', 100);
const WARMUP = arg('warmup', 5);
const JSON_OUT = process.argv.includes('--json');

const defaults: DestinationSettings = {
  topics: [], time: '09:00', timezone: 'UTC', paused: false, weekdaysOnly: false, notifyEmpty: false, maxPapers: 10,
};
const log = (s: string) => {
  if (!JSON_OUT) console.log(s);
};
const pct = (xs: number[], p: number) => {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]!;
};
const ms = (x: number) => `${x.toFixed(2)} ms`;
const mb = (bytes: number) => `${(bytes / 1048576).toFixed(1)} MB`;
const user = (i: number) => ({ platform: 'discord' as const, kind: 'user' as const, id: `u${i}` });

/** 100k users with 1-3 topics each and yesterday's digest (5 papers) in the ledger, through the store's API. */
async function seed(store: JsonStore, keywords: string[], paperIds: string[]): Promise<void> {
  const BATCH = 2000;
  for (let from = 1; from <= SUBS; from += BATCH) {
    const jobs: Promise<unknown>[] = [];
    for (let i = from; i < Math.min(from + BATCH, SUBS + 1); i++) {
      jobs.push(
        (async () => {
          const d = await store.ensureDestination(user(i), defaults);
          for (let j = 1; j <= 1 + (i % 3); j++) await store.addTopic(d.key, keywords[(i * 7919 + j * 104729) % keywords.length]!, 25);
          await store.updateState(d.key, { lastDigestDay: '2026-06-21', lastRunAt: '2026-06-21T09:00:03.000Z', lastRunPapers: 5 });
          await store.claimDigest(d.key, '2026-06-21', '2026-06-21T09:00:00.000Z');
          const ids = Array.from({ length: 5 }, (_, j) => paperIds[(i + j * 31) % paperIds.length]!);
          await store.finishDigest(d.key, '2026-06-21', 'sent', ids, '2026-06-21T09:00:03.000Z');
        })(),
      );
    }
    await Promise.all(jobs);
  }
}

type Lat = Record<'subscribe' | 'unsubscribe' | 'list' | 'delivered' | 'claim', number[]>;

/** Open-loop arrivals at RATE/s for SECONDS; `midway` runs once halfway through (e.g. a compaction). */
async function load(store: JsonStore, keywords: string[], ids: string[], seed0: number, midway?: () => Promise<void>, seconds = SECONDS) {
  const lat: Lat = { subscribe: [], unsubscribe: [], list: [], delivered: [], claim: [] };
  let n = 0;
  let failed = 0;
  // Latency counts from when a command was due, so a stalled event loop shows up in it.
  const command = async (k: number, due: number): Promise<void> => {
    const i = seed0 + k;
    const u = user(1 + ((i * 48271) % Math.floor(SUBS * 1.1)));
    const t0 = due;
    let kind: keyof Lat;
    const kindOf = i % 10;
    if (kindOf < 4) {
      kind = 'subscribe';
      const d = await store.ensureDestination(u, defaults);
      await store.addTopic(d.key, keywords[i % keywords.length]!, 25);
    } else if (kindOf < 6) {
      kind = 'unsubscribe';
      const d = await store.ensureDestination(u, defaults);
      await store.removeTopic(d.key, d.settings.topics[0] ?? 'nothing');
    } else if (kindOf < 8) {
      kind = 'list';
      await store.getDestination(`discord:user:${u.id}`);
    } else if (kindOf < 9) {
      kind = 'delivered';
      await store.deliveredPapers(`discord:user:${u.id}`, ids.slice(i % 2000, (i % 2000) + 10));
    } else {
      kind = 'claim';
      await store.claimDigest(`discord:user:${u.id}`, '2026-06-22', new Date().toISOString());
    }
    lat[kind].push(performance.now() - t0);
  };
  // How long the event loop itself was held up (GC, CPU starvation on a shared machine), beside the store's latencies.
  const loop = monitorEventLoopDelay({ resolution: 5 });
  loop.enable();
  const inflight = new Set<Promise<void>>();
  let midwayDone: Promise<void> | undefined;
  const start = performance.now();
  await new Promise<void>((resolve) => {
    const timer = setInterval(() => {
      const elapsed = Math.min((performance.now() - start) / 1000, seconds);
      while (n < elapsed * RATE) {
        const p = command(n, start + (n * 1000) / RATE).catch(() => void failed++);
        n++;
        inflight.add(p);
        void p.finally(() => inflight.delete(p));
      }
      if (elapsed >= seconds) {
        clearInterval(timer);
        resolve();
        return;
      }
      if (midway && !midwayDone && elapsed >= seconds / 2) midwayDone = midway();
    }, 5);
  });
  await Promise.all(inflight);
  await midwayDone;
  loop.disable();
  const loopDelay = { p50: loop.percentile(50) / 1e6, p99: loop.percentile(99) / 1e6, max: loop.max / 1e6 };
  return { commands: n, failed, perSecond: n / ((performance.now() - start) / 1000), lat, loopDelay };
}

function report(title: string, r: Awaited<ReturnType<typeof load>>) {
  log(`${title}: ${r.commands} commands (${r.perSecond.toFixed(1)}/s), ${r.failed} failed; event-loop delay p50 ${ms(r.loopDelay.p50)} p99 ${ms(r.loopDelay.p99)} max ${ms(r.loopDelay.max)}`);
  for (const [k, xs] of Object.entries(r.lat)) log(`  ${k.padEnd(12)} n=${String(xs.length).padStart(5)}  p50 ${ms(pct(xs, 50))}  p99 ${ms(pct(xs, 99))}  max ${ms(pct(xs, 100))}`);
  return Object.fromEntries(Object.entries(r.lat).map(([k, xs]) => [k, { count: xs.length, p50: pct(xs, 50), p99: pct(xs, 99), max: pct(xs, 100) }]));
}

async function main(): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'paperboy-bench-json-'));
  const path = join(dir, 'paperboy.json');
  const out: Record<string, unknown> = { papers: PAPERS, subscriptions: SUBS, rate: RATE, seconds: SECONDS };
  log(`machine: ${cpus()[0]?.model} x${cpus().length}, node ${process.version}, load average ${loadavg().map((x) => x.toFixed(1)).join(' ')}`);
  let store: JsonStore | undefined;
  try {
    const corpus = await loadCorpus();
    const papers = replicate(corpus, PAPERS);
    const keywords = [...new Set(corpus.flatMap((p) => p.aiKeywords).filter((k) => k.length < 40))].slice(0, 5000);
    store = await openJsonStore(path, { logger: silentLogger, compactAfterBytes: 2 ** 40 });
    let t = performance.now();
    for (let i = 0; i < papers.length; i += 5000) await store.upsertPapers(papers.slice(i, i + 5000));
    await seed(store, keywords, papers.slice(0, 2000).map((p) => p.id));
    out.seedMs = performance.now() - t;
    log(`seed ${PAPERS} papers and ${SUBS} users (topics, state, a day of ledger) through the API: ${ms(performance.now() - t)}`);
    t = performance.now();
    await store.close();
    const rewriteMs = performance.now() - t;
    const size = (await stat(path)).size;
    out.fileBytes = size;
    out.fullRewriteMs = rewriteMs;
    log(`file: ${mb(size)}; one full rewrite (compaction; what every command would cost without the journal): ${ms(rewriteMs)}`);

    t = performance.now();
    store = await openJsonStore(path, { logger: silentLogger });
    const openMs = performance.now() - t;
    const users = await store.listDestinations({ kind: 'user' });
    const listMs = performance.now() - t - openMs;
    out.coldStart = { openMs, listUsersMs: listMs, users: users.length, rssMb: process.memoryUsage().rss / 1048576 };
    log(`cold start: open ${ms(openMs)}, list ${users.length} user destinations ${ms(listMs)}, rss ${mb(process.memoryUsage().rss)}`);

    const ids = papers.map((p) => p.id);
    // Warm-up (not counted): the first seconds after loading a big file carry its garbage collection.
    await load(store, keywords, ids, 5_000_000, undefined, WARMUP);
    const steady = await load(store, keywords, ids, 0);
    out.load = { commands: steady.commands, failed: steady.failed, perSecond: steady.perSecond, loopDelay: steady.loopDelay, latency: report('load, journal only', steady) };
    const s1 = store.stats();
    log(`  journal: ${s1.appends} appends for ${s1.changes} changes, ${mb(s1.journalBytes)}`);

    let compactMs = 0;
    const withCompaction = await load(store, keywords, ids, 1_000_000, async () => {
      const c0 = performance.now();
      await store!.compact();
      compactMs = performance.now() - c0;
    });
    out.loadWithCompaction = { commands: withCompaction.commands, failed: withCompaction.failed, compactMs, loopDelay: withCompaction.loopDelay, latency: report('load with one compaction midway', withCompaction) };
    log(`  the compaction took ${ms(compactMs)}; at ${RATE}/s it recurs only when the journal outgrows the file (${mb(size)})`);
    t = performance.now();
    await store.close();
    out.closeMs = performance.now() - t;
    store = undefined;
    if (JSON_OUT) console.log(JSON.stringify(out, null, 2));
  } finally {
    await store?.close().catch(() => {});
    await rm(dir, { recursive: true, force: true });
  }
}

main().catch((e) => {
  console.error(e instanceof Error ? e.message : e);
  process.exitCode = 1;
});
