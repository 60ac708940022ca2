/** Digest jobs of many destinations on real PostgreSQL: shared work, isolated failures, no resend on a retry. */
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultCoreConfig, DeliveryError, silentLogger, type CoreDeps, type Logger, type Store } from '../../src/core/index.ts';
import { createSearchIndex } from '../../src/core/search/index.ts';
import { createJobRunner, jobTuningFromEnv } from '../../src/jobs/index.ts';
import { workDigestBatch, type DigestJobEnv } from '../../src/jobs/digest-job.ts';
import { batchPlans, workerShape } from '../../src/jobs/pg-boss-runner.ts';
import { planCycle } from '../../src/delivery/index.ts';
import { tryLock } from '../../src/jobs/locks.ts';
import { openStore } from '../../src/store/index.ts';
import { channel, clockOptions, fakeClock, scriptedAdapter, subscribe } from '../delivery/support.ts';
import { realPapers } from '../store/real-papers.ts';
import { createTestDatabase, findPostgres, skipNotice, type TestDatabase } from '../store/postgres-support.ts';
import { waitFor } from '../support/wait.ts';

const adminUrl = await findPostgres();
if (!adminUrl) console.warn(skipNotice('digest batches'));

describe('batching due destinations', () => {
  it('puts destinations sharing a previous run side by side, in batches of the given size', async () => {
    const clock = fakeClock('2026-06-24T09:05:00Z');
    const dest = (key: string, lastRunAt?: string) => ({
      platform: 'discord' as const, kind: 'channel' as const, id: key, key, createdAt: '2026-06-01T00:00:00Z',
      settings: { topics: ['agent'], time: '09:00', timezone: 'UTC', paused: false, weekdaysOnly: false, notifyEmpty: false, maxPapers: 10 },
      state: { ...(lastRunAt ? { lastRunAt, lastDigestDay: lastRunAt.slice(0, 10) } : {}) },
    });
    const y = '2026-06-23T09:00:10.000Z';
    const z = '2026-06-23T09:01:00.000Z';
    const plans = planCycle([dest('e', z), dest('a', y), dest('d', z), dest('b'), dest('c', y)], clock.now(), 6);
    expect(batchPlans(plans, 2).map((b) => b.map((p) => p.dest.key))).toEqual([['b', 'a'], ['c', 'd'], ['e']]);
    expect(workerShape(8)).toEqual({ workers: 2, perBatch: 4 });
    expect(workerShape(1)).toEqual({ workers: 1, perBatch: 1 });
  });
});

describe.skipIf(!adminUrl)('digest batches on real PostgreSQL', () => {
  let db: TestDatabase;
  let store: Store;
  let lockPool: pg.Pool;
  const clock = fakeClock('2026-06-24T09:05:00Z');
  let deps: CoreDeps;

  beforeAll(async () => {
    db = await createTestDatabase(adminUrl!);
    store = await openStore(db.url, { logger: silentLogger });
    await store.upsertPapers(realPapers('2026-06-24'));
    deps = { store, index: createSearchIndex(), clock, logger: silentLogger, config: defaultCoreConfig };
    lockPool = new pg.Pool({ connectionString: db.url, max: 6 });
  }, 60_000);
  afterAll(async () => {
    await lockPool?.end();
    await store?.close();
    await db?.drop();
  });

  it('shares one index and one evaluation per topic; a failing, a locked and an adapterless destination leave their batch-mates served, and a retried batch sends nothing twice', async () => {
    const topics = [['agent'], ['agent', 'diffusion'], ['Diffusion'], ['video'], ['agent'], ['reasoning']];
    const keys: string[] = [];
    for (const [i, t] of topics.entries()) keys.push(await subscribe(deps, channel('discord', `C${i}`), { topics: t }));
    const slackKey = await subscribe(deps, { ...channel('slack', 'S1'), workspace: 'T1' }, { topics: ['agent'] });
    const failing = keys[2]!;
    const locked = keys[3]!;
    const { adapter, sent } = scriptedAdapter('discord', clock, (dest) => {
      if (dest.key === failing) throw new DeliveryError('platform_error', 'Discord answered 503', false);
    });
    const env: DigestJobEnv = { deps, adapters: () => [adapter], lockPool, catchUpHours: 6, inFlight: new Set(), concurrency: 3, cycle: clockOptions(clock) };
    const other = new pg.Pool({ connectionString: db.url, max: 1 });
    const held = await tryLock(other, `destination:${locked}`);
    expect(held).toBeDefined();
    try {
      const batch = { keys: [...keys, slackKey] };
      const first = await workDigestBatch(env, batch);
      const served = keys.filter((k) => k !== failing && k !== locked);
      expect(sent.map((s) => s.key).sort()).toEqual([...served].sort());
      expect(first.outcomes.find((o) => o.key === failing)).toMatchObject({ status: 'failed', retry: true });
      expect(first.retry.map((r) => r.key).sort()).toEqual([locked, slackKey].sort());
      // One window; "Diffusion" and "diffusion" are one query, and the locked one's "video" is not
      // looked at: agent, diffusion, reasoning, one evaluation each for six destinations.
      expect(first.cache).toEqual({ windows: 1, indexes: 1, evaluations: 3 });
      for (const k of served) expect(await store.digestStatus(k, '2026-06-24')).toBe('sent');
      expect(await store.digestStatus(failing, '2026-06-24')).toBeUndefined();

      // The same job again (pg-boss retrying it, or another replica taking it over): nothing is resent.
      const again = await workDigestBatch(env, batch);
      expect(sent).toHaveLength(served.length);
      expect(again.outcomes.filter((o) => o.status === 'sent')).toEqual([]);

      await held!.release();
      const later = await workDigestBatch(env, { keys: [locked], attempt: 1 });
      expect(later.outcomes).toMatchObject([{ key: locked, status: 'sent' }]);
      expect(sent.filter((s) => s.key === locked)).toHaveLength(1);
    } finally {
      await held?.release();
      await other.end();
    }
  }, 60_000);

  it('drops a job without usable keys with a warning, and reads jobs queued before batches', async () => {
    const warned: string[] = [];
    const logger: Logger = { ...silentLogger, warn: (_o: unknown, msg?: string) => void warned.push(String(msg)) };
    const { adapter, sent } = scriptedAdapter('discord', clock);
    const env: DigestJobEnv = { deps: { ...deps, logger }, adapters: () => [adapter], lockPool, catchUpHours: 6, inFlight: new Set(), concurrency: 2, cycle: clockOptions(clock) };
    expect((await workDigestBatch(env, { keys: [42 as unknown as string, ''] })).outcomes).toEqual([]);
    expect(warned).toContain('digest job without destination keys; dropped');
    const key = await subscribe(deps, channel('discord', 'OLD'), { topics: ['agent'] });
    expect((await workDigestBatch(env, { key })).outcomes).toMatchObject([{ key, status: 'sent' }]);
    expect(sent.map((s) => s.key)).toEqual([key]);
  }, 30_000);
});

