/** The daily cycle, run every minute: fetch what is new, then deliver every digest that is due. */
import type { Adapter, CoreDeps, Destination } from '../core/index.ts';
import { dueRun } from '../core/schedule/index.ts';
import { deliverDigest, inBackoff, type DestinationOutcome } from './deliver.ts';
import { daysToFetch, defaultRefreshPolicy, fetchDays, type FetchResult, type RefreshPolicy } from './fetch.ts';

export interface CycleOptions {
  /** How late a missed digest may still go out. */
  catchUpHours: number;
  refresh: RefreshPolicy;
}

export const defaultCycleOptions: CycleOptions = { catchUpHours: 6, refresh: defaultRefreshPolicy };

export interface CycleReport {
  fetch?: FetchResult;
  outcomes: DestinationOutcome[];
  /** Due destinations whose platform has no running adapter. */
  noAdapter: string[];
}

/** Destinations due at `now`, with the local day each is due for. */
export function dueDestinations(destinations: Destination[], now: Date, catchUpHours: number): { dest: Destination; day: string }[] {
  const due: { dest: Destination; day: string }[] = [];
  for (const dest of destinations) {
    if (dest.settings.topics.length === 0) continue;
    const day = dueRun(dest.settings, dest.state.lastDigestDay, now, catchUpHours * 3_600_000);
    if (day && !inBackoff(dest, now)) due.push({ dest, day });
  }
  return due;
}

export async function runCycle(
  deps: CoreDeps,
  adapters: Adapter[],
  now: Date,
  options: Partial<CycleOptions> = {},
): Promise<CycleReport> {
  const opts = { ...defaultCycleOptions, ...options };
  const report: CycleReport = { outcomes: [], noAdapter: [] };
  if (deps.source) {
    const days = daysToFetch(await deps.store.fetchedDays(), now, opts.refresh);
    // A failed fetch is logged in fetchDays; digests still go out on what is stored.
    if (days.length > 0) report.fetch = await fetchDays(deps, days, { now });
  }
  const byPlatform = new Map(adapters.map((a) => [a.platform, a]));
  const due = dueDestinations(await deps.store.listDestinations(), now, opts.catchUpHours);
  for (const { dest, day } of due) {
    const adapter = byPlatform.get(dest.platform);
    if (!adapter) {
      report.noAdapter.push(dest.key);
      continue;
    }
    try {
      report.outcomes.push(await deliverDigest(deps, adapter, dest, day, now));
    } catch (e) {
      // The store itself failed for this one; the others still get their turn.
      deps.logger.error({ destination: dest.key, err: e instanceof Error ? e.message : String(e) }, 'digest run failed');
    }
  }
  return report;
}
