/** Job tuning from the environment, checked with one clear message per bad value. */
import { PaperboyError } from '../core/index.ts';

export interface JobTuning {
  /** Destinations one replica works on at once (JOB_CONCURRENCY). */
  concurrency: number;
  /** Destinations per digest job (JOB_BATCH_SIZE): a batch shares one window index and one evaluation per topic. */
  batchSize: number;
  /** A digest job still active after this long counts as abandoned (its replica died) and is retried elsewhere (JOB_EXPIRE_SECONDS). */
  expireSeconds: number;
  /** How often expired jobs are looked for, across all replicas (JOB_MAINTENANCE_SECONDS). */
  maintenanceSeconds: number;
  /** Retries of a failed digest job, with exponential backoff from retryDelaySeconds (JOB_RETRY_LIMIT). */
  retryLimit: number;
  retryDelaySeconds: number;
  /** How often a worker looks for new jobs (JOB_POLL_SECONDS, at least 0.5). */
  pollSeconds: number;
  /** How often each replica reloads papers another replica fetched into its search index. */
  indexRefreshSeconds: number;
}

export const defaultJobTuning: JobTuning = {
  concurrency: 8,
  batchSize: 100,
  // Above the delivery's own bound (3 tries of at most 2 minutes each, plus backoff).
  expireSeconds: 600,
  maintenanceSeconds: 60,
  retryLimit: 5,
  retryDelaySeconds: 10,
  pollSeconds: 2,
  indexRefreshSeconds: 60,
};

/** Field, environment variable, least value. */
export const TUNING_VARIABLES: readonly [keyof JobTuning, string, number][] = [
  ['concurrency', 'JOB_CONCURRENCY', 1],
  ['batchSize', 'JOB_BATCH_SIZE', 1],
  ['expireSeconds', 'JOB_EXPIRE_SECONDS', 1],
  ['maintenanceSeconds', 'JOB_MAINTENANCE_SECONDS', 1],
  ['retryLimit', 'JOB_RETRY_LIMIT', 0],
  ['retryDelaySeconds', 'JOB_RETRY_DELAY_SECONDS', 0],
  ['pollSeconds', 'JOB_POLL_SECONDS', 0.5],
  ['indexRefreshSeconds', 'JOB_INDEX_REFRESH_SECONDS', 1],
];

/** The JOB_* names read by checkJobTuning (the configuration takes them with the rest). */
export const JOB_VARIABLES = TUNING_VARIABLES.map(([, name]) => name);

/** Validates the JOB_* variables of `env`: the tuning, or every problem found (one line each). */
export function checkJobTuning(env: Record<string, string | undefined>): { tuning: JobTuning; problems: string[] } {
  const t: JobTuning = { ...defaultJobTuning };
  const problems: string[] = [];
  for (const [field, name, min] of TUNING_VARIABLES) {
    const raw = env[name]?.trim();
    if (!raw) continue;
    const n = Number(raw);
    const whole = field !== 'pollSeconds';
    if (!Number.isFinite(n) || n < min || (whole && !Number.isInteger(n))) {
      problems.push(`${name} must be ${whole ? 'a whole number' : 'a number'} of at least ${min} (got "${raw}").`);
    } else t[field] = n;
  }
  // pg-boss refuses expirations of a day or more.
  if (t.expireSeconds >= 86_400) problems.push(`JOB_EXPIRE_SECONDS must be under 86400 (got ${t.expireSeconds}).`);
  return { tuning: t, problems };
}

/** checkJobTuning that throws one PaperboyError('config') naming every problem. */
export function jobTuningFromEnv(env: Record<string, string | undefined>): JobTuning {
  const { tuning, problems } = checkJobTuning(env);
  if (problems.length > 0) throw new PaperboyError('config', problems.join(' '));
  return tuning;
}
