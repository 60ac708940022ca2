/**
 * Paperboy's own inverted index (see evaluate.ts for matching and ranking). Memory stays small
 * because terms are interned once, postings and per-doc stats live in typed arrays, and no
 * per-paper token copy is kept: only the Paper objects themselves, to return them.
 *
 * What the index learns from the papers (issue 12), beside the postings, all rebuilt by adding
 * the papers again and all incremental:
 * - `learned` (lexicon.ts): acronym definitions mined from each abstract, with counts; a removed
 *   paper's are taken back. Plain data (`toJSON`/`load`) for a persisted index to keep.
 * - `text.hyphens` (interner.ts): how often each pair of terms was written hyphenated, the
 *   evidence for compounds ("multi-modal" = "multimodal").
 * - `days`: live papers per listing day ("matches of the last 7 stored days").
 * Term document frequencies (the vocabulary expansion checks against) are the postings' lengths.
 */
import { onHuggingFace, type Paper, type PaperHit } from '../model/paper.ts';
import type { SearchIndex } from '../ports.ts';
import { parseQuery, type ParsedQuery } from '../topics/parse.ts';
import { evaluate, fieldWeight, FIELDS, type IndexData, type Matches } from './evaluate.ts';
import { expandQuery, literalQuery, type ExpandedQuery } from './expand.ts';
import { describeReading, latestDays, type TopicReading } from './explain.ts';
import { Interner } from './interner.ts';
import { Lexicon, type Vocabulary } from './lexicon.ts';
import { chunkRows, IMPACT_SCALE, MAX_POSITION, Postings, TokenStream, type Rows } from './postings.ts';
import { categoryMatches, filterMatches } from './source-filter.ts';
import { ranker, topK } from './top-k.ts';
import { moreLikeThis, type LikeResult } from './more-like-this.ts';

export const DEFAULT_LIMIT = 10;
/** Results a lookup returns by default at most; a larger `limit` (or Infinity) is honoured up to every match. */
export const MAX_LIMIT = 1000;
/** Papers tokenized per chunk: bounds the token stream (~2M tokens) held at once while building. */
const CHUNK = 8192;

function grown<T extends Uint8Array | Uint16Array | Int32Array>(a: T, need: number, make: (n: number) => T): T {
  if (need <= a.length) return a;
  const b = make(Math.max(need, a.length * 2));
  b.set(a);
  return b;
}

export interface IndexOptions {
  /**
   * Read topics through this lexicon instead of the index's own: a digest's small index of the
   * day's papers uses what the whole store has learned.
   */
  lexicon?: Lexicon;
  /** Today's literal matching (every word anywhere, no other forms): for comparisons only. */
  literal?: boolean;
}

export class PaperIndex implements SearchIndex, IndexData, Vocabulary {
  text = new Interner();
  authors = new Interner();
  textPost = new Postings();
  authorPost = new Postings();
  alive = new Uint8Array(64);
  fieldEnd = new Uint16Array(64 * FIELDS);
  fieldLen = new Uint16Array(64 * FIELDS);
  upvotes = new Int32Array(64);
  lenSum = new Float64Array(FIELDS);
  live = 0;
  /** Live papers Hugging Face never listed: when 0, queries without cat: need no source filter. */
  private arxivOnly = 0;
  private papers: (Paper | undefined)[] = [];
  private byId = new Map<string, number>();
  /** Live papers per listing day (for "matches of the last 7 stored days"). */
  private days = new Map<string, number>();
  /** Acronym definitions mined from the papers added here, with this index as vocabulary. */
  learned: Lexicon = new Lexicon(this);
  /** While a rebuild re-adds papers whose definitions `learned` already holds. */
  private relearning = false;
  private readonly opts: IndexOptions;

  constructor(papers?: Paper[], opts: IndexOptions = {}) {
    this.opts = opts;
    if (opts.literal) this.text.recordHyphens = false;
    if (papers?.length) this.add(papers);
  }

  /** The lexicon topics are read through. */
  get lexicon(): Lexicon {
    return this.opts.lexicon ?? this.learned;
  }

  df(term: string): number {
    return this.textPost.get(this.text.termId(term))?.n ?? 0;
  }

  hyphenated(a: string, b: string): number {
    return this.text.hyphenCount(a, b);
  }

  /** A parsed query with each clause's forms, as this index reads it. */
  expand(q: ParsedQuery): ExpandedQuery {
    return this.opts.literal ? literalQuery(q) : expandQuery(q, this.lexicon);
  }

  size(): number {
    return this.live;
  }

  add(papers: Paper[]): void {
    // The same id twice in one batch: the last wins, in its place.
    const batch = new Map<string, Paper>();
    for (const p of papers) {
      if (!p || typeof p.id !== 'string') continue;
      batch.delete(p.id);
      batch.set(p.id, p);
    }
    const list = [...batch.values()];
    const replaced = list.filter((p) => this.byId.has(p.id)).map((p) => p.id);
    if (replaced.length) this.remove(replaced);
    if (list.length) this.append(list);
  }

