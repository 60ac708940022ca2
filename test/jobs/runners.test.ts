/** The job runners: tuning from the environment, in-process node-cron, pg-boss with two "replicas". */
import { isDeepStrictEqual as isEqual } from 'node:util';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { defaultCoreConfig, silentLogger, systemClock, type CoreDeps } from '../../src/core/index.ts';
import { createSearchIndex } from '../../src/core/search/index.ts';
import { createMetrics } from '../../src/http/index.ts';
import { createIndexRefresher, createInProcessRunner, createJobRunner, defaultJobTuning, jobMetrics, jobTuningFromEnv } from '../../src/jobs/index.ts';
import { BOSS_SCHEMA, CYCLE_QUEUE, DIGEST_QUEUE } from '../../src/jobs/pg-boss-runner.ts';
import { openStore } from '../../src/store/index.ts';
import { channel, clockOptions, fakeClock, makeDeps, scriptedAdapter, subscribe } from '../delivery/support.ts';
import { realPapers } from '../store/real-papers.ts';
import { createTestDatabase, findPostgres, skipNotice, type TestDatabase } from '../store/postgres-support.ts';
import { waitFor } from '../support/wait.ts';

const adminUrl = await findPostgres();
if (!adminUrl) console.warn(skipNotice('pg-boss job runner'));

describe('job tuning from the environment', () => {
  it('has defaults, reads each variable, and names every bad one at once', () => {
    expect(jobTuningFromEnv({})).toEqual(defaultJobTuning);
    expect(jobTuningFromEnv({ JOB_CONCURRENCY: '3', JOB_POLL_SECONDS: '0.5', JOB_EXPIRE_SECONDS: '30' })).toMatchObject({ concurrency: 3, pollSeconds: 0.5, expireSeconds: 30 });
    expect(() => jobTuningFromEnv({ JOB_CONCURRENCY: '0', JOB_POLL_SECONDS: '0.1', JOB_RETRY_LIMIT: 'many' })).toThrow(
      /JOB_CONCURRENCY must be a whole number of at least 1 \(got "0"\)\. JOB_RETRY_LIMIT .*"many".* JOB_POLL_SECONDS must be a number of at least 0\.5/,
    );
    expect(() => jobTuningFromEnv({ JOB_EXPIRE_SECONDS: '90000' })).toThrow(/under 86400/);
  });

  it('picks node-cron for a JSON store without touching pg-boss', async () => {
    const clock = fakeClock('2026-06-24T09:05:00Z');
    const runner = await createJobRunner('file:./x.json', { deps: makeDeps(clock), adapters: () => [], catchUpHours: 6 });
    expect(runner.kind).toBe('in-process');
  });
});

describe('in-process runner (JSON store deployments)', () => {
  it('runs the cycle on tick, delivers each due digest once and counts them for /metrics', async () => {
    const clock = fakeClock('2026-06-24T09:05:00Z');
    const deps = makeDeps(clock);
    const { adapter, sent } = scriptedAdapter('discord', clock);
    const keys = [];
    for (let i = 0; i < 3; i++) keys.push(await subscribe(deps, channel('discord', `C${i}`)));
    const registry = createMetrics();
    const runner = createInProcessRunner({ deps, adapters: () => [adapter], clock, catchUpHours: 6, metrics: jobMetrics(registry), cycle: clockOptions(clock) });
    await runner.start();
    try {
      await runner.tick();
      await runner.tick();
      expect(sent.map((s) => s.key).sort()).toEqual(keys.sort());
      expect(await registry.render()).toMatch(/paperboy_digests_sent_total\{result="(sent|empty)"\} 3/);
      expect(await runner.queueDepth()).toEqual({ queued: 0, active: 0 });
    } finally {
      await runner.stop();
    }
  });
});

describe('index refresh across replicas', () => {
  it('loads the days another replica fetched into this replica’s index', async () => {
    const clock = fakeClock('2026-06-24T09:05:00Z');
    const deps = makeDeps(clock);
    const refresher = createIndexRefresher(deps);
    expect(await refresher.refresh()).toBe(0);
    const papers = realPapers('2026-06-24');
    await deps.store.upsertPapers(papers);
    await deps.store.markDayFetched('2026-06-24', clock.now().toISOString(), papers.length);
    expect(await refresher.refresh()).toBe(papers.length);
    expect(deps.index.size()).toBe(papers.length);
    // Nothing changed since: nothing reloaded.
    expect(await refresher.refresh()).toBe(0);
  });
});

