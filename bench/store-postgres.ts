/**
 * PostgreSQL store at scale: 100k personal subscriptions in a fresh database on the local server.
 * Measures cold start (open + load every user destination, as the scheduler does), subscribe
 * latency (ensureDestination + addTopic, what `/topics add` runs) while a mixed stream of
 * 100 commands/s arrives, and the size of every table.
 *
 *   node --import tsx bench/store-postgres.ts [--subs 100000] [--seconds 20] [--rate 100] [--json]
 *   PAPERBOY_BENCH_PG_URL=postgres://user@host:5432/admin_db to pick the server.
 */
import pg from 'pg';
import { silentLogger, type Store } from '../src/core/ports.ts';
import type { DestinationSettings } from '../src/core/model/index.ts';
import { openPostgresStore } from '../src/store/postgres/index.ts';
import { loadCorpus } from './lib/corpus.ts';
import { adminUrl } from './lib/pg-server.ts';
import { numberArg } from './lib/args.ts';

const arg = numberArg;
const SUBS = arg('subs', 100_000);
const SECONDS = arg('seconds', 20);
const RATE = arg('rate', 100);
const JSON_OUT = process.argv.includes('--json');
/** Leave the database for inspection (its URL is printed); drop it by hand afterwards. */
const KEEP = process.argv.includes('--keep');

const defaults: DestinationSettings = {
  topics: [], time: '09:00', timezone: 'UTC', paused: false, weekdaysOnly: false, notifyEmpty: false, maxPapers: 10,
};

const log = (s: string) => {
  if (!JSON_OUT) console.log(s);
};

async function admin(url: string, sql: string): Promise<void> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    await c.query(sql);
  } finally {
    await c.end();
  }
}

const pct = (xs: number[], p: number) => {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]!;
};
const ms = (x: number) => `${x.toFixed(2)} ms`;

/** 100k users with 1-3 topics each and yesterday's digest in the ledger, written in bulk. */
async function seedSubscriptions(url: string, keywords: string[], paperIds: string[]): Promise<void> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    await c.query(
      `INSERT INTO destinations (key, platform, kind, id, workspace, settings, state, created_at)
       SELECT 'discord:user:u' || i, 'discord', 'user', 'u' || i, 'g' || (i % 5000), $1::jsonb,
              jsonb_build_object('lastDigestDay', '2026-06-21', 'lastRunAt', '2026-06-21T09:00:03.000Z', 'lastRunPapers', 5),
              '2026-01-01T00:00:00.000Z'
       FROM generate_series(1, $2::int) AS i`,
      [JSON.stringify(Object.fromEntries(Object.entries(defaults).filter(([k]) => k !== 'topics'))), SUBS],
    );
    await c.query(
      `INSERT INTO destination_topics (destination_key, topic_key, topic)
       SELECT 'discord:user:u' || i, lower(k), k
       FROM generate_series(1, $2::int) AS i,
            LATERAL (SELECT DISTINCT ($1::text[])[1 + ((i * 7919 + j * 104729) % array_length($1::text[], 1))] AS k
                     FROM generate_series(1, 1 + i % 3) AS j) t
       ON CONFLICT DO NOTHING`,
      [keywords, SUBS],
    );
    await c.query(
      `INSERT INTO digest_ledger (destination_key, day, status, claimed_at, finished_at, paper_ids)
       SELECT 'discord:user:u' || i, '2026-06-21', 'sent', '2026-06-21T09:00:00Z', '2026-06-21T09:00:03Z',
              ARRAY(SELECT ($1::text[])[1 + ((i + j * 31) % array_length($1::text[], 1))] FROM generate_series(1, 5) j)
       FROM generate_series(1, $2::int) AS i`,
      [paperIds, SUBS],
    );
    await c.query(
      `INSERT INTO delivered_papers (destination_key, paper_id, day, at)
       SELECT destination_key, p, day, finished_at FROM digest_ledger, unnest(paper_ids) p ON CONFLICT DO NOTHING`,
    );
    await c.query('ANALYZE');
  } finally {
    await c.end();
  }
}

