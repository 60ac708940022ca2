/** The index on the real Hugging Face corpus: inflection cases and exact agreement with the naive matcher. */
import { beforeAll, describe, expect, it } from 'vitest';
import type { Paper } from '../../../src/core/model/paper.ts';
import { createSearchIndex, matchTopics, paperMatches, PaperIndex } from '../../../src/core/search/index.ts';
import { Interner } from '../../../src/core/search/interner.ts';
import { parseQuery, terms } from '../../../src/core/topics/index.ts';
import { loadCorpus, rng } from './helpers.ts';

let corpus: Paper[] = [];
let index: PaperIndex;

beforeAll(async () => {
  corpus = await loadCorpus();
  index = new PaperIndex(corpus);
}, 120_000);

const text = (p: Paper) => [p.title, ...p.aiKeywords, p.aiSummary ?? '', p.abstract].join(' \n ');

function generateQueries(sample: Paper[], count: number, seed: number): string[] {
  const r = rng(seed);
  const pick = <T>(a: T[]): T | undefined => (a.length ? a[Math.floor(r() * a.length)] : undefined);
  const words = (s: string) => s.split(/\s+/).filter((w) => /^[A-Za-z][A-Za-z0-9]{3,}$/.test(w));
  const out: string[] = [];
  while (out.length < count) {
    const p = pick(sample)!;
    const q = pick(sample)!;
    const tw = words(p.title);
    const aw = words(p.abstract);
    const kinds: (string | undefined)[] = [
      pick(tw),
      tw.length > 1 ? `${pick(tw)} ${pick(tw)}` : undefined,
      p.aiKeywords.length ? `"${pick(p.aiKeywords)}"` : undefined,
      aw.length > 3 ? `${pick(tw) ?? pick(aw)} -${pick(aw)}` : undefined,
      `${pick(tw) ?? 'model'} | ${pick(words(q.title)) ?? 'data'}`,
      p.authors.length ? `author:${pick(p.authors)!.split(' ').pop()}` : undefined,
      p.authors.length ? `author:"${pick(p.authors)}"` : undefined,
      (() => {
        const i = Math.floor(r() * Math.max(aw.length - 3, 1));
        return aw.length > 3 ? `"${aw.slice(i, i + 2 + Math.floor(r() * 2)).join(' ')}"` : undefined;
      })(),
      tw.length ? `${pick(tw)}s` : undefined,
      p.aiKeywords.length && tw.length ? `${pick(p.aiKeywords)} -${pick(tw)} | author:"${pick(q.authors) ?? 'Nobody'}"` : undefined,
    ];
    const k = pick(kinds);
    if (k && k.length <= 200) out.push(k);
  }
  return out;
}

describe('search over the real corpus', () => {
  it('loads every distinct paper', () => {
    expect(corpus.length).toBe(9577);
    expect(index.size()).toBe(9577);
  });

  it('finds Transformer-based and Vision Transformers papers, not Fourier transform or transforming ones', () => {
    const hits = new Set(index.search('transformers', { limit: 1000 }).hits.map((h) => h.paper.id));
    const total = index.search('transformers').total;
    expect(total).toBeGreaterThan(300);
    const onlyTransform = corpus.filter((p) => /fourier transform|transforming/i.test(text(p)) && !/transformer/i.test(text(p)));
    expect(onlyTransform.length).toBeGreaterThan(0);
    const all = new Set(index.search('transformers', { limit: 1000, offset: 0 }).hits.map((h) => h.paper.id));
    for (const p of onlyTransform) expect(all.has(p.id), p.title).toBe(false);
    const based = corpus.filter((p) => /transformer-based|vision transformers/i.test(text(p)));
    expect(based.length).toBeGreaterThan(0);
    for (const p of based) expect(paperMatches('transformers', p, index.lexicon), p.title).toBe(true);
    expect(hits.size).toBe(Math.min(total, 1000));
  });

  it('returns exactly the naive matcher’s papers for 300 generated queries', () => {
    const r = rng(7);
    const sample = Array.from({ length: 1000 }, () => corpus[Math.floor(r() * corpus.length)]!);
    const unique = [...new Map(sample.map((p) => [p.id, p])).values()];
    const small = createSearchIndex(unique);
    const queries = generateQueries(unique, 300, 42);
    let nonEmpty = 0;
    for (const q of queries) {
      const parsed = parseQuery(q);
      const got = small.searchParsed(parsed, { limit: Infinity });
      const expected = unique.filter((p) => paperMatches(parsed, p, small.lexicon)).map((p) => p.id).sort();
      expect(got.total, q).toBe(expected.length);
      expect(got.hits.map((h) => h.paper.id).sort(), q).toEqual(expected);
      for (let i = 1; i < got.hits.length; i++) expect(got.hits[i - 1]!.score).toBeGreaterThanOrEqual(got.hits[i]!.score);
      if (expected.length) nonEmpty++;
    }
    expect(nonEmpty).toBeGreaterThan(250);
  }, 180_000);

  it('agrees with the naive matcher on the full corpus for a few queries', () => {
    for (const q of ['"diffusion models" -video | mamba', 'author:"Kaiming He"']) {
      const parsed = parseQuery(q);
      const expected = corpus.filter((p) => paperMatches(parsed, p, index.lexicon)).length;
      expect(index.search(q).total, q).toBe(expected);
    }
  }, 120_000);

  it('fans out topics over one week with the same sets as the naive matcher', () => {
    const week = corpus.filter((p) => p.listedOn >= '2026-06-22' && p.listedOn <= '2026-06-26');
    expect(week.length).toBeGreaterThan(50);
    const topics = generateQueries(week, 200, 3);
    // The week's small index reads topics through what the whole corpus taught.
    const out = matchTopics(topics, week, index.lexicon);
    for (const t of new Set(topics)) {
      const parsed = parseQuery(t);
      const expected = week.filter((p) => paperMatches(parsed, p, index.lexicon)).map((p) => p.id).sort();
      expect(out.get(t)!.map((h) => h.paper.id).sort(), t).toEqual(expected);
      for (const h of out.get(t)!) expect(h.matched.length).toBeGreaterThan(0);
    }
  });

  it('tokenizes every corpus text exactly like the reference tokenizer', () => {
    const interner = new Interner();
    for (const p of corpus.filter((_, i) => i % 3 === 0)) {
      for (const s of [p.title, p.abstract, p.aiSummary ?? '', ...p.aiKeywords]) {
        const n = interner.scan(s);
        const got = Array.from(interner.buf.subarray(0, n), (id) => interner.terms[id]);
        if (got.join(' ') !== terms(s).join(' ')) expect(got, s).toEqual(terms(s));
      }
    }
  }, 120_000);
});
