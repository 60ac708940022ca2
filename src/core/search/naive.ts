/**
 * The reference matcher: decides one paper against one query the obvious way, re-tokenizing the
 * paper's text every time. Slow on purpose and written independently of the index, so tests can
 * prove the index returns exactly the papers this returns.
 */
import type { Paper } from '../model/paper.ts';
import { rawTokens, terms } from '../topics/normalize.ts';
import { parseQuery, type Clause, type ParsedQuery } from '../topics/parse.ts';

/** Title, each AI keyword, AI summary and abstract as separate token runs. */
function textSegments(p: Paper): string[][] {
  const segs = [p.title, ...(p.aiKeywords ?? []), p.aiSummary ?? '', p.abstract ?? ''];
  return segs.filter((s): s is string => typeof s === 'string').map(terms);
}

function holdsRun(seg: string[], run: string[]): boolean {
  for (let i = 0; i + run.length <= seg.length; i++) {
    let j = 0;
    while (j < run.length && seg[i + j] === run[j]) j++;
    if (j === run.length) return true;
  }
  return false;
}

function clauseMatches(c: Clause, text: string[][], authors: string[][]): boolean {
  return (c.kind === 'author' ? authors : text).some((seg) => holdsRun(seg, c.terms));
}

/** Whether `paper` matches `query` (a query string, parsed here, or an already parsed one). */
export function paperMatches(query: string | ParsedQuery, paper: Paper): boolean {
  const q = typeof query === 'string' ? parseQuery(query) : query;
  const text = textSegments(paper);
  const authors = (paper.authors ?? []).map(rawTokens);
  if (q.exclude.some((c) => clauseMatches(c, text, authors))) return false;
  return q.groups.some((g) => g.clauses.every((c) => clauseMatches(c, text, authors)));
}
