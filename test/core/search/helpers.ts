import { paperLinks, type Paper } from '../../../src/core/model/paper.ts';
import { parseQuery } from '../../../src/core/topics/index.ts';

import type { PaperIndex } from '../../../src/core/search/index.ts';
import { loadCorpus, replicate } from '../../../bench/lib/corpus.ts';

export { loadCorpus, replicate };

/** The corpus replicated to `n` papers with fresh ids (for figures that need many papers). */
export async function manyPapers(n: number): Promise<Paper[]> {
  return replicate(await loadCorpus(), n);
}

/** Everything a lookup answers: the exact total and every hit's id, score and explanation. */
export function fullAnswer(ix: PaperIndex, q: string): { total: number; hits: [string, number, string][] } {
  const r = ix.search(q, { limit: Infinity });
  return { total: r.total, hits: r.hits.map((h) => [h.paper.id, h.score, h.matched.join('; ')]) };
}

let seq = 0;

/** A small synthetic paper; ids are unique per call unless given. */
export function paper(p: Partial<Paper> & { title: string }): Paper {
  const id = p.id ?? `2601.${String(10000 + seq++)}`;
  return {
    abstract: '',
    authors: [],
    listedOn: '2026-06-22',
    upvotes: 0,
    aiKeywords: [],
    links: paperLinks(id),
    ...p,
    id,
  };
}

/** Deterministic PRNG (mulberry32) so generated queries are the same on every run. */
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

function parses(q: string): boolean {
  try {
    parseQuery(q);
    return true;
  } catch {
    return false;
  }
}

/** Queries of every kind the parser knows (some fixed, the rest drawn from `corpus`), all valid. */
export function corpusQueries(corpus: Paper[], count: number, seed: number): string[] {
  const r = rng(seed);
  const pick = <T>(a: T[]): T | undefined => (a.length ? a[Math.floor(r() * a.length)] : undefined);
  const words = (s: string) => s.split(/\s+/).filter((w) => /^[A-Za-z][A-Za-z0-9-]{3,}$/.test(w));
  const fixed = ['LLMs', 'large language models', 'multimodal', 'reward models', '"diffusion models" -video | mamba', 'cat:cs.CL', 'cat:cs.CV -diffusion', 'RL AND agents', 'vision-language models', 'author:"Kaiming He"'];
  const out = [...fixed];
  while (out.length < count) {
    const p = pick(corpus)!;
    const tw = words(p.title);
    const aw = words(p.abstract);
    const kinds = [
      pick(tw),
      tw.length > 1 ? `${pick(tw)} ${pick(tw)}` : undefined,
      p.aiKeywords.length ? `"${pick(p.aiKeywords)}"` : undefined,
      tw.length && aw.length ? `${pick(tw)} -${pick(aw)}` : undefined,
      p.authors.length ? `author:"${pick(p.authors)}"` : undefined,
      p.authors.length ? `author:${pick(p.authors)!.split(' ').pop()}` : undefined,
      `${pick(tw) ?? 'model'} | ${pick(aw) ?? 'data'}`,
      p.aiKeywords.length ? pick(p.aiKeywords) : undefined,
    ];
    const q = pick(kinds);
    if (q && q.length <= 200 && parses(q)) out.push(q);
  }
  return out;
}

