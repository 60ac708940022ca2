/**
 * Background merges of segments, log-structured as Lucene's LogMergePolicy does it.
 *
 * Policy: a segment's level is how many times MERGE_FACTOR its live docs are above FLOOR_DOCS;
 * when MERGE_FACTOR adjacent segments share a level they are merged into one (of the next level),
 * the lowest level first. Why this one: merges must take adjacent segments (doc ranges stay
 * ascending, so a clause's matches come out of the segments already in order), each paper is
 * rewritten only about log_F(papers / FLOOR) times over its life, and a lookup sees at most
 * about (F - 1) segments per level: with F = 4, under 20 segments at 500k papers. A segment with
 * more than a third of its docs removed is rewritten on its own, which drops them (this replaces
 * the old full rebuild).
 *
 * A merge is a MergeJob copying the live postings of its inputs term by term into new rows; `step`
 * does a bounded slice (a range of terms) and can be resumed, so merging never blocks lookups for
 * long. Docs keep their numbers: the merged segment covers its inputs' ranges, removed docs left
 * out of its postings (a hole in the per-doc arrays, not in the postings).
 */
import type { Rows } from './postings.ts';
import { makeSegment, type Segment } from './segment.ts';

export const MERGE_FACTOR = 4;
const FLOOR_DOCS = 1000;
/** Dead share above which a segment is rewritten alone. */
const EXPUNGE = 1 / 3;
/** Terms copied between two looks at the clock. */
const TERMS_PER_CHECK = 64;
/** Postings copied between two readings of the clock at most (about 0.1 ms of work). */
const POSTINGS_PER_CHECK = 2048;

function liveDocs(s: Segment, alive: Uint8Array): number {
  let n = 0;
  for (let d = s.firstDoc; d < s.endDoc; d++) n += alive[d]!;
  return n;
}

function level(docs: number): number {
  return docs <= FLOOR_DOCS ? 0 : Math.ceil(Math.log(docs / FLOOR_DOCS) / Math.log(MERGE_FACTOR));
}

/** The run `[start, end)` of segments to merge next, if any. */
export function pickMerge(segments: readonly Segment[], alive: Uint8Array): [number, number] | undefined {
  const live = segments.map((s) => liveDocs(s, alive));
  for (let i = 0; i < segments.length; i++) {
    const s = segments[i]!;
    // Removed docs its postings still hold.
    const dead = s.endDoc - s.firstDoc - s.holes - live[i]!;
    if (dead > EXPUNGE * (live[i]! + dead) && dead >= 16) return [i, i + 1];
  }
  const levels = live.map(level);
  let best: [number, number] | undefined;
  for (let i = 0; i + MERGE_FACTOR <= segments.length; i++) {
    let same = true;
    for (let j = i + 1; j < i + MERGE_FACTOR; j++) if (levels[j] !== levels[i]) same = false;
    if (same && (!best || levels[i]! <= levels[best[0]]!)) best = [i, i + MERGE_FACTOR];
  }
  return best;
}

/**
 * Copies the live postings of several rows (ascending doc ranges) into one, a range of terms at a
 * time: a first pass counts the live postings and positions (so the rows are allocated to size and
 * never copied again), the second copies them. A doc removed between the passes leaves a little
 * room unused.
 */
class RowsMerge {
  private readonly terms: number;
  private out: Rows | undefined;
  private t = 0;
  private p = 0;
  private q = 0;

  constructor(
    private readonly parts: Rows[],
    private readonly aliveNow: () => Uint8Array,
  ) {
    let terms = 0;
    for (const r of parts) terms = Math.max(terms, r.termStart.length - 1);
    this.terms = terms;
  }

  /** Works until `deadline` (performance.now()); true when every term is copied. */
  step(deadline: number): boolean {
    if (!this.out) {
      if (!this.count(deadline)) return false;
      const P = this.p;
      const Q = this.q;
      this.out = { termStart: new Int32Array(this.terms + 1), docs: new Uint32Array(P), offs: new Uint32Array(P + 1), pos: new Uint16Array(Q), imp: new Uint16Array(P) };
      this.t = 0;
      this.p = 0;
      this.q = 0;
      if (performance.now() >= deadline) return false;
    }
    return this.copy(deadline, this.out);
  }

