/**
 * Evaluates a parsed query over the postings: each AND-group is driven by its rarest clause,
 * the other clauses and the exclusions are checked by galloping cursors (docs come in ascending
 * order), phrases by aligning positions. Every match is scored (all of them: `total` is exact)
 * with a per-field BM25 sum, title > AI keywords > AI summary > abstract.
 *
 * A clause with several forms (expand.ts) is first resolved (resolve-forms.ts) to one sorted list of the papers
 * holding any form, with the first holding form's weight as its impact and the form that explains each
 * paper; from then on it is evaluated like a single word.
 *
 * The index is a list of segments (segment.ts) over ascending doc ranges: a clause is compiled once
 * with the global document frequencies (so idf, the driver and the scores are those of one segment
 * holding every paper), then each group runs segment by segment, its clauses focused on that
 * segment's lists, and the matches come out concatenated in doc order.
 */
import type { Clause } from '../topics/parse.ts';
import type { ExpandedQuery } from './expand.ts';
import { compileForms, materialize, resetScratch } from './resolve-forms.ts';
import type { Interner } from './interner.ts';
import { IMPACT_SCALE, NO_POSTINGS, posEnd, seek, type TermPostings } from './postings.ts';
import { segmentOf, type Segment } from './segment.ts';

/** Title, AI keywords, AI summary, abstract. A title hit (5) always outweighs an abstract-only one (< k1 + 1). */
export const FIELD_WEIGHTS = [5, 3, 2, 1] as const;
export const FIELDS = 4;
const K1 = 1.2;
const B = 0.75;

/** What the evaluator needs from the index. */
export interface IndexData {
  text: Interner;
  authors: Interner;
  /** Ascending, disjoint doc ranges. */
  segments: readonly Segment[];
  /** Per term id: live papers holding it, over all segments. */
  textDf: Int32Array;
  authorDf: Int32Array;
  alive: Uint8Array;
  /** Per doc and field: end position (exclusive) and token count. */
  fieldEnd: Uint16Array;
  fieldLen: Uint16Array;
  lenSum: Float64Array;
  live: number;
  /** Removed papers a segment's postings still hold (absent: assume some). */
  deadDocs?(seg: Segment): number;
  /** False: no phrase is kept (phrases.ts), every one is aligned at each resolution. */
  keepsPhrases?: boolean;
  /** Bumped whenever the papers held change: what is kept over the index (resolved.ts) is stale then. */
  version?: number;
}

/** Matches in ascending doc order; `mask` has bit g set when group g matched. */
export interface Matches {
  docs: Int32Array;
  scores: Float64Array;
  masks: Int32Array;
  n: number;
  /** Which form of a clause matched a doc (index into its forms; absent: the first). */
  why?: Map<Clause, (doc: number) => number>;
}

export interface Compiled {
  clause: Clause;
  /** Term ids of the clause's terms (in the text or author dictionary). */
  ids: number[];
  /** Per term, its postings in the segment being evaluated (see `focus`). */
  lists: TermPostings[];
  /** A resolved clause (resolve-forms.ts): its one list over every segment, cut per segment by `focus`. */
  whole?: TermPostings;
  cur: Int32Array;
  author: boolean;
  /** One text term: matched by doc lookup alone, scored from the precomputed impact. */
  single: boolean;
  idf: number;
  est: number;
  /**
   * A clause of several forms not (yet) resolved to one list (resolve-forms.ts): checked form by
   * form where it does not drive its group, so an exclusion or a common clause costs a few seeks.
   */
  alts?: { c: Compiled; f: number }[];
}

export const idfOf = (ix: IndexData, n: number) => {
  const N = Math.max(ix.live, 1);
  const df = Math.min(n, N);
  return Math.log(1 + (N - df + 0.5) / (df + 0.5));
};

export function compile(ix: IndexData, clause: Clause, terms = clause.terms): Compiled | undefined {
  const author = clause.kind === 'author';
  const interner = author ? ix.authors : ix.text;
  const dfs = author ? ix.authorDf : ix.textDf;
  const ids: number[] = [];
  let idf = 0;
  let est = Infinity;
  for (const t of terms) {
    const id = interner.termId(t);
    const df = id === undefined ? 0 : dfs[id] ?? 0;
    if (df === 0) return undefined;
    ids.push(id!);
    idf += idfOf(ix, df);
    est = Math.min(est, df);
  }
  // Filled by push, not `map` (whose result has holey elements): see `compiled`.
  const lists: TermPostings[] = [];
  for (let j = 0; j < ids.length; j++) lists.push(NO_POSTINGS);
  return compiled(clause, ids, lists, author, !author && ids.length === 1, idf, est);
}

