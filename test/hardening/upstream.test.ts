/**
 * Hugging Face failing in every way the issue names, through the real client and the real daily
 * cycle against the fault-injecting stand-in: HTML error pages, truncated JSON, wrong types, a
 * 50 MB body, 429 with RateLimit headers, 500s, resets and stalls. Retries stay bounded, the error
 * says what happened, lookups keep working on stored papers, and the next cycle recovers.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findCommand, runCommand } from '../../src/core/commands/index.ts';
import { defaultCoreConfig, isPaperboyError, type CoreDeps } from '../../src/core/index.ts';
import { createSearchIndex } from '../../src/core/search/index.ts';
import { createHfSource } from '../../src/core/sources/index.ts';
import { fetchDays, runCycle } from '../../src/schedule/index.ts';
import { createMemoryStore } from '../../src/store/index.ts';
import { captureLogger, ctxOf } from '../core/commands/support.ts';
import { startHfStandIn, type Fault, type HfStandIn } from '../support/hf-stand-in.ts';

const FIFTY_MB = 50 * 1024 * 1024;
const DAY = '2026-06-23';
const NOW = new Date('2026-06-24T10:00:00Z');

let hf: HfStandIn;
beforeAll(async () => {
  hf = await startHfStandIn();
});
afterAll(async () => {
  await hf.close();
});

interface World {
  deps: CoreDeps & { logger: ReturnType<typeof captureLogger> };
  sleeps: number[];
}

/** A fresh store holding the real papers of 2026-06-22, fetched through the healthy stand-in. */
async function world(timeoutMs = 300): Promise<World> {
  const sleeps: number[] = [];
  const logger = captureLogger();
  const deps = {
    store: createMemoryStore(),
    index: createSearchIndex(),
    clock: { now: () => NOW },
    logger,
    config: defaultCoreConfig,
    source: createHfSource({
      baseUrl: hf.url, logger, maxRetries: 2, timeoutMs,
      // Waits are recorded, not slept: the test checks what the client chose to wait.
      sleep: async (ms) => void sleeps.push(ms),
    }),
  };
  hf.fault(undefined);
  const first = await fetchDays(deps, ['2026-06-22'], { now: new Date('2026-06-23T02:00:00Z') });
  expect(first.error).toBeUndefined();
  expect(first.papers).toBeGreaterThan(5);
  return { deps, sleeps };
}

async function lookup(deps: CoreDeps, query: string): Promise<number> {
  const r = await runCommand(findCommand('papers')!, ctxOf('ann', { platform: 'discord' }), { query }, deps);
  return r.blocks.filter((b) => b.type === 'paper').length;
}

const html = (status: number): Fault => ({ kind: 'status', status, body: `<!DOCTYPE html><html><head><title>${status} Service Unavailable</title></head><body>cloudflare</body></html>` });

const cases: { name: string; fault: Fault; says: RegExp; tries: number; wait?: number; timeoutMs?: number }[] = [
  { name: 'an HTML error page (503)', fault: html(503), says: /HTTP 503 with an HTML page titled "503 Service Unavailable"/, tries: 3 },
  { name: 'an HTML page with status 200', fault: { kind: 'status', status: 200, body: '<html><title>Login</title></html>' }, says: /HTTP 200 with an HTML page titled "Login"/, tries: 3 },
  { name: 'truncated JSON', fault: { kind: 'truncated' }, says: /truncated or malformed JSON/, tries: 3 },
  { name: 'JSON of the wrong type', fault: { kind: 'json', value: { papers: 'soon' } }, says: /instead of a list/, tries: 3 },
  { name: 'a 429 with RateLimit headers', fault: { kind: 'rate-limit', retryAfterSeconds: 1, resetSeconds: 2 }, says: /HTTP 429 \(rate limited\)/, tries: 3, wait: 2000 },
  { name: 'a 429 asking for an hour', fault: { kind: 'rate-limit', retryAfterSeconds: 3600 }, says: /asks to wait 3600 s, longer than the 60 s allowed/, tries: 1 },
  { name: 'a 500', fault: { kind: 'status', status: 500, body: '{"error":"Internal Error"}', contentType: 'application/json' }, says: /HTTP 500 with a JSON error "Internal Error"/, tries: 3 },
  { name: 'a reset connection', fault: { kind: 'reset' }, says: /the connection failed/, tries: 3 },
  { name: 'a stalled connection', fault: { kind: 'stall' }, says: /no answer within 300 ms/, tries: 3 },
  { name: 'a 50 MB body', fault: { kind: 'status', status: 200, contentType: 'application/json', body: `[${'{"paper":{"id":"2606.00001"}},'.repeat(FIFTY_MB / 30)}{}]` }, says: /larger than the 8 MB allowed/, tries: 1, timeoutMs: 20_000 },
];

