import { describe, expect, it } from 'vitest';
import { PaperboyError } from '../../../src/core/model/errors.ts';
import { createSearchIndex, matchTopics, paperMatches } from '../../../src/core/search/index.ts';
import { paper } from './helpers.ts';

const vit = paper({ title: 'Vision Transformers (ViTs) at Scale', abstract: 'We train image models.', upvotes: 5 });
const based = paper({ title: 'A Transformer-based Speech Recognizer', abstract: 'Speech.', upvotes: 3 });
const plain = paper({ title: 'Attention for Tables', abstract: 'Our transformer reads tables.', upvotes: 9 });
const fourier = paper({ title: 'Spectral Mixing', abstract: 'We replace attention with a Fourier transform.', upvotes: 50 });
const transforming = paper({ title: 'Transforming Robots', abstract: 'Transforming data transforms policies.', upvotes: 40 });
const all = [vit, based, plain, fourier, transforming];

const ids = (r: { hits: { paper: { id: string } }[] }) => r.hits.map((h) => h.paper.id);

describe('createSearchIndex', () => {
  it('finds inflections of transformers but not transform or transforming', () => {
    const ix = createSearchIndex(all);
    const r = ix.search('transformers', { limit: 10 });
    expect(new Set(ids(r))).toEqual(new Set([vit.id, based.id, plain.id]));
    expect(r.total).toBe(3);
    expect(ix.search('Transformer').total).toBe(3);
    expect(ix.search("transformer's").total).toBe(3);
    // "transforms" is the plural-like -s form of transform; transformer papers stay out.
    expect(new Set(ids(ix.search('transform')))).toEqual(new Set([fourier.id, transforming.id]));
    expect(ids(ix.search('transforming'))).toEqual([transforming.id]);
  });

  it('ranks a title match above an abstract-only match, then by upvotes, then by id', () => {
    const title = paper({ title: 'Sparse Mixture of Experts', abstract: 'A model.', upvotes: 0 });
    const body = paper({
      title: 'Scaling Laws',
      abstract: 'Mixture of experts models; experts route tokens; experts specialise; experts everywhere, experts.',
      upvotes: 100,
    });
    const kw = paper({ title: 'Routing', abstract: 'Routing.', aiKeywords: ['mixture of experts'], upvotes: 0 });
    const ix = createSearchIndex([body, kw, title]);
    const r = ix.search('experts');
    expect(ids(r)).toEqual([title.id, kw.id, body.id]);
    expect(r.hits[0]!.score).toBeGreaterThan(r.hits[1]!.score);

    const twins = [paper({ id: '2601.00002', title: 'Twin' }), paper({ id: '2601.00001', title: 'Twin' }), paper({ id: '2601.00003', title: 'Twin', upvotes: 1 })];
    expect(ids(createSearchIndex(twins).search('twin'))).toEqual(['2601.00003', '2601.00001', '2601.00002']);
  });

  it('checks phrases within one field and one keyword, in order', () => {
    const a = paper({ title: 'Flow Matching for Audio' });
    const b = paper({ title: 'Matching Flow Fields' });
    const c = paper({ title: 'Audio', aiKeywords: ['optical flow', 'matching networks'] });
    const d = paper({ title: 'Flow', abstract: 'matching' });
    const ix = createSearchIndex([a, b, c, d]);
    expect(ids(ix.search('"flow matching"'))).toEqual([a.id]);
    // Plain words stand together (either order for two); AND or +word reads them anywhere.
    expect(new Set(ids(ix.search('flow matching')))).toEqual(new Set([a.id, b.id]));
    expect(ix.search('flow AND matching').total).toBe(4);
    expect(ix.search('+flow +matching').total).toBe(4);
    expect(ix.search('"matching flow"').total).toBe(1);
  });

  it('applies exclusions and alternatives, and says which parts matched', () => {
    const ix = createSearchIndex(all);
    expect(new Set(ids(ix.search('transformers -speech')))).toEqual(new Set([vit.id, plain.id]));
    const r = ix.search('speech | "fourier transform" | nothingmatches');
    expect(new Set(ids(r))).toEqual(new Set([based.id, fourier.id]));
    const byId = new Map(r.hits.map((h) => [h.paper.id, h.matched]));
    expect(byId.get(fourier.id)).toEqual(['"fourier transform"']);
    expect(byId.get(based.id)).toEqual(['speech']);
    expect(ix.search('tables AND attention').hits[0]!.matched).toEqual(['tables', 'attention']);
  });

  it('matches authors by name words in order, within one author', () => {
    const p1 = paper({ title: 'One', authors: ['Yann LeCun', 'Saining Xie'] });
    const p2 = paper({ title: 'Two', authors: ['Yann Dubois', 'Ana LeCun'] });
    const ix = createSearchIndex([p1, p2]);
    expect(ids(ix.search('author:"Yann LeCun"'))).toEqual([p1.id]);
    expect(ix.search('author:lecun').total).toBe(2);
    expect(ids(ix.search('author:lecun -author:xie'))).toEqual([p2.id]);
    expect(ix.search('author:"LeCun Yann"').total).toBe(0);
    expect(ix.search('one').total).toBe(1);
    expect(ix.search('yann').total).toBe(0);
  });

  it('adds, removes, replaces and pages', () => {
    const ix = createSearchIndex();
    expect(ix.size()).toBe(0);
    expect(ix.search('transformers')).toEqual({ hits: [], total: 0 });
    ix.add(all);
    expect(ix.size()).toBe(5);
    ix.remove([vit.id, 'no-such-id']);
    expect(ix.size()).toBe(4);
    expect(ix.search('transformers').total).toBe(2);
    ix.add([{ ...plain, title: 'Tables only', abstract: 'Nothing else.' }]);
    expect(ix.size()).toBe(4);
    expect(ids(ix.search('transformers'))).toEqual([based.id]);
    expect(ix.search('tables').hits[0]!.paper.title).toBe('Tables only');
    const page1 = ix.search('transforming | transformers | tables', { limit: 2 });
    const page2 = ix.search('transforming | transformers | tables', { limit: 2, offset: 2 });
    expect(page1.total).toBe(3);
    expect(page1.hits).toHaveLength(2);
    expect(page2.hits).toHaveLength(1);
    expect(new Set([...ids(page1), ...ids(page2)]).size).toBe(3);
    expect(ix.search('tables', { limit: -5, offset: Number.NaN }).hits).toEqual([]);
  });

  it('keeps the last of one id given twice in a batch, and scores papers added later', () => {
    const ix = createSearchIndex([paper({ id: '2601.00100', title: 'First draft' }), paper({ id: '2601.00100', title: 'Final version' })]);
    expect(ix.size()).toBe(1);
    expect(ix.search('draft').total).toBe(0);
    expect(ix.search('final').total).toBe(1);
    ix.add([paper({ title: 'Final answer' })]);
    const hits = ix.search('final').hits;
    expect(hits).toHaveLength(2);
    for (const h of hits) expect(h.score).toBeGreaterThan(0);
  });

  it('survives many removals (rebuild) with the same answers', () => {
    const many = Array.from({ length: 2500 }, (_, i) => paper({ title: `paper ${i % 2 ? 'odd' : 'even'} number${i}` }));
    const ix = createSearchIndex(many);
    ix.remove(many.slice(0, 2000).map((p) => p.id));
    expect(ix.size()).toBe(500);
    expect(ix.search('odd').total).toBe(250);
    expect(ix.search('number2400').total).toBe(1);
    expect(ix.search('number10').total).toBe(0);
  });

  it('answers malformed queries with invalid_query and odd text without crashing', () => {
    const ix = createSearchIndex([...all, paper({ title: 'שלום 🙂 模型 Ünïcödé\u0000\u202e', authors: ['Zoë Ça'] })]);
    expect(() => ix.search('"open')).toThrow(PaperboyError);
    expect(ix.search('unicode').total).toBe(1);
    expect(ix.search('模型 | שלום').total).toBe(1);
    expect(ix.search('author:zoe').total).toBe(1);
    expect(ix.search('🙂 unicode').total).toBe(1);
  });

  it('indexes huge fields without overflowing positions', () => {
    const huge = paper({ title: 'Huge', abstract: 'word '.repeat(70_000) + 'tail' });
    const ix = createSearchIndex([huge]);
    expect(ix.search('huge AND word').total).toBe(1);
  });
});

describe('matchTopics and paperMatches', () => {
  it('evaluates each distinct topic once and agrees with the naive matcher', () => {
    const topics = ['transformers', 'Transformers', 'transform', '"fourier transform" | speech', 'bad "quote', 'transformers'];
    const out = matchTopics(topics, all);
    expect([...out.keys()]).toEqual(['transformers', 'Transformers', 'transform', '"fourier transform" | speech', 'bad "quote']);
    // Same canonical query, same hits.
    expect(out.get('transformers')).toEqual(out.get('Transformers'));
    expect(out.get('bad "quote')).toEqual([]);
    for (const [topic, hits] of out) {
      if (topic === 'bad "quote') continue;
      const expected = all.filter((p) => paperMatches(topic, p)).map((p) => p.id).sort();
      expect(hits.map((h) => h.paper.id).sort(), topic).toEqual(expected);
    }
  });
});
