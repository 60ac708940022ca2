/**
 * Postings built chunk by chunk (counting sort per chunk, then concatenation term by term) against
 * a plain model: every term lists exactly the docs that hold it, ascending, each with its
 * positions in order; seek finds what a linear scan finds.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MAX_POSITION, Postings, TokenStream, chunkRows, seek, type Rows, type TermPostings } from '../../../src/core/search/postings.ts';

type Doc = [term: number, position: number][];

/** Builds postings from batches of chunks, the way the index appends papers. */
function build(batches: Doc[][][], mapped = false): { postings: Postings; terms: number } {
  const postings = new Postings();
  let doc = 0;
  let terms = 0;
  for (const batch of batches) {
    const parts: Rows[] = [];
    for (const chunk of batch) {
      const s = new TokenStream(mapped);
      for (const d of chunk) {
        for (const [t, p] of d) {
          s.push(t, p);
          terms = Math.max(terms, t + 1);
        }
        s.endDoc();
      }
      parts.push(chunkRows(s, doc, terms, mapped));
      doc += chunk.length;
    }
    postings.append(parts, terms);
  }
  return { postings, terms };
}

/** term -> [doc, positions][] from the plain docs. */
function model(batches: Doc[][][]): Map<number, [number, number[]][]> {
  const out = new Map<number, [number, number[]][]>();
  let doc = 0;
  for (const d of batches.flat(2)) {
    const seen = new Map<number, number[]>();
    for (const [t, p] of d) (seen.get(t) ?? seen.set(t, []).get(t)!).push(p);
    for (const [t, ps] of seen) (out.get(t) ?? out.set(t, []).get(t)!).push([doc, ps]);
    doc++;
  }
  return out;
}

function listed(l: TermPostings | undefined): [number, number[]][] {
  if (!l) return [];
  return Array.from(l.docs, (d, i) => [d, Array.from(l.pos.subarray(l.offs[i]!, l.offs[i + 1]!))]);
}

const token = fc.tuple(fc.integer({ min: 0, max: 30 }), fc.integer({ min: 0, max: MAX_POSITION }));
const doc: fc.Arbitrary<Doc> = fc.array(token, { maxLength: 12 });
const batches = fc.array(fc.array(fc.array(doc, { maxLength: 6 }), { minLength: 1, maxLength: 3 }), { minLength: 1, maxLength: 4 });

describe('Postings', () => {
  it('lists each term\'s docs ascending with their positions, across chunks and appended batches', () => {
    let nonEmpty = 0;
    fc.assert(
      fc.property(batches, (bs) => {
        const { postings, terms } = build(bs);
        const want = model(bs);
        for (let t = 0; t < terms; t++) {
          const l = postings.get(t);
          expect(listed(l)).toEqual(want.get(t) ?? []);
          expect(l?.n ?? 0).toBe(want.get(t)?.length ?? 0);
          expect(l?.imp.length ?? 0).toBe(l?.n ?? 0);
        }
        expect(postings.get(terms)).toBeUndefined();
        if (want.size > 0) nonEmpty++;
      }),
      { numRuns: 300 },
    );
    expect(nonEmpty).toBeGreaterThan(200);
  });

  it('answers undefined for no term or one never seen, and holds nothing when empty', () => {
    const p = new Postings();
    expect(p.get(undefined)).toBeUndefined();
    expect(p.get(0)).toBeUndefined();
    p.append([], 0);
    expect(p.get(0)).toBeUndefined();
    const { postings } = build([[[[[2, 7]], []]]]);
    expect(postings.get(0)?.n).toBe(0);
    expect(listed(postings.get(2))).toEqual([[0, [7]]]);
    expect(postings.get(3)).toBeUndefined();
  });

  it('a later batch may bring new terms and keeps doc numbers going', () => {
    const { postings } = build([[[[[0, 1]], [[0, 2]]]], [[[[5, 3], [0, 4]]]]]);
    expect(listed(postings.get(0))).toEqual([[0, [1]], [1, [2]], [2, [4]]]);
    expect(listed(postings.get(5))).toEqual([[2, [3]]]);
  });

  it('grows past its first buffers: 100,000 tokens in one chunk, 1,000 docs, the same with big-build blocks', () => {
    const docs: Doc[] = Array.from({ length: 1000 }, (_, d) => Array.from({ length: 100 }, (_, i) => [(d + i) % 50, i] as [number, number]));
    for (const mapped of [false, true]) {
      const { postings } = build([[docs]], mapped);
      const l = postings.get(7)!;
      expect(l.n).toBe(1000);
      expect(listed(l)[0]).toEqual([0, [7, 57]]);
      expect(listed(l)[999]).toEqual([999, [8, 58]]);
    }
  });
});

describe('seek', () => {
  it('finds the first posting at or after `from` whose doc is at least `doc`, like a linear scan', () => {
    fc.assert(
      fc.property(fc.uniqueArray(fc.integer({ min: 0, max: 5000 }), { maxLength: 300 }), fc.nat(320), fc.integer({ min: -1, max: 5100 }), (raw, from, doc) => {
        const docs = Uint32Array.from(raw.sort((a, b) => a - b));
        const l: TermPostings = { docs, offs: new Uint32Array(docs.length + 1), pos: new Uint16Array(0), imp: new Uint16Array(docs.length), n: docs.length };
        let want = from;
        if (from < docs.length) while (want < docs.length && docs[want]! < doc) want++;
        expect(seek(l, from, doc)).toBe(want);
      }),
      { numRuns: 1000 },
    );
  });
});
