/**
 * Positional postings in compressed-sparse-row form: every term's postings are one contiguous
 * range of a few big typed arrays (doc numbers, where each posting's positions start, BM25
 * impacts) and its positions one range of a Uint16Array. A batch of papers is tokenized into a
 * flat token stream a chunk at a time, each chunk counting-sorted by term into its own rows, and
 * the chunks (after any rows already held) concatenated term by term once. Writing into growing
 * per-term arrays cost far more (allocation, copying, GC) and kept ~2x slack.
 *
 * Docs are numbered in insertion order, so concatenation keeps every list sorted; removed docs
 * stay in the lists and are skipped by the caller's liveness check until a merge drops them.
 * A segment's rows (segment.ts) are never changed once made.
 */
export interface TermPostings {
  /** Doc numbers, ascending; `n` of them. */
  docs: Uint32Array;
  /** `offs[i]` is where posting i's positions start in `pos`, `offs[i + 1]` where they end. */
  offs: Uint32Array;
  pos: Uint16Array;
  /** Per posting: the term's BM25 weight in that paper over all fields, times IMPACT_SCALE. */
  imp: Uint16Array;
  n: number;
}

export const MAX_POSITION = 0xffff;
export const IMPACT_SCALE = 2048;

/** One set of rows: term t's postings are `termStart[t]..termStart[t + 1]`. */
export interface Rows {
  termStart: Int32Array;
  docs: Uint32Array;
  offs: Uint32Array;
  pos: Uint16Array;
  imp: Uint16Array;
}

function emptyRows(): Rows {
  return { termStart: new Int32Array(1), docs: new Uint32Array(0), offs: new Uint32Array(1), pos: new Uint16Array(0), imp: new Uint16Array(0) };
}

/**
 * glibc gives a freed block back to the system only if it mapped it, and it maps only blocks above
 * a threshold that grows up to 32 MiB; smaller transients of a big build stayed as ~90 MB of
 * resident holes at 100k papers. So a big build's transients are allocated as one block of at
 * least this size each: pages never touched cost nothing, and all of it is returned when freed.
 */
const MAPPED_BYTES = 33 * 2 ** 20;

function block(bytes: number, mapped: boolean): ArrayBuffer {
  return new ArrayBuffer(mapped ? Math.max(bytes, MAPPED_BYTES) : bytes);
}

/** Tokens of a chunk of docs: term id and position per token, docs one after another. */
export class TokenStream {
  terms: Int32Array;
  pos: Uint16Array;
  n = 0;
  /** Token index where each doc of the chunk ends. */
  docEnd = new Int32Array(256);
  docs = 0;

  /** `mapped`: a big build (see MAPPED_BYTES). */
  constructor(private readonly mapped = false) {
    const cap = mapped ? Math.floor(MAPPED_BYTES / 6) : 1 << 12;
    [this.terms, this.pos] = this.arrays(cap);
  }

  private arrays(cap: number): [Int32Array, Uint16Array] {
    const b = block(cap * 6, this.mapped);
    return [new Int32Array(b, 0, cap), new Uint16Array(b, cap * 4, cap)];
  }

  push(term: number, position: number): void {
    if (this.n === this.terms.length) {
      const [t, p] = this.arrays(this.n * 2);
      t.set(this.terms);
      p.set(this.pos);
      this.terms = t;
      this.pos = p;
    }
    this.terms[this.n] = term;
    this.pos[this.n++] = position;
  }

  endDoc(): void {
    if (this.docs === this.docEnd.length) {
      const d = new Int32Array(this.docs * 2);
      d.set(this.docEnd);
      this.docEnd = d;
    }
    this.docEnd[this.docs++] = this.n;
  }

  clear(): void {
    this.n = 0;
    this.docs = 0;
  }
}

/**
 * Rows of one chunk by counting sort: count postings and positions per term, then place each
 * token at its term's cursor. Doc numbers start at `firstDoc`; `terms` bounds every term id.
 */