/**
 * Every Compiled is made here, with every field in one order: objects of several shapes (alts or
 * whole present on some) made the evaluation loops polymorphic, and they deoptimized mid-query.
 */
export function compiled(
  clause: Clause, ids: number[], lists: TermPostings[], author: boolean, single: boolean, idf: number, est: number,
  whole?: TermPostings, alts?: { c: Compiled; f: number }[],
): Compiled {
  // Every list has packed object elements (an empty literal has small-integer ones, a `map` result
  // holey ones): loops that had seen one kind deoptimized on meeting another.
  return { clause, ids, lists: lists.length ? lists : NO_LISTS.slice(), whole, cur: new Int32Array(lists.length), author, single, idf, est, alts };
}

const NO_LISTS: TermPostings[] = [NO_POSTINGS].slice(0, 0);

/**
 * V8 narrows each field of a shape to the first kind of value stored there (a small integer, an
 * absent list) and widens it on the first other kind, dropping optimized code that relied on it.
 * Storing each kind once here, before any query, widens the fields up front: otherwise it happened
 * on the first query of a rarer kind (an exclusion with forms, an idf of 0.5), mid-loop.
 */
function widenShapes(): void {
  const clause: Clause = { kind: 'text', text: 'x', terms: ['x'] };
  const alts = [{ c: compiled(clause, [0], [NO_POSTINGS], false, true, 1, 1), f: 0 }];
  compiled(clause, [], [], false, false, 0.5, 0.5, NO_POSTINGS, alts);
  compiled(clause, [], [], true, true, Infinity, Infinity, undefined, undefined);
}
widenShapes();

/**
 * Points `c` (and its forms) at segment `seg`'s lists, cursors at the start. False when the
 * clause cannot hold in that segment (one of its terms, or every form, is missing there).
 */
export function focus(ix: IndexData, c: Compiled, seg: Segment): boolean {
  c.cur.fill(0);
  if (c.alts) {
    let any = false;
    for (const a of c.alts) any = focus(ix, a.c, seg) || any;
    return any;
  }
  if (c.whole) {
    const w = c.whole;
    const lo = seek(w, 0, seg.firstDoc);
    const hi = seek(w, lo, seg.endDoc);
    c.lists[0] = { docs: w.docs.subarray(lo, hi), offs: w.offs, pos: w.pos, imp: w.imp.subarray(lo, hi), n: hi - lo };
    return hi > lo;
  }
  const post = c.author ? seg.authors : seg.text;
  let ok = true;
  for (let j = 0; j < c.ids.length; j++) {
    const l = post.get(c.ids[j]) ?? NO_POSTINGS;
    c.lists[j] = l;
    if (l.n === 0) ok = false;
  }
  return ok;
}

/** Focuses `c` on the segment holding `doc` (asking after an evaluation which form explains a doc). */
export function focusDoc(ix: IndexData, c: Compiled, doc: number): boolean {
  const s = segmentOf(ix.segments, doc);
  return s >= 0 && focus(ix, c, ix.segments[s]!);
}

const occ = new Int32Array(FIELDS);
let starts = new Int32Array(256);

/** The positions the last `occurrences` call found (valid until the next call). */
export function occurrenceStarts(): Int32Array {
  return starts;
}
let ptr = new Int32Array(16);
let end = new Int32Array(16);

/**
 * Whether `c` holds at `doc` (cursors only move forward). Fills `starts` with the positions where
 * the clause occurs and returns their count (0: no match).
 */
