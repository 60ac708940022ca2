/** The fetch step of every cycle (in-process or pg-boss tick): Hugging Face's open days, then arXiv when due. */
import type { CoreDeps, Destination } from '../core/index.ts';
import { fetchArxivIfDue, type ArxivFetchResult } from './arxiv-fetch.ts';
import { daysToFetch, defaultRefreshPolicy, fetchDays, type FetchResult, type RefreshPolicy } from './fetch.ts';

export async function fetchNew(
  deps: CoreDeps,
  destinations: Destination[],
  now: Date,
  refresh: RefreshPolicy = defaultRefreshPolicy,
): Promise<{ fetch?: FetchResult; arxiv?: ArxivFetchResult }> {
  const out: { fetch?: FetchResult; arxiv?: ArxivFetchResult } = {};
  if (deps.source) {
    const days = daysToFetch(await deps.store.fetchedDays(), now, refresh);
    // A failed fetch is logged in fetchDays; digests still go out on what is stored.
    if (days.length > 0) out.fetch = await fetchDays(deps, days, { now });
  }
  const arxiv = await fetchArxivIfDue(deps, destinations, now);
  if (arxiv) out.arxiv = arxiv;
  return out;
}
