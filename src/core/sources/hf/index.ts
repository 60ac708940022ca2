export { createHfSource, type HfSourceOptions } from './client.ts';
export { normaliseItem, normaliseDay, collapseWhitespace, canonicalArxivId, type NormaliseResult, type SkippedItem } from './normalise.ts';
export { hfDailyItemSchema, hfPaperSchema, hfAuthorSchema, type HfDailyItem, type HfPaper } from './schema.ts';
export { waitHintMs, quotaExhaustedMs, nextLink, describeBody } from './http.ts';
