export { buildDigest, listedWithin, mergeHits, rankHits, type BuildOptions } from './build.ts';
export { digestReply, previewDigest } from './reply.ts';
