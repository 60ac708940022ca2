/**
 * Acronym definitions mined from paper text, Schwartz & Hearst style ("A simple algorithm for
 * identifying abbreviation definitions in biomedical text", 2003): a short form in parentheses
 * right after its long form — "large language models (LLMs)", "Mixture-of-Experts (MoE)" — or
 * the reverse, "LLM (large language model)". The long form is found by matching the short form's
 * letters backwards through the words before the parenthesis, its first letter at a word start.
 */
import { terms } from '../topics/normalise.ts';

export interface Mined {
  /** The short form's term ("llms" -> "llm"). */
  short: string;
  /** The long form's terms ("large", "language", "model"). */
  long: string[];
  /** The long form as written, lower-cased ("large language models"). */
  shown: string;
}

const ALNUM = /[\p{L}\p{N}]/u;
/** Whitespace other than single spaces. */
const SPACES = /[^\S ]| {2}/;

/** Short forms' terms ('' for none) and letters: papers define the same acronyms again and again. */
const shortTerms = new Map<string, string>();
const letterCache = new Map<string, string>();

function remember<T>(cache: Map<string, T>, key: string, value: T): void {
  if (cache.size >= 20_000) cache.clear();
  cache.set(key, value);
}

/** What follows the last sentence boundary (".", ";", ":", "!", "?" before a space) in `s[from, to)`. */
function sentenceTail(s: string, from: number, to: number): string {
  for (let i = to - 2; i >= from; i--) {
    const c = s.charCodeAt(i);
    if ((c === 46 || c === 59 || c === 58 || c === 33 || c === 63) && s.charCodeAt(i + 1) === 32) return s.slice(i + 2, to);
  }
  return s.slice(from, to);
}

/**
 * A short form looks like an acronym: one word of 2-10 letters and digits holding two capitals
 * (or a capital and a digit). Checked by char code first: most parentheses hold something else.
 */
function shortForm(s: string): string | undefined {
  if (s.length < 2 || s.length > 10) return undefined;
  let caps = 0;
  let digits = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 65 && c <= 90) caps++;
    else if (c >= 48 && c <= 57) digits++;
    else if (c > 127) return shortFormWide(s);
    else if (!(c >= 97 && c <= 122) && !(c === 45 && i > 0)) return undefined;
  }
  if (caps < 2 && !(caps === 1 && digits > 0)) return undefined;
  return shortTerm(s);
}

/**
 * The short form's term. A plural too short for the index to strip ("RMs" stays "rms", the same
 * token as "RMS", root mean square) is kept as its singular, so it never stands for another acronym.
 */
function shortTerm(s: string): string | undefined {
  let t = shortTerms.get(s);
  if (t === undefined) {
    const ts = terms(/^\p{Lu}{2}s$/u.test(s) ? s.slice(0, -1) : s);
    t = ts.length === 1 && ts[0]!.length >= 2 ? ts[0]! : '';
    remember(shortTerms, s, t);
  }
  return t || undefined;
}

function shortFormWide(s: string): string | undefined {
  if (!/^[\p{L}\p{N}][\p{L}\p{N}-]*$/u.test(s)) return undefined;
  const caps = s.match(/\p{Lu}/gu)?.length ?? 0;
  if (caps < 2 && !(caps === 1 && /\p{N}/u.test(s))) return undefined;
  return shortTerm(s);
}

/** The last run of letters, digits and hyphens of `s`. */
function lastWord(s: string): string | undefined {
  let j = s.length;
  while (j > 0) {
    const c = s.charCodeAt(j - 1);
    const ok = c === 45 || (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || (c > 127 && ALNUM.test(s[j - 1]!));
    if (!ok) break;
    j--;
  }
  return j < s.length ? s.slice(j) : undefined;
}

/** Where `text` up to `to` ends once trailing white space is cut (as trimEnd). */
function trimmedEnd(text: string, to: number): number {
  let j = to;
  while (j > 0) {
    const c = text.charCodeAt(j - 1);
    if (c === 32 || (c >= 9 && c <= 13) || (c > 127 && /\s/.test(text[j - 1]!))) j--;
    else break;
  }
  return j;
}

/** The last `n` space-separated words of `s`. */
function lastWords(s: string, n: number): string {
  let i = s.length;
  while (n > 0 && i > 0) {
    i = s.lastIndexOf(' ', i - 1);
    if (i < 0) return s;
    n--;
  }
  return n > 0 ? s : s.slice(i + 1);
}

function isAlnum(ch: string | undefined): boolean {
  if (ch === undefined) return false;
  const c = ch.charCodeAt(0);
  if (c < 128) return (c >= 48 && c <= 57) || (c >= 97 && c <= 122) || (c >= 65 && c <= 90);
  return ALNUM.test(ch);
}

/** The letters a short form spells: "LLMs" -> "llm" (a plural s is not a letter of the long form). */
function lettersOf(sf: string): string {
  let l = letterCache.get(sf);
  if (l === undefined) remember(letterCache, sf, (l = (/\p{Lu}{2}s$/u.test(sf) ? sf.slice(0, -1) : sf).toLowerCase().replace(/[^\p{L}\p{N}]/gu, '')));
  return l;
}

/** Letters and digits in `s`. */
function alnumCount(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c > 127) return s.replace(/[^\p{L}\p{N}]/gu, '').length;
    if ((c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122)) n++;
  }
  return n;
}

/**
 * The last words of `text` whose initials are exactly the short form's letters, hyphenated parts
 * counting as words ("Mixture-of-Experts (MoE)", "Proximal Policy Optimization (PPO)"). Tried
 * first: the letter-by-letter search alone reads "Proximal Policy Optimization (PPO)" as "Policy
 * Optimization", taking the second P and the O from inside "Optimization".
 */
