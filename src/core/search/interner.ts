/**
 * The index's term dictionary and tokenizer hot path. Tokenizing 100k abstracts with regexes and
 * substrings costs seconds, so ASCII text is scanned by char code and each token is looked up in
 * an open-addressing table by hash and char comparison, without allocating a string for tokens
 * already seen. Any text holding a character that folding could change (letters, digits or marks
 * beyond ASCII, compatibility forms, surrogates) goes through `terms()` instead, so both paths give
 * exactly the tokens of the reference tokenizer in src/core/topics.
 */
import { fold, inflect } from '../topics/normalise.ts';
import { PairCounts } from './pair-counts.ts';

const FNV_OFFSET = 0x811c9dc5 | 0;
const FNV_PRIME = 0x01000193;
const SLOW_CHECK = /[\p{L}\p{N}\p{M}]/u;
const TOKEN = /[\p{L}\p{N}]+(?:['\u2019][\p{L}\p{N}]+)*/gu;

/** 1: ASCII letter or digit, 0: separator, 2: apostrophe; non-ASCII classified lazily in `wide`. */
const ASCII_CLASS = new Uint8Array(128);
for (let c = 48; c <= 57; c++) ASCII_CLASS[c] = 1;
for (let c = 65; c <= 90; c++) ASCII_CLASS[c] = 1;
for (let c = 97; c <= 122; c++) ASCII_CLASS[c] = 1;
ASCII_CLASS[39] = 2;

/** Per BMP char beyond ASCII: 0 unknown, 1 plain separator, 2 needs the slow path, 3 apostrophe. */
const wide = new Uint8Array(65536);
wide[0x2019] = 3;
function wideClass(c: number): number {
  let k = wide[c]!;
  if (k === 0) {
    if (c >= 0xd800 && c <= 0xdfff) k = 2;
    else {
      const ch = String.fromCharCode(c);
      k = SLOW_CHECK.test(ch) || ch.normalize('NFKC') !== ch ? 2 : 1;
    }
    wide[c] = k;
  }
  return k;
}

function grownFilled(a: Int32Array, n: number): Int32Array<ArrayBuffer> {
  const b = new Int32Array(n).fill(-1);
  b.set(a);
  return b;
}

/** Hyphen counts: `a-b` (term ids `a[i]`, `b[i]`) was written `counts[i]` times. */
export interface HyphenData {
  a: Int32Array;
  b: Int32Array;
  counts: Int32Array;
}

export class Interner {
  /** term id -> term text (inflected). */
  readonly terms: string[] = [];
  private readonly termIds = new Map<string, number>();
  /** raw token id -> raw token (folded, as written), its term id inflected and plain (-1: not yet). */
  private raw: string[] = [];
  private rawTerm = new Int32Array(1024).fill(-1);
  private rawPlain = new Int32Array(1024).fill(-1);
  /**
   * Open addressing, 4 ints per slot: hash, length, offset in `chars`, raw id (-1: empty). Keeping
   * them side by side costs one cache miss per probe; tokens are compared as char codes in `chars`
   * (not as strings), which is what made lookups cheap.
   */
  private table = new Int32Array(4 << 12);
  private slots = 1 << 12;
  private chars = new Uint16Array(1 << 14);
  private charsN = 0;
  /** Folded chars of the token being scanned. */
  private tok = new Uint16Array(256);
  /** Term ids of the last `scan`. */
  buf = new Int32Array(1024);
  /**
   * How often each pair of terms was written joined by a hyphen ("multi-modal"): the evidence that
   * "multimodal" and "multi modal" are one compound.
   */
  readonly hyphens = new PairCounts();
  /** Off for today's literal matching (benchmarks), which learns nothing. */
  recordHyphens = true;

  constructor() {
    for (let s = 0; s < this.slots; s++) this.table[4 * s + 3] = -1;
  }

  /**
   * A dictionary of `terms` (in id order) and hyphen counts, as `hyphenData` gave them. The
   * raw-token table starts empty and fills as text is scanned (each raw token maps to its term).
   */
  static restore(terms: readonly string[], hyphens?: HyphenData): Interner {
    const ix = new Interner();
    for (const t of terms) ix.internTerm(t);
    if (hyphens) for (let i = 0; i < hyphens.counts.length; i++) ix.hyphens.add(hyphens.a[i]!, hyphens.b[i]!, hyphens.counts[i]!);
    return ix;
  }

  /** The hyphen counts as plain arrays. */
  hyphenData(): HyphenData {
    const n = this.hyphens.size;
    const out: HyphenData = { a: new Int32Array(n), b: new Int32Array(n), counts: new Int32Array(n) };
    let i = 0;
    this.hyphens.forEach((a, b, c) => {
      out.a[i] = a;
      out.b[i] = b;
      out.counts[i++] = c;
    });
    return out;
  }

  termId(term: string): number | undefined {
    return this.termIds.get(term);
  }

  /** How often `a-b` was written (terms, inflected). */
  hyphenCount(a: string, b: string): number {
    const x = this.termIds.get(a);
    const y = this.termIds.get(b);
    return x === undefined || y === undefined ? 0 : this.hyphens.get(x, y);
  }

  private noteHyphen(a: number, b: number): void {
    this.hyphens.add(a, b);
  }

  private internTerm(term: string): number {
    let id = this.termIds.get(term);
    if (id === undefined) {
      id = this.terms.length;
      this.terms.push(term);
      this.termIds.set(term, id);
    }
    return id;
  }

  private push(n: number, id: number): number {
    if (n === this.buf.length) {
      const b = new Int32Array(n * 2);
      b.set(this.buf);
      this.buf = b;
    }
    this.buf[n] = id;
    return n + 1;
  }

  /** Term ids of `text` into `buf`; returns how many. `inflected` false keeps raw tokens (authors). */
  scan(text: string, inflected = true): number {
    let n = 0;
    let k = 0;
    let h = FNV_OFFSET;
    let tok = this.tok;
    const len = text.length;
    /** The last token ended at a hyphen followed by a letter or digit. */
    let hy = false;
    for (let i = 0; i < len; i++) {
      const c = text.charCodeAt(i);
      let cls: number;
      if (c < 128) cls = ASCII_CLASS[c]!;
      else {
        const w = wideClass(c);
        if (w === 2) return this.slowScan(text, inflected);
        cls = w === 3 ? 2 : 0;
      }
      if (cls === 1) {
        // Every ASCII letter or digit folds by setting bit 5 (digits already have it).
        const lc = c | 32;
        if (k === tok.length) tok = this.growTok();
        tok[k++] = lc;
        h = Math.imul(h ^ lc, FNV_PRIME);
        continue;
      }
      if (cls === 2 && k > 0 && i + 1 < len) {
        // An apostrophe joins letters on both sides ("model's"), like the reference regex.
        const d = text.charCodeAt(i + 1);
        if (d >= 128 && wideClass(d) === 2) return this.slowScan(text, inflected);
        if (d < 128 && ASCII_CLASS[d] === 1) {
          if (k === tok.length) tok = this.growTok();
          tok[k++] = 39;
          h = Math.imul(h ^ 39, FNV_PRIME);
          continue;
        }
      }
      if (k > 0) {
        n = this.push(n, this.resolve(this.lookup(k, h), inflected));
        if (hy) this.noteHyphen(this.buf[n - 2]!, this.buf[n - 1]!);
        const d = c === 45 && i + 1 < len ? text.charCodeAt(i + 1) : 0;
        hy = inflected && this.recordHyphens && d > 0 && d < 128 && ASCII_CLASS[d] === 1;
        k = 0;
        h = FNV_OFFSET;
      }
    }
    if (k > 0) {
      n = this.push(n, this.resolve(this.lookup(k, h), inflected));
      if (hy) this.noteHyphen(this.buf[n - 2]!, this.buf[n - 1]!);
    }
    return n;
  }

  private growTok(): Uint16Array<ArrayBuffer> {
    const t = new Uint16Array(this.tok.length * 2);
    t.set(this.tok);
    this.tok = t;
    return t;
  }

  /** Raw id of the `size` chars in `tok`, added when new. */
  private lookup(size: number, h: number): number {
    const table = this.table;
    const mask = this.slots - 1;
    const chars = this.chars;
    const tok = this.tok;
    for (let slot = h & mask; ; slot = (slot + 1) & mask) {
      const b = slot << 2;
      const r = table[b + 3]!;
      if (r < 0) break;
      if (table[b] !== h || table[b + 1] !== size) continue;
      const o = table[b + 2]!;
      let j = 0;
      while (j < size && chars[o + j] === tok[j]) j++;
      if (j === size) return r;
    }
    return this.addRaw(size, h);
  }

  private resolve(r: number, inflected: boolean): number {
    if (inflected) {
      let t = this.rawTerm[r]!;
      if (t < 0) this.rawTerm[r] = t = this.internTerm(inflect(this.raw[r]!));
      return t;
    }
    let t = this.rawPlain[r]!;
    if (t < 0) this.rawPlain[r] = t = this.internTerm(this.raw[r]!.replace(/'/g, ''));
    return t;
  }

  private addRaw(size: number, h: number): number {
    const r = this.raw.length;
    if (r === this.rawTerm.length) {
      this.rawTerm = grownFilled(this.rawTerm, r * 2);
      this.rawPlain = grownFilled(this.rawPlain, r * 2);
    }
    if (this.charsN + size > this.chars.length) {
      const c = new Uint16Array(Math.max(this.chars.length * 2, this.charsN + size));
      c.set(this.chars);
      this.chars = c;
    }
    const o = this.charsN;
    let token = '';
    for (let j = 0; j < size; j++) {
      this.chars[o + j] = this.tok[j]!;
      token += String.fromCharCode(this.tok[j]!);
    }
    this.charsN += size;
    this.raw.push(token);
    if ((r + 1) * 2 > this.slots) this.rehash();
    this.place(h, size, o, r);
    return r;
  }

  private place(h: number, size: number, o: number, r: number): void {
    const mask = this.slots - 1;
    let slot = h & mask;
    while (this.table[(slot << 2) + 3]! >= 0) slot = (slot + 1) & mask;
    const b = slot << 2;
    this.table[b] = h;
    this.table[b + 1] = size;
    this.table[b + 2] = o;
    this.table[b + 3] = r;
  }

  private rehash(): void {
    const old = this.table;
    const oldSlots = this.slots;
    this.slots = oldSlots * 2;
    this.table = new Int32Array(4 * this.slots);
    for (let s = 0; s < this.slots; s++) this.table[4 * s + 3] = -1;
    for (let s = 0; s < oldSlots; s++) {
      const b = s << 2;
      if (old[b + 3]! >= 0) this.place(old[b]!, old[b + 1]!, old[b + 2]!, old[b + 3]!);
    }
  }

  /** Reference path for text with non-ASCII letters: the same regex and folding as `terms()`. */
  private slowScan(text: string, inflected: boolean): number {
    let n = 0;
    const folded = fold(text);
    let prevEnd = -2;
    for (const m of folded.matchAll(TOKEN)) {
      const t = inflected ? inflect(m[0]) : m[0].replace(/['\u2019]/g, '');
      n = this.push(n, this.internTerm(t));
      if (inflected && this.recordHyphens && n > 1 && m.index === prevEnd + 1 && folded[prevEnd] === '-') this.noteHyphen(this.buf[n - 2]!, this.buf[n - 1]!);
      prevEnd = m.index + m[0].length;
    }
    return n;
  }
}
