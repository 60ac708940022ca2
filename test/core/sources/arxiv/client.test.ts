import { afterEach, describe, expect, it } from 'vitest';
import { createArxivSource, parseAnnouncement } from '../../../../src/core/sources/arxiv/index.ts';
import { arxivFile, startArxivStandIn, type ArxivStandIn } from '../../../support/arxiv-stand-in.ts';

let standIn: ArxivStandIn | undefined;
afterEach(async () => {
  await standIn?.close();
  standIn = undefined;
});

const source = (s: ArxivStandIn, extra: Partial<Parameters<typeof createArxivSource>[0]> = {}) =>
  createArxivSource({ rssUrl: s.url, apiUrl: `${s.url}/api`, contact: 'ops@example.org', intervalMs: 60, ...extra });

describe('arXiv client within arXiv rules', () => {
  it('keeps the real 3 s rule: one request at a time, 3 s apart, conditional, naming Paperboy and the contact', async () => {
    standIn = await startArxivStandIn({ intervalMs: 3000 });
    const arxiv = source(standIn, { intervalMs: 3000 });
    const first = await arxiv.fetchAnnouncement(['cs.CL']);
    expect(first.unchanged).toBe(false);
    const ids = first.unchanged ? [] : first.announcement.items.slice(0, 3).map((i) => i.id);
    // Issued together: the pacer still sends them one by one.
    const [entries, again] = await Promise.all([arxiv.lookup(ids), arxiv.fetchAnnouncement(['cs.CL'])]);
    expect(entries.map((e) => e.id)).toEqual(ids);
    expect(again).toEqual({ unchanged: true });
    const r = standIn.requests;
    expect(r.map((x) => x.status)).toEqual([200, 200, 304]);
    expect(standIn.violations()).toEqual([]);
    for (let i = 1; i < r.length; i++) expect(r[i]!.at - r[i - 1]!.at).toBeGreaterThanOrEqual(3000);
    expect(r.every((x) => x.inFlight === 0)).toBe(true);
    expect(r[0]!.headers['user-agent']).toMatch(/^Paperboy\/\S+ \(.*mailto:ops@example\.org\)$/);
    expect(r[2]!.headers['if-none-match']).toMatch(/^"[0-9a-f]+"$/);
    expect(r[2]!.headers['if-modified-since']).toBe('Thu, 13 Aug 2026 04:00:13 GMT');
    expect(standIn.maxOpenSockets()).toBe(1);
  }, 20_000);

  it('the stand-in refuses a client that does not pace, and the client waits out its Retry-After', async () => {
    // Wide enough that even a loaded machine sends the unpaced second request inside it.
    standIn = await startArxivStandIn({ intervalMs: 2000 });
    const waits: number[] = [];
    const arxiv = source(standIn, { intervalMs: 0, sleep: (ms) => (waits.push(ms), new Promise((r) => setTimeout(r, ms))) });
    await arxiv.fetchAnnouncement(['cs.CL']);
    await arxiv.fetchAnnouncement(['cs.CL']);
    expect(standIn.violations().map((v) => v.violation)).toEqual(['too-soon']);
    expect(standIn.requests.map((x) => x.status)).toEqual([200, 503, 304]);
    expect(waits).toContain(2000);
  });

  it('serialises concurrent callers: never two requests in flight', async () => {
    standIn = await startArxivStandIn({ intervalMs: 50, delayMs: 80 });
    const arxiv = source(standIn);
    await Promise.all([arxiv.fetchAnnouncement(['cs.CL']), arxiv.lookup(['1706.03762']), arxiv.lookup(['1207.7214']), arxiv.ping()]);
    expect(standIn.requests).toHaveLength(4);
    expect(standIn.violations()).toEqual([]);
  });

  it('waits out a 503 Retry-After within bounds and fails at once on a longer one', async () => {
    standIn = await startArxivStandIn({ intervalMs: 50 });
    const waits: number[] = [];
    const arxiv = source(standIn, { sleep: (ms) => (waits.push(ms), new Promise((r) => setTimeout(r, Math.min(ms, 100)))) });
    standIn.failNext(1, { status: 503, body: 'busy', headers: { 'retry-after': '5' } });
    const ok = await arxiv.fetchAnnouncement(['cs.CL']);
    expect(ok.unchanged).toBe(false);
    expect(waits).toContain(5000);
    standIn.failNext(1, { status: 429, body: 'slow down', headers: { 'retry-after': '600' } });
    await expect(arxiv.lookup(['1706.03762'])).rejects.toThrow(/HTTP 429 .*arXiv asks to wait 600 s, longer than the 60 s allowed/);
    standIn.failNext(4, { status: 500, body: '<html><title>Internal Error</title></html>', headers: { 'content-type': 'text/html' } });
    await expect(arxiv.fetchAnnouncement(['cs.CL'])).rejects.toThrow('The arXiv feed of cs.CL failed after 4 tries: HTTP 500 with an HTML page titled "Internal Error".');
    expect(standIn.violations()).toEqual([]);
  });

  it('looks ids up in batches and turns an error feed into a clear error', async () => {
    standIn = await startArxivStandIn({ intervalMs: 20 });
    const arxiv = source(standIn, { intervalMs: 25, batchSize: 50 });
    const feed = parseAnnouncement(arxivFile('rss/cs.CL-2026-08-13.xml'));
    const ids = feed.items.slice(0, 120).map((i) => i.id);
    const entries = await arxiv.lookup(ids);
    expect(entries).toHaveLength(120);
    expect(standIn.requests).toHaveLength(3);
    expect(new URL(standIn.requests[0]!.url, standIn.url).searchParams.get('id_list')!.split(',')).toHaveLength(50);
    expect(entries.find((e) => e.id === '2608.11215')?.categories[0]).toBe('cs.AI');
    await expect(arxiv.lookup(['abc'])).rejects.toThrow('The arXiv export API (1 ids from abc) answered an error: incorrect id format for abc.');
    expect(standIn.violations()).toEqual([]);
  });

  it('reports a truncated feed as an error naming the categories', async () => {
    const real = arxivFile('rss/cs.CL-2026-08-13.xml');
    standIn = await startArxivStandIn({ intervalMs: 20, feeds: { 'cs.CL+cs.AI': real.slice(0, 30_000) } });
    await expect(source(standIn).fetchAnnouncement(['cs.CL', 'cs.AI'])).rejects.toThrow(/^The arXiv feed of cs.CL, cs.AI could not be read: it is a feed cut off after 30000 characters/);
  });
});
