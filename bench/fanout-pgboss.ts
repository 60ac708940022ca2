/**
 * The fan-out through pg-boss (issue 15, part 4): the fan-out bench's subscriptions (Zipf over
 * corpus topics, 1-3 per destination) stored in a fresh PostgreSQL database with the busiest real
 * day's papers, one cycle tick of the real pg-boss runner, delivered to an adapter that only counts.
 * Timed from the tick until every due destination's ledger entry is settled, two ways:
 *   batched - digest jobs of JOB_BATCH_SIZE destinations (one window index, one evaluation per topic);
 *   single  - one destination per job (batch size 1, what each job did before), on a sample.
 * What stays per destination (lock, re-plan, ledger claim and finish, state) is the store's work
 * and is in both; the difference is the shared matching.
 *
 *   node --import tsx bench/fanout-pgboss.ts [--subs 100000] [--topics 10000] [--batch 100] [--single 1000] [--json]
 */
import os from 'node:os';
import pg from 'pg';
import { defaultCoreConfig, destinationKey, silentLogger, type Adapter, type CoreDeps } from '../src/core/index.ts';
import type { Paper } from '../src/core/model/index.ts';
import { createSearchIndex } from '../src/core/search/index.ts';
import { createPgBossRunner } from '../src/jobs/pg-boss-runner.ts';
import { openStore } from '../src/store/index.ts';
import { topicKey } from '../src/store/postgres/destinations.ts';
import { loadCorpus } from './lib/corpus.ts';
import { adminUrl } from './lib/pg-server.ts';
import { corpusTopics, subscribers, type Subscriber } from './lib/subscriptions.ts';
import { fmt } from './lib/stats.ts';
import { numberArg } from './lib/args.ts';

const arg = numberArg;
const SUBS = arg('subs', 100_000);
const TOPICS = arg('topics', 10_000);
const BATCH = arg('batch', 100);
const SINGLE = arg('single', 1_000);
const JSON_OUT = process.argv.includes('--json');

export interface PgBossFanoutRun {
  way: string;
  destinations: number;
  jobs: number;
  sent: number;
  /** Destinations whose attempt failed (recorded, retried after backoff). */
  failed: number;
  wallMs: number;
  /** This process's CPU (the worker: planning, digests, the pg client); the server's is apart. */
  cpuMs: number;
}

export interface PgBossFanoutResult {
  day: string;
  papers: number;
  subscriptions: number;
  distinctTopics: number;
  runs: PgBossFanoutRun[];
  load: string;
}

const settings = { time: '09:00', timezone: 'UTC', paused: false, weekdaysOnly: false, notifyEmpty: false, maxPapers: 10 };

async function freshDatabase(root: string, name: string): Promise<string> {
  const c = new pg.Client({ connectionString: root });
  await c.connect();
  try {
    await c.query(`DROP DATABASE IF EXISTS ${name}`);
    await c.query(`CREATE DATABASE ${name}`);
  } finally {
    await c.end();
  }
  const url = new URL(root);
  url.pathname = `/${name}`;
  return url.toString();
}

