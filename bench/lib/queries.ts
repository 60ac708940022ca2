/**
 * Real lookup queries generated from the corpus (deterministic): title words, AI keyword phrases,
 * abstract phrases, exclusions, alternatives and author queries, in fixed proportions.
 */
import type { Paper } from '../../src/core/model/paper.ts';

export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const STOP = new Set(['with', 'from', 'that', 'this', 'these', 'their', 'which', 'into', 'over', 'using', 'via', 'towards', 'toward']);

export function lookupQueries(papers: Paper[], count: number, seed = 1): string[] {
  const r = rng(seed);
  const pick = <T>(a: T[]): T | undefined => (a.length ? a[Math.floor(r() * a.length)] : undefined);
  const words = (s: string) => s.split(/\s+/).filter((w) => /^[A-Za-z][A-Za-z0-9]{3,}$/.test(w) && !STOP.has(w.toLowerCase()));
  const out: string[] = [];
  for (let i = 0; out.length < count; i++) {
    const p = papers[Math.floor(r() * papers.length)]!;
    const tw = words(p.title);
    const aw = words(p.abstract);
    let q: string | undefined;
    switch (i % 8) {
      case 0: q = pick(tw); break;
      case 1: q = tw.length > 1 ? `${pick(tw)} ${pick(tw)}` : undefined; break;
      case 2: q = p.aiKeywords.length ? `"${pick(p.aiKeywords)}"` : undefined; break;
      case 3: q = p.aiKeywords.length ? pick(p.aiKeywords) : undefined; break;
      case 4: q = tw.length && aw.length ? `${pick(tw)} -${pick(aw)}` : undefined; break;
      case 5: q = p.authors.length ? `author:"${pick(p.authors)}"` : undefined; break;
      case 6: {
        const k = Math.floor(r() * Math.max(1, aw.length - 2));
        q = aw.length > 2 ? `"${aw.slice(k, k + 2).join(' ')}"` : undefined;
        break;
      }
      default: q = tw.length ? `${pick(tw)} | ${pick(words(pick(papers)!.title)) ?? 'model'}` : undefined;
    }
    if (q && q.length <= 200 && !q.includes('""')) out.push(q);
  }
  return out;
}
