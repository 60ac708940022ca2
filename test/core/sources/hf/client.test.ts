/** The Hugging Face client, for real over HTTP, against the local stand-in serving the shared data. */
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { once } from 'node:events';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { isPaperboyError, PaperboyError } from '../../../../src/core/model/errors.ts';
import { createHfSource, normaliseDay, type HfSourceOptions } from '../../../../src/core/sources/index.ts';
import { loadCorpusDays, startHfStandIn, type HfStandIn } from '../../../support/hf-stand-in.ts';
import { waitFor } from '../../../support/wait.ts';
import { recordingLogger } from './recording-logger.ts';

let hf: HfStandIn;
// 230 real items from several corpus days, served as one day so it takes three pages of 100.
const BIG_DAY = '2030-01-07';
let bigItems: unknown[];

beforeAll(async () => {
  const corpus = loadCorpusDays();
  bigItems = [...corpus.values()].flat().slice(0, 230);
  hf = await startHfStandIn({ days: { [BIG_DAY]: bigItems } });
});
afterAll(() => hf.close());
afterEach(() => {
  hf.fault(undefined);
  hf.requests.length = 0;
});

function source(extra: Partial<HfSourceOptions> = {}) {
  const sleeps: number[] = [];
  const logger = recordingLogger();
  const src = createHfSource({
    baseUrl: hf.url,
    logger,
    // Recorded, not waited: tests check what would have been waited.
    sleep: async (ms) => {
      sleeps.push(ms);
    },
    random: () => 0.5,
    timeoutMs: 2000,
    maxRetries: 2,
    ...extra,
  });
  return { src, sleeps, logger };
}

async function failure(p: Promise<unknown>): Promise<PaperboyError> {
  const e = await p.then(() => undefined, (err: unknown) => err);
  expect(isPaperboyError(e)).toBe(true);
  return e as PaperboyError;
}

