/**
 * Scale-out jobs on pg-boss 10 in the same PostgreSQL database as the store.
 *
 * - The cycle tick is a pg-boss cron schedule: pg-boss enqueues it once per minute across all
 *   replicas; the 'short' policy keeps at most one waiting, and an advisory lock lets one replica
 *   at a time fetch papers and enqueue the due digests.
 * - Each due destination becomes one digest job keyed by destination and local day
 *   (singletonKey, 'short' policy: a tick never queues a second copy of a waiting job).
 * - A worker holds the destination's advisory lock while it works; the delivery ledger's claim
 *   (a primary key) decides who sends. Failed jobs retry with exponential backoff.
 * - A job whose replica died stays active until it expires (JOB_EXPIRE_SECONDS); pg-boss's
 *   maintenance then hands it to another replica, whose lock is free because the dead
 *   connection released it, and the ledger's reconcile asks the platform whether it arrived.
 */
import pg from 'pg';
import PgBoss from 'pg-boss';
import { daysToFetch, fetchDays } from '../schedule/index.ts';
import { planCycle } from '../delivery/index.ts';
import { createIndexRefresher } from './index-refresh.ts';
import { tryLock, withLock } from './locks.ts';
import { RetryLater, workDigestJob, type DigestJobData } from './digest-job.ts';
import { defaultJobTuning, type JobTuning } from './tuning.ts';
import type { JobRunner, JobRunnerOptions } from './types.ts';

export const CYCLE_QUEUE = 'paperboy-cycle';
export const DIGEST_QUEUE = 'paperboy-digest';
/** pg-boss keeps its tables in their own schema, apart from the store's. */
export const BOSS_SCHEMA = 'pgboss';

export interface PgBossRunnerOptions extends JobRunnerOptions {
  databaseUrl: string;
  tuning?: Partial<JobTuning>;
}

const message = (e: unknown) => (e instanceof Error ? e.message : String(e));