describe('the daily cycle while Hugging Face fails', () => {
  let w: World;

  for (const c of cases) {
    it(`${c.name}: bounded tries, a clear error, lookups still work, the next cycle recovers`, async () => {
      w = await world(c.timeoutMs);
      const before = await w.deps.store.countPapers();
      const storedHits = await lookup(w.deps, 'model');
      expect(storedHits).toBeGreaterThan(0);
      hf.requests.length = 0;
      hf.fault((req) => (req.date === DAY ? c.fault : undefined));

      const failed = await runCycle(w.deps, [], NOW);
      expect(failed.fetch?.error?.day).toBe(DAY);
      expect(failed.fetch?.error?.message).toMatch(new RegExp(`^Hugging Face Daily Papers for ${DAY} failed`));
      expect(failed.fetch?.error?.message).toMatch(c.says);
      expect(hf.requests.filter((r) => r.date === DAY)).toHaveLength(c.tries);
      if (c.wait) expect(w.sleeps).toContain(c.wait);
      // Nothing stored was lost or replaced, and lookups answer from it as before.
      expect(await w.deps.store.countPapers()).toBe(before);
      expect(await lookup(w.deps, 'model')).toBe(storedHits);
      expect(w.deps.logger.entries.some((e) => e.level === 'warn' && e.msg === 'fetching papers failed')).toBe(true);

      hf.fault(undefined);
      const next = await runCycle(w.deps, [], NOW);
      expect(next.fetch?.error).toBeUndefined();
      expect(next.fetch?.days).toEqual([DAY, '2026-06-24']);
      expect(await w.deps.store.countPapers()).toBeGreaterThan(before);
      expect((await w.deps.store.fetchedDays()).has(DAY)).toBe(true);
    });
  }

  it('items of the wrong types are skipped by name, the rest of the day is kept, and a later refetch fills them in', async () => {
    w = await world();
    const today = '2026-06-24';
    hf.fault((req) => (req.date === today ? { kind: 'items', map: (items) => items.map((x, i) => (i % 2 ? x : { ...(x as object), paper: { id: 42, title: null, upvotes: 'many' } })) } : undefined));
    const r = await runCycle(w.deps, [], NOW);
    expect(r.fetch?.error).toBeUndefined();
    const skipped = w.deps.logger.entries.filter((e) => e.level === 'warn' && /skipped invalid Daily Papers item/.test(String(e.msg)));
    expect(skipped.length).toBeGreaterThan(0);
    const partial = (await w.deps.store.fetchedDays()).get(today)!.count;
    expect(partial).toBeGreaterThan(0);
    expect(await lookup(w.deps, 'model')).toBeGreaterThan(0);
    // Today is still open, so the next cycle after the refresh interval fetches it again, whole.
    hf.fault(undefined);
    await runCycle(w.deps, [], new Date(NOW.getTime() + 20 * 60_000));
    expect((await w.deps.store.fetchedDays()).get(today)!.count).toBeGreaterThan(partial);
  });
});

describe('a body that never ends', () => {
  let server: Server;
  let sent = 0;
  let closedEarly = false;
  beforeAll(async () => {
    // Streams 50 MB of JSON-looking text in 64 KB chunks, waiting for the socket each time.
    server = createServer(async (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.on('close', () => (closedEarly = sent < FIFTY_MB));
      const chunk = Buffer.from(`[${'{"paper":{"id":"2606.00001","title":"x"}},'.repeat(1600)}`.slice(0, 65_536));
      while (sent < FIFTY_MB && !res.destroyed) {
        sent += chunk.length;
        if (!res.write(chunk)) {
          await new Promise<void>((r) => {
            const go = (): void => void (res.off('drain', go), res.off('close', go), r());
            res.on('drain', go).on('close', go);
          });
        }
      }
      res.end();
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  it('stops reading at the cap instead of buffering 50 MB, and says so without retrying', async () => {
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const source = createHfSource({ baseUrl: url, maxRetries: 3, sleep: async () => {}, maxBodyBytes: 2 * 1024 * 1024 });
    const err = await source.fetchDay(DAY).catch((e: unknown) => e);
    expect(isPaperboyError(err) && err.code).toBe('upstream');
    expect((err as Error).message).toMatch(/HTTP 200 with a body larger than the 2 MB allowed/);
    await new Promise<void>((r) => setImmediate(r));
    await expect.poll(() => closedEarly).toBe(true);
    // What left the server before the client hung up: the cap plus socket buffers, far from 50 MB.
    expect(sent).toBeLessThan(FIFTY_MB / 4);
  });
});