describe('fetchDay', () => {
  it('fetches a real day with limit=100 and returns the normalised papers in the API order', async () => {
    const { src, sleeps } = source();
    const papers = await src.fetchDay('2026-06-23');
    expect(papers).toHaveLength(37);
    expect(papers).toEqual(normaliseDay(hf.days.get('2026-06-23')!, '2026-06-23').papers);
    expect(hf.requests.map((r) => [r.date, r.limit, r.page])).toEqual([['2026-06-23', 100, undefined]]);
    expect(hf.requests[0]!.headers.accept).toBe('application/json');
    expect(sleeps).toEqual([]);
  });

  it('follows Link rel="next" over every page', async () => {
    const { src } = source();
    const papers = await src.fetchDay(BIG_DAY);
    expect(hf.requests.map((r) => r.page ?? 0)).toEqual([0, 1, 2]);
    expect(hf.requests.every((r) => r.limit === 100 && r.date === BIG_DAY)).toBe(true);
    const expected = normaliseDay(bigItems, BIG_DAY).papers;
    expect(papers.map((p) => p.id)).toEqual(expected.map((p) => p.id));
    expect(papers.every((p) => p.listedOn === BIG_DAY)).toBe(true);
  });

  it('keeps to its own endpoint when a Link names another host (a mirror)', async () => {
    const fetchVia: typeof fetch = async (url, init) => {
      const res = await fetch(url, init);
      const link = res.headers.get('link');
      const headers = new Headers(res.headers);
      if (link) headers.set('link', link.replace(hf.url, 'https://huggingface.co'));
      return new Response(await res.text(), { status: res.status, headers });
    };
    const { src } = source({ fetch: fetchVia });
    expect(await src.fetchDay(BIG_DAY)).toHaveLength(normaliseDay(bigItems, BIG_DAY).papers.length);
    expect(hf.requests).toHaveLength(3);
  });

  it('answers a day without papers (weekend) with []', async () => {
    const { src } = source();
    expect(await src.fetchDay('2026-06-27')).toEqual([]);
  });

  it('refuses a malformed day before any request', async () => {
    const { src } = source();
    for (const bad of ['2026-6-1', '2026-02-30', 'yesterday', '2026-06-23&limit=1']) {
      expect((await failure(src.fetchDay(bad))).code).toBe('usage');
    }
    expect(hf.requests).toHaveLength(0);
  });

  it('skips an invalid item with a warning naming its id, and keeps the rest', async () => {
    const good = hf.days.get('2026-06-24')!.slice(0, 2);
    hf.days.set('2030-01-08', [good[0], { paper: { id: '2401.99999', title: ['not', 'text'], upvotes: 3 } }, { paper: { title: 'no id' } }, good[1]]);
    const { src, logger } = source();
    const papers = await src.fetchDay('2030-01-08');
    expect(papers.map((p) => p.id)).toEqual(['2606.24597', (good[1] as { paper: { id: string } }).paper.id]);
    const warnings = logger.warnings().map((w) => w.msg);
    expect(warnings).toHaveLength(2);
    expect(warnings[0]).toMatch(/2401\.99999.*paper\.title/);
    expect(warnings[1]).toMatch(/#2.*paper\.id/);
  });
  it('skips a real item whose upvotes arrive as a string, naming it, and keeps the other 20', async () => {
    hf.fault(() => ({
      kind: 'items',
      map: (items) => {
        (items[3] as { paper: { upvotes: unknown } }).paper.upvotes = '12';
        return items;
      },
    }));
    const victim = (hf.days.get('2026-06-24')![3] as { paper: { id: string } }).paper.id;
    const { src, logger } = source();
    const papers = await src.fetchDay('2026-06-24');
    expect(papers).toHaveLength(20);
    expect(papers.map((p) => p.id)).not.toContain(victim);
    expect(logger.warnings()).toHaveLength(1);
    expect(logger.warnings()[0]!.msg).toContain(victim);
    expect(logger.warnings()[0]!.obj).toMatchObject({ id: victim, day: '2026-06-24', reason: expect.stringContaining('paper.upvotes') });
  });
});

describe('retries', () => {
  it('honours Retry-After on a 429, then succeeds', async () => {
    hf.fault((_r, i) => (i === 0 ? { kind: 'rate-limit', retryAfterSeconds: 7 } : undefined));
    const { src, sleeps, logger } = source();
    expect(await src.fetchDay('2026-06-24')).toHaveLength(21);
    expect(sleeps).toEqual([7000]);
    expect(hf.requests).toHaveLength(2);
    expect(logger.warnings()[0]!.obj).toMatchObject({ attempt: 1, waitMs: 7000, problem: expect.stringContaining('429') });
  });

  it('waits for the RateLimit reset when it is later than Retry-After', async () => {
    hf.fault((_r, i) => (i === 0 ? { kind: 'rate-limit', retryAfterSeconds: 2, resetSeconds: 13 } : undefined));
    const { src, sleeps } = source();
    expect(await src.fetchDay('2026-06-24')).toHaveLength(21);
    expect(sleeps).toEqual([13_000]);
  });

  it('fails at once, clearly, when a 429 asks for a longer wait than allowed', async () => {
    hf.fault(() => ({ kind: 'rate-limit', retryAfterSeconds: 600 }));
    const { src, sleeps } = source({ maxWaitMs: 60_000 });
    const e = await failure(src.fetchDay('2026-06-24'));
    expect(e.code).toBe('upstream');
    expect(e.message).toContain('HTTP 429 (rate limited)');
    expect(e.message).toContain('600 s');
    expect(hf.requests).toHaveLength(1);
    expect(sleeps).toEqual([]);
  });

  it('retries 5xx with growing, jittered backoff, then succeeds', async () => {
    hf.fault((_r, i) => (i < 2 ? { kind: 'status', status: i === 0 ? 503 : 500 } : undefined));
    const { src, sleeps } = source({ backoffBaseMs: 1000 });
    expect(await src.fetchDay('2026-06-25')).toHaveLength(24);
    // random() = 0.5 puts each wait at 3/4 of 1 s, 2 s.
    expect(sleeps).toEqual([750, 1500]);
    expect(hf.requests).toHaveLength(3);
  });

  it('gives up after a bounded number of tries with one error saying what happened', async () => {
    hf.fault(() => ({ kind: 'status', status: 502, body: '<!DOCTYPE html><html><head><title>502 Bad Gateway</title></head><body>cloudflare</body></html>' }));
    const { src, sleeps } = source({ maxRetries: 3 });
    const e = await failure(src.fetchDay('2026-06-25'));
    expect(e.code).toBe('upstream');
    expect(e.message).toBe('Hugging Face Daily Papers for 2026-06-25 failed after 4 tries: HTTP 502 with an HTML page titled "502 Bad Gateway".');
    expect(e.hint).toBeTruthy();
    expect(hf.requests).toHaveLength(4);
    expect(sleeps).toHaveLength(3);
    expect(Math.max(...sleeps)).toBeLessThanOrEqual(30_000);
  });

  it('caps the backoff', async () => {
    hf.fault(() => ({ kind: 'status', status: 500 }));
    const { src, sleeps } = source({ maxRetries: 6, backoffBaseMs: 1000, backoffCapMs: 5000, random: () => 1 });
    await failure(src.fetchDay('2026-06-25'));
    expect(sleeps).toEqual([1000, 2000, 4000, 5000, 5000, 5000]);
  });

  it('retries a 200 with an HTML page instead of JSON', async () => {
    hf.fault((_r, i) => (i === 0 ? { kind: 'status', status: 200, body: '<html><head><title>Maintenance</title></head></html>' } : undefined));
    const { src, logger } = source();
    expect(await src.fetchDay('2026-06-26')).toHaveLength(18);
    expect(logger.warnings()[0]!.obj).toMatchObject({ problem: 'HTTP 200 with an HTML page titled "Maintenance"' });
  });

  it('retries truncated JSON, and reports it when it persists', async () => {
    hf.fault((_r, i) => (i === 0 ? { kind: 'truncated' } : undefined));
    expect(await source().src.fetchDay('2026-06-26')).toHaveLength(18);
    hf.fault(() => ({ kind: 'truncated', bytes: 30 }));
    const e = await failure(source().src.fetchDay('2026-06-26'));
    expect(e.message).toMatch(/after 3 tries: HTTP 200 with truncated or malformed JSON/);
  });

  it('retries a JSON body of the wrong type (an object instead of a list)', async () => {
    hf.fault(() => ({ kind: 'json', value: { error: 'Internal error' } }));
    const e = await failure(source().src.fetchDay('2026-06-26'));
    expect(e.message).toMatch(/HTTP 200 with a JSON error "Internal error" instead of a list/);
    expect(hf.requests).toHaveLength(3);
  });

  it('does not retry a 4xx that will not change', async () => {
    hf.fault(() => ({ kind: 'status', status: 404, body: '{"error":"Not Found"}', contentType: 'application/json' }));
    const { src, sleeps } = source();
    const e = await failure(src.fetchDay('2026-06-26'));
    expect(e.message).toBe('Hugging Face Daily Papers for 2026-06-26 failed: HTTP 404 with a JSON error "Not Found".');
    expect(hf.requests).toHaveLength(1);
    expect(sleeps).toEqual([]);
  });

  it('times out a stalled request and retries it', async () => {
    hf.fault((_r, i) => (i === 0 ? { kind: 'stall' } : undefined));
    const { src, logger } = source({ timeoutMs: 300 });
    expect(await src.fetchDay('2026-06-22')).toHaveLength(9);
    expect(logger.warnings()[0]!.obj).toMatchObject({ problem: 'no answer within 300 ms' });
  });

  it('reports a server that never answers as one timeout error', async () => {
    hf.fault(() => ({ kind: 'stall' }));
    const e = await failure(source({ timeoutMs: 200, maxRetries: 1 }).src.fetchDay('2026-06-22'));
    expect(e.message).toBe('Hugging Face Daily Papers for 2026-06-22 failed after 2 tries: no answer within 200 ms.');
  });

  it('retries a reset connection, and reports a persistent one', async () => {
    hf.fault((_r, i) => (i === 0 ? { kind: 'reset' } : undefined));
    expect(await source().src.fetchDay('2026-06-22')).toHaveLength(9);
    hf.fault(() => ({ kind: 'reset' }));
    const e = await failure(source().src.fetchDay('2026-06-22'));
    expect(e.message).toMatch(/failed after 3 tries: the connection failed \(\w+/);
  });

  it('reports an unreachable host clearly', async () => {
    // A port that was just free: nothing listens there.
    const srv = createServer().listen(0, '127.0.0.1');
    await once(srv, 'listening');
    const port = (srv.address() as AddressInfo).port;
    await new Promise((r) => srv.close(r));
    const { src } = source({ baseUrl: `http://127.0.0.1:${port}`, maxRetries: 1 });
    const e = await failure(src.fetchDay('2026-06-22'));
    expect(e.message).toMatch(/failed after 2 tries: the connection failed \(ECONNREFUSED\)/);
  });

  it('stops at once when the caller aborts, without retrying', async () => {
    hf.fault(() => ({ kind: 'stall' }));
    const ctl = new AbortController();
    const { src } = source({ timeoutMs: 10_000 });
    const p = src.fetchDay('2026-06-22', ctl.signal);
    // Abort once the request has reached the stand-in.
    await waitFor(() => hf.requests.length > 0, { what: 'the request reaching the Hugging Face stand-in', timeoutMs: 5_000, intervalMs: 5 });
    ctl.abort(new Error('shutting down'));
    await expect(p).rejects.toThrow('shutting down');
    expect(hf.requests).toHaveLength(1);
  });
});

describe('quota', () => {
  it('pauses until the quota resets when a response says it is used up, instead of running into a 429', async () => {
    // One fake clock for the stand-in's window and the client's waits: nothing really waits.
    let clock = Date.parse('2026-06-24T12:00:00Z');
    const quotaHf = await startHfStandIn({ quota: { limit: 2, windowSeconds: 30 }, now: () => clock });
    try {
      const sleeps: number[] = [];
      const src = createHfSource({
        baseUrl: quotaHf.url,
        now: () => clock,
        sleep: async (ms) => {
          sleeps.push(ms);
          clock += ms;
        },
      });
      for (const d of ['2026-06-22', '2026-06-23', '2026-06-24']) expect((await src.fetchDay(d)).length).toBeGreaterThan(0);
      expect(sleeps).toEqual([30_000]);
      expect(quotaHf.requests).toHaveLength(3);
    } finally {
      await quotaHf.close();
    }
  });

  it('without a pause, the stand-in answers over-quota requests with a 429 the client waits out', async () => {
    let clock = Date.parse('2026-06-24T12:00:00Z');
    const quotaHf = await startHfStandIn({ quota: { limit: 1, windowSeconds: 20 }, now: () => clock });
    try {
      const res1 = await fetch(`${quotaHf.url}/api/daily_papers?date=2026-06-22`);
      expect(res1.headers.get('ratelimit')).toBe('"api";r=0;t=20');
      const sleeps: number[] = [];
      const src = createHfSource({ baseUrl: quotaHf.url, now: () => clock, sleep: async (ms) => { sleeps.push(ms); clock += ms; } });
      expect(await src.fetchDay('2026-06-22')).toHaveLength(9);
      expect(sleeps).toEqual([20_000]);
      expect(quotaHf.requests).toHaveLength(3);
    } finally {
      await quotaHf.close();
    }
  });
});