async function main(): Promise<void> {
  const root = await adminUrl();
  const name = `paperboy_bench_${process.pid}_${Date.now()}`;
  await admin(root, `CREATE DATABASE ${name}`);
  const u = new URL(root);
  u.pathname = `/${name}`;
  const url = u.toString();
  let store: Store | undefined;
  const out: Record<string, unknown> = { subscriptions: SUBS, rate: RATE, seconds: SECONDS };
  try {
    let t = performance.now();
    store = await openPostgresStore(url, { logger: silentLogger });
    out.migrateFreshMs = performance.now() - t;

    const papers = await loadCorpus();
    t = performance.now();
    await store.upsertPapers(papers);
    out.upsertPapers = { count: papers.length, ms: performance.now() - t };
    log(`upsert ${papers.length} corpus papers: ${ms(performance.now() - t)}`);

    const keywords = [...new Set(papers.flatMap((p) => p.aiKeywords).filter((k) => k.length < 40))].slice(0, 5000);
    t = performance.now();
    await seedSubscriptions(url, keywords, papers.slice(0, 2000).map((p) => p.id));
    out.seedMs = performance.now() - t;
    log(`seed ${SUBS} users with topics and a day of ledger (bulk SQL): ${ms(performance.now() - t)}`);
    await store.close();

    // Cold start: a new replica opens the store (schema check) and loads every personal destination.
    t = performance.now();
    store = await openPostgresStore(url, { logger: silentLogger });
    const openMs = performance.now() - t;
    const users = await store.listDestinations({ kind: 'user' });
    const loadMs = performance.now() - t - openMs;
    out.coldStart = { openMs, listUsersMs: loadMs, users: users.length };
    log(`cold start: open ${ms(openMs)}, load ${users.length} user destinations ${ms(loadMs)}`);

    const lat: Record<string, number[]> = { subscribe: [], unsubscribe: [], list: [], delivered: [], claim: [] };
    const s = store;
    const ids = papers.map((p) => p.id);
    let n = 0;
    let failed = 0;
    const command = async (i: number): Promise<void> => {
      const kindOf = i % 10;
      const user = { platform: 'discord' as const, kind: 'user' as const, id: `u${1 + ((i * 48271) % (SUBS * 1.1))}` };
      const t0 = performance.now();
      let kind: keyof typeof lat;
      if (kindOf < 4) {
        kind = 'subscribe';
        const d = await s.ensureDestination(user, defaults);
        await s.addTopic(d.key, keywords[i % keywords.length]!, 25);
      } else if (kindOf < 6) {
        kind = 'unsubscribe';
        const d = await s.ensureDestination(user, defaults);
        await s.removeTopic(d.key, d.settings.topics[0] ?? 'nothing');
      } else if (kindOf < 8) {
        kind = 'list';
        await s.getDestination(`discord:user:${user.id}`);
      } else if (kindOf < 9) {
        kind = 'delivered';
        await s.deliveredPapers(`discord:user:${user.id}`, ids.slice(i % 2000, (i % 2000) + 10));
      } else {
        kind = 'claim';
        await s.claimDigest(`discord:user:${user.id}`, '2026-06-22', new Date().toISOString());
      }
      lat[kind]!.push(performance.now() - t0);
    };

    // Open-loop arrivals: commands are issued on schedule whether or not earlier ones finished.
    const inflight = new Set<Promise<void>>();
    const start = performance.now();
    await new Promise<void>((resolve) => {
      const timer = setInterval(() => {
        const elapsed = (performance.now() - start) / 1000;
        if (elapsed >= SECONDS) {
          clearInterval(timer);
          resolve();
          return;
        }
        while (n < elapsed * RATE) {
          const p = command(n++).catch(() => void failed++);
          inflight.add(p);
          void p.finally(() => inflight.delete(p));
        }
      }, 5);
    });
    await Promise.all(inflight);
    const achieved = n / ((performance.now() - start) / 1000);
    out.load = {
      commands: n,
      failed,
      achievedPerSecond: achieved,
      latency: Object.fromEntries(Object.entries(lat).map(([k, xs]) => [k, { count: xs.length, p50: pct(xs, 50), p99: pct(xs, 99), max: pct(xs, 100) }])),
    };
    log(`load: ${n} commands in ${SECONDS}s (${achieved.toFixed(1)}/s), ${failed} failed`);
    for (const [k, xs] of Object.entries(lat)) log(`  ${k.padEnd(12)} n=${String(xs.length).padStart(5)}  p50 ${ms(pct(xs, 50))}  p99 ${ms(pct(xs, 99))}  max ${ms(pct(xs, 100))}`);

    const c = new pg.Client({ connectionString: url });
    await c.connect();
    const sizes = await c.query<{ table: string; rows: string; bytes: string }>(
      `SELECT relname AS table, pg_total_relation_size(relid) AS bytes,
              (xpath('/row/n/text()', query_to_xml(format('SELECT count(*) AS n FROM %I', relname), false, true, '')))[1]::text AS rows
       FROM pg_stat_user_tables ORDER BY pg_total_relation_size(relid) DESC`,
    );
    const dbSize = await c.query<{ bytes: string }>('SELECT pg_database_size(current_database()) AS bytes');
    await c.end();
    out.tables = sizes.rows.map((r) => ({ table: r.table, rows: Number(r.rows), mb: Number(r.bytes) / 1048576 }));
    out.databaseMb = Number(dbSize.rows[0]!.bytes) / 1048576;
    log('table sizes (with indexes and TOAST):');
    for (const r of sizes.rows) log(`  ${r.table.padEnd(20)} ${String(r.rows).padStart(8)} rows  ${(Number(r.bytes) / 1048576).toFixed(1).padStart(7)} MB`);
    log(`  database total ${(out.databaseMb as number).toFixed(1)} MB`);
    if (JSON_OUT) console.log(JSON.stringify(out, null, 2));
  } finally {
    await store?.close().catch(() => {});
    if (KEEP) console.error(`kept ${url}`);
    else await admin(root, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  }
}

main().catch((e) => {
  console.error(e instanceof Error ? e.message : e);
  process.exitCode = 1;
});
