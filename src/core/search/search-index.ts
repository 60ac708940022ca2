/**
 * Paperboy's own inverted index (see evaluate.ts for matching and ranking). Memory stays small
 * because terms are interned once, postings and per-doc stats live in typed arrays, and no
 * per-paper token copy is kept: per paper only a compact card (card.ts) to render hits from.
 *
 * The postings are a list of immutable segments (segment.ts), each over an ascending range of doc
 * numbers: `add` tokenizes its batch into one new segment (older ones are not touched), and
 * `mergeStep` merges segments in the background, a bounded slice at a time (segment-merge.ts).
 * What changes per add is global and per doc: the arrays below (liveness, field lengths, upvotes,
 * text hash, day, source), the append-only term dictionaries and their document frequencies, the
 * lexicon, the hyphen counts. `snapshot`/`restore` (snapshot.ts) turn all of it into plain data
 * and back without tokenizing.
 *
 * What the index learns from the papers (issue 12), beside the postings, all incremental:
 * - `learned` (lexicon.ts): acronym definitions mined from each abstract, with counts; a removed
 *   paper's are taken back (each doc keeps the definitions it gave).
 * - `text.hyphens` (interner.ts): how often each pair of terms was written hyphenated, the
 *   evidence for compounds ("multi-modal" = "multimodal").
 * - `days`: live papers per listing day ("matches of the last 7 stored days").
 * Term document frequencies (`textDf`, `authorDf`) count live papers over all segments.
 */
import { onHuggingFace, type Paper, type PaperHit } from '../model/paper.ts';
import type { SearchIndex } from '../ports.ts';
import { parseQuery, type ParsedQuery } from '../topics/parse.ts';
import { mineDefinitions, type Mined } from './acronyms.ts';
import { fromCard, toCard } from './card.ts';
import { evaluate, fieldWeight, FIELDS, type IndexData, type Matches } from './evaluate.ts';
import { expandQuery, literalQuery, type ExpandedQuery } from './expand.ts';
import { describeReading, latestDays, type TopicReading } from './explain.ts';
import { Interner } from './interner.ts';
import { Lexicon, type Vocabulary } from './lexicon.ts';
import { chunkRows, concatRows, IMPACT_SCALE, MAX_POSITION, TokenStream, type Rows } from './postings.ts';
import { keepCommonPhrases } from './phrases.ts';
import { makeSegment, segmentBytes, segmentOf, type Segment } from './segment.ts';
import { MergeJob, pickMerge } from './segment-merge.ts';
import { fromSnapshot, SNAPSHOT_VERSION, type IndexSnapshot } from './snapshot.ts';
import { categoryMatches, filterMatches, type DocSource } from './source-filter.ts';
import { ranker, topK } from './top-k.ts';
import { moreLikeThis, type LikeResult } from './more-like-this.ts';

export const DEFAULT_LIMIT = 10;
/** Results a lookup returns by default at most; a larger `limit` (or Infinity) is honoured up to every match. */
export const MAX_LIMIT = 1000;
/** Papers tokenized per chunk: bounds the token stream (~2M tokens) held at once while building. */
const CHUNK = 8192;

export function grown<T extends Uint8Array | Uint16Array | Int32Array | Uint32Array>(a: T, need: number, make: (n: number) => T): T {
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
  /** False: align every phrase at every resolution, keeping none (phrases.ts; tests compare). */
  keepPhrases?: boolean;
}

/** What `mergeStep` did: nothing to merge, some merge work, or a merge finished (the segments changed). */
export type MergeState = 'idle' | 'working' | 'merged';

/** 32-bit FNV-1a of the indexed text fields: an add with the same hash only refreshes the signals. */
export function textHash(p: Paper): number {
  let h = 0x811c9dc5 | 0;
  const parts: unknown[] = [p.title, ...(Array.isArray(p.aiKeywords) ? p.aiKeywords : []), '\u0001', p.aiSummary, p.abstract, ...(Array.isArray(p.authors) ? p.authors : [])];
  for (const s of parts) {
    if (typeof s === 'string') for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
    h = Math.imul(h ^ 0x1f, 0x01000193);
  }
  return h >>> 0;
}