export function occurrences(c: Compiled, doc: number): number {
  const k = c.lists.length;
  for (let j = 0; j < k; j++) {
    const l = c.lists[j]!;
    const i = seek(l, c.cur[j]!, doc);
    c.cur[j] = i;
    if (i >= l.n || l.docs[i] !== doc) return 0;
  }
  const l0 = c.lists[0]!;
  const i0 = c.cur[0]!;
  const a = l0.offs[i0]!;
  const e = posEnd(l0, i0);
  if (starts.length < e - a) starts = new Int32Array(e - a);
  let n = 0;
  if (k === 1) {
    for (let p = a; p < e; p++) starts[n++] = l0.pos[p]!;
    return n;
  }
  // Phrase: p in term 0, p + j in term j. Per-term pointers advance monotonically.
  if (ptr.length < k) {
    ptr = new Int32Array(k);
    end = new Int32Array(k);
  }
  for (let j = 1; j < k; j++) {
    const l = c.lists[j]!;
    ptr[j] = l.offs[c.cur[j]!]!;
    end[j] = posEnd(l, c.cur[j]!);
  }
  outer: for (let p = a; p < e; p++) {
    const p0 = l0.pos[p]!;
    for (let j = 1; j < k; j++) {
      const pos = c.lists[j]!.pos;
      let q = ptr[j]!;
      while (q < end[j]! && pos[q]! < p0 + j) q++;
      ptr[j] = q;
      if (q >= end[j]!) break outer;
      if (pos[q] !== p0 + j) continue outer;
    }
    starts[n++] = p0;
  }
  return n;
}

/** Whether the one-term clause `c` holds at `doc` (its cursor only moves forward); positions unread. */
function holds(c: Compiled, doc: number): boolean {
  const l = c.lists[0]!;
  const i = seek(l, c.cur[0]!, doc);
  c.cur[0] = i;
  return i < l.n && l.docs[i] === doc;
}

/**
 * BM25 weight of one term (or phrase) in one paper, summed over fields, without idf; the
 * occurrences are the positions `at[from..to)`.
 */
export function fieldWeight(ix: IndexData, doc: number, at: ArrayLike<number>, from: number, to: number): number {
  occ.fill(0);
  const base = doc * FIELDS;
  const e0 = ix.fieldEnd[base]!;
  const e1 = ix.fieldEnd[base + 1]!;
  const e2 = ix.fieldEnd[base + 2]!;
  for (let i = from; i < to; i++) {
    const p = at[i]!;
    occ[p < e0 ? 0 : p < e1 ? 1 : p < e2 ? 2 : 3]!++;
  }
  const live = Math.max(ix.live, 1);
  let s = 0;
  for (let f = 0; f < FIELDS; f++) {
    const tf = occ[f]!;
    if (tf === 0) continue;
    const avg = ix.lenSum[f]! / live || 1;
    const norm = 1 - B + (B * ix.fieldLen[base + f]!) / avg;
    s += (FIELD_WEIGHTS[f]! * tf * (K1 + 1)) / (tf + K1 * norm);
  }
  return s;
}

/**
 * `fieldWeight` of the `i`-th paper of a kept phrase (phrases.ts), from its occurrences and field
 * lengths per field: the same sum in the same order, so the same number.
 */
export function keptWeight(ix: IndexData, tfs: Uint16Array, lens: Uint16Array, i: number): number {
  const live = Math.max(ix.live, 1);
  const base = i * FIELDS;
  let s = 0;
  for (let f = 0; f < FIELDS; f++) {
    const tf = tfs[base + f]!;
    if (tf === 0) continue;
    const avg = ix.lenSum[f]! / live || 1;
    const norm = 1 - B + (B * lens[base + f]!) / avg;
    s += (FIELD_WEIGHTS[f]! * tf * (K1 + 1)) / (tf + K1 * norm);
  }
  return s;
}

function score(ix: IndexData, c: Compiled, doc: number, n: number): number {
  return c.author ? 1 : fieldWeight(ix, doc, starts, 0, n) * c.idf;
}

/**
 * Weight (no idf) of the first form of `c` holding at `doc`, -1 when none does; cursors only
 * move forward, so docs come in ascending order.
 */
export function altsWeight(ix: IndexData, c: Compiled, doc: number): number {
  for (const { c: a } of c.alts!) {
    if (a.single) {
      const l = a.lists[0]!;
      const j = seek(l, a.cur[0]!, doc);
      a.cur[0] = j;
      if (j < l.n && l.docs[j] === doc) return l.imp[j]! / IMPACT_SCALE;
      continue;
    }
    const n = occurrences(a, doc);
    if (n > 0) return fieldWeight(ix, doc, starts, 0, n);
  }
  return -1;
}

/**
 * Runs one AND-group (sorted by `est`, every clause focused on one segment); appends its matches
 * (ascending docs) to `out` with bit `g`.
 */
