/**
 * The index as segments: however the papers were split into segments (one per add), merged or
 * not, and whether built or restored from a snapshot, a lookup gives the same hits, scores, totals
 * and explanations; document frequencies stay those of the live papers.
 */
import { deserialize, serialize } from 'node:v8';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Paper } from '../../../src/core/model/paper.ts';
import { PaperIndex } from '../../../src/core/search/index.ts';
import type { IndexSnapshot } from '../../../src/core/search/snapshot.ts';
import { corpusQueries, loadCorpus, rng } from './helpers.ts';

let corpus: Paper[] = [];

beforeAll(async () => {
  corpus = await loadCorpus();
}, 120_000);

/** Everything a lookup returns, every hit. */
function answer(ix: PaperIndex, q: string): unknown {
  const r = ix.search(q, { limit: Infinity });
  return { total: r.total, hits: r.hits.map((h) => [h.paper.id, h.score, h.matched]) };
}

function expectSame(a: PaperIndex, b: PaperIndex, qs: string[], label: string): number {
  let nonEmpty = 0;
  for (const q of qs) {
    const x = answer(a, q);
    expect(x, `${label}: ${q}`).toEqual(answer(b, q));
    if ((x as { total: number }).total > 0) nonEmpty++;
  }
  return nonEmpty;
}

/** Document frequencies recounted from the postings' live docs. */
function recountedDf(ix: PaperIndex): Int32Array {
  const df = new Int32Array(ix.text.terms.length);
  for (const s of ix.segments) {
    const r = s.text.rows;
    for (let t = 0; t + 1 < r.termStart.length; t++) for (let i = r.termStart[t]!; i < r.termStart[t + 1]!; i++) df[t]! += ix.alive[r.docs[i]!]!;
  }
  return df;
}

/** Feeds `papers` in uneven batches, one segment each. */
function batched(papers: Paper[], cuts: number[]): PaperIndex {
  const ix = new PaperIndex();
  let from = 0;
  for (const to of [...cuts, papers.length]) {
    ix.add(papers.slice(from, to));
    from = to;
  }
  return ix;
}

const CUTS = [1, 700, 2500, 2600, 5000, 9000];

