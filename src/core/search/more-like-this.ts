/**
 * "More like this" over the search index, as arxiv-sanity does it: the paper's own most
 * distinctive terms (tf-idf over its title, AI keywords, summary and abstract, weighted like a
 * search) become one BM25 query run on the index's postings; the paper itself is left out and the
 * newest wins a tie. Each neighbour says what it shares: the two-word phrases of the paper it also
 * has ("diffusion transformer"), then single distinctive terms.
 */
import type { Paper, PaperHit } from '../model/paper.ts';
import { FIELD_WEIGHTS, FIELDS, type IndexData } from './evaluate.ts';
import { IMPACT_SCALE, NO_POSTINGS, seek, type TermPostings } from './postings.ts';
import { segmentOf, type Segment } from './segment.ts';
import { topK } from './top-k.ts';

/** Terms of the paper that form the query. */
const QUERY_TERMS = 25;
/** Neighbours re-scored by the phrases they share, before the cut to `limit`. */
const RERANK = 12;
const SHARED_SHOWN = 4;
/** Postings scored in full per call; past it, commoner terms only re-score the best POOL candidates. */
const POSTINGS_BUDGET = 30_000;
const POOL = 500;
/**
 * idf saturates here: past it, a rarer word (a method's name, a benchmark) is not worth more than
 * the paper's subject ("diffusion"), which its title and keywords repeat. Measured on the corpus:
 * uncapped, a diffusion paper's neighbours were diffusion papers 75% of the time; capped at 2, 94%.
 */
const IDF_CAP = 2;

/** Words that say nothing about a topic, however rare they are in a small index. */
const STOP = new Set(
  ('a an and are as at be by can do for from has have how in into is it its of on or our over that the their this to via we what when which ' +
    'while with without based using use new paper propose proposed show shows method methods approach model models result results task tasks ' +
    'learning data performance state art existing also both more than these such each between through however further high').split(' '),
);

/** What the index lends to more-like-this: its term data plus doc lookups. */
export interface LikeIndex extends Pick<IndexData, 'text' | 'segments' | 'textDf' | 'alive' | 'live' | 'fieldEnd'> {
  docOf(id: string): number | undefined;
  paperAt(doc: number): Paper | undefined;
  dayAt(doc: number): string;
  ids: readonly string[];
}

export interface LikeResult {
  paper: Paper;
  /** Neighbours, closest first; `matched` holds what each shares with `paper`. */
  hits: PaperHit[];
  /** The paper's terms the search used, most distinctive first. */
  terms: string[];
}

let acc = new Float64Array(0);
let seen = new Uint8Array(0);

/** Term `t`'s postings in the segment holding `doc`. */
function listAt(ix: LikeIndex, seg: Segment | undefined, t: number): TermPostings {
  return seg?.text.get(t) ?? NO_POSTINGS;
}

/** Positions of term `t` in `doc` (of segment `seg`), empty when it does not hold it. */
function positionsIn(seg: Segment | undefined, t: number, doc: number): Uint16Array {
  const l = seg?.text.get(t);
  if (!l) return EMPTY;
  const i = seek(l, 0, doc);
  return i < l.n && l.docs[i] === doc ? l.pos.subarray(l.offs[i]!, l.offs[i + 1]!) : EMPTY;
}
const EMPTY = new Uint16Array(0);

/**
 * The runs of term ids of doc `doc` (each keyword, and each field, its own run: the index leaves a
 * gap position between them), read back from its segment's postings, in text order.
 */
function runsOf(ix: LikeIndex, doc: number): { field: number; ids: number[] }[] {
  const seg = ix.segments[segmentOf(ix.segments, doc)];
  if (!seg) return [];
  const end = ix.fieldEnd[doc * FIELDS + FIELDS - 1]!;
  const at = new Int32Array(end).fill(-1);
  const r = seg.text.rows;
  const ts = r.termStart;
  for (let t = 0; t + 1 < ts.length; t++) {
    const s = ts[t]!;
    const e = ts[t + 1]!;
    if (e === s || r.docs[s]! > doc || r.docs[e - 1]! < doc) continue;
    let lo = s;
    let hi = e - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (r.docs[mid]! < doc) lo = mid + 1;
      else hi = mid;
    }
    if (r.docs[lo] !== doc) continue;
    for (let k = r.offs[lo]!; k < r.offs[lo + 1]!; k++) at[r.pos[k]!] = t;
  }
  const runs: { field: number; ids: number[] }[] = [];
  let field = 0;
  let run: number[] = [];
  for (let p = 0; p <= end; p++) {
    const t = p < end ? at[p]! : -1;
    if (t >= 0) {
      if (run.length === 0) while (field < FIELDS - 1 && p >= ix.fieldEnd[doc * FIELDS + field]!) field++;
      run.push(t);
    } else if (run.length) {
      runs.push({ field, ids: run });
      run = [];
    }
  }
  return runs;
}

