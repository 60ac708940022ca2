export { createRateLimiter, defaultRateLimit, rateLimitMessage, type RateDecision, type RateLimiter, type RateLimitOptions } from './rate-limit.ts';
export { checkRate } from './check.ts';
