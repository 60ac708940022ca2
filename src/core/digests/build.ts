/** Builds one destination's digest: new, matching, undelivered papers, ranked and capped. */
import type { Destination } from '../model/destination.ts';
import { paperSources, type Paper, type PaperHit } from '../model/paper.ts';
import type { Digest } from '../model/reply.ts';
import { isWeekly, localDay } from '../schedule/index.ts';
import type { CoreDeps } from '../commands/spec.ts';
import { matchTopics } from '../topics/index.ts';
import type { DigestCache } from './digest-cache.ts';

const DAY_MS = 86_400_000;
/** A digest resumed after a long pause covers at most this much: older papers would crowd out new ones by upvotes. */
export const MAX_WINDOW_DAYS = 7;

export interface BuildOptions {
  /** The moment the digest is built for (default: the clock). */
  now?: Date;
  /** Override the window's start (default: the last run, or 24 hours, for a weekly digest 7 days, before `now`). */
  since?: Date;
  /** Work shared with other destinations of the same cycle (one per cycle; see digest-cache.ts). */
  cache?: DigestCache;
}

type Deps = Pick<CoreDeps, 'store' | 'clock' | 'logger'> & { index?: Pick<CoreDeps['index'], 'lexicon'> };

/**
 * A paper falls in `(since, until]` when some source listed it then: Hugging Face by its Daily
 * Papers submission time, or by its listing day when that is unknown; arXiv by its announcement
 * time, or day. Hugging Face stamps submissions at midnight UTC of the listing day, so papers
 * listed later on the day of the previous run look older than it: `reopenDay` (that day) keeps them
 * in, and the delivery ledger removes those an earlier digest already sent.
 */
export function listedWithin(paper: Paper, since: Date, until: Date, reopenDay?: string): boolean {
  const { hf, arxiv } = paperSources(paper);
  return (
    (hf !== undefined && within(hf, paper.submittedAt, since, until, reopenDay)) ||
    (arxiv !== undefined && within(arxiv, paper.arxiv?.announcedAt, since, until, reopenDay))
  );
}

function within(day: string, at: string | undefined, since: Date, until: Date, reopenDay?: string): boolean {
  const untilDay = utcDay(until);
  if (reopenDay && day >= reopenDay && day <= untilDay) return true;
  if (at) {
    const t = Date.parse(at);
    if (!Number.isNaN(t)) return t > since.getTime() && t <= until.getTime();
  }
  return day >= utcDay(since) && day <= untilDay;
}

function utcDay(d: Date): string {
  return d.toISOString().slice(0, 10);
}

/** Runs every topic at once; if one topic breaks the matcher, the others still match. */
function safeMatch(topics: string[], papers: Paper[], deps: Deps, key: string): Map<string, PaperHit[]> {
  const lexicon = deps.index?.lexicon;
  try {
    return matchTopics(topics, papers, lexicon);
  } catch {
    const merged = new Map<string, PaperHit[]>();
    for (const t of topics) {
      try {
        for (const [k, v] of matchTopics([t], papers, lexicon)) merged.set(k, v);
      } catch (err) {
        deps.logger.warn({ destination: key, topic: t, err: String(err) }, 'topic skipped: it does not parse');
      }
    }
    return merged;
  }
}

/**
 * The topic as a digest names it, with the form it matched when that is another one:
 * `LLM (as "large language models")`.
 */
export function topicLabel(topic: string, hit: PaperHit): string {
  let notes = '';
  for (const m of hit.matched) notes += / \(as ".*"\)$/.exec(m)?.[0] ?? '';
  return topic + notes;
}