export function chunkRows(s: TokenStream, firstDoc: number, terms: number, mapped = false): Rows {
  const df = new Int32Array(terms + 1);
  const pc = new Int32Array(terms + 1);
  const last = new Int32Array(terms).fill(-1);
  const tt = s.terms;
  let k = 0;
  for (let d = 0; d < s.docs; d++) {
    const e = s.docEnd[d]!;
    for (; k < e; k++) {
      const t = tt[k]!;
      pc[t]!++;
      if (last[t] !== d) {
        last[t] = d;
        df[t]!++;
      }
    }
  }
  const termStart = new Int32Array(terms + 1);
  const pcur = new Int32Array(terms);
  const qcur = new Int32Array(terms);
  let p = 0;
  let q = 0;
  for (let t = 0; t < terms; t++) {
    termStart[t] = p;
    pcur[t] = p;
    qcur[t] = q;
    p += df[t]!;
    q += pc[t]!;
  }
  termStart[terms] = p;
  // One block: docs and offsets (4-byte aligned) first, then impacts and positions.
  const b = block(8 * p + 4 + 2 * p + 2 * q, mapped);
  const docs = new Uint32Array(b, 0, p);
  const offs = new Uint32Array(b, 4 * p, p + 1);
  const imp = new Uint16Array(b, 8 * p + 4, p);
  const pos = new Uint16Array(b, 10 * p + 4, q);
  last.fill(-1);
  k = 0;
  for (let d = 0; d < s.docs; d++) {
    const e = s.docEnd[d]!;
    for (; k < e; k++) {
      const t = tt[k]!;
      if (last[t] !== d) {
        last[t] = d;
        const i = pcur[t]!++;
        docs[i] = firstDoc + d;
        offs[i] = qcur[t]!;
      }
      pos[qcur[t]!++] = s.pos[k]!;
    }
  }
  offs[p] = q;
  return { termStart, docs, offs, pos, imp };
}

/** All rows of `parts`, in order, concatenated term by term. */
export function concatRows(parts: Rows[], terms: number): Rows {
  if (parts.length === 1 && parts[0]!.termStart.length === terms + 1) return parts[0]!;
  let P = 0;
  let Q = 0;
  for (const r of parts) {
    P += r.docs.length;
    Q += r.pos.length;
  }
  const out: Rows = { termStart: new Int32Array(terms + 1), docs: new Uint32Array(P), offs: new Uint32Array(P + 1), pos: new Uint16Array(Q), imp: new Uint16Array(P) };
  let p = 0;
  let q = 0;
  for (let t = 0; t < terms; t++) {
    out.termStart[t] = p;
    for (const r of parts) {
      if (t + 1 >= r.termStart.length) continue;
      const s = r.termStart[t]!;
      const e = r.termStart[t + 1]!;
      if (e === s) continue;
      out.docs.set(r.docs.subarray(s, e), p);
      out.imp.set(r.imp.subarray(s, e), p);
      const ps = r.offs[s]!;
      const pe = r.offs[e]!;
      out.pos.set(r.pos.subarray(ps, pe), q);
      const delta = q - ps;
      for (let i = s; i < e; i++) out.offs[p + i - s] = r.offs[i]! + delta;
      p += e - s;
      q += pe - ps;
    }
  }
  out.termStart[terms] = p;
  out.offs[p] = q;
  return out;
}

/** A term no segment row holds (or a segment lacks): no postings. */
export const NO_POSTINGS: TermPostings = { docs: new Uint32Array(0), offs: new Uint32Array(1), pos: new Uint16Array(0), imp: new Uint16Array(0), n: 0 };

export class Postings {
  constructor(public rows: Rows = emptyRows()) {}

  /** Appends rows whose docs all come after the ones held. */
  append(parts: Rows[], terms: number): void {
    const all = this.rows.docs.length ? [this.rows, ...parts] : parts;
    this.rows = all.length ? concatRows(all, terms) : this.rows;
  }

  get(term: number | undefined): TermPostings | undefined {
    const r = this.rows;
    if (term === undefined || term + 1 >= r.termStart.length) return undefined;
    const s = r.termStart[term]!;
    const e = r.termStart[term + 1]!;
    return { docs: r.docs.subarray(s, e), offs: r.offs.subarray(s, e + 1), pos: r.pos, imp: r.imp.subarray(s, e), n: e - s };
  }

  bytes(): number {
    const r = this.rows;
    return r.termStart.byteLength + r.docs.byteLength + r.offs.byteLength + r.pos.byteLength + r.imp.byteLength;
  }
}

/** End (exclusive) of posting `i`'s positions. */
export function posEnd(l: TermPostings, i: number): number {
  return l.offs[i + 1]!;
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