export function createPgBossRunner(opts: PgBossRunnerOptions): JobRunner {
  const t: JobTuning = { ...defaultJobTuning, ...opts.tuning };
  const { deps } = opts;
  const log = deps.logger;
  const clock = opts.clock ?? deps.clock;
  const inFlight = new Set<string>();
  const refresher = createIndexRefresher(deps);
  let boss: PgBoss | undefined;
  let lockPool: pg.Pool | undefined;
  let timers: NodeJS.Timeout[] = [];
  let starting: Promise<void> | undefined;
  let stopping: Promise<void> | undefined;

  /** The tick: fetch new papers, then one job per due destination. Returns how many were queued. */
  async function cycle(b: PgBoss, pool: pg.Pool): Promise<number> {
    const lock = await tryLock(pool, 'cycle');
    if (!lock) return 0; // another replica is running this minute's tick
    try {
      const now = clock.now();
      if (deps.source) {
        const days = daysToFetch(await deps.store.fetchedDays(), now);
        if (days.length > 0) await fetchDays(deps, days, { now });
      }
      const plans = planCycle(await deps.store.listDestinations(), now, opts.catchUpHours);
      const jobs = plans.map((p) => ({
        name: DIGEST_QUEUE,
        data: { key: p.dest.key } satisfies DigestJobData,
        singletonKey: `${p.dest.key}|${p.day ?? p.pausedThrough ?? p.missed[0] ?? ''}`,
      }));
      for (let i = 0; i < jobs.length; i += 500) await b.insert(jobs.slice(i, i + 500));
      if (jobs.length > 0) log.info({ due: jobs.length }, 'digest jobs queued');
      return jobs.length;
    } finally {
      await lock.release();
    }
  }

  async function depth(): Promise<{ queued: number; active: number }> {
    if (!boss) return { queued: 0, active: 0 };
    const queued = (await boss.getQueueSize(DIGEST_QUEUE, { before: 'active' })) ?? 0;
    const upToActive = (await boss.getQueueSize(DIGEST_QUEUE, { before: 'completed' })) ?? 0;
    return { queued, active: upToActive - queued };
  }

  async function updateDepth(): Promise<void> {
    if (!opts.metrics) return;
    try {
      opts.metrics.queueDepth(await depth());
    } catch (e) {
      log.warn({ err: message(e) }, 'could not read the job queue depth');
    }
  }

  const runner: JobRunner = {
    kind: 'pg-boss',
    start() {
      starting ??= begin();
      return starting;
    },
    async tick() {
      // The cycle queue keeps one waiting tick at most; whichever replica is free runs it.
      await boss?.send(CYCLE_QUEUE, {});
    },
    queueDepth: depth,
    stop() {
      stopping ??= (async () => {
        // A stop during start waits for it, so nothing started is left running.
        await starting?.catch(() => {});
        for (const timer of timers) clearInterval(timer);
        const b = boss;
        boss = undefined;
        // Graceful: running jobs finish (within the timeout) and are completed, not left to expire.
        await b?.stop({ graceful: true, wait: true, timeout: 30_000 }).catch((e: unknown) => log.warn({ err: message(e) }, 'job queue did not stop cleanly'));
        await lockPool?.end().catch(() => {});
      })();
      return stopping;
    },
  };

  return runner;

  async function begin(): Promise<void> {
    if (stopping) return;
    const b = new PgBoss({
      connectionString: opts.databaseUrl,
      schema: BOSS_SCHEMA,
      application_name: 'paperboy-jobs',
      max: 4,
      maintenanceIntervalSeconds: t.maintenanceSeconds,
      // Completed jobs are kept a while (what /digest status cannot show: who ran it, when).
      archiveCompletedAfterSeconds: 3_600,
    });
    // Connection blips surface here; pg-boss keeps polling and recovers by itself.
    b.on('error', (e: Error) => log.error({ err: e.message }, 'job queue error'));
    const pool = new pg.Pool({ connectionString: opts.databaseUrl, max: t.concurrency + 2, application_name: `paperboy-locks:${process.pid}` });
    pool.on('error', (e) => log.error({ err: e.message }, 'job lock connection error'));
    try {
      await b.start();
      // Replicas starting together would deadlock creating the queues' tables: one at a time.
      await withLock(pool, 'setup', async () => {
        await b.createQueue(CYCLE_QUEUE, { name: CYCLE_QUEUE, policy: 'short', retryLimit: 0, expireInSeconds: Math.max(t.expireSeconds, 300) });
        const digest = {
          name: DIGEST_QUEUE,
          policy: 'short' as const,
          retryLimit: t.retryLimit,
          retryDelay: t.retryDelaySeconds,
          retryBackoff: true,
          expireInSeconds: t.expireSeconds,
        };
        await b.createQueue(DIGEST_QUEUE, digest);
        // Tuning changed since the queue was created applies to the jobs queued from now on.
        await b.updateQueue(DIGEST_QUEUE, digest);
        // Stored in the database: however many replicas schedule it, it fires once a minute.
        await b.schedule(CYCLE_QUEUE, '* * * * *', {}, { tz: 'UTC' });
      });
      await b.work(CYCLE_QUEUE, { pollingIntervalSeconds: t.pollSeconds }, async () => {
        await cycle(b, pool);
        await updateDepth();
      });
      for (let i = 0; i < t.concurrency; i++) {
        await b.work<DigestJobData>(DIGEST_QUEUE, { pollingIntervalSeconds: t.pollSeconds }, async ([job]) => {
          if (!job) return;
          try {
            await workDigestJob(
              { deps, adapters: opts.adapters, lockPool: pool, catchUpHours: opts.catchUpHours, inFlight, ...(opts.cycle ? { cycle: opts.cycle } : {}), onOutcome: (o) => opts.metrics?.outcome(o) },
              job.data,
            );
          } catch (e) {
            if (!(e instanceof RetryLater)) log.error({ destination: job.data?.key, err: message(e) }, 'digest job failed; it will be retried');
            throw e;
          }
        });
      }
    } catch (e) {
      await b.stop({ graceful: false, wait: true }).catch(() => {});
      await pool.end().catch(() => {});
      throw e;
    }
    boss = b;
    lockPool = pool;
    await refresher.refresh().catch(() => 0);
    timers = [
      setInterval(() => void refresher.refresh().catch((e: unknown) => log.warn({ err: message(e) }, 'search index refresh failed')), t.indexRefreshSeconds * 1000),
      setInterval(() => void updateDepth(), 15_000),
    ];
    for (const timer of timers) timer.unref();
    log.info({ concurrency: t.concurrency, expireSeconds: t.expireSeconds }, 'pg-boss job runner started');
  }
}