/** A paper's mined definitions as one string (`short\u0002long terms\u0002shown`, `\u0001` between). */
const packDefs = (defs: Mined[]) => defs.map((d) => `${d.short}\u0002${d.long.join(' ')}\u0002${d.shown}`).join('\u0001');

function unpackDefs(packed: string): Mined[] {
  if (!packed) return [];
  return packed.split('\u0001').map((d) => {
    const [short, long, shown] = d.split('\u0002') as [string, string, string];
    return { short, long: long.split(' '), shown };
  });
}

export class PaperIndex implements SearchIndex, IndexData, Vocabulary {
  text = new Interner();
  authors = new Interner();
  /** Ascending doc ranges; replaced (never changed in place) by an add or a finished merge. */
  segments: readonly Segment[] = [];
  textDf: Int32Array = new Int32Array(1024);
  authorDf: Int32Array = new Int32Array(1024);
  alive: Uint8Array = new Uint8Array(64);
  fieldEnd: Uint16Array = new Uint16Array(64 * FIELDS);
  fieldLen: Uint16Array = new Uint16Array(64 * FIELDS);
  upvotes: Int32Array = new Int32Array(64);
  /** Per doc: textHash of its indexed fields. */
  hashes: Uint32Array = new Uint32Array(64);
  /** Per doc: index into `dayNames` of its listing day. */
  dayOf: Int32Array = new Int32Array(64);
  /** Per doc: 1 when Hugging Face listed it. */
  onHf: Uint8Array = new Uint8Array(64);
  /** Per doc: index into `catLists` of its categories (0: none). */
  catOf: Int32Array = new Int32Array(64);
  dayNames: string[] = [];
  catLists: string[][] = [[]];
  /** Per doc: the paper's id, its card (card.ts), the definitions it taught ('' once removed). */
  ids: string[] = [];
  cards: string[] = [];
  defs: string[] = [];
  lenSum: Float64Array = new Float64Array(FIELDS);
  live = 0;
  /** Live papers Hugging Face never listed: when 0, queries without cat: need no source filter. */
  arxivOnly = 0;
  /** Per segment: removed papers its postings still hold (counted on first ask, kept up by `remove`). */
  private readonly deadBySegment = new WeakMap<Segment, number>();
  /** Grows whenever papers' texts are added or removed (for caches over the texts: resolved.ts). */
  version = 0;
  /** Live papers per listing day (for "matches of the last 7 stored days"). */
  days = new Map<string, number>();
  /** Acronym definitions mined from the papers added here, with this index as vocabulary. */
  learned: Lexicon = new Lexicon(this);
  /** Segment ids are `${name}-${n}`: unique across rebuilds of one directory. */
  name = Math.random().toString(36).slice(2, 10);
  nextSegment = 1;
  private byId = new Map<string, number>();
  private dayIds = new Map<string, number>();
  private catIds = new Map<string, number>([['', 0]]);
  private merge: MergeJob | undefined;
  private readonly opts: IndexOptions;

  constructor(papers?: Paper[], opts: IndexOptions = {}) {
    this.opts = opts;
    if (opts.literal) this.text.recordHyphens = false;
    if (papers?.length) this.add(papers);
  }

  /** An index from `snapshot()`'s data, without tokenizing. */
  static restore(s: IndexSnapshot, opts: IndexOptions = {}): PaperIndex {
    const ix = new PaperIndex([], opts);
    fromSnapshot(ix, s);
    ix.byId.clear();
    ix.ids.forEach((id, doc) => {
      if (ix.alive[doc]) ix.byId.set(id, doc);
    });
    ix.dayNames.forEach((d, i) => ix.dayIds.set(d, i));
    ix.catLists.forEach((c, i) => ix.catIds.set(c.join(' '), i));
    // Kept phrases are derived and never written: made again (a few ms at 100k papers).
    for (const seg of ix.segments) ix.keepPhrases(seg);
    return ix;
  }