describe.skipIf(!adminUrl)('pg-boss runner with batches', () => {
  let db: TestDatabase;
  afterAll(async () => db?.drop());

  it('queues batches, serves them once, and puts a destination that must wait back alone until its retries are used up', async () => {
    db = await createTestDatabase(adminUrl!);
    const store = await openStore(db.url, { logger: silentLogger });
    const now = new Date();
    const clock = fakeClock(now.toISOString());
    const warned: string[] = [];
    const logger: Logger = { ...silentLogger, warn: (_o: unknown, msg?: string) => void warned.push(String(msg)) };
    const deps: CoreDeps = { store, index: createSearchIndex(), clock: { now: () => new Date() }, logger, config: defaultCoreConfig };
    const due = new Date(now.getTime() - 10 * 60_000).toISOString().slice(11, 16);
    const keys: string[] = [];
    for (let i = 0; i < 7; i++) keys.push(await subscribe(deps, { ...channel('slack', `C${i}`), workspace: 'T1' }, { time: due, topics: ['agent'] }));
    // No Discord adapter runs in this replica: that destination has to wait.
    const waiting = await subscribe(deps, channel('discord', 'D1'), { time: due, topics: ['agent'] });
    const { adapter, sent } = scriptedAdapter('slack', clock);
    const runner = await createJobRunner(db.url, { deps, adapters: () => [adapter], catchUpHours: 6 }, jobTuningFromEnv({
      JOB_CONCURRENCY: '4', JOB_POLL_SECONDS: '0.5', JOB_BATCH_SIZE: '3', JOB_RETRY_LIMIT: '1', JOB_RETRY_DELAY_SECONDS: '0',
    }));
    const pgc = new pg.Client({ connectionString: db.url });
    await pgc.connect();
    try {
      await runner.start();
      await runner.tick();
      await runner.tick();
      const gaveUp = () => warned.includes('digest retries used up; the next tick plans these destinations again');
      await waitFor(() => sent.length >= keys.length && gaveUp(), {
        what: `${keys.length} digests sent and the failing batch given up`, timeoutMs: 60_000, intervalMs: 100, detail: () => `sent ${sent.length}; warnings: ${JSON.stringify(warned)}`,
      });
      expect(sent.map((s) => s.key).sort()).toEqual([...keys].sort());
      expect(gaveUp()).toBe(true);
      const { rows } = await pgc.query(`SELECT data FROM pgboss.job WHERE name = 'paperboy-digest' ORDER BY created_on`);
      // The minute's own cron tick may queue the waiting destination again: only the first tick's batches are counted.
      const batches = rows.filter((r) => !r.data.attempt).map((r) => r.data.keys as string[]).slice(0, 3);
      // 8 due destinations in batches of 3, each queued once although the tick ran twice.
      expect(batches.map((b) => b.length).sort()).toEqual([2, 3, 3]);
      expect(batches.flat().sort()).toEqual([...keys, waiting].sort());
      expect(rows.find((r) => r.data.attempt)?.data).toEqual({ keys: [waiting], attempt: 1 });
      expect(await store.digestStatus(waiting, now.toISOString().slice(0, 10))).toBeUndefined();
    } finally {
      await pgc.end();
      await runner.stop();
      await store.close();
    }
  }, 90_000);
});
