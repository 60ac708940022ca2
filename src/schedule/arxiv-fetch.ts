/**
 * Bringing arXiv's announcement of the followed categories into the store and the index, once a
 * day after arXiv announces (the feeds change around 04:00-05:00 UTC), never every minute.
 */
import { ARXIV_DAY_KEY, onHuggingFace, type CoreDeps, type Destination, type Paper } from '../core/index.ts';
import { announcedPaper, apiDetails, lastAnnouncement } from '../core/sources/index.ts';
import { parseQuery } from '../core/topics/index.ts';
import { addDays, localDay } from '../core/schedule/index.ts';
import { indexPapers } from './fetch.ts';

/** UTC times after which the day's feed is read: the first once it is built, two more for a late build (conditional GETs: an unchanged feed costs a 304). */
export const ARXIV_FETCH_SLOTS_UTC = ['04:30', '06:30', '12:30'] as const;

export interface ArxivFetchProgress {
  step: 'feed' | 'details' | 'stored';
  done: number;
  total: number;
}

export interface ArxivFetchResult {
  categories: string[];
  /** arXiv answered 304: nothing changed since the last fetch. */
  unchanged?: boolean;
  /** The announcement day (US Eastern, as arXiv dates it). */
  day?: string;
  /** New and cross-listed papers announced. */
  announced: number;
  /** Replacements applied to stored papers (those not stored are left out). */
  replaced: number;
  added: number;
  updated: number;
  /** Papers given categories, comments and versions from the export API. */
  detailed: number;
  error?: string;
}

/** The categories some topic names, with `extra` (ARXIV_CATEGORIES), sorted. Topics that do not parse are skipped. */
export function followedCategories(destinations: Destination[], extra: readonly string[] = []): string[] {
  const out = new Set(extra);
  for (const d of destinations) {
    for (const t of d.settings.topics) {
      // Most topics name no category: a substring test spares parsing them every minute.
      if (!/cat:/i.test(t)) continue;
      try {
        for (const c of parseQuery(t).categories ?? []) out.add(c);
      } catch {
        // stored before a syntax change: it names no category we can fetch
      }
    }
  }
  return [...out].sort();
}

/** The latest fetch slot at or before `now` (UTC), as a time. */
export function latestSlot(now: Date): Date {
  const today = localDay(now, 'UTC');
  for (const slot of [...ARXIV_FETCH_SLOTS_UTC].reverse()) {
    const at = new Date(`${today}T${slot}:00Z`);
    if (at <= now) return at;
  }
  return new Date(`${addDays(today, -1)}T${ARXIV_FETCH_SLOTS_UTC.at(-1)}:00Z`);
}

/** Whether arXiv should be read now: no fetch since the latest slot. */
export function arxivDue(fetched: Map<string, { at: string }>, now: Date): boolean {
  const slot = latestSlot(now).getTime();
  for (const [key, v] of fetched) if (ARXIV_DAY_KEY.test(key) && Date.parse(v.at) >= slot) return false;
  return true;
}

/** Hugging Face papers of the last days without categories: the export API fills them in, so `cat:` covers them. */
async function uncategorised(deps: CoreDeps, now: Date): Promise<Paper[]> {
  const today = localDay(now, 'UTC');
  const recent = await deps.store.papersListedBetween(addDays(today, -7), today);
  return recent.filter((p) => onHuggingFace(p) && !p.categories?.length);
}