/** Merges per-topic hits into one hit per paper listing every topic it matched, best score kept. */
export function mergeHits(byTopic: Map<string, PaperHit[]>, topicOrder: string[]): PaperHit[] {
  const lists = [...byTopic].filter(([, hits]) => hits.length > 0);
  // Most destinations have one topic with hits on a given day: nothing to merge or order.
  if (lists.length === 1) {
    const [topic, hits] = lists[0]!;
    return hits.map((h) => ({ paper: h.paper, score: h.score, matched: [topicLabel(topic, h)] }));
  }
  const merged = new Map<string, PaperHit>();
  const topicOf = new Map<string, string>();
  for (const [topic, hits] of lists) {
    for (const h of hits) {
      const label = topicLabel(topic, h);
      topicOf.set(label, topic);
      const seen = merged.get(h.paper.id);
      if (!seen) merged.set(h.paper.id, { paper: h.paper, score: h.score, matched: [label] });
      else {
        if (!seen.matched.includes(label)) seen.matched.push(label);
        seen.score = Math.max(seen.score, h.score);
      }
    }
  }
  // Matched topics in the destination's order, by each one's first position case-insensitively.
  const first = new Map<string, number>();
  topicOrder.forEach((x, i) => {
    if (!first.has(x.toLowerCase())) first.set(x.toLowerCase(), i);
  });
  const rank = new Map<string, number>(lists.map(([t]) => [t, first.get(t.toLowerCase()) ?? topicOrder.length]));
  const hits = [...merged.values()];
  const rankOf = (label: string) => rank.get(topicOf.get(label) ?? label)!;
  for (const h of hits) if (h.matched.length > 1) h.matched.sort((a, b) => rankOf(a) - rankOf(b));
  return hits;
}

/** Upvotes first, then relevance, then newest id for a stable order (ids compared as plain strings, whatever the locale). */
export function rankHits(hits: PaperHit[]): PaperHit[] {
  return hits.sort((a, b) => b.paper.upvotes - a.paper.upvotes || b.score - a.score || (a.paper.id < b.paper.id ? 1 : a.paper.id > b.paper.id ? -1 : 0));
}

export async function buildDigest(destination: Destination, deps: Deps, opts: BuildOptions = {}): Promise<Digest> {
  const now = opts.now ?? deps.clock.now();
  const last = destination.state.lastRunAt ? new Date(destination.state.lastRunAt) : undefined;
  const previous = last && !Number.isNaN(last.getTime()) ? last : undefined;
  // A weekly digest's first covers a week, and a week that crossed a DST change may be an hour longer.
  const weekly = isWeekly(destination.settings);
  const oldest = new Date(now.getTime() - (weekly ? MAX_WINDOW_DAYS + 1 : MAX_WINDOW_DAYS) * DAY_MS);
  const first = new Date(now.getTime() - (weekly ? 7 : 1) * DAY_MS);
  const since = opts.since ?? (previous && previous > oldest ? previous : previous ? oldest : first);
  const reopenDay = opts.since || !previous || previous <= oldest ? undefined : utcDay(previous);
  const { settings } = destination;
  const load = async () =>
    (await deps.store.papersListedBetween(utcDay(since), utcDay(now))).filter((p) => listedWithin(p, since, now, reopenDay));
  const topics = settings.topics;
  let matched: PaperHit[] = [];
  if (opts.cache) {
    const window = await opts.cache.window({ since, until: now, reopenDay }, load);
    if (topics.length && window.papers.length) {
      const byTopic = window.match(
        topics,
        (topic, err) => deps.logger.warn({ destination: destination.key, topic, err }, 'topic skipped: it does not parse'),
        deps.index?.lexicon,
      );
      matched = mergeHits(byTopic, topics);
    }
  } else {
    const candidates = await load();
    if (topics.length && candidates.length) matched = mergeHits(safeMatch(topics, candidates, deps, destination.key), topics);
  }
  const delivered = matched.length
    ? await deps.store.deliveredPapers(destination.key, matched.map((h) => h.paper.id))
    : new Set<string>();
  const fresh = rankHits(matched.filter((h) => !delivered.has(h.paper.id)));
  const max = Math.max(1, settings.maxPapers);
  const latest = fresh.reduce((d, h) => (h.paper.listedOn > d ? h.paper.listedOn : d), '');
  return {
    destination: { platform: destination.platform, kind: destination.kind, id: destination.id, key: destination.key, ...(destination.workspace ? { workspace: destination.workspace } : {}) },
    day: opts.cache ? opts.cache.localDay(now, settings.timezone) : localDay(now, settings.timezone),
    hits: fresh.slice(0, max),
    total: fresh.length,
    moreUrl: `https://huggingface.co/papers?date=${latest || utcDay(now)}`,
    since: since.toISOString(),
    until: now.toISOString(),
  };
}
