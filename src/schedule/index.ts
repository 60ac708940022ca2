export { runCycle, dueDestinations, defaultCycleOptions, type CycleOptions, type CycleReport } from './run-cycle.ts';
export { deliverDigest, inBackoff, type DestinationOutcome } from './deliver.ts';
export {
  fetchDays,
  daysToFetch,
  lastDays,
  indexPapers,
  defaultRefreshPolicy,
  type FetchOptions,
  type FetchProgress,
  type FetchResult,
  type RefreshPolicy,
} from './fetch.ts';
export { startScheduler, type Scheduler } from './cron.ts';
