/** The daily cycle, run every minute: fetch what is new, then deliver every digest that is due. */
import type { Adapter, CoreDeps, Destination } from '../core/index.ts';
import {
  defaultRetryPolicy,
  fanOut,
  planCycle,
  realSleep,
  type DestinationOutcome,
  type RetryPolicy,
  type Sleep,
} from '../delivery/index.ts';
import type { ArxivFetchResult } from './arxiv-fetch.ts';
import { defaultRefreshPolicy, type FetchResult, type RefreshPolicy } from './fetch.ts';
import { fetchNew } from './fetch-new.ts';

export interface CycleOptions {
  /** How late a missed digest may still go out (CATCH_UP_HOURS). */
  catchUpHours: number;
  refresh: RefreshPolicy;
  /** Destinations delivered to at once. */
  concurrency: number;
  /** Longest one send may take; after it the outcome is uncertain and settled later. */
  attemptTimeoutMs: number;
  retry: RetryPolicy;
  /** Waits between retries; tests pass a fake that advances their clock. */
  sleep: Sleep;
  random: () => number;
  /** Sends still running in this process (shared across cycles by the scheduler). */
  inFlight: Set<string>;
}

export const defaultCycleOptions: Omit<CycleOptions, 'inFlight'> = {
  catchUpHours: 6,
  refresh: defaultRefreshPolicy,
  concurrency: 8,
  attemptTimeoutMs: 120_000,
  retry: defaultRetryPolicy,
  sleep: realSleep,
  random: Math.random,
};

export interface CycleReport {
  fetch?: FetchResult;
  arxiv?: ArxivFetchResult;
  outcomes: DestinationOutcome[];
  /** Due destinations whose platform has no running adapter. */
  noAdapter: string[];
}

/** Destinations due at `now`, with the local day each is due for. */
export function dueDestinations(destinations: Destination[], now: Date, catchUpHours: number): { dest: Destination; day: string }[] {
  return planCycle(destinations, now, catchUpHours).flatMap((p) => (p.day ? [{ dest: p.dest, day: p.day }] : []));
}

export async function runCycle(
  deps: CoreDeps,
  adapters: Adapter[],
  now: Date,
  options: Partial<CycleOptions> = {},
): Promise<CycleReport> {
  const opts: CycleOptions = { ...defaultCycleOptions, inFlight: new Set(), ...options };
  const destinations = await deps.store.listDestinations();
  const report: CycleReport = { outcomes: [], noAdapter: [], ...(await fetchNew(deps, destinations, now, opts.refresh)) };
  const plans = planCycle(destinations, now, opts.catchUpHours);
  const out = await fanOut(deps, adapters, plans, now, opts);
  report.outcomes = out.outcomes;
  report.noAdapter = out.noAdapter;
  return report;
}
