/**
 * Topic fan-out for digests: many subscriptions share few distinct topics, and a digest covers
 * few papers. So the papers get a small index of their own and each distinct topic is evaluated
 * once, however many destinations follow it.
 */
import type { Paper, PaperHit } from '../model/paper.ts';
import { canonicalQuery, parseQuery, type ParsedQuery } from '../topics/parse.ts';
import { PaperIndex } from './search-index.ts';

/**
 * Hits of every distinct topic among `papers`, best first. Topics that do not parse (stored before
 * a syntax change, say) map to an empty list rather than failing everyone's digest.
 */
export function matchTopics(topics: string[], papers: Paper[]): Map<string, PaperHit[]> {
  const index = new PaperIndex(papers);
  const byCanonical = new Map<string, PaperHit[]>();
  const out = new Map<string, PaperHit[]>();
  for (const topic of topics) {
    if (out.has(topic)) continue;
    let q: ParsedQuery;
    try {
      q = parseQuery(topic);
    } catch {
      out.set(topic, []);
      continue;
    }
    const key = canonicalQuery(q);
    let hits = byCanonical.get(key);
    if (!hits) {
      hits = index.searchParsed(q, { limit: Infinity }).hits;
      byCanonical.set(key, hits);
    }
    out.set(topic, hits);
  }
  return out;
}