  /** Plain data (typed arrays, strings, JSON-able objects) from which `restore` rebuilds this index. */
  snapshot(): IndexSnapshot {
    const n = this.ids.length;
    return {
      version: SNAPSHOT_VERSION,
      name: this.name,
      nextSegment: this.nextSegment,
      segments: this.segments.map((s) => ({ id: s.id, firstDoc: s.firstDoc, endDoc: s.endDoc, holes: s.holes, text: s.text.rows, authors: s.authors.rows })),
      docs: {
        count: n,
        ids: this.ids.slice(),
        cards: this.cards.slice(),
        defs: this.defs.slice(),
        alive: this.alive.slice(0, n),
        fieldEnd: this.fieldEnd.slice(0, n * FIELDS),
        fieldLen: this.fieldLen.slice(0, n * FIELDS),
        upvotes: this.upvotes.slice(0, n),
        hashes: this.hashes.slice(0, n),
        dayOf: this.dayOf.slice(0, n),
        onHf: this.onHf.slice(0, n),
        catOf: this.catOf.slice(0, n),
      },
      dayNames: this.dayNames.slice(),
      catLists: this.catLists.map((c) => c.join(' ')),
      textTerms: this.text.terms.slice(),
      authorTerms: this.authors.terms.slice(),
      textDf: this.textDf.slice(0, this.text.terms.length),
      authorDf: this.authorDf.slice(0, this.authors.terms.length),
      hyphens: this.text.hyphenData(),
      lexicon: this.learned.toJSON(),
      days: [...this.days],
      lenSum: Array.from(this.lenSum),
      live: this.live,
      arxivOnly: this.arxivOnly,
    };
  }

  /** Whether costly phrases are kept per segment (phrases.ts). */
  get keepsPhrases(): boolean {
    return this.opts.keepPhrases !== false;
  }

  /** The lexicon topics are read through. */
  get lexicon(): Lexicon {
    return this.opts.lexicon ?? this.learned;
  }

