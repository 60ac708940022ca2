/** node-cron drives runCycle once a minute; one cycle at a time. */
import cron, { type ScheduledTask } from 'node-cron';
import { systemClock, type Adapter, type Clock, type CoreDeps } from '../core/index.ts';
import { runCycle, type CycleOptions, type CycleReport } from './run-cycle.ts';

export interface Scheduler {
  /** Runs one cycle now (also used at start-up, so a due digest does not wait a minute). */
  runNow(): Promise<CycleReport | undefined>;
  stop(): Promise<void>;
}

export function startScheduler(
  deps: CoreDeps,
  adapters: () => Adapter[],
  opts: Partial<CycleOptions> & { clock?: Clock; cronExpression?: string; onReport?: (r: CycleReport) => void } = {},
): Scheduler {
  const clock = opts.clock ?? systemClock;
  // Sends that outlive a cycle (timed out, still running) must not be reconciled by the next one.
  const inFlight = opts.inFlight ?? new Set<string>();
  let running: Promise<CycleReport | undefined> | undefined;
  const runNow = (): Promise<CycleReport | undefined> => {
    // A slow cycle (big backfill) must not overlap the next minute's.
    if (running) return running;
    running = runCycle(deps, adapters(), clock.now(), { ...opts, inFlight })
      .then((r) => (opts.onReport?.(r), r))
      .catch((e: unknown) => {
        deps.logger.error({ err: e instanceof Error ? e.message : String(e) }, 'schedule cycle failed');
        return undefined;
      })
      .finally(() => {
        running = undefined;
      });
    return running;
  };
  // node-cron 4 starts the task on schedule(); it is destroyed in stop().
  const task: ScheduledTask = cron.schedule(opts.cronExpression ?? '* * * * *', () => runNow(), { name: 'paperboy-cycle', noOverlap: true });
  return {
    runNow,
    async stop() {
      await task.destroy();
      await running;
    },
  };
}
