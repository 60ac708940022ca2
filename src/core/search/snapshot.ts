/**
 * The index as plain data (`PaperIndex.snapshot()` / `PaperIndex.restore()`): typed arrays, string
 * arrays and JSON-able objects, so a file layer can write it and load it back without tokenizing.
 *
 * What changes when:
 * - `segments`: each is immutable once made (write it once, name its file after `id`); an add
 *   appends one, a finished merge replaces adjacent ones by one with a new id.
 * - `docs`: per-doc arrays; an add appends docs, a remove or an upvote refresh changes entries of
 *   existing docs (alive, upvotes, cards, ...). Doc numbers never change.
 * - `textTerms`, `authorTerms`: append-only (ids are positions); `textDf`/`authorDf` change per add
 *   and remove; `hyphens`, `lexicon`, `days`, `lenSum`, `live`, `arxivOnly` change per add and remove.
 * Restoring takes ownership of the arrays given (the index writes into the per-doc ones).
 */
import type { LexiconData } from './lexicon.ts';
import { Interner, type HyphenData } from './interner.ts';
import { makeSegment } from './segment.ts';
import type { Rows } from './postings.ts';
import { FIELDS } from './evaluate.ts';
import type { PaperIndex } from './search-index.ts';

/** Bumped whenever the meaning of a field changes: a snapshot of another version is not restored. */
export const SNAPSHOT_VERSION = 1;

export interface SegmentSnapshot {
  id: string;
  firstDoc: number;
  endDoc: number;
  /** Docs of the range already removed when it was made (its postings do not hold them). */
  holes: number;
  text: Rows;
  authors: Rows;
}

export interface DocsSnapshot {
  /** Doc numbers are 0..count-1 (removed ones included, `alive` 0). */
  count: number;
  ids: string[];
  /** Per doc: its card as JSON (card.ts), '' once removed. */
  cards: string[];
  /** Per doc: the acronym definitions its abstract gave (packed), '' for none. */
  defs: string[];
  alive: Uint8Array;
  /** Per doc and field (FIELDS of them): end position and token count. */
  fieldEnd: Uint16Array;
  fieldLen: Uint16Array;
  upvotes: Int32Array;
  /** 32-bit hash of the indexed text fields (an unchanged paper is only refreshed). */
  hashes: Uint32Array;
  /** Index into `dayNames`. */
  dayOf: Int32Array;
  onHf: Uint8Array;
  /** Index into `catLists`. */
  catOf: Int32Array;
}

export interface IndexSnapshot {
  version: number;
  /** Segment ids are `${name}-${n}`; `nextSegment` is the next n. */
  name: string;
  nextSegment: number;
  /** Ascending, disjoint doc ranges. */
  segments: SegmentSnapshot[];
  docs: DocsSnapshot;
  dayNames: string[];
  /** Category lists, categories separated by spaces; entry 0 is the empty list. */
  catLists: string[];
  /** Term strings in id order (inflected text terms; author name words). */
  textTerms: string[];
  authorTerms: string[];
  /** Live docs per term id. */
  textDf: Int32Array;
  authorDf: Int32Array;
  hyphens: HyphenData;
  lexicon: LexiconData;
  days: [string, number][];
  lenSum: number[];
  live: number;
  arxivOnly: number;
}

function check(ok: boolean, what: string): void {
  if (!ok) throw new Error(`index snapshot: ${what}`);
}

/** Fills a fresh index from `s` (see PaperIndex.restore); throws on a snapshot that does not hang together. */
export function fromSnapshot(ix: PaperIndex, s: IndexSnapshot): void {
  check(s.version === SNAPSHOT_VERSION, `version ${s.version}, expected ${SNAPSHOT_VERSION}`);
  const d = s.docs;
  const n = d.count;
  check(d.ids.length === n && d.cards.length === n && d.defs.length === n, 'per-doc strings do not match the doc count');
  for (const a of [d.alive, d.upvotes, d.hashes, d.dayOf, d.onHf, d.catOf]) check(a.length === n, 'a per-doc array does not match the doc count');
  check(d.fieldEnd.length === n * FIELDS && d.fieldLen.length === n * FIELDS, 'field arrays do not match the doc count');
  check(s.textDf.length === s.textTerms.length && s.authorDf.length === s.authorTerms.length, 'document frequencies do not match the dictionaries');
  let end = 0;
  for (const g of s.segments) {
    check(g.firstDoc >= end && g.endDoc >= g.firstDoc && g.endDoc <= n, `segment ${g.id} is out of order`);
    check(g.text.termStart.length <= s.textTerms.length + 1 && g.authors.termStart.length <= s.authorTerms.length + 1, `segment ${g.id} names unknown terms`);
    end = g.endDoc;
  }
  ix.name = s.name;
  ix.nextSegment = s.nextSegment;
  ix.segments = s.segments.map((g) => makeSegment(g.id, g.firstDoc, g.endDoc, g.text, g.authors, g.holes ?? 0));
  ix.ids = d.ids;
  ix.cards = d.cards;
  ix.defs = d.defs;
  ix.alive = d.alive;
  ix.fieldEnd = d.fieldEnd;
  ix.fieldLen = d.fieldLen;
  ix.upvotes = d.upvotes;
  ix.hashes = d.hashes;
  ix.dayOf = d.dayOf;
  ix.onHf = d.onHf;
  ix.catOf = d.catOf;
  ix.dayNames = s.dayNames.slice();
  ix.catLists = s.catLists.map((c) => (c ? c.split(' ') : []));
  const recordHyphens = ix.text.recordHyphens;
  ix.text = Interner.restore(s.textTerms, s.hyphens);
  ix.text.recordHyphens = recordHyphens;
  ix.authors = Interner.restore(s.authorTerms);
  ix.textDf = s.textDf;
  ix.authorDf = s.authorDf;
  ix.learned.load(s.lexicon);
  ix.days = new Map(s.days);
  ix.lenSum = Float64Array.from(s.lenSum);
  ix.live = s.live;
  ix.arxivOnly = s.arxivOnly;
}
