/**
 * Which source a query reads, applied beside the text match (evaluate.ts knows nothing of it):
 * without `cat:` only papers Hugging Face Daily Papers listed; with `cat:` only papers in those
 * categories (from either source). A query of categories alone matches all of them, a paper whose
 * primary category is followed ranking above a cross-list.
 */
import { onHuggingFace, type Paper } from '../model/paper.ts';
import { categoryCovers } from '../sources/arxiv/taxonomy.ts';
import type { ParsedQuery } from '../topics/parse.ts';
import type { Matches } from './evaluate.ts';

/** What the source rule reads of a paper (the index keeps it per doc). */
export interface DocSource {
  /** Hugging Face listed it. */
  hf: boolean;
  categories?: readonly string[];
}

export const sourceOf = (p: Paper): DocSource => ({ hf: onHuggingFace(p), categories: p.categories });

/** 1 when the primary category is followed, 0.5 when another one is, 0 when none. */
export function categoryScore(p: { categories?: readonly string[] }, followed: readonly string[]): number {
  const cats = p.categories;
  if (!cats?.length) return 0;
  if (followed.some((f) => categoryCovers(f, cats[0]!))) return 1;
  return cats.some((c) => followed.some((f) => categoryCovers(f, c))) ? 0.5 : 0;
}

export function keepsPaper(q: ParsedQuery, p: DocSource): boolean {
  return q.categories?.length ? categoryScore(p, q.categories) > 0 : p.hf;
}

/** Drops from `m` (in place) the matches the query's source rule leaves out. */
export function filterMatches(m: Matches, q: ParsedQuery, paperOf: (doc: number) => DocSource): void {
  let n = 0;
  for (let i = 0; i < m.n; i++) {
    if (!keepsPaper(q, paperOf(m.docs[i]!))) continue;
    m.docs[n] = m.docs[i]!;
    m.scores[n] = m.scores[i]!;
    m.masks[n++] = m.masks[i]!;
  }
  m.n = n;
}

/** Matches of a query of categories alone: every live doc in them, minus `excluded`, scored by categoryScore. */
export function categoryMatches(live: Iterable<[number, DocSource]>, categories: readonly string[], excluded: ReadonlySet<number>): Matches {
  const docs: number[] = [];
  const scores: number[] = [];
  for (const [doc, p] of live) {
    if (excluded.has(doc)) continue;
    const s = categoryScore(p, categories);
    if (s > 0) {
      docs.push(doc);
      scores.push(s);
    }
  }
  return { docs: Int32Array.from(docs), scores: Float64Array.from(scores), masks: new Int32Array(docs.length).fill(1), n: docs.length };
}