  df(term: string): number {
    const id = this.text.termId(term);
    return id === undefined ? 0 : this.textDf[id] ?? 0;
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

  /**
   * Adds or replaces papers. A paper whose indexed text (title, AI keywords, AI summary, abstract,
   * authors) is unchanged only has its signals and card refreshed in place (an upvote refresh);
   * the others go into one new segment.
   */
  add(papers: Paper[]): void {
    // The same id twice in one batch: the last wins, in its place.
    const batch = new Map<string, Paper>();
    for (const p of papers) {
      if (!p || typeof p.id !== 'string') continue;
      batch.delete(p.id);
      batch.set(p.id, p);
    }
    const fresh: Paper[] = [];
    const replaced: string[] = [];
    for (const p of batch.values()) {
      const doc = this.byId.get(p.id);
      if (doc !== undefined && this.hashes[doc] === textHash(p)) this.refresh(doc, p);
      else {
        if (doc !== undefined) replaced.push(p.id);
        fresh.push(p);
      }
    }
    if (replaced.length) this.remove(replaced);
    if (fresh.length) this.append(fresh);
    // A refresh of upvotes or cards leaves every clause resolved over the texts (resolved.ts) valid.
    if (fresh.length) this.version++;
  }

  /** New signals and card for a paper whose text is unchanged. */
  private refresh(doc: number, p: Paper): void {
    this.upvotes[doc] = Number.isFinite(p.upvotes) ? p.upvotes : 0;
    this.cards[doc] = toCard(p);
    const hf = onHuggingFace(p) ? 1 : 0;
    this.arxivOnly += this.onHf[doc]! - hf;
    this.onHf[doc] = hf;
    this.catOf[doc] = this.catId(p.categories);
    const day = this.dayId(p.listedOn);
    if (day !== this.dayOf[doc]) {
      this.countDay(this.dayNames[this.dayOf[doc]!]!, -1);
      this.countDay(p.listedOn, 1);
      this.dayOf[doc] = day;
    }
  }

  private countDay(day: string, n: number): void {
    this.days.set(day, (this.days.get(day) ?? 0) + n);
  }

  private dayId(day: string): number {
    return internIn(this.dayIds, this.dayNames, day, day);
  }

  private catId(cats: string[] | undefined): number {
    const list = Array.isArray(cats) ? cats.filter((c) => typeof c === 'string') : [];
    return internIn(this.catIds, this.catLists, list.join(' '), list);
  }

  /** Tokenizes `list` a chunk at a time into rows, scores them, and makes them one new segment. */
  private append(list: Paper[]): void {
    const first = this.ids.length;
    const need = first + list.length;
    this.alive = grown(this.alive, need, (n) => new Uint8Array(n));
    this.upvotes = grown(this.upvotes, need, (n) => new Int32Array(n));
    this.hashes = grown(this.hashes, need, (n) => new Uint32Array(n));
    this.dayOf = grown(this.dayOf, need, (n) => new Int32Array(n));
    this.onHf = grown(this.onHf, need, (n) => new Uint8Array(n));
    this.catOf = grown(this.catOf, need, (n) => new Int32Array(n));
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
        chunkStart = this.ids.length;
      }
    }
    // Field-length averages are those after the batch; impacts are kept as they are by merges.
    for (const r of textParts) this.computeImpacts(r);
    const textRows = concatRows(textParts, this.text.terms.length);
    const authorRows = concatRows(authorParts, this.authors.terms.length);
    this.textDf = addCounts(this.textDf, textRows);
    this.authorDf = addCounts(this.authorDf, authorRows);
    const seg = makeSegment(this.segmentId(), first, this.ids.length, textRows, authorRows);
    this.segments = [...this.segments, seg];
    this.deadBySegment.set(seg, 0);
    this.keepPhrases(seg);
  }

  /** Removed papers `seg`'s postings still hold (0: every posting is of a live paper). */
  deadDocs(seg: Segment): number {
    let n = this.deadBySegment.get(seg);
    if (n === undefined) this.deadBySegment.set(seg, (n = deadIn(seg, this.alive)));
    return n;
  }

  /** The long forms of the acronyms most papers use, aligned once in a new segment (phrases.ts). */
  keepPhrases(seg: Segment): void {
    if (!this.opts.literal && this.opts.keepPhrases !== false) keepCommonPhrases(this, seg, this.text, this.textDf, this.live, this.lexicon);
  }

  segmentId(): string {
    return `${this.name}-${this.nextSegment++}`;
  }

  private tokenize(p: Paper, text: TokenStream, authors: TokenStream): void {
    const doc = this.ids.length;
    this.ids.push(p.id);
    this.cards.push(toCard(p));
    this.byId.set(p.id, doc);
    this.alive[doc] = 1;
    this.hashes[doc] = textHash(p);
    this.onHf[doc] = onHuggingFace(p) ? 1 : 0;
    if (!this.onHf[doc]) this.arxivOnly++;
    this.catOf[doc] = this.catId(p.categories);
    this.dayOf[doc] = this.dayId(p.listedOn);
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
    const defs = this.opts.literal ? [] : mineDefinitions(p.abstract);
    this.learned.learnMined(defs);
    this.defs.push(packDefs(defs));
    let apos = 0;
    for (const name of Array.isArray(p.authors) ? p.authors : []) {
      if (typeof name !== 'string') continue;
      const n = this.authors.scan(name, false);
      const buf = this.authors.buf;
      for (let i = 0; i < n && apos < MAX_POSITION; i++) authors.push(buf[i]!, apos++);
      if (apos < MAX_POSITION) apos++;
    }
    authors.endDoc();
    this.countDay(p.listedOn, 1);
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
    const dying = new Map<number, number[]>();
    for (const id of ids) {
      const doc = this.byId.get(id);
      if (doc === undefined) continue;
      this.byId.delete(id);
      this.alive[doc] = 0;
      this.learned.learnMined(unpackDefs(this.defs[doc]!), -1);
      this.defs[doc] = '';
      this.cards[doc] = '';
      this.countDay(this.dayNames[this.dayOf[doc]!]!, -1);
      if (!this.onHf[doc]) this.arxivOnly--;
      for (let f = 0; f < FIELDS; f++) this.lenSum[f] = this.lenSum[f]! - this.fieldLen[doc * FIELDS + f]!;
      this.live--;
      const s = segmentOf(this.segments, doc);
      if (s >= 0) (dying.get(s) ?? dying.set(s, []).get(s)!).push(doc);
    }
    for (const [s, docs] of dying) {
      const seg = this.segments[s]!;
      const dead = this.deadBySegment.get(seg);
      if (dead !== undefined) this.deadBySegment.set(seg, dead + docs.length);
      takeCounts(this.textDf, seg.text.rows, seg.firstDoc, seg.endDoc, docs);
      takeCounts(this.authorDf, seg.authors.rows, seg.firstDoc, seg.endDoc, docs);
    }
    if (dying.size) this.version++;
  }

  /**
   * Does at most about `budgetMs` of merge work (see segment-merge.ts for the policy) and returns
   * at once; call it again (from a timer or setImmediate) while it says 'working' or 'merged'.
   * Lookups keep using the old segments until a merge is complete, then the merged one replaces
   * them in one assignment.
   */
  mergeStep(budgetMs = 10): MergeState {
    const deadline = performance.now() + budgetMs;
    if (!this.merge) {
      const run = pickMerge(this.segments, this.alive);
      if (!run) return 'idle';
      this.merge = new MergeJob(this.segments.slice(run[0], run[1]), this.segmentId(), () => this.alive);
    }
    if (!this.merge.step(deadline)) return 'working';
    const job = this.merge;
    this.merge = undefined;
    const at = this.segments.indexOf(job.inputs[0]!);
    const merged = job.result();
    if (merged) this.keepPhrases(merged);
    this.segments = [...this.segments.slice(0, at), ...(merged ? [merged] : []), ...this.segments.slice(at + job.inputs.length)];
    // Not a new version: the same live papers with the same texts, so the clauses resolved over
    // them (resolved.ts; doc lists, cut per segment at evaluation) still hold.
    return 'merged';
  }

  /** Merges every segment into one (tests, benchmarks, a compaction). */
  mergeAll(): void {
    while (this.merge) this.mergeStep(1000);
    if (this.segments.length <= 1 && !this.segments.some((s) => deadIn(s, this.alive) > 0)) return;
    this.merge = new MergeJob(this.segments.slice(), this.segmentId(), () => this.alive);
    while (this.mergeStep(1000) === 'working');
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
    const compare = ranker(m, this.upvotes, (doc) => this.ids[doc]!);
    const order = topK(m.n, Math.min(m.n, offset + limit), compare, m.scores).slice(offset);
    return { hits: order.map((i) => this.hit(x, m, i, q.categories)), total: m.n };
  }

  private source = (doc: number): DocSource => ({ hf: this.onHf[doc] === 1, categories: this.catLists[this.catOf[doc]!] });

  /** Text matches with the query's source rule applied (source-filter.ts). */
  private matches(q: ParsedQuery, x: ExpandedQuery): Matches {
    if (q.groups.length === 0) {
      const excluded = new Set<number>();
      if (x.exclude.length) {
        const hit = evaluate(this, { source: x.source, groups: x.exclude.map((c) => ({ clauses: [c] })), exclude: [] });
        for (let i = 0; i < hit.n; i++) excluded.add(hit.docs[i]!);
      }
      return categoryMatches(this.liveDocs(), q.categories ?? [], excluded);
    }
    const m = evaluate(this, x);
    // Without arXiv-only papers and without cat:, every match stands.
    if (q.categories?.length || this.arxivOnly > 0) filterMatches(m, q, this.source);
    return m;
  }

  private *liveDocs(): Generator<[number, DocSource]> {
    for (let doc = 0; doc < this.ids.length; doc++) if (this.alive[doc]) yield [doc, this.source(doc)];
  }

  /** How `query` is read (its other forms) and what it matches over the latest `days` listing days. */
  explain(query: string, days = 7): TopicReading {
    const q = parseQuery(query);
    const x = this.expand(q);
    const m = evaluate(this, x);
    const matched: string[] = [];
    for (let i = 0; i < m.n; i++) matched.push(this.dayNames[this.dayOf[m.docs[i]!]!]!);
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
    return { paper: this.paperAt(doc)!, score: m.scores[i]!, matched };
  }

  /** The internal number of paper `id`, if indexed. */
  docOf(id: string): number | undefined {
    return this.byId.get(id);
  }

  /** The card of doc `doc` (a Paper with its abstract cut to what renderers show, see card.ts). */
  paperAt(doc: number): Paper | undefined {
    const c = this.alive[doc] ? this.cards[doc] : undefined;
    return c ? fromCard(c) : undefined;
  }

  /** The listing day of doc `doc`. */
  dayAt(doc: number): string {
    return this.dayNames[this.dayOf[doc]!] ?? '';
  }

  /** The papers closest to paper `id` by its distinctive terms (see more-like-this.ts). */
  like(id: string, opts: { limit?: number } = {}): LikeResult | undefined {
    return moreLikeThis(this, id, clampInt(opts.limit, 5, MAX_LIMIT));
  }

  /** Approximate bytes held by postings (for benchmarks). */
  postingBytes(): number {
    let n = 0;
    for (const s of this.segments) n += segmentBytes(s);
    return n;
  }
}

