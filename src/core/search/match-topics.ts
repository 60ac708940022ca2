/**
 * Topic fan-out for one destination's digest: the papers get a small index of their own and each
 * distinct topic is evaluated once. Work shared between destinations of a cycle (or of a pg-boss
 * batch) is the DigestCache's (src/core/digests/digest-cache.ts); this is the path without one
 * (previews, `paperboy digest`), so it keeps nothing between calls.
 */
import type { Paper, PaperHit } from '../model/paper.ts';
import { canonicalQuery, parseQuery, type ParsedQuery } from '../topics/parse.ts';
import type { Lexicon } from './lexicon.ts';
import { PaperIndex } from './search-index.ts';

/**
 * Hits of every distinct topic among `papers`, best first. Topics that do not parse (stored before
 * a syntax change, say) map to an empty list rather than failing everyone's digest. `lexicon`: what
 * the whole store taught (the day's papers alone define few acronyms).
 */
export function matchTopics(topics: string[], papers: Paper[], lexicon?: Lexicon): Map<string, PaperHit[]> {
  let index: PaperIndex | undefined;
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
      index ??= new PaperIndex(papers, lexicon ? { lexicon } : {});
      hits = index.searchParsed(q, { limit: Infinity }).hits;
      byCanonical.set(key, hits);
    }
    // Each topic its own list: callers merge and sort them.
    out.set(topic, hits.slice());
  }
  return out;
}
