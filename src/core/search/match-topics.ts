/**
 * Topic fan-out for digests: many subscriptions share few distinct topics, and a digest covers
 * few papers. So the papers get a small index of their own and each distinct topic is evaluated
 * once, however many destinations follow it.
 *
 * A cycle builds each destination's digest separately, but they mostly cover the same new papers:
 * the last papers' index and every topic's hits over them are kept, so the index is built once per
 * set of papers (not once per destination) and a topic followed by 10k destinations is run once.
 */
import type { Paper, PaperHit } from '../model/paper.ts';
import { canonicalQuery, parseQuery, type ParsedQuery } from '../topics/parse.ts';
import type { Lexicon } from './lexicon.ts';
import { PaperIndex } from './search-index.ts';

/** Beyond this many cached topics the memo starts afresh (memory stays bounded). */
const MAX_MEMO_TOPICS = 100_000;

interface Memo {
  signature: string;
  lexicon: Lexicon | undefined;
  version: number;
  index: PaperIndex;
  /** Hits by canonical query. */
  hits: Map<string, PaperHit[]>;
}
let memo: Memo | undefined;

/** What search results depend on: which papers, and the fields a refresh from the source may change. */
function signatureOf(papers: Paper[]): string {
  let s = '';
  for (const p of papers) {
    s += `${p.id}/${p.upvotes}/${p.title?.length}/${p.abstract?.length}/${p.aiSummary?.length}/${p.aiKeywords?.length}/${p.authors?.length};`;
  }
  return s;
}

function memoFor(papers: Paper[], lexicon: Lexicon | undefined): Memo {
  const signature = signatureOf(papers);
  const version = lexicon?.version ?? 0;
  if (!memo || memo.signature !== signature || memo.lexicon !== lexicon || memo.version !== version || memo.hits.size > MAX_MEMO_TOPICS) {
    memo = { signature, lexicon, version, index: new PaperIndex(papers, lexicon ? { lexicon } : {}), hits: new Map() };
  }
  return memo;
}

/**
 * Hits of every distinct topic among `papers`, best first. Topics that do not parse (stored before
 * a syntax change, say) map to an empty list rather than failing everyone's digest. `lexicon`: what
 * the whole store taught (the day's papers alone define few acronyms).
 */
export function matchTopics(topics: string[], papers: Paper[], lexicon?: Lexicon): Map<string, PaperHit[]> {
  const { index, hits: byCanonical } = memoFor(papers, lexicon);
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
    // A copy per caller: the cached list outlives this call.
    out.set(topic, hits.slice());
  }
  return out;
}