function idfOf(ix: LikeIndex, term: number): number {
  const N = Math.max(ix.live, 1);
  const df = Math.min(ix.textDf[term] ?? 0, N);
  return Math.log(1 + (N - df + 0.5) / (df + 0.5));
}

const pairKey = (a: number, b: number) => a * 4_194_304 + b;

/** "Representation Autoencoders (RAE)": the acronym after its expansion is not a phrase of its own. */
function acronymOf(prev: string | undefined, a: string, b: string): boolean {
  return prev !== undefined && b.length <= 6 && b[0] === prev[0] && b.includes(a[0] ?? '');
}

/** The k-th largest value (1-based) of `a` by quickselect; reorders `a`. */
function kthLargest(a: Float64Array, k: number): number {
  if (a.length <= k) return -Infinity;
  let lo = 0;
  let hi = a.length - 1;
  const want = k - 1;
  while (lo < hi) {
    const pivot = a[(lo + hi) >>> 1]!;
    let i = lo;
    let j = hi;
    while (i <= j) {
      while (a[i]! > pivot) i++;
      while (a[j]! < pivot) j--;
      if (i <= j) {
        const t = a[i]!;
        a[i++] = a[j]!;
        a[j--] = t;
      }
    }
    if (want <= j) hi = j;
    else if (want >= i) lo = i;
    else break;
  }
  return a[want]!;
}

