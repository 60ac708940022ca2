/**
 * Realistic subscriptions for the fan-out benchmark: distinct topics taken from the corpus (AI
 * keywords as typed words, title phrases in quotes), ranked by how often they occur, and
 * subscriptions drawn from them with a Zipf law (a few topics are followed by very many).
 */
import type { Paper } from '../../src/core/model/paper.ts';
import { parseQuery } from '../../src/core/topics/parse.ts';
import { rng } from './queries.ts';

const WORD = /^[A-Za-z][A-Za-z0-9-]{2,}$/;
const STOP = new Set(['with', 'from', 'that', 'this', 'their', 'which', 'into', 'over', 'using', 'via', 'towards', 'for', 'and', 'the', 'of', 'in', 'on', 'to', 'a', 'an', 'by', 'is', 'are']);

function parses(topic: string): boolean {
  try {
    parseQuery(topic);
    return true;
  } catch {
    return false;
  }
}

/** `count` distinct topics, most frequent first: AI keywords and quoted two-word title phrases, alternating. */
export function corpusTopics(papers: Paper[], count: number): string[] {
  const kw = new Map<string, number>();
  const phrase = new Map<string, number>();
  for (const p of papers) {
    for (const k of p.aiKeywords) {
      const t = k.toLowerCase().replace(/["|]/g, ' ').replace(/\s+/g, ' ').trim();
      if (t.length >= 3 && t.length <= 60 && !t.startsWith('-') && !t.includes(':')) kw.set(t, (kw.get(t) ?? 0) + 1);
    }
    const w = p.title.toLowerCase().split(/[\s:,.;()?!]+/).filter((x) => WORD.test(x));
    for (let i = 0; i + 1 < w.length; i++) {
      if (STOP.has(w[i]!) || STOP.has(w[i + 1]!)) continue;
      const t = `"${w[i]} ${w[i + 1]}"`;
      phrase.set(t, (phrase.get(t) ?? 0) + 1);
    }
  }
  const byFreq = (m: Map<string, number>) => [...m].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).map(([t]) => t);
  const a = byFreq(kw);
  const b = byFreq(phrase);
  const out: string[] = [];
  const seen = new Set<string>();
  for (let i = 0; out.length < count && (i < a.length || i < b.length); i++) {
    for (const t of [a[i], b[i]]) {
      if (t === undefined || out.length >= count || seen.has(t) || !parses(t)) continue;
      seen.add(t);
      out.push(t);
    }
  }
  return out;
}

/** Zipf(s = 1) sampler over ranks 0..n-1 by inverse CDF on precomputed cumulative weights. */
export function zipf(n: number, random: () => number): () => number {
  const cum = new Float64Array(n);
  let sum = 0;
  for (let k = 0; k < n; k++) cum[k] = sum += 1 / (k + 1);
  return () => {
    const x = random() * sum;
    let lo = 0;
    let hi = n - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cum[mid]! < x) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
}

export interface Subscriber {
  key: string;
  topics: string[];
}

/** `subs` subscriptions over `topics` (Zipf), grouped 1-3 per destination, no topic twice in one. */
export function subscribers(topics: string[], subs: number, seed = 7): Subscriber[] {
  const r = rng(seed);
  const draw = zipf(topics.length, r);
  const out: Subscriber[] = [];
  let made = 0;
  for (let d = 0; made < subs; d++) {
    const want = Math.min(1 + (d % 3), subs - made);
    const mine = new Set<string>();
    // Every topic is followed at least once (the first subscriptions go round them), the rest by Zipf.
    for (let tries = 0; mine.size < want && tries < 20; tries++) mine.add(topics[made + mine.size < topics.length ? made + mine.size : draw()]!);
    out.push({ key: `discord:channel:${d}`, topics: [...mine] });
    made += mine.size;
  }
  return out;
}
