/**
 * Two plain words are one topic in either order (they share a canonical key, so the digest
 * fan-out evaluates them once): their forms, acronyms included, must read alike. Found by the
 * fan-out bench: after "llm reasoning" was evaluated, "reasoning llms" got its hits, which held a
 * paper that "reasoning llms" alone did not match ("a large language model's reasoning").
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { Paper } from '../../../src/core/model/paper.ts';
import { matchTopics, paperMatches, PaperIndex } from '../../../src/core/search/index.ts';
import { canonicalQuery, parseQuery } from '../../../src/core/topics/index.ts';
import { loadCorpus } from './helpers.ts';

let day: Paper[];
beforeAll(async () => {
  day = (await loadCorpus()).filter((p) => p.listedOn === '2025-09-30');
});

const ids = (m: Map<string, { paper: Paper }[]>, t: string) => (m.get(t) ?? []).map((h) => h.paper.id).sort();

describe('two words in either order', () => {
  it('are one canonical topic', () => {
    expect(canonicalQuery(parseQuery('llm reasoning'))).toBe(canonicalQuery(parseQuery('reasoning llms')));
  });

  it('match the same papers, whichever order is evaluated first, and as the reference matcher says', () => {
    expect(day.length).toBeGreaterThan(40);
    const a = ids(matchTopics(['llm reasoning'], day), 'llm reasoning');
    const b = ids(matchTopics(['reasoning llms'], day), 'reasoning llms');
    expect(a).toEqual(b);
    // The paper that says "a large language model's reasoning ability" is read by both orders.
    expect(a).toContain('2509.24193');
    const both = matchTopics(['llm reasoning', 'reasoning llms'], day);
    expect(ids(both, 'reasoning llms')).toEqual(b);
    const lexicon = new PaperIndex(day).lexicon;
    for (const t of ['llm reasoning', 'reasoning llms']) {
      const q = parseQuery(t);
      expect(day.filter((p) => paperMatches(q, p, lexicon)).map((p) => p.id).sort(), t).toEqual(a);
    }
  });
});
