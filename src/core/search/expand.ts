/**
 * Reads a topic the way a researcher means it: each plain-words clause becomes the forms a paper
 * may write it in, every form a run of consecutive terms within one field.
 *
 * - the words as written, and for two words also in the reverse order ("video diffusion");
 * - acronyms both ways, from the definitions the papers give (lexicon.ts): `LLM` also reads as
 *   "large language model", `large language models` also as "LLM";
 * - compounds: `multimodal` also reads as "multi modal"/"multi-modal" and the other way round,
 *   when the joined form is a word of the papers (of MIN_JOINED_DF papers, when the query is the
 *   spaced form) and the papers write it hyphenated somewhere;
 * - British and American spellings (spellings.ts) that the papers use as words.
 *
 * Each form is one change away from the words written (so forms stay few and explainable), and a
 * form says how it reads for "matched: LLM (as "large language models")".
 */
import type { Clause, ParsedQuery } from '../topics/parse.ts';
import type { Lexicon } from './lexicon.ts';
import { spellingCandidates } from './spellings.ts';

export interface Form {
  terms: string[];
  /** How this form reads, when it is not the words as written. */
  shown?: string;
  /** The written words in the other order: a reading rule, not another form of the term. */
  reordered?: boolean;
  /** Where an acronym's long form stands in `terms` (first term, count): it may be a kept phrase (phrases.ts). */
  long?: [number, number];
}

export interface ExpandedClause {
  clause: Clause;
  forms: Form[];
}

export interface ExpandedQuery {
  source: string;
  groups: { clauses: ExpandedClause[] }[];
  exclude: ExpandedClause[];
}

/** Forms per clause at most (the words as written first). */
const MAX_FORMS = 24;
/** Parts of a compound have at least this many letters ("pre-training", not "a-gent"). */
const MIN_PART = 2;
/** A joined compound is a word of at least this many papers (not a one-off typo, "languagemodel"). */
const MIN_JOINED_DF = 3;

/** The clause's forms: literal for quoted phrases and authors; expanded for plain words. */
export function formsOf(c: Clause, lex?: Lexicon): Form[] {
  const forms: Form[] = [{ terms: c.terms }];
  if (!c.words) return forms;
  const seen = new Set([c.terms.join(' ')]);
  const add = (terms: string[], shown: string, long?: [number, number]) => {
    const key = terms.join(' ');
    if (forms.length < MAX_FORMS && terms.length > 0 && !seen.has(key)) {
      seen.add(key);
      forms.push(long ? { terms, shown, long } : { terms, shown });
    }
  };
  const rev = c.words.length === 2 ? [...c.words[1]!, ...c.words[0]!] : undefined;
  if (rev) {
    add(rev, rev.join(' '));
    if (forms.length === 2) forms[1]!.reordered = true;
  }
  if (!lex) return forms;
  // Other forms of the words as written and, for two words, of their other order too: the two
  // orders are one topic ("reasoning LLMs" = "LLM reasoning", one canonical key), so they must read
  // alike. Longer runs are not reversed ("learning large language model" is no one's term).
  for (const [terms, shown, long] of variants(c.terms, lex)) add(terms, shown, long);
  if (rev) for (const [terms, shown, long] of variants(rev, lex)) add(terms, shown, long);
  return forms;
}

/** Forms one change away from `t`: [terms, how it reads, where an acronym's long form stands]. */
function variants(t: string[], lex: Lexicon): [string[], string, [number, number]?][] {
  const out: [string[], string, [number, number]?][] = [];
  const v = lex.vocab;
  const splice = (i: number, len: number, by: string[]) => [...t.slice(0, i), ...by, ...t.slice(i + len)];
  for (let i = 0; i < t.length; i++) {
    const w = t[i]!;
    // An acronym reads as each of its meanings.
    for (const e of lex.expansions(w)) {
      for (const long of e.variants) out.push([splice(i, 1, long), t.length === 1 ? e.shown : splice(i, 1, [e.shown]).join(' '), [i, long.length]]);
    }
    for (const s of spellingCandidates(w)) if (v.df(s) > 0) out.push([splice(i, 1, [s]), splice(i, 1, [s]).join(' ')]);
    // "multimodal" -> "multi-modal": the papers write it hyphenated.
    for (let k = MIN_PART; k <= w.length - MIN_PART; k++) {
      const a = w.slice(0, k);
      const b = w.slice(k);
      if (v.hyphenated(a, b) > 0) out.push([splice(i, 1, [a, b]), splice(i, 1, [`${a}-${b}`]).join(' ')]);
    }
    if (i + 1 < t.length) {
      const a = w;
      const b = t[i + 1]!;
      const joined = a + b;
      if (a.length >= MIN_PART && b.length >= MIN_PART && v.df(joined) >= MIN_JOINED_DF && v.hyphenated(a, b) > 0) {
        out.push([splice(i, 2, [joined]), splice(i, 2, [joined]).join(' ')]);
      }
    }
  }
  // A run of words that is an acronym's main meaning also reads as the acronym.
  for (let i = 0; i < t.length; i++) {
    for (let j = i + 2; j <= t.length; j++) {
      const short = lex.acronymFor(t.slice(i, j));
      if (short) out.push([splice(i, j - i, [short]), splice(i, j - i, [short.toUpperCase()]).join(' ')]);
    }
  }
  return out;
}

export function expandQuery(q: ParsedQuery, lex?: Lexicon): ExpandedQuery {
  const one = (c: Clause): ExpandedClause => ({ clause: c, forms: formsOf(c, lex) });
  return { source: q.source, groups: q.groups.map((g) => ({ clauses: g.clauses.map(one) })), exclude: q.exclude.map(one) };
}

/**
 * Today's literal reading, kept for comparison (benchmarks) : every written word on its own,
 * anywhere in the paper, with no other forms.
 */
export function literalQuery(q: ParsedQuery): ExpandedQuery {
  const split = (c: Clause): ExpandedClause[] =>
    c.words ? c.words.map((w) => ({ clause: { kind: c.kind, text: w.join(' '), terms: w }, forms: [{ terms: w }] })) : [{ clause: c, forms: [{ terms: c.terms }] }];
  return { source: q.source, groups: q.groups.map((g) => ({ clauses: g.clauses.flatMap(split) })), exclude: q.exclude.flatMap(split) };
}