/** The id of `key` in `ids`, `value` appended to `list` when new. */
function internIn<T>(ids: Map<string, number>, list: T[], key: string, value: T): number {
  let id = ids.get(key);
  if (id === undefined) {
    id = list.length;
    list.push(value);
    ids.set(key, id);
  }
  return id;
}

/** `df` plus each term's postings in `rows` (all live: a new segment). */
function addCounts(df: Int32Array, rows: Rows): Int32Array {
  const terms = rows.termStart.length - 1;
  const out = grown(df, terms, (n) => new Int32Array(n));
  const ts = rows.termStart;
  for (let t = 0; t < terms; t++) out[t] = out[t]! + ts[t + 1]! - ts[t]!;
  return out;
}

/**
 * Takes the removed `docs` (of one segment's range) out of `df`, term by term: a term's list is
 * scanned, or (a few docs against a long list) each doc looked up in it by binary search.
 */
function takeCounts(df: Int32Array, rows: Rows, firstDoc: number, endDoc: number, docs: number[]): void {
  const mark = new Uint8Array(endDoc - firstDoc);
  for (const d of docs) mark[d - firstDoc] = 1;
  const sorted = Int32Array.from(new Set(docs)).sort();
  const k = sorted.length;
  const lo = sorted[0]!;
  const hi = sorted[k - 1]!;
  const ts = rows.termStart;
  const dd = rows.docs;
  const terms = ts.length - 1;
  for (let t = 0; t < terms; t++) {
    const s = ts[t]!;
    const e = ts[t + 1]!;
    if (e === s || dd[s]! > hi || dd[e - 1]! < lo) continue;
    if (k * 8 < e - s) {
      for (let j = 0; j < k; j++) {
        const doc = sorted[j]!;
        let a = s;
        let b = e;
        while (a < b) {
          const m = (a + b) >>> 1;
          if (dd[m]! < doc) a = m + 1;
          else b = m;
        }
        if (a < e && dd[a] === doc) df[t]!--;
      }
      continue;
    }
    for (let i = s; i < e; i++) if (mark[dd[i]! - firstDoc]) df[t]!--;
  }
}

/** Removed docs whose postings `s` still holds. */
function deadIn(s: Segment, alive: Uint8Array): number {
  let dead = -s.holes;
  for (let d = s.firstDoc; d < s.endDoc; d++) dead += 1 - alive[d]!;
  return dead;
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
