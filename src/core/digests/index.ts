export { buildDigest, listedWithin, mergeHits, rankHits, MAX_WINDOW_DAYS, type BuildOptions } from './build.ts';
export { digestReply, previewDigest, layoutOf, type DigestLayout } from './reply.ts';
export { DigestCache, WindowMatcher, windowKey, type DigestWindow, type DigestCacheStats } from './digest-cache.ts';
