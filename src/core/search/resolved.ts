/**
 * Resolved clauses kept between queries (resolve-forms.ts). A clause whose forms cost many papers'
 * worth of aligning — an acronym whose long form most papers write, `LLMs` also reading as "large
 * language model" — is resolved once per version of the index and read back after that: popular
 * topics and lookups repeat. Kept per index object and its `version` (bumped when papers' texts
 * come or go; not by merges or upvote refreshes, which leave every resolution valid), so any such
 * change drops them all; the oldest go first past MAX_BYTES.
 */
export interface Resolved {
  docs: Uint32Array;
  imp: Uint16Array;
  form: Uint8Array;
  n: number;
}

/** Bytes kept per index at most. */
export const MAX_BYTES = 32 * 2 ** 20;
/** Only clauses whose resolution walked at least this many postings are worth keeping. */
export const MIN_WORK = 4096;

interface Shelf {
  version: number;
  bytes: number;
  entries: Map<string, Resolved>;
}

const shelves = new WeakMap<object, Shelf>();

function shelfOf(ix: object, version: number): Shelf {
  let s = shelves.get(ix);
  if (!s || s.version !== version) shelves.set(ix, (s = { version, bytes: 0, entries: new Map() }));
  return s;
}

const sizeOf = (r: Resolved) => r.n * 7;

/** The clause `key` as resolved over this version of `ix`, if kept. */
export function recall(ix: object, version: number, key: string): Resolved | undefined {
  const s = shelfOf(ix, version);
  const r = s.entries.get(key);
  if (r) {
    // Most recently used last: eviction takes the first.
    s.entries.delete(key);
    s.entries.set(key, r);
  }
  return r;
}

/** Keeps a copy of `r` (its arrays may be scratch) as clause `key` over this version of `ix`. */
export function keep(ix: object, version: number, key: string, r: Resolved): void {
  const bytes = sizeOf(r);
  if (bytes > MAX_BYTES / 4) return;
  const s = shelfOf(ix, version);
  const old = s.entries.get(key);
  if (old) s.bytes -= sizeOf(old);
  s.entries.delete(key);
  const n = r.n;
  s.entries.set(key, { docs: r.docs.slice(0, n), imp: r.imp.slice(0, n), form: r.form.slice(0, n), n });
  s.bytes += bytes;
  for (const [k, e] of s.entries) {
    if (s.bytes <= MAX_BYTES) break;
    s.entries.delete(k);
    s.bytes -= sizeOf(e);
  }
}

/** How many clauses are kept for this version of `ix` (tests). */
export function keptCount(ix: object, version: number): number {
  return shelfOf(ix, version).entries.size;
}

/** Drops every clause kept for `ix` (benchmarks time a query's resolution afresh). */
export function forgetKept(ix: object): void {
  shelves.delete(ix);
}
