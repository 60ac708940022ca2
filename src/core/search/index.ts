export { createSearchIndex, PaperIndex, DEFAULT_LIMIT, MAX_LIMIT } from './search-index.ts';
export { matchTopics } from './match-topics.ts';
export { paperMatches } from './naive.ts';
export { FIELD_WEIGHTS } from './evaluate.ts';
export { moreLikeThis, type LikeResult } from './more-like-this.ts';
