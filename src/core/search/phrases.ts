/**
 * Kept phrases: where a run of common terms stands together in one segment's papers ("large
 * language model"), as one list of the papers and the positions where it starts, read like a term.
 *
 * An acronym's long form made of common words is aligned in tens of thousands of papers whenever a
 * clause reads it (`LLMs`, `LLM reasoning`, `large language models`...). A segment never changes,
 * so it is aligned there once: when the segment is made, for the long forms of the acronyms the
 * papers use most (`keepCommonPhrases`), and on first use for any other long form. Only forms whose
 * rarest term is common are kept (a rare term makes aligning cheap), and a segment keeps at most a
 * share of its own size. Weights are not kept, what they are made of is (`PhraseFields`): a
 * resolution weighs each paper with the field averages of that moment, so a kept phrase answers
 * exactly as aligning afresh.
 */
import { holdAll, run, runSet, runStarts } from './align.ts';
import type { Interner } from './interner.ts';
import type { Lexicon } from './lexicon.ts';
import { FIELDS } from './evaluate.ts';
import { NO_POSTINGS, type TermPostings } from './postings.ts';
import { segmentBytes, type Segment } from './segment.ts';

/** A phrase is kept when its rarest term is in at least this many of the segment's papers. */
export const PHRASE_MIN_DOCS = 1024;
/** An acronym (or a hyphenated compound) is used often when at least this share of the live papers holds it. */
const COMMON_ACRONYM = 0.01;
/** A segment's kept phrases take at most this share of its postings' bytes. */
const MAX_SHARE = 1 / 16;

const NO_IMPACTS = new Uint16Array(0);
const bytesOf = (p: TermPostings) => p.n * (8 + FIELDS * 4) + p.pos.length * 2;

/** The terms' segment lists, or undefined when one is missing or the rarest is too rare to keep. */
function costlyLists(seg: Segment, text: Interner, terms: string[]): TermPostings[] | undefined {
  if (terms.length < 2) return undefined;
  const lists: TermPostings[] = [];
  for (const t of terms) {
    const l = seg.text.get(text.termId(t)) ?? NO_POSTINGS;
    if (l.n < PHRASE_MIN_DOCS) return undefined;
    lists.push(l);
  }
  return lists;
}

/**
 * The kept phrase `terms` in `seg`, aligned now if it is costly and the segment has room; undefined
 * when it is not worth keeping (the caller aligns the terms as they are).
 */
export function phraseIn(ix: FieldData, seg: Segment, text: Interner, terms: string[]): TermPostings | undefined {
  const key = terms.join(' ');
  const kept = seg.phrases.get(key);
  if (kept) return kept;
  const lists = costlyLists(seg, text, terms);
  if (!lists) return undefined;
  let used = 0;
  for (const p of seg.phrases.values()) used += bytesOf(p);
  if (used > segmentBytes(seg) * MAX_SHARE) return undefined;
  const p = align(ix, lists, terms);
  seg.phrases.set(key, p);
  return p;
}

/**
 * What a kept phrase's weight in each of its papers is made of, per paper and field: occurrences
 * and the field's length. A resolution weighs a paper from them with the field
 * averages of the moment (`keptWeight`), exactly as from the positions, without reading the
 * paper's positions or field ends (a cache miss each, in thousands of papers).
 */
export interface PhraseFields {
  tfs: Uint16Array;
  lens: Uint16Array;
}

const fieldsOf = new WeakMap<TermPostings, PhraseFields>();

/** The fields of a kept phrase's papers (undefined: `list` is not a kept phrase). */
export function phraseFields(list: TermPostings): PhraseFields | undefined {
  return fieldsOf.get(list);
}

/** Every paper of the lists where `terms` stand together, with where each occurrence starts. */
function align(ix: FieldData, lists: TermPostings[], terms: string[]): TermPostings {
  const byTerm = new Map(terms.map((t, i) => [t, lists[i]!]));
  const rs = runSet([terms], (t) => byTerm.get(t)!);
  let d = 0;
  for (let t = 1; t < rs.lists.length; t++) if (rs.lists[t]!.n < rs.lists[d]!.n) d = t;
  const dl = rs.lists[d]!;
  const docs = new Uint32Array(dl.n);
  const offs = new Uint32Array(dl.n + 1);
  let pos = new Uint16Array(Math.max(16, dl.n));
  let n = 0;
  let q = 0;
  for (let i = 0; i < dl.n; i++) {
    rs.at[d] = i;
    const all = holdAll(rs, dl.docs[i]!);
    if (all < 0) break;
    if (all === 0) continue;
    const k = run(rs, 0);
    if (k === 0) continue;
    if (q + k > pos.length) {
      const grown = new Uint16Array(Math.max(q + k, pos.length * 2));
      grown.set(pos.subarray(0, q));
      pos = grown;
    }
    pos.set(runStarts().subarray(0, k), q);
    docs[n] = dl.docs[i]!;
    offs[n++] = q;
    q += k;
  }
  offs[n] = q;
  const kept: TermPostings = { docs: docs.slice(0, n), offs: offs.slice(0, n + 1), pos: pos.slice(0, q), imp: NO_IMPACTS, n };
  fieldsOf.set(kept, fieldsOfDocs(ix, kept));
  return kept;
}

/** Where a paper's fields end and how long they are (the index's per-paper arrays). */
export interface FieldData {
  fieldEnd: Uint16Array;
  fieldLen: Uint16Array;
}

function fieldsOfDocs(ix: FieldData, p: TermPostings): PhraseFields {
  const tfs = new Uint16Array(p.n * FIELDS);
  const lens = new Uint16Array(p.n * FIELDS);
  for (let i = 0; i < p.n; i++) {
    const base = p.docs[i]! * FIELDS;
    const e0 = ix.fieldEnd[base]!;
    const e1 = ix.fieldEnd[base + 1]!;
    const e2 = ix.fieldEnd[base + 2]!;
    for (let q = p.offs[i]!; q < p.offs[i + 1]!; q++) {
      const at = p.pos[q]!;
      const f = i * FIELDS + (at < e0 ? 0 : at < e1 ? 1 : at < e2 ? 2 : 3);
      tfs[f]!++;
    }
    for (let f = 0; f < FIELDS; f++) lens[i * FIELDS + f] = ix.fieldLen[base + f]!;
  }
  return { tfs, lens };
}

/**
 * Keeps in `seg` the costly long forms of the acronyms that COMMON_ACRONYM of the live papers use,
 * and the spaced forms of compounds written hyphenated as often: those the topics and lookups of
 * the day read most, so the first of them is not the slow one.
 */
export function keepCommonPhrases(ix: FieldData, seg: Segment, text: Interner, textDf: Int32Array, live: number, lexicon: Lexicon): void {
  const common = Math.max(PHRASE_MIN_DOCS, live * COMMON_ACRONYM);
  for (const short of lexicon.shortForms()) {
    const id = text.termId(short);
    if (id === undefined || (textDf[id] ?? 0) < common) continue;
    for (const e of lexicon.expansions(short)) for (const long of e.variants) phraseIn(ix, seg, text, long);
  }
  // Compounds written hyphenated as often ("multi-modal", "pre-training") whose joined form is as
  // common a word ("multimodal"): a topic of the joined word also reads the pair (expand.ts).
  text.hyphens.forEach((a, b, n) => {
    if (n < common) return;
    const pair = [text.terms[a]!, text.terms[b]!];
    const joined = text.termId(pair[0]! + pair[1]!);
    if (joined !== undefined && (textDf[joined] ?? 0) >= common) phraseIn(ix, seg, text, pair);
  });
}