describe('segments', () => {
  it('answer exactly as one merged segment of the same papers, also after removes and replacements', () => {
    const many = batched(corpus, CUTS);
    const one = batched(corpus, CUTS);
    one.mergeAll();
    expect(many.segments.length).toBe(CUTS.length + 1);
    expect(one.segments.length).toBe(1);
    const qs = corpusQueries(corpus, 140, 5);
    expect(expectSame(many, one, qs, 'added')).toBeGreaterThan(110);

    // Removed papers and papers replaced by another text, in several segments.
    const r = rng(9);
    const gone = Array.from({ length: 300 }, () => corpus[Math.floor(r() * corpus.length)]!.id);
    const changed = Array.from({ length: 200 }, () => corpus[Math.floor(r() * corpus.length)]!).map((p) => ({ ...p, title: `${p.title} revisited`, abstract: p.abstract.slice(0, 400) }));
    for (const ix of [many, one]) {
      ix.remove(gone);
      ix.add(changed);
    }
    one.mergeAll();
    expect(one.segments.length).toBe(1);
    expect(many.size()).toBe(one.size());
    expect(Array.from(many.textDf.subarray(0, many.text.terms.length))).toEqual(Array.from(recountedDf(many)));
    expect(Array.from(one.textDf.subarray(0, one.text.terms.length))).toEqual(Array.from(recountedDf(one)));
    expect(expectSame(many, one, [...qs, 'revisited', '"revisited"'], 'changed')).toBeGreaterThan(110);
    for (const id of gone.slice(0, 20)) {
      if (changed.some((p) => p.id === id)) continue;
      expect(many.docOf(id)).toBeUndefined();
    }
  }, 300_000);

  it('give the same answers at every step of a background merge, and merge down to a few segments', () => {
    const day = (i: number) => corpus.slice(i * 300, (i + 1) * 300);
    const ix = new PaperIndex();
    for (let i = 0; i < 24; i++) ix.add(day(i));
    const reference = new PaperIndex();
    for (let i = 0; i < 24; i++) reference.add(day(i));
    const qs = corpusQueries(corpus, 12, 17);
    const expected = qs.map((q) => answer(reference, q));
    const before = ix.segments.length;
    let steps = 0;
    let merges = 0;
    for (let state = ix.mergeStep(0.5); state !== 'idle'; state = ix.mergeStep(0.5)) {
      steps++;
      if (state === 'merged') merges++;
      const q = steps % qs.length;
      expect(answer(ix, qs[q]!), `step ${steps}: ${qs[q]}`).toEqual(expected[q]);
      // A paper removed mid-merge disappears at once and stays gone once merged.
      if (steps === 3) {
        ix.remove([corpus[5]!.id]);
        reference.remove([corpus[5]!.id]);
        expected.splice(0, expected.length, ...qs.map((x) => answer(reference, x)));
      }
    }
    expect(merges).toBeGreaterThan(3);
    expect(steps).toBeGreaterThan(merges);
    expect(ix.segments.length).toBeLessThan(before / 3);
    expect(ix.docOf(corpus[5]!.id)).toBeUndefined();
    for (let i = 0; i < qs.length; i++) expect(answer(ix, qs[i]!)).toEqual(expected[i]);
  }, 300_000);

  it('rewrite a segment that lost a third of its papers, once, without them', () => {
    const ix = batched(corpus.slice(0, 4000), [3000]);
    const reference = batched(corpus.slice(0, 4000), [3000]);
    const gone = corpus.slice(0, 1500).map((p) => p.id);
    ix.remove(gone);
    reference.remove(gone);
    const [big, small] = ix.segments;
    let steps = 0;
    while (ix.mergeStep(1) !== 'idle') expect(++steps).toBeLessThan(10_000);
    expect(ix.segments).toHaveLength(2);
    expect(ix.segments[0]!.id).not.toBe(big!.id);
    expect(ix.segments[1]).toBe(small);
    const rows = ix.segments[0]!.text.rows;
    expect(Array.from(rows.docs).every((d) => ix.alive[d] === 1)).toBe(true);
    expect(rows.docs.length).toBeLessThan(big!.text.rows.docs.length * 0.6);
    expectSame(ix, reference, corpusQueries(corpus, 30, 3), 'expunged');
    // Restored, it stays merged (no rewrite of the same segment again).
    expect(PaperIndex.restore(ix.snapshot()).mergeStep(1)).toBe('idle');
  }, 120_000);

  it('refresh upvotes in place: ranking changes, no new segment', () => {
    const ix = batched(corpus.slice(0, 3000), [1000]);
    const q = 'diffusion';
    const before = ix.search(q, { limit: 3000 }).hits;
    // Papers tied on score are ranked by upvotes: lift the last of a tie to the top of it.
    const tie = before.findIndex((h, i) => i > 0 && h.score === before[i - 1]!.score);
    expect(tie).toBeGreaterThan(0);
    const low = before[tie]!.paper;
    const full = corpus.find((p) => p.id === low.id)!;
    const segments = ix.segments;
    ix.add([{ ...full, upvotes: before[tie - 1]!.paper.upvotes + 1000 }]);
    expect(ix.segments).toBe(segments);
    const after = ix.search(q, { limit: 3000 }).hits;
    expect(after.findIndex((h) => h.paper.id === low.id)).toBeLessThan(tie);
    expect(after.find((h) => h.paper.id === low.id)!.paper.upvotes).toBe(before[tie - 1]!.paper.upvotes + 1000);
    expect(after.length).toBe(before.length);
    // A changed text is a replacement: a new segment, the old text gone at once.
    ix.add([{ ...full, title: 'Zyxwvut unseen title' }]);
    expect(ix.segments.length).toBe(segments.length + 1);
    expect(ix.search('zyxwvut').hits.map((h) => h.paper.id)).toEqual([full.id]);
    expect(ix.size()).toBe(3000);
  }, 120_000);

  it('restore from a snapshot without tokenizing, answer the same, and keep adding', () => {
    const ix = batched(corpus.slice(0, 6000), [2000, 4000]);
    ix.remove(corpus.slice(10, 40).map((p) => p.id));
    const snap = ix.snapshot();
    const back = PaperIndex.restore(snap);
    const qs = corpusQueries(corpus, 80, 23);
    expect(expectSame(ix, back, qs, 'restored')).toBeGreaterThan(50);
    expect(back.size()).toBe(ix.size());
    expect(back.learned.toJSON()).toEqual(ix.learned.toJSON());
    expect(back.snapshot().segments.map((s) => s.id)).toEqual(snap.segments.map((s) => s.id));
    // Both take the same further adds, removes and merges alike.
    for (const x of [ix, back]) {
      x.add(corpus.slice(6000, 7000));
      x.remove(corpus.slice(100, 110).map((p) => p.id));
      x.add(corpus.slice(7000, 7500));
      while (x.mergeStep(5) !== 'idle');
    }
    expect(back.segments.map((s) => s.id)).toEqual(ix.segments.map((s) => s.id));
    expectSame(ix, back, qs, 'after adds');
    expect(back.like(corpus[3000]!.id)).toEqual(ix.like(corpus[3000]!.id));
    // Its data is plain: a serialized copy (as a file layer writes and reads it) restores as well.
    const cloned = PaperIndex.restore(deserialize(serialize(back.snapshot())) as IndexSnapshot);
    expectSame(back, cloned, qs.slice(0, 20), 'cloned');
  }, 300_000);
});
