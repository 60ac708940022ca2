/**
 * Clauses kept resolved between queries (resolved.ts): a kept clause answers exactly as resolving
 * it afresh does, and a change of the papers is never answered from what was kept before it.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { Paper } from '../../../src/core/model/paper.ts';
import { PaperIndex } from '../../../src/core/search/index.ts';
import { keptCount } from '../../../src/core/search/resolved.ts';
import { fullAnswer, manyPapers, paper } from './helpers.ts';

let papers: Paper[];
beforeAll(async () => {
  // Enough papers that `LLMs` aligns its long form in thousands of them (worth keeping).
  papers = await manyPapers(20_000);
}, 120_000);

const answer = fullAnswer;

describe('resolved clauses kept between queries', () => {
  it('answer as a fresh resolution does, in every query that holds them', () => {
    const kept = new PaperIndex(papers);
    const fresh = () => new PaperIndex(papers);
    const first = answer(kept, 'LLMs');
    expect(first.total).toBeGreaterThan(4000);
    expect(first.hits.some((h) => String(h[2]).includes('as "large language model'))).toBe(true);
    expect(keptCount(kept, kept.version)).toBe(1);
    expect(answer(kept, 'LLMs')).toEqual(first);
    // Other queries driven by the same clause read it back.
    const other = fresh();
    for (const q of ['LLMs -agents', 'reasoning | LLMs', 'llm']) expect(answer(kept, q)).toEqual(answer(other, q));
  }, 60_000);

  it('are dropped when papers are added or removed', () => {
    const kept = new PaperIndex(papers);
    const same = new PaperIndex(papers);
    const before = answer(kept, 'LLMs');
    const gone = before.hits.slice(0, 50).map((h) => String(h[0]));
    const added = paper({ title: 'Judging with large language models', abstract: 'We ask large language models to judge.' });
    for (const ix of [kept, same]) {
      ix.remove(gone);
      ix.add([added]);
    }
    const after = answer(kept, 'LLMs');
    expect(after.total).toBe(before.total - 50 + 1);
    expect(after.hits.find((h) => h[0] === added.id)?.[2]).toBe('LLMs (as "large language models")');
    expect(after.hits.some((h) => gone.includes(String(h[0])))).toBe(false);
    // `same` went through the same changes and never kept anything from before them.
    expect(after).toEqual(answer(same, 'LLMs'));
  }, 60_000);

  it('survive a merge of segments and a refresh of upvotes, which change no text', () => {
    // Four more segments of one size level after the first: a merge has something to do. `same`
    // goes through the same changes without being asked anything before them.
    const grow = () => {
      const ix = new PaperIndex(papers.slice(0, 10_000));
      for (let i = 0; i < 4; i++) ix.add(papers.slice(10_000 + i * 2_000, 12_000 + i * 2_000));
      return ix;
    };
    const change = (ix: PaperIndex) => {
      let state = ix.mergeStep(5);
      for (let i = 0; state !== 'merged' && i < 10_000; i++) state = ix.mergeStep(5);
      expect(state).toBe('merged');
      const p = papers[3]!;
      ix.add([{ ...p, upvotes: p.upvotes + 100 }]);
    };
    const kept = grow();
    const same = grow();
    const first = answer(kept, 'LLMs');
    const version = kept.version;
    expect(keptCount(kept, version)).toBe(1);
    change(kept);
    change(same);
    expect(kept.version).toBe(version);
    expect(keptCount(kept, version)).toBe(1);
    const after = answer(kept, 'LLMs');
    expect(after.total).toBe(first.total);
    expect(after).toEqual(answer(same, 'LLMs'));
  }, 120_000);
});
