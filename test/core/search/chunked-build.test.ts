/**
 * The CSR build tokenizes papers a chunk at a time and concatenates chunks and later batches term
 * by term: on the real corpus (more than one chunk), an index built at once, one fed in uneven
 * batches and one with papers replaced must all return exactly the naive matcher's papers.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { Paper } from '../../../src/core/model/paper.ts';
import { paperMatches, PaperIndex } from '../../../src/core/search/index.ts';
import { parseQuery } from '../../../src/core/topics/index.ts';
import { corpusQueries, loadCorpus } from './helpers.ts';

let corpus: Paper[] = [];

beforeAll(async () => {
  corpus = await loadCorpus();
}, 120_000);

describe('chunked CSR build', () => {
  it('answers like the naive matcher whether built at once, in batches, or with papers replaced', () => {
    expect(corpus.length).toBeGreaterThan(8192); // more than one build chunk
    const once = new PaperIndex(corpus);
    const batched = new PaperIndex(corpus.slice(0, 3000));
    batched.add(corpus.slice(3000, 3001));
    batched.add(corpus.slice(3001, 9000));
    batched.add(corpus.slice(9000));
    // Re-adding papers (a day fetched twice) replaces them: same live set, same answers.
    const replaced = new PaperIndex(corpus);
    replaced.add(corpus.slice(100, 400));
    for (const ix of [once, batched, replaced]) expect(ix.size()).toBe(corpus.length);
    let nonEmpty = 0;
    for (const q of corpusQueries(corpus, 60, 11)) {
      const parsed = parseQuery(q);
      const expected = corpus.filter((p) => paperMatches(parsed, p, once.lexicon)).map((p) => p.id).sort();
      for (const [name, ix] of [['once', once], ['batched', batched], ['replaced', replaced]] as const) {
        const got = ix.searchParsed(parsed, { limit: Infinity });
        expect(got.total, `${name}: ${q}`).toBe(expected.length);
        expect(got.hits.map((h) => h.paper.id).sort(), `${name}: ${q}`).toEqual(expected);
      }
      if (expected.length) nonEmpty++;
    }
    expect(nonEmpty).toBeGreaterThan(45);
  }, 300_000);

  it('keeps a query’s hits intact when the next query reuses the match buffers', () => {
    const ix = new PaperIndex(corpus);
    const first = ix.search('diffusion', { limit: 5 });
    const ids = first.hits.map((h) => h.paper.id);
    const scores = first.hits.map((h) => h.score);
    ix.search('language | model -video', { limit: 5 });
    expect(first.hits.map((h) => h.paper.id)).toEqual(ids);
    expect(first.hits.map((h) => h.score)).toEqual(scores);
    expect(ix.search('diffusion', { limit: 5 }).hits.map((h) => h.paper.id)).toEqual(ids);
  }, 120_000);
});
