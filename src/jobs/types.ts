/** The job interface the app schedules and delivers through, whatever runs the jobs. */
import type { Adapter, Clock, CoreDeps } from '../core/index.ts';
import type { CycleOptions } from '../schedule/index.ts';
import type { JobMetrics } from './job-metrics.ts';

export interface JobRunner {
  /** 'in-process': node-cron in this process (JSON store); 'pg-boss': shared queue in PostgreSQL. */
  readonly kind: 'in-process' | 'pg-boss';
  /** Schedules the daily-cycle tick (every minute) and starts working digest jobs. */
  start(): Promise<void>;
  /** Runs (or enqueues) one cycle tick now, so a due digest does not wait for the next minute. */
  tick(): Promise<void>;
  /** Digest jobs waiting (queued or to be retried) and being worked. */
  queueDepth(): Promise<{ queued: number; active: number }>;
  /** Stops scheduling, lets running jobs finish, releases connections. Safe to call twice. */
  stop(): Promise<void>;
}

export interface JobRunnerOptions {
  deps: CoreDeps;
  /** Adapters running now; digests for other platforms wait. */
  adapters: () => Adapter[];
  clock?: Clock;
  catchUpHours: number;
  metrics?: JobMetrics;
  /** Overrides of the cycle's delivery options (tests). */
  cycle?: Partial<Omit<CycleOptions, 'inFlight'>>;
}