/** The paper's own card, its runs and its neighbours. */
export function moreLikeThis(ix: LikeIndex, id: string, limit = 5): LikeResult | undefined {
  const self = ix.docOf(id);
  const paper = self === undefined ? undefined : ix.paperAt(self);
  if (self === undefined || !paper) return undefined;
  const newerFirst = (a: number, b: number) => {
    const da = ix.dayAt(a);
    const db = ix.dayAt(b);
    return db > da ? 1 : db < da ? -1 : ix.ids[b]!.localeCompare(ix.ids[a]!);
  };
  const tf = new Map<number, number>();
  const runs = runsOf(ix, self);
  for (const { field, ids } of runs) for (const t of ids) tf.set(t, (tf.get(t) ?? 0) + FIELD_WEIGHTS[field]!);
  const idf = new Map<number, number>();
  const weight = new Map<number, number>();
  for (const [t, f] of tf) {
    const text = ix.text.terms[t] ?? '';
    if (text.length < 2 || STOP.has(text) || /^\d+$/.test(text)) continue;
    const i = idfOf(ix, t);
    // A term no other paper has finds nothing; one most papers have says nothing.
    if ((ix.textDf[t] ?? 0) < 2 || i < 1) continue;
    idf.set(t, i);
    weight.set(t, f * Math.min(i, IDF_CAP));
  }
  const query = [...weight].sort((a, b) => b[1] - a[1]).slice(0, QUERY_TERMS);
  if (acc.length < ix.alive.length) {
    acc = new Float64Array(ix.alive.length);
    seen = new Uint8Array(ix.alive.length);
  }
  // Rarer terms first, every posting scored, until the budget is spent; the commoner rest only
  // add to the best candidates found so far (looked up by seeking), which bounds the cost at 100k.
  const byDf = query.map(([t, w]) => ({ t, n: ix.textDf[t]!, f: w / IMPACT_SCALE })).sort((a, b) => a.n - b.n);
  const touched: number[] = [];
  let spent = 0;
  let k = 0;
  for (; k < byDf.length && (k === 0 || spent + byDf[k]!.n <= POSTINGS_BUDGET); k++) {
    const { t, n, f } = byDf[k]!;
    spent += n;
    for (const seg of ix.segments) {
      const l = listAt(ix, seg, t);
      for (let i = 0; i < l.n; i++) {
        const doc = l.docs[i]!;
        if (doc === self || !ix.alive[doc]) continue;
        if (!seen[doc]) {
          seen[doc] = 1;
          touched.push(doc);
        }
        acc[doc] = acc[doc]! + l.imp[i]! * f;
      }
    }
  }
  let pool = touched;
  if (k < byDf.length) {
    const floor = kthLargest(Float64Array.from(touched, (doc) => acc[doc]!), POOL);
    pool = touched.filter((doc) => acc[doc]! >= floor).sort((a, b) => a - b);
    for (; k < byDf.length; k++) {
      const { t, f } = byDf[k]!;
      let from = 0;
      for (const seg of ix.segments) {
        const l = listAt(ix, seg, t);
        let at = 0;
        for (; from < pool.length && pool[from]! < seg.endDoc; from++) {
          const doc = pool[from]!;
          at = seek(l, at, doc);
          if (at < l.n && l.docs[at] === doc) acc[doc] = acc[doc]! + l.imp[at]! * f;
        }
      }
    }
  }
  const scores = Float64Array.from(pool, (doc) => acc[doc]!);
  for (const doc of touched) {
    acc[doc] = 0;
    seen[doc] = 0;
  }
  const compare = (a: number, b: number) => scores[b]! - scores[a]! || newerFirst(pool[a]!, pool[b]!);
  const best = topK(pool.length, Math.max(RERANK, limit), compare, scores);
  // Phrases of the paper worth naming: two adjacent distinctive words; its title's and keywords' first.
  const phrases = new Map<number, { a: number; b: number; text: string; idf: number }>();
  for (const { field, ids: run } of runs) {
    for (let i = 1; i < run.length; i++) {
      const a = run[i - 1]!;
      const b = run[i]!;
      if (a === b || !idf.has(a) || !idf.has(b)) continue;
      const [ta, tb] = [ix.text.terms[a]!, ix.text.terms[b]!];
      if (acronymOf(i > 1 ? ix.text.terms[run[i - 2]!] : undefined, ta, tb)) continue;
      const key = pairKey(a, b);
      if (!phrases.has(key)) phrases.set(key, { a, b, text: `${ta} ${tb}`, idf: idf.get(a)! + idf.get(b)! + (field <= 1 ? 100 : 0) });
    }
  }
  const rank = new Map(query.map(([t], i) => [t, i]));
  const explained = best.map((m) => {
    const doc = pool[m]!;
    const seg = ix.segments[segmentOf(ix.segments, doc)];
    const sharedTerms = [...rank.keys()].filter((t) => positionsIn(seg, t, doc).length > 0);
    // A shared phrase: its two words adjacent in the neighbour; named in the order the neighbour first writes them.
    const sharedPhrases: { text: string; idf: number; at: number }[] = [];
    for (const ph of phrases.values()) {
      const pa = positionsIn(seg, ph.a, doc);
      if (pa.length === 0) continue;
      const pb = positionsIn(seg, ph.b, doc);
      let j = 0;
      for (const p of pa) {
        while (j < pb.length && pb[j]! < p + 1) j++;
        if (j < pb.length && pb[j] === p + 1) {
          sharedPhrases.push({ text: ph.text, idf: ph.idf, at: p });
          break;
        }
      }
    }
    const named = sharedPhrases.sort((a, b) => b.idf - a.idf || a.at - b.at);
    const inPhrase = new Set(named.flatMap((p) => p.text.split(' ')));
    const words = sharedTerms
      .sort((a, b) => rank.get(a)! - rank.get(b)!)
      .map((t) => ix.text.terms[t]!)
      .filter((w) => !inPhrase.has(w));
    const shares = [...named.map((p) => p.text), ...words].slice(0, SHARED_SHOWN);
    // A shared phrase is stronger evidence than its two words found apart.
    return { doc, score: scores[m]! * (1 + 0.15 * Math.min(named.length, 4)), matched: shares };
  });
  explained.sort((a, b) => b.score - a.score || newerFirst(a.doc, b.doc));
  const hits = explained.slice(0, Math.max(0, limit)).map(({ doc, score, matched }) => ({ paper: ix.paperAt(doc)!, score, matched }));
  return { paper, hits, terms: query.map(([t]) => ix.text.terms[t]!) };
}