export async function fetchArxiv(
  deps: CoreDeps,
  categories: string[],
  opts: { now: Date; signal?: AbortSignal; onProgress?: (p: ArxivFetchProgress) => void },
): Promise<ArxivFetchResult> {
  const result: ArxivFetchResult = { categories, announced: 0, replaced: 0, added: 0, updated: 0, detailed: 0 };
  const arxiv = deps.arxiv;
  if (!arxiv) return { ...result, error: 'arXiv is not configured' };
  if (categories.length === 0) return result;
  try {
    opts.onProgress?.({ step: 'feed', done: 0, total: 1 });
    const feed = await arxiv.fetchAnnouncement(categories, opts.signal);
    const touched = new Map<string, Paper>();
    let day: string;
    if (feed.unchanged) {
      result.unchanged = true;
      const last = lastAnnouncement(await deps.store.fetchedDays());
      day = last?.day ?? localDay(opts.now, 'America/New_York');
      result.announced = last?.count ?? 0;
    } else {
      const a = feed.announcement;
      day = a.day ?? localDay(opts.now, 'America/New_York');
      for (const s of a.skipped) deps.logger.warn({ categories, index: s.index, reason: s.reason }, `skipped an unreadable arXiv item: ${s.reason}`);
      const papers = a.items.map((i) => announcedPaper(i, a, day));
      const listed = papers.filter((p) => p.sources?.arxiv);
      // A replacement only updates a paper already stored: it is never delivered as new.
      const replacements: Paper[] = [];
      for (const p of papers) if (!p.sources?.arxiv && (await deps.store.getPaper(p.id))) replacements.push(p);
      const r = await deps.store.upsertPapers([...listed, ...replacements]);
      Object.assign(result, { announced: listed.length, replaced: replacements.length, added: r.added, updated: r.updated });
      for (const p of [...listed, ...replacements]) touched.set(p.id, p);
      opts.onProgress?.({ step: 'feed', done: 1, total: 1 });
    }
    // Comments are only in the export API, and Hugging Face papers need their categories.
    const needDetails = [...[...touched.values()].filter((p) => p.sources?.arxiv && !p.arxiv?.comments), ...(await uncategorised(deps, opts.now))];
    const ids = [...new Set(needDetails.map((p) => p.id))];
    if (ids.length) {
      opts.onProgress?.({ step: 'details', done: 0, total: ids.length });
      const entries = await arxiv.lookup(ids, opts.signal);
      const details = entries.map((e) => apiDetails(e, day)).filter((p): p is Paper => p !== undefined);
      if (details.length) await deps.store.upsertPapers(details);
      result.detailed = details.length;
      for (const p of details) touched.set(p.id, p);
      opts.onProgress?.({ step: 'details', done: ids.length, total: ids.length });
    }
    // The index gets the merged papers as stored.
    const merged: Paper[] = [];
    for (const id of touched.keys()) {
      const p = await deps.store.getPaper(id);
      if (p) merged.push(p);
    }
    indexPapers(deps, merged);
    await deps.store.markDayFetched(`arxiv:${day}`, opts.now.toISOString(), result.announced);
    opts.onProgress?.({ step: 'stored', done: merged.length, total: merged.length });
    return { ...result, day };
  } catch (e) {
    if (opts.signal?.aborted) return { ...result, error: 'stopped' };
    const message = e instanceof Error ? e.message : String(e);
    deps.logger.warn({ categories, err: message }, 'fetching arXiv failed');
    return { ...result, error: message };
  }
}

/** After a failed fetch the cycle waits this long before asking arXiv again. */
export const ARXIV_RETRY_MS = 30 * 60_000;
const failedAt = new WeakMap<object, number>();

/** The cycle's arXiv step: the followed categories, when due; nothing at all when no topic names one. */
export async function fetchArxivIfDue(deps: CoreDeps, destinations: Destination[], now: Date): Promise<ArxivFetchResult | undefined> {
  if (!deps.arxiv) return undefined;
  const categories = followedCategories(destinations, deps.arxivCategories);
  if (categories.length === 0) return undefined;
  if (!arxivDue(await deps.store.fetchedDays(), now)) return undefined;
  const failed = failedAt.get(deps.arxiv);
  if (failed !== undefined && now.getTime() - failed < ARXIV_RETRY_MS) return undefined;
  const r = await fetchArxiv(deps, categories, { now });
  if (r.error) failedAt.set(deps.arxiv, now.getTime());
  else failedAt.delete(deps.arxiv);
  return r;
}
