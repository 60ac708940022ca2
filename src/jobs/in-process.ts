/** Today's behaviour for the JSON store: node-cron in this process runs the whole cycle. */
import { startScheduler, type Scheduler } from '../schedule/index.ts';
import type { JobRunner, JobRunnerOptions } from './types.ts';

export function createInProcessRunner(opts: JobRunnerOptions): JobRunner {
  let scheduler: Scheduler | undefined;
  const inFlight = new Set<string>();
  return {
    kind: 'in-process',
    async start() {
      scheduler ??= startScheduler(opts.deps, opts.adapters, {
        ...opts.cycle,
        ...(opts.clock ? { clock: opts.clock } : {}),
        catchUpHours: opts.catchUpHours,
        inFlight,
        onReport: (r) => r.outcomes.forEach((o) => opts.metrics?.outcome(o)),
      });
    },
    async tick() {
      await scheduler?.runNow();
    },
    // Nothing waits in a queue here: a cycle works its due destinations at once.
    async queueDepth() {
      return { queued: 0, active: inFlight.size };
    },
    async stop() {
      const s = scheduler;
      scheduler = undefined;
      await s?.stop();
    },
  };
}
