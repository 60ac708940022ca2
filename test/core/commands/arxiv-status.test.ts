import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { replyText } from '../../../src/core/model/index.ts';
import { createArxivSource } from '../../../src/core/sources/arxiv/index.ts';
import { fetchArxiv, fetchArxivIfDue } from '../../../src/schedule/index.ts';
import { arxivFile, startArxivStandIn, type ArxivStandIn } from '../../support/arxiv-stand-in.ts';
import { typed } from './run-text.ts';
import { ctxOf, makeDeps } from './support.ts';

let standIn: ArxivStandIn;
// A stand-in per test: each test's client paces itself, not against the previous test's client,
// whose last request could still be inside the stand-in's interval (answered 503, as arXiv would).
beforeEach(async () => {
  standIn = await startArxivStandIn({ intervalMs: 30, feeds: { cs: arxivFile('rss/cs-weekend-2025-04-27.xml'), 'cs.CL': arxivFile('rss/cs.CL-2026-08-13.xml') } });
});
afterEach(() => standIn.close());

const manager = ctxOf('mia', { channel: 'papers', manage: true });

describe('/digest status and arXiv', () => {
  it('says arXiv announced nothing on a weekend, as normal, not as a failure', async () => {
    const deps = await makeDeps([], {}, '2025-04-27T09:00:00Z');
    deps.arxiv = createArxivSource({ rssUrl: standIn.url, apiUrl: `${standIn.url}/api`, intervalMs: 40 });
    await typed('/digest add cat:cs', manager, deps);
    const r = await fetchArxiv(deps, ['cs'], { now: new Date('2025-04-27T09:00:00Z') });
    expect(r).toMatchObject({ day: '2025-04-27', announced: 0 });
    expect(r.error).toBeUndefined();
    const status = replyText(await typed('/digest status', manager, deps));
    expect(status).toContain('arXiv: arXiv announced nothing on Sunday (2025-04-27); weekends and holidays have no announcement');
    expect(status).toContain('Last failure: none');
  });

  it('fetches only categories some topic names, after the daily slot, and never again within it', async () => {
    const deps = await makeDeps([], {}, '2026-08-13T03:00:00Z');
    deps.arxiv = createArxivSource({ rssUrl: standIn.url, apiUrl: `${standIn.url}/api`, intervalMs: 40 });
    const before = standIn.requests.length;
    // No topic names a category: no request at all.
    await typed('/digest add agents', manager, deps);
    expect(await fetchArxivIfDue(deps, await deps.store.listDestinations(), new Date('2026-08-13T05:00:00Z'))).toBeUndefined();
    await typed('/digest add agents cat:cs.CL', manager, deps);
    // Before the 04:30 slot yesterday's slot counts: nothing recorded, so it is due once.
    const first = await fetchArxivIfDue(deps, await deps.store.listDestinations(), new Date('2026-08-13T04:40:00Z'));
    expect(first).toMatchObject({ categories: ['cs.CL'], day: '2026-08-13', announced: 92 });
    for (const t of ['04:41', '05:30', '06:29']) {
      expect(await fetchArxivIfDue(deps, await deps.store.listDestinations(), new Date(`2026-08-13T${t}:00Z`))).toBeUndefined();
    }
    const second = await fetchArxivIfDue(deps, await deps.store.listDestinations(), new Date('2026-08-13T06:31:00Z'));
    expect(second).toMatchObject({ unchanged: true, announced: 92 });
    const mine = standIn.requests.slice(before);
    expect(mine.map((r) => `${r.status} ${r.url.split('?')[0]}`)).toEqual(['200 /rss/cs.CL', '200 /api/query', '304 /rss/cs.CL']);
    expect(standIn.violations()).toEqual([]);
    const status = replyText(await typed('/digest status', manager, deps));
    expect(status).toContain('arXiv: 92 new papers announced on Thursday (2026-08-13)');
  });
});