  /** First pass: live postings into `p`, their positions into `q`. */
  private count(deadline: number): boolean {
    // The index may have grown (a new array) since the last step: read liveness afresh.
    const alive = this.aliveNow();
    let { p, q } = this;
    let read = 0;
    let t = this.t;
    while (t < this.terms) {
      for (const r of this.parts) {
        if (t + 1 >= r.termStart.length) continue;
        const e = r.termStart[t + 1]!;
        const s = r.termStart[t]!;
        read += e - s;
        for (let i = s; i < e; i++) {
          if (!alive[r.docs[i]!]) continue;
          p++;
          q += r.offs[i + 1]! - r.offs[i]!;
        }
      }
      t++;
      // Counting is cheaper than copying: the clock is read a quarter as often.
      if (read >= POSTINGS_PER_CHECK * 4 || t % (TERMS_PER_CHECK * 4) === 0) {
        read = 0;
        if (performance.now() >= deadline) break;
      }
    }
    this.t = t;
    this.p = p;
    this.q = q;
    return this.t >= this.terms;
  }

  private copy(deadline: number, out: Rows): boolean {
    const alive = this.aliveNow();
    let { p, q } = this;
    let checked = p;
    let t = this.t;
    while (t < this.terms) {
      out.termStart[t] = p;
      for (const r of this.parts) {
        if (t + 1 >= r.termStart.length) continue;
        const e = r.termStart[t + 1]!;
        for (let i = r.termStart[t]!; i < e; i++) {
          const doc = r.docs[i]!;
          if (!alive[doc]) continue;
          const ps = r.offs[i]!;
          const pe = r.offs[i + 1]!;
          out.docs[p] = doc;
          out.imp[p] = r.imp[i]!;
          out.offs[p++] = q;
          if (pe - ps > 8) {
            out.pos.set(r.pos.subarray(ps, pe), q);
            q += pe - ps;
          } else for (let k = ps; k < pe; k++) out.pos[q++] = r.pos[k]!;
        }
      }
      t++;
      // The clock is read every few terms and after every few thousand postings: the terms of a
      // big segment's start are common words, and 64 of them overran a 10 ms budget many times.
      if (p - checked >= POSTINGS_PER_CHECK || t % TERMS_PER_CHECK === 0) {
        checked = p;
        if (performance.now() >= deadline) break;
      }
    }
    this.t = t;
    this.p = p;
    this.q = q;
    return this.t >= this.terms;
  }

  /** The merged rows (views of the allocated ones when docs died during the merge). */
  result(): Rows {
    const out = this.out!;
    const { p, q } = this;
    out.termStart[this.terms] = p;
    out.offs[p] = q;
    if (p === out.docs.length && q === out.pos.length) return out;
    return { termStart: out.termStart, docs: out.docs.subarray(0, p), offs: out.offs.subarray(0, p + 1), pos: out.pos.subarray(0, q), imp: out.imp.subarray(0, p) };
  }
}

/** One merge of adjacent segments into a new one named `id`. */
export class MergeJob {
  private readonly text: RowsMerge;
  private readonly authors: RowsMerge;
  /** Docs of the range removed before the merge began: surely left out of the merged postings. */
  private readonly holes: number;

  constructor(
    readonly inputs: readonly Segment[],
    private readonly id: string,
    private readonly aliveNow: () => Uint8Array,
  ) {
    const alive = aliveNow();
    let holes = 0;
    for (const s of inputs) for (let d = s.firstDoc; d < s.endDoc; d++) holes += 1 - alive[d]!;
    this.holes = holes;
    this.text = new RowsMerge(inputs.map((s) => s.text.rows), aliveNow);
    this.authors = new RowsMerge(inputs.map((s) => s.authors.rows), aliveNow);
  }

  /** Works until `deadline`; true when the merged segment is ready. */
  step(deadline: number): boolean {
    return this.text.step(deadline) && this.authors.step(deadline);
  }

  /** The merged segment; undefined when every doc of its range was removed. */
  result(): Segment | undefined {
    const firstDoc = this.inputs[0]!.firstDoc;
    const endDoc = this.inputs[this.inputs.length - 1]!.endDoc;
    const alive = this.aliveNow();
    let any = false;
    for (let d = firstDoc; d < endDoc && !any; d++) any = alive[d] === 1;
    if (!any) return undefined;
    return makeSegment(this.id, firstDoc, endDoc, this.text.result(), this.authors.result(), this.holes);
  }
}
