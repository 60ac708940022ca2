/** Scheduling and delivery jobs: in this process (JSON store) or shared through pg-boss (PostgreSQL). */
import { createInProcessRunner } from './in-process.ts';
import { jobTuningFromEnv } from './tuning.ts';
import type { JobRunner, JobRunnerOptions } from './types.ts';

export type { JobRunner, JobRunnerOptions } from './types.ts';
export { createInProcessRunner } from './in-process.ts';
export { jobMetrics, type JobMetrics } from './job-metrics.ts';
export { jobTuningFromEnv, defaultJobTuning, type JobTuning } from './tuning.ts';
export { createIndexRefresher, type IndexRefresher } from './index-refresh.ts';

export const isPostgresUrl = (url: string) => /^postgres(ql)?:\/\//.test(String(url ?? '').trim());

/** pg-boss when the store is PostgreSQL (loaded on demand: the JSON setup never loads it), node-cron otherwise. */
export async function createJobRunner(databaseUrl: string, opts: JobRunnerOptions, env: NodeJS.ProcessEnv = process.env): Promise<JobRunner> {
  if (!isPostgresUrl(databaseUrl)) return createInProcessRunner(opts);
  const tuning = jobTuningFromEnv(env);
  const mod = await import('./pg-boss-runner.ts');
  return mod.createPgBossRunner({ ...opts, databaseUrl: databaseUrl.trim(), tuning });
}
