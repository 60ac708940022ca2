/**
 * Scale-out jobs on pg-boss 10 in the same PostgreSQL database as the store.
 *
 * - The cycle tick is a pg-boss cron schedule: pg-boss enqueues it once per minute across all
 *   replicas; the 'short' policy keeps at most one waiting, and an advisory lock lets one replica
 *   at a time fetch papers and enqueue the due digests.
 * - The destinations due in a tick become digest jobs of up to JOB_BATCH_SIZE destinations each
 *   (those sharing a listing window side by side), so a batch builds the window's index once and
 *   evaluates each distinct topic once. A destination already in an open job is not queued again.
 * - A worker holds each destination's advisory lock while it works on it; the delivery ledger's
 *   claim (a primary key) decides who sends. A destination that must wait (no adapter, a send in
 *   flight, locked elsewhere) goes back to the queue alone, with backoff: its batch-mates are done.
 * - A job whose replica died stays active until it expires (JOB_EXPIRE_SECONDS); pg-boss's
 *   maintenance then hands it to another replica, whose locks are free because the dead
 *   connection released them. It re-plans each destination: those done are skipped, and the
 *   ledger's reconcile asks the platform whether the interrupted one arrived.
 */
import { createHash } from 'node:crypto';
import pg from 'pg';
import PgBoss from 'pg-boss';
import { PG_TIMEOUTS } from '../store/postgres/db.ts';
import { fetchNew } from '../schedule/index.ts';
import { planCycle, type Plan } from '../delivery/index.ts';
import { createIndexRefresher } from './index-refresh.ts';
import { tryLock, withLock } from './locks.ts';
import { workDigestBatch, type DigestJobData } from './digest-job.ts';
import { defaultJobTuning, type JobTuning } from './tuning.ts';
import type { JobRunner, JobRunnerOptions } from './types.ts';
import type { DestinationOutcome } from '../delivery/index.ts';

export const CYCLE_QUEUE = 'paperboy-cycle';
export const DIGEST_QUEUE = 'paperboy-digest';
/** pg-boss keeps its tables in their own schema, apart from the store's. */
export const BOSS_SCHEMA = 'pgboss';

/**
 * Destinations in digest jobs not yet finished (waiting, retrying, active). pg-boss has no query
 * for this, so its job table is read; if that fails nothing is excluded (the ledger still decides).
 */
async function openDestinations(pool: pg.Pool): Promise<Set<string>> {
  try {
    const { rows } = await pool.query<{ k: string }>(
      `SELECT DISTINCT k FROM ${BOSS_SCHEMA}.job j,
         LATERAL jsonb_array_elements_text(CASE WHEN jsonb_typeof(j.data->'keys') = 'array' THEN j.data->'keys' ELSE jsonb_build_array(j.data->'key') END) k
       WHERE j.name = $1 AND j.state < 'completed'`,
      [DIGEST_QUEUE],
    );
    return new Set(rows.map((r) => r.k));
  } catch {
    return new Set();
  }
}

/** Due destinations in batches, those sharing a listing window (same previous run) side by side. */
export function batchPlans(plans: Plan[], size: number): Plan[][] {
  const sorted = [...plans].sort((a, b) => (a.dest.state.lastRunAt ?? '').localeCompare(b.dest.state.lastRunAt ?? '') || a.dest.key.localeCompare(b.dest.key));
  const out: Plan[][] = [];
  for (let i = 0; i < sorted.length; i += Math.max(1, size)) out.push(sorted.slice(i, i + Math.max(1, size)));
  return out;
}

/** The same batch of the same days is queued once, however many ticks see it due. */
function batchKey(batch: Plan[]): string {
  const h = createHash('sha1');
  for (const p of batch) h.update(`${p.dest.key}|${p.day ?? p.pausedThrough ?? p.missed[0] ?? ''}\n`);
  return `batch:${h.digest('hex')}`;
}

