/**
 * The interner's fast ASCII path must give exactly the reference tokenizer's tokens
 * (src/core/topics: terms() inflected, rawTokens() for authors), whatever the text; ids are stable.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Interner } from '../../../src/core/search/interner.ts';
import { rawTokens, terms } from '../../../src/core/topics/normalise.ts';

function scanned(it: Interner, text: string, inflected = true): string[] {
  const n = it.scan(text, inflected);
  return Array.from(it.buf.subarray(0, n), (id) => it.terms[id]!);
}

/** Text made of what papers hold: ASCII words, hyphens, apostrophes, digits, punctuation, some Unicode. */
const piece = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom('Transformers', 'model', "model's", 'models\u2019', 'LLMs', 'multi-modal', 'Multi-Modal', 'GPT-4', 'x', 'A', 'data', 'studies', 'classes', 'analyses', 'bus', 'its', "don't", "o'clock", 'ReLU', 'x2', '3D', '1,000', 'state-of-the-art', 'e.g.', 'RL-', '-based', "''", "'s", 'rock\u2019n\u2019roll') },
  { weight: 3, arbitrary: fc.constantFrom(' ', '  ', '-', '--', "'", '\u2019', ',', '.', '(', ')', '/', '\n', '\t', ':', '"', '_') },
  { weight: 2, arbitrary: fc.constantFrom('Café', 'naïve', 'Schrödinger', 'ﬁne', 'Ｔｒａｎｓｆｏｒｍｅｒ', 'Straße', 'İstanbul', 'résumé', '東京', 'λ-calculus', '\u00a0', '\u2014', '😀', '\u0301', 'a\u0301') },
  { weight: 1, arbitrary: fc.string({ maxLength: 12 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'grapheme', maxLength: 6 }) },
);
const text = fc.array(piece, { maxLength: 30 }).map((xs) => xs.join(''));

describe('Interner.scan', () => {
  it('gives the reference tokens, inflected and raw, for any text', () => {
    const it = new Interner();
    let fast = 0;
    fc.assert(
      fc.property(text, (t) => {
        expect(scanned(it, t)).toEqual(terms(t));
        expect(scanned(it, t, false)).toEqual(rawTokens(t));
        if (/^[\x00-\x7f]*$/.test(t) && terms(t).length > 0) fast++;
      }),
      { numRuns: 2000 },
    );
    // Plenty of pure-ASCII texts, so the hand-written path (not the regex fallback) was compared.
    expect(fast).toBeGreaterThan(300);
  });

  it('keeps one id per term across scans and interners grow without losing any', () => {
    const it = new Interner();
    // 20,000 distinct tokens force many rehashes and char-buffer growth; then each keeps its id.
    const words = Array.from({ length: 20_000 }, (_, i) => `w${i.toString(36)}q`);
    const first = words.map((w) => {
      expect(it.scan(w)).toBe(1);
      return it.buf[0]!;
    });
    expect(new Set(first).size).toBe(words.length);
    const n = it.scan(words.join(' '));
    expect(n).toBe(words.length);
    expect(Array.from(it.buf.subarray(0, n))).toEqual(first);
    expect(words.every((w, i) => it.termId(w) === first[i])).toBe(true);
    // Plural and singular are one term; case does not matter.
    it.scan('Transformer transformers TRANSFORMERS');
    expect(new Set(it.buf.subarray(0, 3)).size).toBe(1);
  });

  it('handles edge sizes: empty text, separators only, a 5,000-character token, 10,000 tokens', () => {
    const it = new Interner();
    expect(it.scan('')).toBe(0);
    expect(it.scan(' ,.-- \n\t')).toBe(0);
    const long = 'a'.repeat(5000);
    expect(scanned(it, `x ${long} y`)).toEqual(['x', long, 'y']);
    const many = Array.from({ length: 10_000 }, (_, i) => (i % 2 ? 'graph' : 'node')).join(' ');
    expect(it.scan(many)).toBe(10_000);
    expect(scanned(it, many)).toEqual(terms(many));
  });

  it('counts hyphenated pairs as evidence of a compound, on both paths', () => {
    const it = new Interner();
    it.scan('A multi-modal model; multi-modal again, and multi modal apart. Multi-');
    expect(it.hyphenCount('multi', 'modal')).toBe(2);
    expect(it.hyphenCount('modal', 'multi')).toBe(0);
    // Non-ASCII text takes the reference path; its hyphens count too.
    it.scan('Un modèle multi-modal déjà');
    expect(it.hyphenCount('multi', 'modal')).toBe(3);
    expect(it.hyphenCount('never', 'seen')).toBe(0);
    // Author names are not inflected and make no compounds.
    it.scan('Jean-Luc Williams', false);
    expect(it.hyphenCount('jean', 'luc')).toBe(0);
    expect(scanned(it, 'Williams', false)).toEqual(['williams']);
  });
});
