/**
 * Text folding, tokenizing and light inflection, shared by the query parser, the index and the
 * naive matcher so that all three see exactly the same terms.
 *
 * - fold: NFKC, lower case, diacritics removed (NFD minus combining marks): "Café" -> "cafe".
 * - tokens are runs of letters and digits; everything else (punctuation, hyphens, emoji, control
 *   and format characters) separates tokens: "Transformer-based" -> "transformer", "based".
 * - inflection only strips plurals and possessives ("transformers", "transformer's" ->
 *   "transformer"). It never strips -ing/-ed/-er, so "transforming" and "transform" stay apart
 *   from "transformer": stemming further drifts to unrelated words.
 */

// eslint-disable-next-line no-control-regex
const ASCII = /^[\x00-\x7f]*$/;
const MARKS = /\p{M}+/gu;
const TOKEN = /[\p{L}\p{N}]+(?:['\u2019][\p{L}\p{N}]+)*/gu;
const APOSTROPHE = /['\u2019]/g;

/** Case- and diacritic-folded form of `text` (NFKC first, so "ﬁ" -> "fi", full-width -> ASCII). */
export function fold(text: string): string {
  if (ASCII.test(text)) return text.toLowerCase();
  return text.normalize('NFKC').toLowerCase().normalize('NFD').replace(MARKS, '').normalize('NFC');
}

/** Raw folded tokens, no inflection (author names: "Williams" is not "William"). */
export function rawTokens(text: string): string[] {
  const out: string[] = [];
  for (const m of fold(text).matchAll(TOKEN)) out.push(m[0].replace(APOSTROPHE, ''));
  return out;
}

/** Plurals whose singular the suffix rules would get wrong; both forms map to the same term. */
const IRREGULAR: Record<string, string> = {
  bias: 'bias', biases: 'bias', alias: 'alias', aliases: 'alias', atlas: 'atlas', atlases: 'atlas',
  canvas: 'canvas', canvases: 'canvas', lens: 'lens', lenses: 'lens', news: 'news', series: 'series',
  species: 'species', analyses: 'analysis', hypotheses: 'hypothesis', theses: 'thesis',
  indices: 'index', matrices: 'matrix', vertices: 'vertex', appendices: 'appendix',
  criteria: 'criterion', phenomena: 'phenomenon', children: 'child', caches: 'cache', cache: 'cache',
  niches: 'niche', movies: 'movie', cookies: 'cookie', axes: 'axis',
};

/**
 * Light inflection of one folded token: possessive and plural suffixes only.
 * Short words (<= 3 chars: "gas", "its") are left alone; "-ss" ("loss") always, and "-us"/"-is"
 * ("corpus", "basis") when longer than 4 chars, so acronyms like "GPUs" and "APIs" still lose
 * their plural "s".
 */
export function inflect(token: string): string {
  let t = token;
  if (t.endsWith("'s") || t.endsWith('\u2019s')) t = t.slice(0, -2);
  t = t.replace(APOSTROPHE, '');
  // Own keys only: "constructor" or "toString" must not read Object.prototype's members.
  const irregular = Object.hasOwn(IRREGULAR, t) ? IRREGULAR[t] : undefined;
  if (irregular !== undefined) return irregular;
  const n = t.length;
  if (n <= 3 || t.charCodeAt(n - 1) !== 115 /* s */) return t;
  const prev = t.charCodeAt(n - 2);
  if (prev === 115 /* ss */) return t;
  if ((prev === 117 /* us */ || prev === 105 /* is */) && n > 4) return t;
  if (n > 4 && t.endsWith('ies')) return t.slice(0, -3) + 'y';
  if (t.endsWith('sses') || t.endsWith('xes') || t.endsWith('ches') || t.endsWith('shes')) return t.slice(0, -2);
  return t.slice(0, -1);
}

/** Searchable terms of `text`: folded tokens with light inflection. */
export function terms(text: string): string[] {
  const out: string[] = [];
  for (const m of fold(text).matchAll(TOKEN)) out.push(inflect(m[0]));
  return out;
}