/** JOB_CONCURRENCY destinations at once per replica: a few batch workers, each working several of its destinations at once. */
export function workerShape(concurrency: number): { workers: number; perBatch: number } {
  const workers = Math.max(1, Math.ceil(concurrency / 4));
  return { workers, perBatch: Math.max(1, Math.ceil(concurrency / workers)) };
}

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

  /** The tick: fetch new papers, then batches of the due destinations. Returns how many jobs were queued. */
  async function cycle(b: PgBoss, pool: pg.Pool): Promise<number> {
    const lock = await tryLock(pool, 'cycle');
    if (!lock) return 0; // another replica is running this minute's tick
    try {
      const now = clock.now();
      const destinations = await deps.store.listDestinations();
      await fetchNew(deps, destinations, now);
      const plans = planCycle(destinations, now, opts.catchUpHours);
      const open = await openDestinations(pool);
      const batches = batchPlans(plans.filter((p) => !open.has(p.dest.key)), t.batchSize);
      const jobs = batches.map((batch) => ({
        name: DIGEST_QUEUE,
        data: { keys: batch.map((p) => p.dest.key) } satisfies DigestJobData,
        singletonKey: batchKey(batch),
      }));
      for (let i = 0; i < jobs.length; i += 500) await b.insert(jobs.slice(i, i + 500));
      if (jobs.length > 0) log.info({ due: plans.length, queued: jobs.reduce((n, j) => n + j.data.keys.length, 0), jobs: jobs.length }, 'digest jobs queued');
      return jobs.length;
    } finally {
      await lock.release();
    }
  }

  /**
   * Destinations of a finished batch that must wait go back to the queue on their own, after a
   * backoff; past the retry limit they are left to the next tick's plan. If that fails the whole
   * batch is retried: the destinations it served are skipped then.
   */
  async function putBack(b: PgBoss, data: DigestJobData, retry: { key: string; why: string }[]): Promise<void> {
    const attempt = (Number.isInteger(data?.attempt) ? data.attempt! : 0) + 1;
    const keys = retry.map((r) => r.key);
    if (attempt > t.retryLimit) {
      log.warn({ destinations: keys, reasons: retry.map((r) => r.why) }, 'digest retries used up; the next tick plans these destinations again');
      return;
    }
    const startAfter = Math.round(t.retryDelaySeconds * 2 ** (attempt - 1));
    log.info({ destinations: keys, reasons: retry.map((r) => r.why), attempt, startAfter }, 'digest destinations put back for a later try');
    await b.send(DIGEST_QUEUE, { keys, attempt } satisfies DigestJobData, { startAfter });
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
      ...PG_TIMEOUTS,
      schema: BOSS_SCHEMA,
      application_name: 'paperboy-jobs',
      max: 4,
      maintenanceIntervalSeconds: t.maintenanceSeconds,
      // Completed jobs are kept a while (what /digest status cannot show: who ran it, when).
      archiveCompletedAfterSeconds: 3_600,
    });
    // Connection blips surface here; pg-boss keeps polling and recovers by itself.
    b.on('error', (e: Error) => log.error({ err: e.message }, 'job queue error'));
    const pool = new pg.Pool({ connectionString: opts.databaseUrl, ...PG_TIMEOUTS, max: t.concurrency + 2, application_name: `paperboy-locks:${process.pid}` });
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
      const { workers, perBatch } = workerShape(t.concurrency);
      for (let i = 0; i < workers; i++) {
        await b.work<DigestJobData>(DIGEST_QUEUE, { pollingIntervalSeconds: t.pollSeconds }, async ([job]) => {
          if (!job) return;
          const env = { deps, adapters: opts.adapters, lockPool: pool, catchUpHours: opts.catchUpHours, inFlight, concurrency: perBatch, ...(opts.cycle ? { cycle: opts.cycle } : {}), onOutcome: (o: DestinationOutcome) => opts.metrics?.outcome(o) };
          const report = await workDigestBatch(env, job.data);
          if (report.retry.length > 0) await putBack(b, job.data, report.retry);
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