function runGroup(ix: IndexData, group: Compiled[], exclude: Compiled[], g: number, out: Matches, clean: boolean): void {
  const driver = group[0]!;
  // Drive by the rarest term of the rarest clause.
  let dl = driver.lists[0]!;
  for (const l of driver.lists) if (l.n < dl.n) dl = l;
  const docs = dl.docs;
  const alive = ix.alive;
  const fastDriver = driver.single;
  const dimp = dl.imp;
  const didf = driver.idf / IMPACT_SCALE;
  const bit = 1 << g;
  if (fastDriver && group.length === 1 && exclude.length === 0) {
    // One plain word: every live posting matches, scored from its impact alone.
    let n = out.n;
    if (clean) {
      // No removed paper among the postings: the docs and bits as they are.
      out.docs.set(docs.subarray(0, dl.n), n);
      out.masks.fill(bit, n, n + dl.n);
      const scores = out.scores;
      for (let i = 0; i < dl.n; i++) scores[n + i] = dimp[i]! * didf;
      out.n = n + dl.n;
      return;
    }
    for (let i = 0; i < dl.n; i++) {
      const doc = docs[i]!;
      if (alive[doc] === 0) continue;
      out.docs[n] = doc;
      out.scores[n] = dimp[i]! * didf;
      out.masks[n++] = bit;
    }
    out.n = n;
    return;
  }
  if (fastDriver && group.length === 1 && exclude.every((x) => !x.alts && x.lists.length === 1)) return wordWithout(ix, dl, didf, exclude, bit, out);
  for (let i = 0; i < dl.n; i++) {
    const doc = docs[i]!;
    if (alive[doc] === 0) continue;
    let s = 0;
    let ok = true;
    for (let ci = 0; ci < group.length; ci++) {
      const c = group[ci]!;
      if (ci === 0 && fastDriver) {
        s += dimp[i]! * didf;
        continue;
      }
      if (c.alts) {
        const w = altsWeight(ix, c, doc);
        if (w < 0) {
          ok = false;
          break;
        }
        s += w * c.idf;
        continue;
      }
      if (c.single) {
        const l = c.lists[0]!;
        const j = seek(l, c.cur[0]!, doc);
        c.cur[0] = j;
        if (j >= l.n || l.docs[j] !== doc) {
          ok = false;
          break;
        }
        s += (l.imp[j]! * c.idf) / IMPACT_SCALE;
        continue;
      }
      const n = occurrences(c, doc);
      if (n === 0) {
        ok = false;
        break;
      }
      s += score(ix, c, doc, n);
    }
    if (!ok) continue;
    for (const x of exclude) {
      if (x.alts ? altsWeight(ix, x, doc) >= 0 : x.lists.length === 1 ? holds(x, doc) : occurrences(x, doc) > 0) {
        ok = false;
        break;
      }
    }
    if (!ok) continue;
    // `out` holds room for every live driver doc (see evaluate): no growth check here.
    out.docs[out.n] = doc;
    out.scores[out.n] = s;
    out.masks[out.n++] = bit;
  }
}

/**
 * One plain word without others (`models -larger`): its live postings not in any excluded list,
 * scored from their impacts. The commonest costly lookup (a common word matches most papers), so
 * its loop holds everything in locals and walks the excluded lists by cursor (the general loop
 * re-read each clause and seeked per paper: ~11 ns a posting at 500k papers).
 */
function wordWithout(ix: IndexData, dl: TermPostings, didf: number, exclude: Compiled[], bit: number, out: Matches): void {
  const docs = dl.docs;
  const dimp = dl.imp;
  const alive = ix.alive;
  const k = exclude.length;
  const xDocs = exclude.map((x) => x.lists[0]!.docs);
  const xEnd = Int32Array.from(exclude, (x) => x.lists[0]!.n);
  const xAt = new Int32Array(k);
  const od = out.docs;
  const os = out.scores;
  const om = out.masks;
  let n = out.n;
  outer: for (let i = 0; i < dl.n; i++) {
    const doc = docs[i]!;
    if (alive[doc] === 0) continue;
    for (let e = 0; e < k; e++) {
      const xd = xDocs[e]!;
      const end = xEnd[e]!;
      let c = xAt[e]!;
      while (c < end && xd[c]! < doc) c++;
      xAt[e] = c;
      if (c < end && xd[c] === doc) continue outer;
    }
    od[n] = doc;
    os[n] = dimp[i]! * didf;
    om[n++] = bit;
  }
  out.n = n;
}