async function dropDatabase(root: string, name: string): Promise<void> {
  const c = new pg.Client({ connectionString: root });
  await c.connect();
  await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`).catch(() => {});
  await c.end();
}

/** Destinations and their topics written in bulk (the store's own tables, as its migrations made them). */
async function seed(url: string, subs: Subscriber[]): Promise<void> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    for (let i = 0; i < subs.length; i += 5000) {
      const chunk = subs.slice(i, i + 5000);
      await c.query(
        `INSERT INTO destinations (key, platform, kind, id, settings, state, created_at)
         SELECT k, 'discord', 'channel', split_part(k, ':', 3), $2::jsonb, '{}'::jsonb, '2026-01-01T00:00:00.000Z' FROM unnest($1::text[]) k`,
        [chunk.map((s) => s.key), JSON.stringify(settings)],
      );
      const rows = chunk.flatMap((s) => s.topics.map((t) => [s.key, topicKey(t), t] as const));
      await c.query(
        `INSERT INTO destination_topics (destination_key, topic_key, topic) SELECT * FROM unnest($1::text[], $2::text[], $3::text[]) ON CONFLICT DO NOTHING`,
        [rows.map((r) => r[0]), rows.map((r) => r[1]), rows.map((r) => r[2])],
      );
    }
    await c.query('ANALYZE');
  } finally {
    await c.end();
  }
}

async function run(way: string, root: string, subs: Subscriber[], papers: Paper[], now: Date, batchSize: number): Promise<PgBossFanoutRun> {
  const name = `paperboy_bench_fanout_${process.pid}_${batchSize}`;
  const url = await freshDatabase(root, name);
  try {
    const store = await openStore(url, { logger: silentLogger });
    await store.upsertPapers(papers);
    await seed(url, subs);
    const clock = { now: () => now };
    const deps: CoreDeps = { store, index: createSearchIndex(), clock, logger: silentLogger, config: defaultCoreConfig };
    let sent = 0;
    const adapter: Adapter = { platform: 'discord', async start() {}, async stop() {}, async deliver() { sent++; }, health: () => ({ connected: true }) };
    const runner = createPgBossRunner({ deps, adapters: () => [adapter], databaseUrl: url, clock, catchUpHours: 6, tuning: { batchSize, concurrency: 8, pollSeconds: 0.5, indexRefreshSeconds: 3600 } });
    await runner.start();
    const probe = new pg.Client({ connectionString: url });
    await probe.connect();
    const day = now.toISOString().slice(0, 10);
    // Settled: sent (or empty), or failed this cycle and waiting out its backoff (on a loaded
    // machine the store's connection pool can time out; such a destination is retried later).
    const count = async (sql: string, params: unknown[]) => Number((await probe.query(sql, params)).rows[0].n);
    const failedNow = () => count(`SELECT count(*) AS n FROM destinations WHERE state->'lastFailure'->>'at' = $1`, [now.toISOString()]);
    const settled = async () => (await count(`SELECT count(*) AS n FROM digest_ledger WHERE day = $1 AND status <> 'claimed'`, [day])) + (await failedNow());
    try {
      const c0 = process.cpuUsage();
      const t0 = performance.now();
      await runner.tick();
      while ((await settled()) < subs.length) await new Promise((r) => setTimeout(r, 50));
      const wallMs = performance.now() - t0;
      const c = process.cpuUsage(c0);
      const jobs = Number((await probe.query(`SELECT count(*) AS n FROM pgboss.job WHERE name = 'paperboy-digest'`)).rows[0].n);
      return { way, destinations: subs.length, jobs, sent, failed: await failedNow(), wallMs, cpuMs: (c.user + c.system) / 1000 };
    } finally {
      await probe.end();
      await runner.stop();
      await store.close();
    }
  } finally {
    await dropDatabase(root, name);
  }
}

async function main(): Promise<void> {
  const corpus = await loadCorpus();
  const topics = corpusTopics(corpus, TOPICS);
  const subs = subscribers(topics, SUBS).map((s, i) => ({ ...s, key: destinationKey({ platform: 'discord', kind: 'channel', id: `c${i}` }) }));
  const days = new Map<string, Paper[]>();
  for (const p of corpus) days.set(p.listedOn, [...(days.get(p.listedOn) ?? []), p]);
  const [busiest, papers] = [...days].sort((x, y) => y[1].length - x[1].length)[0]!;
  // Hugging Face stamps a day's submissions at its midnight: the first digest's 24 hours hold them.
  const now = new Date(`${busiest}T09:05:00.000Z`);
  const root = await adminUrl();
  // Every 1/f-th destination, so the sample keeps the mix of topic counts.
  const step = Math.max(1, Math.round(subs.length / Math.min(SINGLE, subs.length)));
  const sample = subs.filter((_, i) => i % step === 0);
  const runs = [await run(`batched (${BATCH} per job)`, root, subs, papers, now, BATCH), await run('single (1 per job)', root, sample, papers, now, 1)];
  const r: PgBossFanoutResult = {
    day: busiest, papers: papers.length, subscriptions: SUBS, distinctTopics: new Set(subs.flatMap((s) => s.topics)).size, runs,
    load: os.loadavg().map((l) => l.toFixed(1)).join(' '),
  };
  if (JSON_OUT) {
    console.log(JSON.stringify(r));
    return;
  }
  console.log(`Fan-out through pg-boss: ${r.subscriptions} subscriptions over ${r.distinctTopics} topics, ${subs.length} destinations, ${r.papers} papers of ${r.day}; load ${r.load}`);
  for (const x of runs) {
    console.log(`${x.way}: ${x.destinations} destinations in ${x.jobs} jobs, ${x.sent} digests sent, ${x.failed} failed (retried later); ${fmt(x.wallMs / 1000, 1)} s wall, ${fmt(x.cpuMs / 1000, 1)} s cpu = ${fmt((1000 * x.cpuMs) / x.destinations, 0)} µs cpu per destination`);
  }
  const [a, b] = runs as [PgBossFanoutRun, PgBossFanoutRun];
  console.log(`cpu per destination, single / batched: ${fmt(b.cpuMs / b.destinations / (a.cpuMs / a.destinations), 1)}x`);
}

await main();
