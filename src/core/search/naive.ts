/**
 * The reference matcher: decides one paper against one query the obvious way, re-tokenizing the
 * paper's text every time. Slow on purpose and written independently of the index, so tests can
 * prove the index returns exactly the papers this returns.
 */
import type { Paper } from '../model/paper.ts';
import { rawTokens, terms } from '../topics/normalise.ts';
import { parseQuery, type Clause, type ParsedQuery } from '../topics/parse.ts';
import { formsOf } from './expand.ts';
import type { Lexicon } from './lexicon.ts';

interface Tokenized {
  text: string[][];
  authors: string[][];
}

/** Tokens per paper object, so checking many queries against one paper tokenizes it once. */
const cache = new WeakMap<Paper, Tokenized>();

/** Title, each AI keyword, AI summary and abstract as separate token runs; each author likewise. */
function tokenized(p: Paper): Tokenized {
  let t = cache.get(p);
  if (!t) {
    const segs = [p.title, ...(p.aiKeywords ?? []), p.aiSummary ?? '', p.abstract ?? ''];
    t = {
      text: segs.filter((s): s is string => typeof s === 'string').map(terms),
      authors: (p.authors ?? []).filter((a) => typeof a === 'string').map(rawTokens),
    };
    cache.set(p, t);
  }
  return t;
}

function holdsRun(seg: string[], run: string[]): boolean {
  for (let i = 0; i + run.length <= seg.length; i++) {
    let j = 0;
    while (j < run.length && seg[i + j] === run[j]) j++;
    if (j === run.length) return true;
  }
  return false;
}

/** A clause holds when any of its forms is a run of one segment. */
function clauseMatches(c: Clause, text: string[][], authors: string[][], lex?: Lexicon): boolean {
  const forms = formsOf(c, lex);
  return (c.kind === 'author' ? authors : text).some((seg) => forms.some((f) => holdsRun(seg, f.terms)));
}

/**
 * Whether `paper` matches `query` (a query string, parsed here, or an already parsed one), its
 * plain words read through `lexicon` as the index reads them.
 */
export function paperMatches(query: string | ParsedQuery, paper: Paper, lexicon?: Lexicon): boolean {
  const q = typeof query === 'string' ? parseQuery(query) : query;
  const { text, authors } = tokenized(paper);
  if (q.exclude.some((c) => clauseMatches(c, text, authors, lexicon))) return false;
  return q.groups.some((g) => g.clauses.every((c) => clauseMatches(c, text, authors, lexicon)));
}
