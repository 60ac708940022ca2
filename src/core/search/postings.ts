/**
 * Positional postings in typed arrays, one growable list per term: the sorted doc numbers that
 * hold the term, where each posting's positions start, and the positions (Uint16) themselves.
 * Docs are numbered in insertion order, so appending keeps every list sorted; removed docs stay
 * in the lists and are skipped by the caller's liveness check until the index is rebuilt.
 */
export interface TermPostings {
  /** Doc numbers, ascending; valid up to `n`. */
  docs: Uint32Array;
  /** `offs[i]` is where posting i's positions start in `pos`; `offs[n]` is not stored, use `posEnd`. */
  offs: Uint32Array;
  pos: Uint16Array;
  /** Per posting: the term's BM25 weight in that paper over all fields, times IMPACT_SCALE. */
  imp: Uint16Array;
  n: number;
  posN: number;
}

export const MAX_POSITION = 0xffff;
export const IMPACT_SCALE = 2048;

export class Postings {
  lists: TermPostings[] = [];
  /** Last doc appended per term, to start a new posting on the first occurrence in a doc. */
  private last = new Int32Array(1024).fill(-1);

  private list(term: number): TermPostings {
    let l = this.lists[term];
    if (l === undefined) {
      for (let t = this.lists.length; t < term; t++) this.lists[t] = empty();
      l = empty();
      this.lists[term] = l;
      if (term >= this.last.length) {
        const b = new Int32Array(Math.max(term + 1, this.last.length * 2)).fill(-1);
        b.set(this.last);
        this.last = b;
      }
    }
    return l;
  }

  /** Records `term` at `position` of `doc`; positions of one doc must come in ascending order. */
  add(term: number, doc: number, position: number): void {
    const l = term < this.lists.length ? this.lists[term]! : this.list(term);
    if (this.last[term] !== doc) {
      this.last[term] = doc;
      const n = l.n;
      if (n === l.docs.length) {
        const d = new Uint32Array(n * 2);
        d.set(l.docs);
        l.docs = d;
        const o = new Uint32Array(n * 2);
        o.set(l.offs);
        l.offs = o;
        const w = new Uint16Array(n * 2);
        w.set(l.imp);
        l.imp = w;
      }
      l.docs[n] = doc;
      l.offs[n] = l.posN;
      l.n = n + 1;
    }
    if (l.posN === l.pos.length) {
      const p = new Uint16Array(l.posN * 2);
      p.set(l.pos);
      l.pos = p;
    }
    l.pos[l.posN++] = position;
  }

  get(term: number | undefined): TermPostings | undefined {
    return term === undefined ? undefined : this.lists[term];
  }

  /** Releases the slack left by doubling (after a bulk add). */
  trim(): void {
    for (const l of this.lists) {
      // Keep room for one more so `add` never grows from a zero-length array.
      if (l.docs.length > l.n + 1) {
        l.docs = l.docs.slice(0, l.n + 1);
        l.offs = l.offs.slice(0, l.n + 1);
        l.imp = l.imp.slice(0, l.n + 1);
      }
      if (l.pos.length > l.posN + 1) l.pos = l.pos.slice(0, l.posN + 1);
    }
  }

  bytes(): number {
    let b = 0;
    for (const l of this.lists) b += l.docs.byteLength + l.offs.byteLength + l.pos.byteLength + l.imp.byteLength;
    return b;
  }
}

function empty(): TermPostings {
  return { docs: new Uint32Array(2), offs: new Uint32Array(2), pos: new Uint16Array(2), imp: new Uint16Array(2), n: 0, posN: 0 };
}

/** End (exclusive) of posting `i`'s positions. */
export function posEnd(l: TermPostings, i: number): number {
  return i + 1 < l.n ? l.offs[i + 1]! : l.posN;
}

/** First index >= `from` whose doc is >= `doc` (galloping, then binary search). */
export function seek(l: TermPostings, from: number, doc: number): number {
  const docs = l.docs;
  const n = l.n;
  if (from >= n || docs[from]! >= doc) return from;
  let step = 1;
  let lo = from;
  let hi = from + 1;
  while (hi < n && docs[hi]! < doc) {
    lo = hi;
    step *= 2;
    hi = from + step;
  }
  if (hi > n) hi = n;
  while (lo + 1 < hi) {
    const mid = (lo + hi) >>> 1;
    if (docs[mid]! < doc) lo = mid;
    else hi = mid;
  }
  return hi;
}
