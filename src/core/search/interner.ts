/**
 * The index's term dictionary and tokenizer hot path. Tokenizing 100k abstracts with regexes and
 * substrings costs seconds, so ASCII text is scanned by char code and each token is looked up in
 * an open-addressing table by hash and char comparison, without allocating a string for tokens
 * already seen. Any text holding a character that folding could change (letters, digits or marks
 * beyond ASCII, compatibility forms, surrogates) goes through `terms()` instead, so both paths give
 * exactly the tokens of the reference tokenizer in src/core/topics.
 */
import { fold, inflect } from '../topics/normalize.ts';

const FNV_OFFSET = 0x811c9dc5;
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

export class Interner {
  /** term id -> term text (inflected). */
  readonly terms: string[] = [];
  private readonly termIds = new Map<string, number>();
  /** raw token id -> raw token (folded, as written) and its term id. */
  private raw: string[] = [];
  private rawTerm = new Int32Array(1024);
  private rawHash = new Int32Array(1024);
  private table = new Int32Array(1 << 12).fill(-1);
  /** Term ids of the last `scan`. */
  buf = new Int32Array(1024);

  termId(term: string): number | undefined {
    return this.termIds.get(term);
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
    let start = -1;
    let h = FNV_OFFSET;
    const len = text.length;
    for (let i = 0; i <= len; i++) {
      const c = i < len ? text.charCodeAt(i) : 32;
      let k: number;
      if (c < 128) k = ASCII_CLASS[c]!;
      else {
        const w = wideClass(c);
        if (w === 2) return this.slowScan(text, inflected);
        k = w === 3 ? 2 : 0;
      }
      if (k === 2) {
        // An apostrophe joins letters on both sides ("model's"), like the reference regex.
        if (start >= 0 && i + 1 < len) {
          const d = text.charCodeAt(i + 1);
          if (d >= 128 && wideClass(d) === 2) return this.slowScan(text, inflected);
          if (d < 128 && ASCII_CLASS[d] === 1) {
            h = Math.imul(h ^ 39, FNV_PRIME);
            continue;
          }
        }
        k = 0;
      }
      if (k === 1) {
        const lc = c <= 90 && c >= 65 ? c + 32 : c;
        if (start < 0) {
          start = i;
          h = FNV_OFFSET;
        }
        h = Math.imul(h ^ lc, FNV_PRIME);
      } else if (start >= 0) {
        n = this.push(n, this.lookup(text, start, i, h, inflected));
        start = -1;
      }
    }
    return n;
  }

  private lookup(text: string, start: number, end: number, h: number, inflected: boolean): number {
    const mask = this.table.length - 1;
    const size = end - start;
    for (let slot = h & mask; ; slot = (slot + 1) & mask) {
      const r = this.table[slot]!;
      if (r < 0) break;
      if (this.rawHash[r] !== h) continue;
      const s = this.raw[r]!;
      if (s.length !== size) continue;
      let same = true;
      for (let j = 0; j < size; j++) {
        let c = text.charCodeAt(start + j);
        if (c === 0x2019) c = 39;
        if (c <= 90 && c >= 65) c += 32;
        if (s.charCodeAt(j) !== c) {
          same = false;
          break;
        }
      }
      if (same) return this.resolve(r, inflected);
    }
    const token = text.slice(start, end).toLowerCase().replace(/\u2019/g, "'");
    return this.resolve(this.addRaw(token, h), inflected);
  }

  private resolve(r: number, inflected: boolean): number {
    return inflected ? this.rawTerm[r]! : this.internTerm(this.raw[r]!.replace(/'/g, ''));
  }

  private addRaw(token: string, h: number): number {
    const r = this.raw.length;
    if (r === this.rawTerm.length) {
      const t = new Int32Array(r * 2);
      t.set(this.rawTerm);
      this.rawTerm = t;
      const hh = new Int32Array(r * 2);
      hh.set(this.rawHash);
      this.rawHash = hh;
    }
    this.raw.push(token);
    this.rawTerm[r] = this.internTerm(inflect(token));
    this.rawHash[r] = h;
    if ((r + 1) * 2 > this.table.length) this.rehash();
    else this.place(r);
    return r;
  }

  private place(r: number): void {
    const mask = this.table.length - 1;
    let slot = this.rawHash[r]! & mask;
    while (this.table[slot]! >= 0) slot = (slot + 1) & mask;
    this.table[slot] = r;
  }

  private rehash(): void {
    this.table = new Int32Array(this.table.length * 2).fill(-1);
    for (let r = 0; r < this.raw.length; r++) this.place(r);
  }

  /** Reference path for text with non-ASCII letters: the same regex and folding as `terms()`. */
  private slowScan(text: string, inflected: boolean): number {
    let n = 0;
    for (const m of fold(text).matchAll(TOKEN)) {
      const t = inflected ? inflect(m[0]) : m[0].replace(/['\u2019]/g, '');
      n = this.push(n, this.internTerm(t));
    }
    return n;
  }
}
