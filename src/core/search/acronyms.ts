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

const PAREN = /\(([^()]{2,40})\)/g;
const ALNUM = /[\p{L}\p{N}]/u;

/** What follows the last sentence boundary (".", ";", ":", "!", "?" before a space) of `s`. */
function sentenceTail(s: string): string {
  for (let i = s.length - 2; i >= 0; i--) {
    const c = s.charCodeAt(i);
    if ((c === 46 || c === 59 || c === 58 || c === 33 || c === 63) && s.charCodeAt(i + 1) === 32) return s.slice(i + 2);
  }
  return s;
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
  const t = terms(/^\p{Lu}{2}s$/u.test(s) ? s.slice(0, -1) : s);
  return t.length === 1 && t[0]!.length >= 2 ? t[0] : undefined;
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
  return (/\p{Lu}{2}s$/u.test(sf) ? sf.slice(0, -1) : sf).toLowerCase().replace(/[^\p{L}\p{N}]/gu, '');
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
  if (!t) {
    if (longTerms.size >= 20_000) longTerms.clear();
    longTerms.set(text, (t = terms(text)));
  }
  return t;
}

function accept(sf: string, short: string, longText: string | undefined): Mined | undefined {
  if (!longText) return undefined;
  const long = termsOf(longText);
  let words = 1;
  for (let i = 0; i < longText.length; i++) if (longText.charCodeAt(i) === 32) words++;
  const letters = sf.replace(/[^\p{L}\p{N}]/gu, '').length;
  if (long.length === 0 || words > Math.min(letters + 5, letters * 2) || longText.length <= sf.length) return undefined;
  if (long.includes(short)) return undefined;
  return { short, long, shown: longText.toLowerCase().replace(/\s+/g, ' ') };
}

/** Every definition in `text`. */
export function mineDefinitions(text: string): Mined[] {
  if (typeof text !== 'string' || !text.includes('(')) return [];
  const out: Mined[] = [];
  for (const m of text.matchAll(PAREN)) {
    const inner = m[1]!.split(/[;,]/)[0]!.trim();
    const at = m.index!;
    // The words before the parenthesis, within the sentence.
    const before = sentenceTail(text.slice(Math.max(0, at - 160), at)).trimEnd();
    const short = shortForm(inner);
    if (short) {
      const found = accept(inner, short, bestLongForm(inner, lastWords(before, Math.min(inner.length + 5, inner.length * 2))));
      if (found) out.push(found);
      continue;
    }
    // "SF (long form)": the word before the parenthesis is the acronym.
    if (!inner.includes(' ')) continue;
    const prev = lastWord(before);
    const prevShort = prev ? shortForm(prev) : undefined;
    if (prev && prevShort && /\s/.test(inner)) {
      const lf = bestLongForm(prev, inner);
      const found = lf && lf.length >= inner.length - 1 ? accept(prev, prevShort, inner) : undefined;
      if (found) out.push(found);
    }
  }
  return out;
}
