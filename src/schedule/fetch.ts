/** Bringing papers from the source into the store and the index. */
import type { CoreDeps, Paper } from '../core/index.ts';
import { addDays, localDay } from '../core/schedule/index.ts';

const HOUR = 3_600_000;

export interface FetchProgress {
  done: number;
  total: number;
  day: string;
  papers: number;
}

export interface FetchResult {
  days: string[];
  papers: number;
  added: number;
  updated: number;
  /** Set when the source failed; days fetched before it are kept. */
  error?: { day: string; message: string };
}

export interface FetchOptions {
  now: Date;
  onProgress?: (p: FetchProgress) => void;
  signal?: AbortSignal;
}

/** The `n` UTC days ending with the day of `now`, oldest first. */
export function lastDays(now: Date, n: number): string[] {
  const today = localDay(now, 'UTC');
  return Array.from({ length: Math.max(0, n) }, (_, i) => addDays(today, i - n + 1));
}

/** New papers go into the index; `add` replaces known ones, so upvotes stay current. */
export function indexPapers(deps: Pick<CoreDeps, 'index'>, papers: Paper[]): void {
  if (papers.length > 0) deps.index.add(papers);
}

/**
 * Fetches the given days in order into the store and the index. Stops at the first failing day
 * (an unreachable source would fail them all, each after its own retries).
 */
export async function fetchDays(deps: CoreDeps, days: string[], opts: FetchOptions): Promise<FetchResult> {
  const result: FetchResult = { days: [], papers: 0, added: 0, updated: 0 };
  const source = deps.source;
  if (!source) return { ...result, error: { day: days[0] ?? '', message: 'no paper source configured' } };
  for (const [i, day] of days.entries()) {
    // Stopping (Ctrl-C) ends the fetch between days; nothing half-written.
    if (opts.signal?.aborted) return { ...result, error: { day, message: 'stopped' } };
    let papers: Paper[];
    try {
      papers = await source.fetchDay(day, opts.signal);
    } catch (e) {
      if (opts.signal?.aborted) return { ...result, error: { day, message: 'stopped' } };
      const message = e instanceof Error ? e.message : String(e);
      deps.logger.warn({ day, err: message }, 'fetching papers failed');
      return { ...result, error: { day, message } };
    }
    const { added, updated } = await deps.store.upsertPapers(papers);
    await deps.store.markDayFetched(day, opts.now.toISOString(), papers.length);
    indexPapers(deps, papers);
    result.days.push(day);
    result.papers += papers.length;
    result.added += added;
    result.updated += updated;
    opts.onProgress?.({ done: i + 1, total: days.length, day, papers: papers.length });
  }
  return result;
}

export interface RefreshPolicy {
  /** How far back missing days are filled in. */
  maxBackDays: number;
  /** A day still open (or just closed) is fetched again after this long. */
  refreshMs: number;
}

export const defaultRefreshPolicy: RefreshPolicy = { maxBackDays: 7, refreshMs: 15 * 60_000 };

/**
 * Days the cycle should fetch: every day since the last fetched one (the last included, it may
 * have been partial) up to today, skipping days fetched after they were complete or very recently.
 * With nothing fetched yet: yesterday and today, so a first digest covers 24 hours.
 */
export function daysToFetch(
  fetched: Map<string, { at: string; count: number }>,
  now: Date,
  policy: RefreshPolicy = defaultRefreshPolicy,
): string[] {
  const today = localDay(now, 'UTC');
  const known = [...fetched.keys()].filter((d) => d <= today).sort();
  const last = known[known.length - 1];
  const floor = addDays(today, -(policy.maxBackDays - 1));
  let from = last ?? addDays(today, -1);
  if (from < floor) from = floor;
  const days: string[] = [];
  for (let d = from; d <= today; d = addDays(d, 1)) {
    const seen = fetched.get(d);
    if (!seen) {
      days.push(d);
      continue;
    }
    const at = Date.parse(seen.at);
    // Papers keep being added during their day; an hour after it ends the list is settled.
    const settled = at >= Date.parse(`${addDays(d, 1)}T00:00:00Z`) + HOUR;
    if (!settled && now.getTime() - at >= policy.refreshMs) days.push(d);
  }
  return days;
}