  /** Tokenizes `list` a chunk at a time into rows, scores them, then appends them to the postings. */
  private append(list: Paper[]): void {
    const first = this.papers.length;
    const need = first + list.length;
    this.alive = grown(this.alive, need, (n) => new Uint8Array(n));
    this.upvotes = grown(this.upvotes, need, (n) => new Int32Array(n));
    this.fieldEnd = grown(this.fieldEnd, need * FIELDS, (n) => new Uint16Array(n));
    this.fieldLen = grown(this.fieldLen, need * FIELDS, (n) => new Uint16Array(n));
    const big = list.length > CHUNK;
    const text = new TokenStream(big);
    const authors = new TokenStream();
    const textParts: Rows[] = [];
    const authorParts: Rows[] = [];
    let chunkStart = first;
    for (let i = 0; i < list.length; i++) {
      this.tokenize(list[i]!, text, authors);
      if (text.docs === CHUNK || i === list.length - 1) {
        textParts.push(chunkRows(text, chunkStart, this.text.terms.length, big));
        authorParts.push(chunkRows(authors, chunkStart, this.authors.terms.length));
        text.clear();
        authors.clear();
        chunkStart = this.papers.length;
      }
    }
    // Field-length averages are those after the batch; a rebuild refreshes them.
    for (const r of textParts) this.computeImpacts(r);
    this.textPost.append(textParts, this.text.terms.length);
    this.authorPost.append(authorParts, this.authors.terms.length);
  }

  private tokenize(p: Paper, text: TokenStream, authors: TokenStream): void {
    const doc = this.papers.length;
    this.papers.push(p);
    this.byId.set(p.id, doc);
    this.alive[doc] = 1;
    if (!onHuggingFace(p)) this.arxivOnly++;
    this.upvotes[doc] = Number.isFinite(p.upvotes) ? p.upvotes : 0;
    const fields: (string | string[] | undefined)[] = [p.title, p.aiKeywords, p.aiSummary, p.abstract];
    let pos = 0;
    for (let f = 0; f < FIELDS; f++) {
      const v = fields[f];
      let len = 0;
      // Each keyword is its own segment: a gap position keeps phrases from spanning two.
      for (const seg of Array.isArray(v) ? v : [v]) {
        if (typeof seg !== 'string' || !seg) continue;
        const n = this.text.scan(seg);
        const buf = this.text.buf;
        let i = 0;
        for (; i < n && pos < MAX_POSITION; i++) text.push(buf[i]!, pos++);
        len += i;
        if (pos < MAX_POSITION) pos++;
      }
      this.fieldLen[doc * FIELDS + f] = len;
      this.fieldEnd[doc * FIELDS + f] = pos;
      this.lenSum[f] = this.lenSum[f]! + len;
    }
    text.endDoc();
    // Definitions count the live papers: a removed or replaced paper's are taken back in `remove`.
    if (!this.opts.literal && !this.relearning) this.learned.learn(p.abstract);
    let apos = 0;
    for (const name of Array.isArray(p.authors) ? p.authors : []) {
      if (typeof name !== 'string') continue;
      const n = this.authors.scan(name, false);
      const buf = this.authors.buf;
      for (let i = 0; i < n && apos < MAX_POSITION; i++) authors.push(buf[i]!, apos++);
      if (apos < MAX_POSITION) apos++;
    }
    authors.endDoc();
    this.days.set(p.listedOn, (this.days.get(p.listedOn) ?? 0) + 1);
    this.live++;
  }

  /** Precomputes each posting's BM25 weight (idf aside), so a plain word is scored without reading its positions. */
  private computeImpacts(r: Rows): void {
    const { docs, offs, pos, imp } = r;
    for (let i = 0; i < docs.length; i++) {
      const w = fieldWeight(this, docs[i]!, pos, offs[i]!, offs[i + 1]!);
      imp[i] = Math.min(0xffff, Math.round(w * IMPACT_SCALE));
    }
  }

  remove(ids: string[]): void {
    for (const id of ids) {
      const doc = this.byId.get(id);
      if (doc === undefined) continue;
      this.byId.delete(id);
      this.alive[doc] = 0;
      const gone = this.papers[doc]!;
      const day = gone.listedOn;
      if (!this.opts.literal) this.learned.learn(gone.abstract, -1);
      this.days.set(day, (this.days.get(day) ?? 1) - 1);
      if (!onHuggingFace(this.papers[doc]!)) this.arxivOnly--;
      this.papers[doc] = undefined;
      for (let f = 0; f < FIELDS; f++) this.lenSum[f] = this.lenSum[f]! - this.fieldLen[doc * FIELDS + f]!;
      this.live--;
    }
    const dead = this.papers.length - this.live;
    if (dead > 1000 && dead > this.live) this.rebuild();
  }

