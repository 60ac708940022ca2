/**
 * The work of one queued digest job: a batch of destinations due in the same tick. Each one is
 * re-planned from the store (it may have changed or been served since it was queued) and carried
 * out holding its own lock, so a retried or taken-over batch skips the destinations already done
 * (the ledger and their last digest day say so) and never sends to them again.
 *
 * The batch shares one DigestCache and one `now`: destinations with the same listing window share
 * its index, and each distinct topic is evaluated once for the whole batch.
 */
import type pg from 'pg';
import type { Adapter, CoreDeps } from '../core/index.ts';
import { DigestCache, type DigestCacheStats } from '../core/digests/index.ts';
import { fanOut, planCycle, runPool, type DestinationOutcome } from '../delivery/index.ts';
import { defaultCycleOptions, type CycleOptions } from '../schedule/index.ts';
import { tryLock } from './locks.ts';

export interface DigestJobData {
  /** The destinations of the batch. */
  keys?: string[];
  /** One destination: jobs queued before batches existed. */
  key?: string;
  /** How many times these destinations were put back for a later try. */
  attempt?: number;
}

export interface DigestJobEnv {
  deps: CoreDeps;
  adapters: () => Adapter[];
  lockPool: pg.Pool;
  catchUpHours: number;
  inFlight: Set<string>;
  /** Destinations of the batch worked on at once. */
  concurrency: number;
  cycle?: Partial<Omit<CycleOptions, 'inFlight'>>;
  onOutcome?: (o: DestinationOutcome) => void;
}

export interface BatchReport {
  outcomes: DestinationOutcome[];
  /** Destinations to try again later, each with why (nothing was sent to them by this job). */
  retry: { key: string; why: string }[];
  /** The batch's shared work: windows loaded, indexes built, topics evaluated. */
  cache: DigestCacheStats;
}

/** The destination keys a job names, whatever its shape; junk is left out. */
export function jobKeys(data: DigestJobData | undefined): string[] {
  const raw = Array.isArray(data?.keys) ? data.keys : typeof data?.key === 'string' ? [data.key] : [];
  return [...new Set(raw.filter((k): k is string => typeof k === 'string' && k.length > 0))];
}

const message = (e: unknown) => (e instanceof Error ? e.message : String(e));

async function workDestination(env: DigestJobEnv, key: string, now: Date, digestCache: DigestCache): Promise<{ outcomes: DestinationOutcome[]; retry?: string }> {
  const { deps } = env;
  const lock = await tryLock(env.lockPool, `destination:${key}`);
  // Another worker is on this destination right now (a retry racing a slow first run).
  if (!lock) return { outcomes: [], retry: 'being worked on by another worker' };
  try {
    const dest = await deps.store.getDestination(key);
    if (!dest) return { outcomes: [] };
    const plans = planCycle([dest], now, env.catchUpHours);
    if (plans.length === 0) return { outcomes: [] };
    const report = await fanOut(deps, env.adapters(), plans, now, {
      ...defaultCycleOptions,
      ...env.cycle,
      catchUpHours: env.catchUpHours,
      concurrency: 1,
      inFlight: env.inFlight,
      digestCache,
    });
    for (const o of report.outcomes) env.onOutcome?.(o);
    if (report.noAdapter.length > 0) return { outcomes: report.outcomes, retry: 'no running adapter for its platform' };
    // A send of ours that outlived its time limit is still running: settle it on a later try.
    if (report.outcomes.some((o) => o.status === 'in-flight')) return { outcomes: report.outcomes, retry: 'a send is still in flight' };
    return { outcomes: report.outcomes };
  } finally {
    await lock.release();
  }
}

/** Works every destination of the batch; one's failure is reported for it alone, never for its batch-mates. */
export async function workDigestBatch(env: DigestJobEnv, data: DigestJobData | undefined): Promise<BatchReport> {
  const { deps } = env;
  const keys = jobKeys(data);
  if (keys.length === 0) {
    deps.logger.warn({ data }, 'digest job without destination keys; dropped');
    return { outcomes: [], retry: [], cache: new DigestCache().stats() };
  }
  const now = deps.clock.now();
  const digestCache = new DigestCache();
  const report: Omit<BatchReport, 'cache'> = { outcomes: [], retry: [] };
  await runPool(keys, env.concurrency, async (key) => {
    try {
      const r = await workDestination(env, key, now, digestCache);
      report.outcomes.push(...r.outcomes);
      if (r.retry) report.retry.push({ key, why: r.retry });
    } catch (e) {
      // The lock connection or the store failed for this one: it is tried again, the others go on.
      deps.logger.error({ destination: key, err: message(e) }, 'digest job failed for one destination; it will be retried');
      report.retry.push({ key, why: message(e) });
    }
  });
  return { ...report, cache: digestCache.stats() };
}