function isSep(c: number, hyphens: boolean): boolean {
  return c === 32 || c === 9 || (hyphens && (c === 45 || c === 0x2010 || c === 0x2011));
}

/** Whole words first ("Multi-Modal Large Language Models (MLLMs)"), then hyphenated parts too. */
function initialsLongForm(letters: string, text: string): string | undefined {
  return initialsOf(letters, text, false) ?? initialsOf(letters, text, true);
}

function initialsOf(letters: string, text: string, hyphens: boolean): string | undefined {
  let i = text.length;
  for (let w = letters.length - 1; w >= 0; w--) {
    while (i > 0 && isSep(text.charCodeAt(i - 1), hyphens)) i--;
    if (i === 0) return undefined;
    let j = i;
    while (j > 0 && !isSep(text.charCodeAt(j - 1), hyphens)) j--;
    if (text[j]!.toLowerCase() !== letters[w]) return undefined;
    i = j;
  }
  return text.slice(i).trim();
}

/** The shortest tail of `text` whose words spell `sf` (Schwartz & Hearst's findBestLongForm). */
export function bestLongForm(sf: string, text: string): string | undefined {
  const letters = lettersOf(sf);
  if (letters.length >= 2) {
    const byInitials = initialsLongForm(letters, text);
    if (byInitials) return byInitials;
  }
  const lf = text.toLowerCase();
  let s = letters.length - 1;
  let l = lf.length - 1;
  for (; s >= 0; s--) {
    const c = letters[s]!;
    if (!isAlnum(c)) continue;
    while (l >= 0 && (lf[l] !== c || (s === 0 && isAlnum(lf[l - 1])))) l--;
    if (l < 0) return undefined;
    l--;
  }
  const start = Math.max(lf.lastIndexOf(' ', l + 1), lf.lastIndexOf('(', l + 1)) + 1;
  return text.slice(start).trim();
}

/**
 * Terms of recent long forms: papers repeat the same definitions ("large language models (LLMs)"
 * is in a fifth of the abstracts), and tokenizing them again was most of the mining time.
 */
const longTerms = new Map<string, string[]>();

function termsOf(text: string): string[] {
  let t = longTerms.get(text);
  if (!t) remember(longTerms, text, (t = terms(text)));
  return t;
}

function accept(sf: string, short: string, longText: string | undefined): Mined | undefined {
  if (!longText) return undefined;
  const long = termsOf(longText);
  let words = 1;
  for (let i = 0; i < longText.length; i++) if (longText.charCodeAt(i) === 32) words++;
  const letters = alnumCount(sf);
  if (long.length === 0 || words > Math.min(letters + 5, letters * 2) || longText.length <= sf.length) return undefined;
  if (long.includes(short)) return undefined;
  const lower = longText.toLowerCase();
  return { short, long, shown: SPACES.test(lower) ? lower.replace(/\s+/g, ' ') : lower };
}

/**
 * The parentheses of `text` holding 2-40 characters and no other parenthesis, as [start of the
 * inside, its end]: what /\(([^()]{2,40})\)/g matches, found by indexOf (mining ran that regex
 * and sliced every match of every abstract).
 */
function parentheses(text: string): number[] {
  const out: number[] = [];
  let i = text.indexOf('(');
  while (i >= 0) {
    const lim = Math.min(text.length, i + 42);
    let j = i + 1;
    let c = 0;
    for (; j < lim; j++) {
      c = text.charCodeAt(j);
      if (c === 40 || c === 41) break;
    }
    if (j < lim && c === 41 && j - i > 2) {
      out.push(i + 1, j);
      i = text.indexOf('(', j + 1);
    } else i = text.indexOf('(', c === 40 && j < lim ? j : i + 1);
  }
  return out;
}

/** The inside of a parenthesis up to its first ";" or ",", trimmed. */
function firstItem(text: string, from: number, to: number): string {
  for (let k = from; k < to; k++) {
    const c = text.charCodeAt(k);
    if (c === 59 || c === 44) return text.slice(from, k).trim();
  }
  return text.slice(from, to).trim();
}

/** Every definition in `text`. */
export function mineDefinitions(text: string): Mined[] {
  if (typeof text !== 'string') return [];
  const spans = parentheses(text);
  if (spans.length === 0) return [];
  const out: Mined[] = [];
  for (let s = 0; s < spans.length; s += 2) {
    const inner = firstItem(text, spans[s]!, spans[s + 1]!);
    const at = spans[s]! - 1;
    const short = shortForm(inner);
    // "SF (long form)" needs words inside; anything else defines nothing (most parentheses).
    if (!short && !inner.includes(' ')) continue;
    if (short) {
      // The words before the parenthesis, within the sentence.
      const before = sentenceTail(text, Math.max(0, at - 160), at).trimEnd();
      const found = accept(inner, short, bestLongForm(inner, lastWords(before, Math.min(inner.length + 5, inner.length * 2))));
      if (found) out.push(found);
      continue;
    }
    // "SF (long form)": the word before the parenthesis is the acronym. Read straight back from
    // the parenthesis (most such parentheses define nothing): a sentence boundary is no word
    // character, so this is the last word of the sentence's tail.
    const prev = lastWord(text.slice(Math.max(0, at - 160), trimmedEnd(text, at)));
    const prevShort = prev ? shortForm(prev) : undefined;
    if (prev && prevShort && /\s/.test(inner)) {
      const lf = bestLongForm(prev, inner);
      const found = lf && lf.length >= inner.length - 1 ? accept(prev, prevShort, inner) : undefined;
      if (found) out.push(found);
    }
  }
  return out;
}
