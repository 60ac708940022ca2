/**
 * Kept phrases (phrases.ts): an acronym's long form of common words, aligned once per segment and
 * read like a term after that, answers exactly as aligning it at every resolution does, in every
 * kind of query that reads it, through merges, restores and removals.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { Paper } from '../../../src/core/model/paper.ts';
import { PaperIndex } from '../../../src/core/search/index.ts';
import { PHRASE_MIN_DOCS } from '../../../src/core/search/phrases.ts';
import { segmentBytes } from '../../../src/core/search/segment.ts';
import { fullAnswer, manyPapers, paper } from './helpers.ts';

let papers: Paper[];
beforeAll(async () => {
  // Enough papers that "large", "language" and "model" each pass PHRASE_MIN_DOCS.
  papers = await manyPapers(20_000);
}, 120_000);

const answer = fullAnswer;

/** Queries reading "large language model" as a whole form, inside longer ones, in both orders, excluded, ORed. */
const QUERIES = [
  'LLMs', 'LLM', 'large language models', 'LLM reasoning', 'reasoning LLMs', 'LLMs Learning', 'Reconstruction | LLMs',
  'agents -LLMs', 'LLM agents', '"large language models"', 'VLMs', 'MLLMs', 'large language model agents', 'LLMs +reasoning',
];

describe('kept phrases', () => {
  it('are kept for the long form of a common acronym when the index is built', () => {
    const ix = new PaperIndex(papers);
    const seg = ix.segments[0]!;
    expect(seg.phrases.has('large language model')).toBe(true);
    const p = seg.phrases.get('large language model')!;
    expect(p.n).toBeGreaterThan(PHRASE_MIN_DOCS / 2);
    // Within the segment's share, and every doc ascending.
    let bytes = 0;
    for (const q of seg.phrases.values()) bytes += q.n * 8 + q.pos.length * 2;
    expect(bytes).toBeLessThanOrEqual(segmentBytes(seg) / 8);
    for (let i = 1; i < p.n; i++) expect(p.docs[i]!).toBeGreaterThan(p.docs[i - 1]!);
  }, 60_000);

  it('answer as aligning every time does: hits, scores, totals and explanations', () => {
    const kept = new PaperIndex(papers);
    const aligned = new PaperIndex(papers, { keepPhrases: false });
    expect(aligned.segments[0]!.phrases.size).toBe(0);
    for (const q of QUERIES) {
      const a = answer(kept, q);
      expect(a, q).toEqual(answer(aligned, q));
    }
    expect(answer(kept, 'LLMs').hits.some((h) => String(h[2]).includes('as "large language model'))).toBe(true);
    expect(aligned.segments[0]!.phrases.size).toBe(0);
  }, 120_000);

  it('hold through adds, removals, merges and a restore', () => {
    const added = paper({ title: 'Judging with large language models', abstract: 'We ask large language models (LLMs) to judge.' });
    const build = (keepPhrases: boolean) => {
      const ix = new PaperIndex(papers.slice(0, 12_000), { keepPhrases });
      for (let i = 0; i < 4; i++) ix.add(papers.slice(12_000 + i * 2_000, 14_000 + i * 2_000));
      ix.remove(papers.slice(100, 400).map((p) => p.id));
      ix.add([added]);
      return ix;
    };
    const kept = build(true);
    const aligned = build(false);
    const same = (label: string) => {
      for (const q of QUERIES.slice(0, 8)) expect(answer(kept, q), `${label}: ${q}`).toEqual(answer(aligned, q));
    };
    same('segments');
    for (const ix of [kept, aligned]) {
      let state = ix.mergeStep(5);
      for (let i = 0; state !== 'merged' && i < 10_000; i++) state = ix.mergeStep(5);
      expect(state).toBe('merged');
    }
    same('merged');
    const restored = PaperIndex.restore(kept.snapshot());
    expect(restored.segments.some((s) => s.phrases.has('large language model'))).toBe(true);
    for (const q of QUERIES.slice(0, 8)) expect(answer(restored, q), `restored: ${q}`).toEqual(answer(aligned, q));
  }, 180_000);
});
