import { describe, expect, it } from 'vitest';
import { describeBody, nextLink, quotaExhaustedMs, waitHintMs } from '../../../../src/core/sources/index.ts';

describe('waitHintMs', () => {
  const now = Date.parse('2026-06-24T12:00:00Z');
  it('reads Retry-After seconds and HTTP dates', () => {
    expect(waitHintMs(new Headers({ 'retry-after': '7' }), now)).toBe(7000);
    expect(waitHintMs(new Headers({ 'retry-after': 'Wed, 24 Jun 2026 12:00:30 GMT' }), now)).toBe(30_000);
    expect(waitHintMs(new Headers({ 'retry-after': 'Wed, 24 Jun 2026 11:00:00 GMT' }), now)).toBe(0);
  });
  it('reads the reset of the RateLimit header in both drafts, and takes the longest hint', () => {
    expect(waitHintMs(new Headers({ ratelimit: '"api";r=0;t=55' }), now)).toBe(55_000);
    expect(waitHintMs(new Headers({ ratelimit: 'limit=500, remaining=0, reset=12' }), now)).toBe(12_000);
    expect(waitHintMs(new Headers({ 'retry-after': '3', ratelimit: '"api";r=0;t=20' }), now)).toBe(20_000);
    expect(waitHintMs(new Headers({ 'ratelimit-reset': '9' }), now)).toBe(9000);
  });
  it('ignores garbage', () => {
    expect(waitHintMs(new Headers({ 'retry-after': 'soon', ratelimit: 'whatever' }), now)).toBeUndefined();
    expect(waitHintMs(new Headers(), now)).toBeUndefined();
  });
});

describe('nextLink', () => {
  const base = 'http://127.0.0.1:1/api/daily_papers?date=2026-06-23&limit=100';
  it('finds rel="next" among several links and resolves relative targets', () => {
    expect(nextLink('<https://huggingface.co/api/daily_papers?date=2026-06-23&p=1&limit=100>; rel="next"', base))
      .toBe('https://huggingface.co/api/daily_papers?date=2026-06-23&p=1&limit=100');
    expect(nextLink('</api/daily_papers?p=0>; rel="prev", </api/daily_papers?p=2>; rel="next"', base)).toBe('http://127.0.0.1:1/api/daily_papers?p=2');
    expect(nextLink('<?p=3>; rel=next', base)).toBe('http://127.0.0.1:1/api/daily_papers?p=3');
  });
  it('returns undefined without a next link', () => {
    expect(nextLink(null, base)).toBeUndefined();
    expect(nextLink('<https://x/?p=0>; rel="prev"', base)).toBeUndefined();
    expect(nextLink('garbage', base)).toBeUndefined();
  });
});

describe('describeBody', () => {
  it('says what a body looked like in a few words', () => {
    expect(describeBody('', 'text/html')).toBe('an empty body');
    expect(describeBody('<!DOCTYPE html><html><head><title>502 Bad Gateway</title></head></html>', 'text/html')).toBe('an HTML page titled "502 Bad Gateway"');
    expect(describeBody('<html><body>oops</body></html>', null)).toBe('an HTML page');
    expect(describeBody('{"error":"Invalid date"}', 'application/json')).toBe('a JSON error "Invalid date"');
    expect(describeBody('[{"paper":{"id":"2401', 'application/json')).toBe('truncated or malformed JSON (21 bytes)');
    expect(describeBody('{"a":1}', 'application/json')).toBe('JSON object');
    expect(describeBody('Too Many Requests', 'text/plain')).toBe('text "Too Many Requests"');
    expect(describeBody('x'.repeat(500), 'text/plain').length).toBeLessThan(100);
  });
});

describe('quotaExhaustedMs', () => {
  it('is the reset time only when nothing remains', () => {
    expect(quotaExhaustedMs(new Headers({ ratelimit: '"api";r=0;t=42' }))).toBe(42_000);
    expect(quotaExhaustedMs(new Headers({ ratelimit: 'limit=500, remaining=0, reset=5' }))).toBe(5000);
    expect(quotaExhaustedMs(new Headers({ ratelimit: '"api";r=10;t=42' }))).toBeUndefined();
    expect(quotaExhaustedMs(new Headers({ ratelimit: '"api";r=0' }))).toBeUndefined();
    expect(quotaExhaustedMs(new Headers())).toBeUndefined();
  });
});
