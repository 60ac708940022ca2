/**
 * The work of one queued digest job: re-plan the destination from the store (it may have changed
 * or been served since it was enqueued) and carry the plan out, holding the destination's lock.
 */
import type pg from 'pg';
import type { Adapter, CoreDeps } from '../core/index.ts';
import { fanOut, planCycle, type DestinationOutcome } from '../delivery/index.ts';
import { defaultCycleOptions, type CycleOptions } from '../schedule/index.ts';
import { tryLock } from './locks.ts';

export interface DigestJobData {
  key: string;
}

export interface DigestJobEnv {
  deps: CoreDeps;
  adapters: () => Adapter[];
  lockPool: pg.Pool;
  catchUpHours: number;
  inFlight: Set<string>;
  cycle?: Partial<Omit<CycleOptions, 'inFlight'>>;
  onOutcome?: (o: DestinationOutcome) => void;
}

/** Thrown so the queue retries the job later (with backoff); nothing was sent. */
export class RetryLater extends Error {}

export async function workDigestJob(env: DigestJobEnv, data: DigestJobData): Promise<DestinationOutcome[]> {
  const { deps } = env;
  if (typeof data?.key !== 'string' || !data.key) {
    deps.logger.warn({ data }, 'digest job without a destination key; dropped');
    return [];
  }
  const lock = await tryLock(env.lockPool, `destination:${data.key}`);
  // Another replica is on this destination right now (a retry racing a slow first run).
  if (!lock) throw new RetryLater(`destination ${data.key} is being worked on by another worker`);
  try {
    const dest = await deps.store.getDestination(data.key);
    if (!dest) return [];
    const now = deps.clock.now();
    const plans = planCycle([dest], now, env.catchUpHours);
    if (plans.length === 0) return [];
    const report = await fanOut(deps, env.adapters(), plans, now, {
      ...defaultCycleOptions,
      ...env.cycle,
      catchUpHours: env.catchUpHours,
      concurrency: 1,
      inFlight: env.inFlight,
    });
    for (const o of report.outcomes) env.onOutcome?.(o);
    if (report.noAdapter.length > 0) throw new RetryLater(`no running adapter for ${data.key}`);
    // A send of ours that outlived its time limit is still running: settle it on a later try.
    if (report.outcomes.some((o) => o.status === 'in-flight')) throw new RetryLater(`a send to ${data.key} is still in flight`);
    return report.outcomes;
  } finally {
    await lock.release();
  }
}