describe.skipIf(!adminUrl)('pg-boss runner: two replicas on one database', () => {
  let db: TestDatabase;
  afterAll(async () => db?.drop());

  it('queues the due destinations in batches and delivers each exactly once between them', async () => {
    db = await createTestDatabase(adminUrl!);
    const now = systemClock.now();
    const due = new Date(now.getTime() - 10 * 60_000).toISOString().slice(11, 16);
    const replicas = await Promise.all(
      [0, 1].map(async () => {
        const store = await openStore(db.url, { logger: silentLogger });
        const deps: CoreDeps = { store, index: createSearchIndex(), clock: systemClock, logger: silentLogger, config: defaultCoreConfig };
        const registry = createMetrics();
        const clock = fakeClock(now.toISOString());
        const scripted = scriptedAdapter('slack', clock);
        return { deps, registry, scripted };
      }),
    );
    const keys: string[] = [];
    for (let i = 0; i < 20; i++) {
      const ref = { ...channel('slack', `C${i}`), workspace: 'T1' };
      keys.push(await subscribe(replicas[0]!.deps, ref, { time: due, topics: ['agent'] }));
    }
    const runners = await Promise.all(
      replicas.map((r) =>
        createJobRunner(
          db.url,
          { deps: r.deps, adapters: () => [r.scripted.adapter], catchUpHours: 6, metrics: jobMetrics(r.registry) },
          jobTuningFromEnv({ JOB_CONCURRENCY: '4', JOB_POLL_SECONDS: '0.5', JOB_BATCH_SIZE: '3' }),
        ),
      ),
    );
    try {
      for (const r of runners) await r.start();
      expect(runners.map((r) => r.kind)).toEqual(['pg-boss', 'pg-boss']);
      // Both replicas tick at once, twice: still one digest per destination.
      await Promise.all([...runners, ...runners].map((r) => r.tick()));
      const allSent = () => replicas.flatMap((r) => r.scripted.sent.map((s) => s.key));
      await waitFor(() => allSent().length >= keys.length, { what: `${keys.length} digests sent between the replicas`, timeoutMs: 60_000, intervalMs: 50, detail: () => `sent ${allSent().length}` });
      await waitFor(async () => isEqual(await runners[0]!.queueDepth(), { queued: 0, active: 0 }), { what: 'the digest queue empty', timeoutMs: 30_000, intervalMs: 100 });
      expect(allSent().sort()).toEqual([...keys].sort());
      for (const key of keys) expect(await replicas[0]!.deps.store.digestStatus(key, now.toISOString().slice(0, 10))).toBe('sent');
      const texts = await Promise.all(replicas.map((r) => r.registry.render()));
      const counted = texts.map((text) => Number(/paperboy_digests_sent_total\{result="(?:sent|empty)"\} (\d+)/.exec(text)?.[1] ?? 0));
      expect(counted[0]! + counted[1]!).toBe(keys.length);
      // Served destinations are not due any more: a later tick queues nothing for them. Wait for the
      // event, not a while: once no cycle job is left below 'completed', the tick (or the waiting
      // one it joined) has run, and any digest job it queued would still be in the queue.
      const pgc = new pg.Client({ connectionString: db.url });
      await pgc.connect();
      try {
        const before = (await pgc.query('SELECT now() AS t')).rows[0].t as Date;
        await runners[1]!.tick();
        const openCycles = async () =>
          Number((await pgc.query(`SELECT count(*) AS n FROM ${BOSS_SCHEMA}.job WHERE name = $1 AND state < 'completed'`, [CYCLE_QUEUE])).rows[0].n);
        await waitFor(async () => (await openCycles()) === 0, { what: 'the tick run by a worker', timeoutMs: 30_000, intervalMs: 50 });
        const failed = await pgc.query(`SELECT count(*) AS n FROM ${BOSS_SCHEMA}.job WHERE name = $1 AND state = 'failed'`, [CYCLE_QUEUE]);
        expect(Number(failed.rows[0].n), 'failed cycle jobs').toBe(0);
        const queuedSince = await pgc.query(`SELECT count(*) AS n FROM ${BOSS_SCHEMA}.job WHERE name = $1 AND created_on >= $2`, [DIGEST_QUEUE, before]);
        expect(Number(queuedSince.rows[0].n), 'digest jobs queued by the later tick').toBe(0);
      } finally {
        await pgc.end();
      }
      expect(await runners[1]!.queueDepth()).toEqual({ queued: 0, active: 0 });
      expect(allSent().length).toBe(keys.length);
    } finally {
      for (const r of runners) await r.stop();
      for (const r of replicas) await r.deps.store.close();
    }
  }, 120_000);
});
