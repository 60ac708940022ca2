/**
 * "More like this" over the search index, as arxiv-sanity does it: the paper's own most
 * distinctive terms (tf-idf over its title, AI keywords, summary and abstract, weighted like a
 * search) become one BM25 query run on the index's postings; the paper itself is left out and the
 * newest wins a tie. Each neighbour says what it shares: the two-word phrases of the paper it also
 * has ("diffusion transformer"), then single distinctive terms.
 */
import type { Paper, PaperHit } from '../model/paper.ts';
import { FIELD_WEIGHTS, type IndexData } from './evaluate.ts';
import { IMPACT_SCALE, seek } from './postings.ts';
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
export interface LikeIndex extends Pick<IndexData, 'text' | 'textPost' | 'alive' | 'live'> {
  docOf(id: string): number | undefined;
  paperAt(doc: number): Paper | undefined;
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

function fieldsOf(p: Paper): (string | string[] | undefined)[] {
  return [p.title, p.aiKeywords, p.aiSummary, p.abstract];
}

/**
 * Calls `fn` with the term ids of each field of `p`, keyword by keyword (a phrase never spans
 * two keywords). The ids live in the interner's scan buffer: read them before the next scan.
 */
function eachRun(ix: LikeIndex, p: Paper, fn: (ids: Int32Array, n: number, field: number) => void): void {
  fieldsOf(p).forEach((v, field) => {
    for (const seg of Array.isArray(v) ? v : [v]) {
      if (typeof seg === 'string' && seg) fn(ix.text.buf, ix.text.scan(seg), field);
    }
  });
}

function idfOf(ix: LikeIndex, term: number): number {
  const N = Math.max(ix.live, 1);
  const df = Math.min(ix.textPost.get(term)?.n ?? 0, N);
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

const newerFirst = (a: Paper, b: Paper) => (b.listedOn > a.listedOn ? 1 : b.listedOn < a.listedOn ? -1 : b.id.localeCompare(a.id));

/** The papers closest to paper `id`, or undefined when the index does not hold it. */
export function moreLikeThis(ix: LikeIndex, id: string, limit = 5): LikeResult | undefined {
  const self = ix.docOf(id);
  const paper = self === undefined ? undefined : ix.paperAt(self);
  if (self === undefined || !paper) return undefined;
  const tf = new Map<number, number>();
  const runs: { field: number; ids: number[] }[] = [];
  eachRun(ix, paper, (ids, n, field) => {
    const run = Array.from(ids.subarray(0, n));
    runs.push({ field, ids: run });
    for (const t of run) tf.set(t, (tf.get(t) ?? 0) + FIELD_WEIGHTS[field]!);
  });
  const idf = new Map<number, number>();
  const weight = new Map<number, number>();
  for (const [t, f] of tf) {
    const text = ix.text.terms[t] ?? '';
    if (text.length < 2 || STOP.has(text) || /^\d+$/.test(text)) continue;
    const i = idfOf(ix, t);
    // A term no other paper has finds nothing; one most papers have says nothing.
    if ((ix.textPost.get(t)?.n ?? 0) < 2 || i < 1) continue;
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
  const byDf = query.map(([t, w]) => ({ l: ix.textPost.get(t)!, f: w / IMPACT_SCALE })).sort((a, b) => a.l.n - b.l.n);
  const touched: number[] = [];
  let spent = 0;
  let k = 0;
  for (; k < byDf.length && (k === 0 || spent + byDf[k]!.l.n <= POSTINGS_BUDGET); k++) {
    const { l, f } = byDf[k]!;
    spent += l.n;
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
  let pool = touched;
  if (k < byDf.length) {
    const floor = kthLargest(Float64Array.from(touched, (doc) => acc[doc]!), POOL);
    pool = touched.filter((doc) => acc[doc]! >= floor).sort((a, b) => a - b);
    for (; k < byDf.length; k++) {
      const { l, f } = byDf[k]!;
      let at = 0;
      for (const doc of pool) {
        at = seek(l, at, doc);
        if (at < l.n && l.docs[at] === doc) acc[doc] = acc[doc]! + l.imp[at]! * f;
      }
    }
  }
  const scores = Float64Array.from(pool, (doc) => acc[doc]!);
  for (const doc of touched) {
    acc[doc] = 0;
    seen[doc] = 0;
  }
  const compare = (a: number, b: number) => scores[b]! - scores[a]! || newerFirst(ix.paperAt(pool[a]!)!, ix.paperAt(pool[b]!)!);
  const best = topK(pool.length, Math.max(RERANK, limit), compare, scores);
  // Phrases of the paper worth naming: two adjacent distinctive words; its title's and keywords' first.
  const phrases = new Map<number, { text: string; idf: number }>();
  for (const { field, ids: run } of runs) {
    for (let i = 1; i < run.length; i++) {
      const a = run[i - 1]!;
      const b = run[i]!;
      if (a === b || !idf.has(a) || !idf.has(b)) continue;
      const [ta, tb] = [ix.text.terms[a]!, ix.text.terms[b]!];
      if (acronymOf(i > 1 ? ix.text.terms[run[i - 2]!] : undefined, ta, tb)) continue;
      const key = pairKey(a, b);
      if (!phrases.has(key)) phrases.set(key, { text: `${ta} ${tb}`, idf: idf.get(a)! + idf.get(b)! + (field <= 1 ? 100 : 0) });
    }
  }
  const rank = new Map(query.map(([t], i) => [t, i]));
  const explained = best.map((m) => {
    const other = ix.paperAt(pool[m]!)!;
    const sharedPhrases = new Set<{ text: string; idf: number }>();
    const sharedTerms = new Set<number>();
    eachRun(ix, other, (ids, n) => {
      for (let i = 0; i < n; i++) {
        const t = ids[i]!;
        if (rank.has(t)) sharedTerms.add(t);
        const ph = i > 0 ? phrases.get(pairKey(ids[i - 1]!, t)) : undefined;
        if (ph) sharedPhrases.add(ph);
      }
    });
    const named = [...sharedPhrases].sort((a, b) => b.idf - a.idf);
    const inPhrase = new Set(named.flatMap((p) => p.text.split(' ')));
    const words = [...sharedTerms]
      .sort((a, b) => rank.get(a)! - rank.get(b)!)
      .map((t) => ix.text.terms[t]!)
      .filter((w) => !inPhrase.has(w));
    const shares = [...named.map((p) => p.text), ...words].slice(0, SHARED_SHOWN);
    // A shared phrase is stronger evidence than its two words found apart.
    return { paper: other, score: scores[m]! * (1 + 0.15 * Math.min(named.length, 4)), matched: shares };
  });
  explained.sort((a, b) => b.score - a.score || newerFirst(a.paper, b.paper));
  return { paper, hits: explained.slice(0, Math.max(0, limit)), terms: query.map(([t]) => ix.text.terms[t]!) };
}