/**
 * Match buffers reused from one query to the next: a common word fills ~100k slots, and fresh
 * arrays per query made the GC run (and stall some query) every few queries. So the Matches
 * `evaluate` returns stay valid only until its next call; callers use them synchronously.
 */
const POOLED = 6;
const pool: Matches[] = [];
let taken = 0;

/** `why` is there from the start: added later, it changed a pooled object's shape and deoptimized runGroup at every query. */
function emptyMatches(cap: number): Matches {
  if (taken >= POOLED) return { docs: new Int32Array(cap), scores: new Float64Array(cap), masks: new Int32Array(cap), n: 0, why: undefined };
  let m = pool[taken];
  if (!m || m.docs.length < cap) {
    const size = Math.max(cap, Math.ceil((m?.docs.length ?? 0) * 1.5), 1024);
    m = { docs: new Int32Array(size), scores: new Float64Array(size), masks: new Int32Array(size), n: 0, why: undefined };
    pool[taken] = m;
  }
  taken++;
  m.n = 0;
  return m;
}

/**
 * Union of two ascending match lists; a doc in both keeps the higher score and both bits. One loop
 * and no tail loops (as resolve-forms.ts's `union`): code after a loop that had not run yet threw
 * the compiled loop away the first time it did, mid-query.
 */
function merge(a: Matches, b: Matches): Matches {
  const out = emptyMatches(a.n + b.n);
  const { docs: ad, scores: as, masks: am, n: an } = a;
  const { docs: bd, scores: bs, masks: bm, n: bn } = b;
  let i = 0;
  let j = 0;
  let n = 0;
  while (i < an || j < bn) {
    const da = i < an ? ad[i]! : 0x7fffffff;
    const db = j < bn ? bd[j]! : 0x7fffffff;
    if (da === db) {
      out.docs[n] = da;
      out.scores[n] = Math.max(as[i]!, bs[j]!);
      out.masks[n++] = am[i++]! | bm[j++]!;
    } else if (da < db) {
      out.docs[n] = da;
      out.scores[n] = as[i]!;
      out.masks[n++] = am[i++]!;
    } else {
      out.docs[n] = db;
      out.scores[n] = bs[j]!;
      out.masks[n++] = bm[j++]!;
    }
  }
  out.n = n;
  return out;
}

/** Every paper matching `q`, in ascending doc order, with scores; valid until the next call. */
export function evaluate(ix: IndexData, q: ExpandedQuery): Matches {
  taken = 0;
  resetScratch();
  const why = new Map<Clause, (doc: number) => number>();
  const exclude: Compiled[] = [];
  for (const c of q.exclude) {
    const k = compileForms(ix, c, why);
    if (k) exclude.push(k); // an excluded word no paper holds excludes nothing
  }
  let result: Matches | undefined;
  q.groups.forEach((g, gi) => {
    const compiled: Compiled[] = [];
    for (const c of g.clauses) {
      const k = compileForms(ix, c, why);
      if (!k) return; // a clause no paper holds: the group matches nothing
      compiled.push(k);
    }
    // The rarest clause drives its group: one of several forms is resolved to one list first.
    compiled.sort((x, y) => x.est - y.est);
    if (compiled[0]!.alts) compiled[0] = materialize(ix, compiled[0]!, why);
    // An exclusion of several forms no rarer than half the driver is resolved to one list too (and
    // kept like any): walked by cursor, it costs less than checking each of its forms per paper.
    for (let x = 0; x < exclude.length; x++) if (exclude[x]!.alts && exclude[x]!.est <= 2 * compiled[0]!.est) exclude[x] = materialize(ix, exclude[x]!, why);
    // Every match is a live paper holding the driver: at most its document frequency.
    const m = emptyMatches(compiled[0]!.est);
    for (const seg of ix.segments) {
      let ok = true;
      for (const c of compiled) if (!focus(ix, c, seg)) ok = false;
      if (!ok) continue;
      for (const x of exclude) focus(ix, x, seg);
      // A resolved list holds live papers only; a segment's own lists, unless it lost some.
      runGroup(ix, compiled, exclude, gi, m, compiled[0]!.whole !== undefined || ix.deadDocs?.(seg) === 0);
    }
    result = result ? merge(result, m) : m;
  });
  const out = result ?? emptyMatches(0);
  out.why = why;
  return out;
}
