/** Scheduling and delivery jobs: in this process (JSON store) or shared through pg-boss (PostgreSQL). */
import { createInProcessRunner } from './in-process.ts';
import { isPostgresUrl } from '../store/url.ts';
import type { JobTuning } from './tuning.ts';
import type { JobRunner, JobRunnerOptions } from './types.ts';

export type { JobRunner, JobRunnerOptions } from './types.ts';
export { createInProcessRunner } from './in-process.ts';
export { jobMetrics, type JobMetrics } from './job-metrics.ts';
export { jobTuningFromEnv, checkJobTuning, defaultJobTuning, type JobTuning } from './tuning.ts';
export { createIndexRefresher, type IndexRefresher } from './index-refresh.ts';

/**
 * pg-boss when the store is PostgreSQL (loaded on demand: the JSON setup never loads it), node-cron
 * otherwise. `tuning` comes validated with the configuration (AppConfig.jobs).
 */
export async function createJobRunner(databaseUrl: string, opts: JobRunnerOptions, tuning: Partial<JobTuning> = {}): Promise<JobRunner> {
  if (!isPostgresUrl(databaseUrl)) return createInProcessRunner(opts);
  const mod = await import('./pg-boss-runner.ts');
  return mod.createPgBossRunner({ ...opts, databaseUrl: databaseUrl.trim(), tuning });
}
