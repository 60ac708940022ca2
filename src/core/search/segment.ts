/**
 * A segment: the postings of one ascending range of doc numbers, made once (by an add or a merge)
 * and never changed after, so a file layer writes each once. The index holds a list of them in
 * ascending doc order; a lookup evaluates each and concatenates their matches.
 */
import { Postings, type Rows, type TermPostings } from './postings.ts';

export interface Segment {
  /** Stable unique name (the file layer names the segment's file after it). */
  readonly id: string;
  /** Docs `firstDoc..endDoc - 1`; some may be removed (the per-doc `alive` says). */
  readonly firstDoc: number;
  readonly endDoc: number;
  /** Docs of the range already removed when the segment was made: its postings do not hold them. */
  readonly holes: number;
  readonly text: Postings;
  readonly authors: Postings;
  /** Phrases of common terms kept as lists of where they start (phrases.ts): derived, never written to files. */
  readonly phrases: Map<string, TermPostings>;
}

export function makeSegment(id: string, firstDoc: number, endDoc: number, text: Rows, authors: Rows, holes = 0): Segment {
  return { id, firstDoc, endDoc, holes, text: new Postings(text), authors: new Postings(authors), phrases: new Map() };
}

/** Index in `segments` (ascending, disjoint) of the one holding `doc`, -1 if none. */
export function segmentOf(segments: readonly Segment[], doc: number): number {
  let lo = 0;
  let hi = segments.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    const s = segments[mid]!;
    if (doc < s.firstDoc) hi = mid - 1;
    else if (doc >= s.endDoc) lo = mid + 1;
    else return mid;
  }
  return -1;
}

/** Bytes held by a segment's postings. */
export function segmentBytes(s: Segment): number {
  return s.text.bytes() + s.authors.bytes();
}