  /** Drops removed docs from the postings by indexing the live papers afresh (definitions are kept). */
  private rebuild(): void {
    const keep = this.papers.filter((p): p is Paper => p !== undefined);
    const fresh = new PaperIndex([], this.opts);
    fresh.learned = this.learned;
    fresh.relearning = true;
    fresh.add(keep);
    fresh.relearning = false;
    Object.assign(this, fresh);
  }

  /** Ranked hits; `limit` any number (Infinity: every match), `total` always exact. */
  search(query: string, opts: { limit?: number; offset?: number } = {}): { hits: PaperHit[]; total: number } {
    return this.searchParsed(parseQuery(query), opts);
  }

  /** Like `search`, for a query parsed once (topic fan-out). */
  searchParsed(q: ParsedQuery, opts: { limit?: number; offset?: number } = {}): { hits: PaperHit[]; total: number } {
    const limit = clampInt(opts.limit, DEFAULT_LIMIT, Infinity);
    const offset = clampInt(opts.offset, 0, Number.MAX_SAFE_INTEGER);
    const x = this.expand(q);
    const m = this.matches(q, x);
    const compare = ranker(m, this.upvotes, (doc) => this.papers[doc]!.id);
    const order = topK(m.n, Math.min(m.n, offset + limit), compare, m.scores).slice(offset);
    return { hits: order.map((i) => this.hit(x, m, i, q.categories)), total: m.n };
  }

  /** Text matches with the query's source rule applied (source-filter.ts). */
  private matches(q: ParsedQuery, x: ExpandedQuery): Matches {
    if (q.groups.length === 0) {
      const excluded = new Set<number>();
      if (x.exclude.length) {
        const hit = evaluate(this, { source: x.source, groups: x.exclude.map((c) => ({ clauses: [c] })), exclude: [] });
        for (let i = 0; i < hit.n; i++) excluded.add(hit.docs[i]!);
      }
      return categoryMatches(this.livePapers(), q.categories ?? [], excluded);
    }
    const m = evaluate(this, x);
    // Without arXiv-only papers and without cat:, every match stands.
    if (q.categories?.length || this.arxivOnly > 0) filterMatches(m, q, (doc) => this.papers[doc]!);
    return m;
  }

  private *livePapers(): Generator<[number, Paper]> {
    for (let doc = 0; doc < this.papers.length; doc++) {
      const p = this.papers[doc];
      if (p && this.alive[doc]) yield [doc, p];
    }
  }

  /** How `query` is read (its other forms) and what it matches over the latest `days` listing days. */
  explain(query: string, days = 7): TopicReading {
    const q = parseQuery(query);
    const x = this.expand(q);
    const m = evaluate(this, x);
    const matched: Paper[] = [];
    for (let i = 0; i < m.n; i++) matched.push(this.papers[m.docs[i]!]!);
    return describeReading(x, (t) => this.df(t) > 0, matched, latestDays(this.days, days));
  }

  /** "LLM (as "large language models")" when a clause matched through another form. */
  private hit(q: ExpandedQuery, m: Matches, i: number, categories?: string[]): PaperHit {
    const mask = m.masks[i]!;
    const doc = m.docs[i]!;
    const matched: string[] = q.groups.length === 0 ? (categories ?? []).map((c) => `cat:${c}`) : [];
    q.groups.forEach((g, gi) => {
      if (!(mask & (1 << gi))) return;
      for (const { clause, forms } of g.clauses) {
        const f = m.why?.get(clause)?.(doc) ?? 0;
        const shown = forms[f]?.shown;
        const text = f === 0 || !shown ? clause.text : `${clause.text} (as "${shown}")`;
        if (!matched.includes(text)) matched.push(text);
      }
    });
    return { paper: this.papers[doc]!, score: m.scores[i]!, matched };
  }

  /** The internal number of paper `id`, if indexed. */
  docOf(id: string): number | undefined {
    return this.byId.get(id);
  }

  paperAt(doc: number): Paper | undefined {
    return this.papers[doc];
  }

  /** The papers closest to paper `id` by its distinctive terms (see more-like-this.ts). */
  like(id: string, opts: { limit?: number } = {}): LikeResult | undefined {
    return moreLikeThis(this, id, clampInt(opts.limit, 5, MAX_LIMIT));
  }

  /** Approximate bytes held by postings (for benchmarks). */
  postingBytes(): number {
    return this.textPost.bytes() + this.authorPost.bytes();
  }
}

function clampInt(v: number | undefined, dflt: number, max: number): number {
  if (v === undefined || Number.isNaN(v)) return dflt;
  if (v === Infinity) return max;
  return Math.max(0, Math.min(max, Math.floor(v)));
}

/** The index behind `/papers` and digests. */
export function createSearchIndex(papers?: Paper[], opts?: IndexOptions): PaperIndex {
  return new PaperIndex(papers, opts);
}
