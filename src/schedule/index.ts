export { runCycle, dueDestinations, defaultCycleOptions, type CycleOptions, type CycleReport } from './run-cycle.ts';
export { runDigest, inBackoff, type DestinationOutcome } from '../delivery/index.ts';
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
export { fetchNew } from './fetch-new.ts';
export {
  fetchArxiv,
  fetchArxivIfDue,
  followedCategories,
  arxivDue,
  latestSlot,
  ARXIV_FETCH_SLOTS_UTC,
  type ArxivFetchResult,
  type ArxivFetchProgress,
} from './arxiv-fetch.ts';
export { createProgressBar, type ProgressBar } from './progress.ts';
export { firstRunFetch } from './first-run.ts';
