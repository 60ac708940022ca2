import { paperLinks, type Paper } from '../../../src/core/model/paper.ts';

export { loadCorpus, replicate } from '../../../bench/lib/corpus.ts';

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
