export { readCategory } from './categories.ts';
export { parseQuery, normaliseQueryText, canonicalQuery, clauseKey, MAX_QUERY_LENGTH, MAX_CLAUSES } from './parse.ts';
export type { Clause, QueryGroup, ParsedQuery } from './parse.ts';
export { fold, terms, rawTokens, inflect } from './normalise.ts';
// Digests look topics up here; the fan-out itself lives with the index.
export { matchTopics } from '../search/match-topics.ts';
