/** topK against a full sort: the same k matches in the same order, with ties broken by upvotes then id. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Matches } from '../../../src/core/search/evaluate.ts';
import { ranker, topK } from '../../../src/core/search/top-k.ts';

/** Matches over docs 0..n-1 (match i is doc perm[i]), scores from a small set so ties are common. */
function matches(scores: number[], perm: number[]): Matches {
  return { docs: Int32Array.from(perm), scores: Float64Array.from(scores), masks: new Int32Array(scores.length), n: scores.length };
}

const cases = fc
  .integer({ min: 0, max: 200 })
  .chain((n) =>
    fc.record({
      scores: fc.array(fc.constantFrom(0, 0.5, 1, 1.5, 2, 3.25, 7, 1e9), { minLength: n, maxLength: n }),
      upvotes: fc.array(fc.integer({ min: 0, max: 3 }), { minLength: n, maxLength: n }),
      ids: fc.uniqueArray(fc.integer({ min: 0, max: 99_999 }), { minLength: n, maxLength: n }).map((xs) => xs.map((x) => `2406.${String(x).padStart(5, '0')}`)),
      k: fc.integer({ min: -2, max: n + 3 }),
      withScores: fc.boolean(),
    }),
  );

describe('topK', () => {
  it('equals the first k of a full sort, for every n, k (also k <= 0 and k >= n) and with ties everywhere', () => {
    let partial = 0;
    fc.assert(
      fc.property(cases, ({ scores, upvotes, ids, k, withScores }) => {
        const n = scores.length;
        fc.pre(ids.length === n);
        const m = matches(scores, Array.from({ length: n }, (_, i) => i));
        const compare = ranker(m, Int32Array.from(upvotes), (d) => ids[d]!);
        const expected = Array.from({ length: n }, (_, i) => i).sort(compare).slice(0, Math.max(0, k));
        expect(topK(n, k, compare, withScores ? m.scores : undefined)).toEqual(expected);
        if (k > 0 && k < n) partial++;
      }),
      { numRuns: 400 },
    );
    // The heap path (0 < k < n) is the one that can go wrong; it must have run often.
    expect(partial).toBeGreaterThan(150);
  });

  it('ranks by score, then upvotes, then paper id', () => {
    // match: 0 1 2 3 4 ; docs are shuffled so the ranker must look through m.docs.
    const m = matches([1, 2, 2, 2, 0], [4, 3, 2, 1, 0]);
    const upvotes = Int32Array.from([0, 5, 5, 1, 9]); // by doc
    const ids = ['a', 'c', 'b', 'd', 'e']; // by doc
    const compare = ranker(m, upvotes, (d) => ids[d]!);
    // Score 2: docs 2 and 1 (5 upvotes; ids b < c) before doc 3 (1 upvote), i.e. matches 2, 3, 1.
    expect(topK(5, 5, compare, m.scores)).toEqual([2, 3, 1, 0, 4]);
    expect(topK(5, 2, compare, m.scores)).toEqual([2, 3]);
    expect(topK(5, 1, compare)).toEqual([2]);
  });

  it('keeps the right matches when many share the kept floor score', () => {
    // 1000 matches of equal score: only upvotes and ids decide, the floor shortcut must not skip ties.
    const n = 1000;
    const m = matches(new Array(n).fill(1), Array.from({ length: n }, (_, i) => i));
    const upvotes = Int32Array.from({ length: n }, (_, i) => (i * 7919) % 13);
    const ids = Array.from({ length: n }, (_, i) => `p${String((i * 104729) % n).padStart(4, '0')}`);
    const compare = ranker(m, upvotes, (d) => ids[d]!);
    const full = Array.from({ length: n }, (_, i) => i).sort(compare);
    expect(topK(n, 10, compare, m.scores)).toEqual(full.slice(0, 10));
    expect(topK(n, n - 1, compare, m.scores)).toEqual(full.slice(0, n - 1));
  });

  it('answers nothing for no matches or k <= 0, and all of them sorted for k >= n', () => {
    const m = matches([3, 1, 2], [0, 1, 2]);
    const compare = ranker(m, new Int32Array(3), (d) => String(d));
    expect(topK(0, 10, compare)).toEqual([]);
    expect(topK(3, 0, compare)).toEqual([]);
    expect(topK(3, -1, compare)).toEqual([]);
    expect(topK(3, 3, compare)).toEqual([0, 2, 1]);
    expect(topK(3, 1000, compare, m.scores)).toEqual([0, 2, 1]);
  });

  it('picks 10 of 100,000 matches', () => {
    const n = 100_000;
    const scores = Float64Array.from({ length: n }, (_, i) => ((i * 2654435761) >>> 0) % 1000);
    const m: Matches = { docs: Int32Array.from({ length: n }, (_, i) => i), scores, masks: new Int32Array(n), n };
    const compare = ranker(m, new Int32Array(n), (d) => String(d).padStart(6, '0'));
    const top = topK(n, 10, compare, scores);
    expect(top).toEqual(Array.from({ length: n }, (_, i) => i).sort(compare).slice(0, 10));
    expect(top.every((i) => scores[i] === 999)).toBe(true);
  });
});
