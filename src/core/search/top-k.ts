/**
 * Picks the best `k` of the matches without sorting all of them (a query can match most of a
 * 100k index): a bounded binary heap whose root is the worst kept match.
 * Order: score descending, then upvotes descending, then paper id ascending.
 */
import type { Matches } from './evaluate.ts';

export type Better = (a: number, b: number) => boolean;
export type Compare = (a: number, b: number) => number;

/** Comparator over match indexes: negative when match `a` ranks before match `b`. */
export function ranker(m: Matches, upvotes: Int32Array, ids: (doc: number) => string): Compare {
  return (a, b) => {
    const d = m.scores[b]! - m.scores[a]!;
    if (d !== 0) return d;
    const da = m.docs[a]!;
    const db = m.docs[b]!;
    const u = upvotes[db]! - upvotes[da]!;
    if (u !== 0) return u;
    const ia = ids(da);
    const ib = ids(db);
    return ia < ib ? -1 : ia > ib ? 1 : 0;
  };
}

/** Indexes of the best `k` matches, best first. */
export function topK(n: number, k: number, compare: Compare, scores?: Float64Array): number[] {
  if (k <= 0 || n === 0) return [];
  if (k >= n) return Array.from({ length: n }, (_, i) => i).sort(compare);
  const better: Better = (a, b) => compare(a, b) < 0;
  const heap: number[] = [];
  const worse = (a: number, b: number) => better(b, a);
  const up = (i: number) => {
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!worse(heap[i]!, heap[p]!)) break;
      [heap[i], heap[p]] = [heap[p]!, heap[i]!];
      i = p;
    }
  };
  const down = (i: number) => {
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let w = i;
      if (l < heap.length && worse(heap[l]!, heap[w]!)) w = l;
      if (r < heap.length && worse(heap[r]!, heap[w]!)) w = r;
      if (w === i) return;
      [heap[i], heap[w]] = [heap[w]!, heap[i]!];
      i = w;
    }
  };
  let i = 0;
  for (; i < n && heap.length < k; i++) {
    heap.push(i);
    up(heap.length - 1);
  }
  if (scores) {
    // The worst kept score, in a local: most matches fall below it and cost one comparison.
    let floor = scores[heap[0]!]!;
    for (; i < n; i++) {
      if (scores[i]! < floor) continue;
      if (better(i, heap[0]!)) {
        heap[0] = i;
        down(0);
        floor = scores[heap[0]!]!;
      }
    }
  } else {
    for (; i < n; i++) {
      if (better(i, heap[0]!)) {
        heap[0] = i;
        down(0);
      }
    }
  }
  return heap.sort(compare);
}
